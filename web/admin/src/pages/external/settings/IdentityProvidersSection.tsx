import { useState } from 'react';
import { useAccess } from '../../../access/AccessContext.tsx';
import { Actions } from '../../../access/roles.ts';
import { TextField } from '../../../forms/Fields.tsx';
import { FormStatus } from '../../../forms/FormParts.tsx';
import { useForm } from '../../../forms/useForm.ts';
import { maxLength, required } from '../../../forms/validators.ts';
import { useGraph } from '../../../graph/GraphContext.tsx';
import { createIdentityProvider, deleteIdentityProvider, type IdentityProvider, listIdentityProviders } from '../../../graph/identityProviders.ts';
import { useResource } from '../../../hooks/useResource.ts';
import { Alert } from '../../../ui/Alert.tsx';
import { Button } from '../../../ui/Button.tsx';
import { ConfirmDialog } from '../../../ui/ConfirmDialog.tsx';
import { LoadError } from '../../../ui/LoadError.tsx';
import { Loading } from '../../../ui/Loading.tsx';
import { Modal } from '../../../ui/Modal.tsx';
import { Section } from '../../../ui/Section.tsx';
import { addDomains, checkSecureUrl } from '../externalRules.ts';

/**
 * Partners' own OpenID Connect providers (`/beta/identity/identityProviders`): a guest whose
 * address is in one of a provider's domains signs in there. The client secret is write-only.
 */
export function IdentityProvidersSection() {
  const graph = useGraph();
  const canEdit = useAccess().can(Actions.updateIdentityProviders);
  const providers = useResource((signal) => listIdentityProviders(graph, signal), [graph]);
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<IdentityProvider | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { state } = providers;

  return (
    <Section
      title="Identity providers"
      testId="settings-identity-providers"
      actions={
        canEdit && (
          <Button variant="primary" onClick={() => setAdding(true)} data-testid="add-identity-provider">
            Add OpenID Connect provider
          </Button>
        )
      }
    >
      <p className="form-note">
        Guests whose e-mail domain belongs to another organization on this server sign in there; guests of the domains below sign in with their
        organization's own provider; everyone else creates an account with their e-mail address.
      </p>
      {notice && (
        <Alert tone="success" testId="identity-providers-notice">
          {notice}
        </Alert>
      )}
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <LoadError error={state.error} doing="view the identity providers" onRetry={providers.reload} />}
      {state.status === 'ready' &&
        (state.data.length === 0 ? (
          <p className="empty">No identity providers of partners yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="identity-providers-table">
              <caption className="visually-hidden">Identity providers</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Domains</th>
                  <th scope="col" className="hide-narrow">
                    Issuer
                  </th>
                  {canEdit && (
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {state.data.map((provider) => (
                  <tr key={provider.id}>
                    <td>
                      {provider.displayName}
                      <span className="cell-detail">Client ID {provider.clientId}</span>
                    </td>
                    <td>{provider.domains.join(', ')}</td>
                    <td className="hide-narrow break">{provider.issuer}</td>
                    {canEdit && (
                      <td className="cell-actions">
                        <Button variant="ghost" aria-label={`Delete ${provider.displayName}`} onClick={() => setDeleting(provider)}>
                          Delete
                        </Button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      {adding && (
        <AddProviderDialog
          onClose={() => setAdding(false)}
          onAdded={(provider) => {
            setAdding(false);
            setNotice(`${provider.displayName} was added.`);
            providers.reload();
          }}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title="Delete identity provider"
          confirmLabel="Delete"
          doing="delete identity providers"
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await deleteIdentityProvider(graph, deleting.id);
            setNotice(`${deleting.displayName} was deleted.`);
            setDeleting(null);
            providers.reload();
          }}
        >
          <p>
            Delete <strong>{deleting.displayName}</strong>? Guests of {deleting.domains.join(', ')} who signed in with it can no longer sign in until they
            redeem again with another identity.
          </p>
        </ConfirmDialog>
      )}
    </Section>
  );
}

const apiFields = { displayName: 'displayName', issuer: 'issuer', clientId: 'clientId', clientSecret: 'clientSecret', domains: 'domains', domain: 'domains', scope: 'scope' } as const;

function AddProviderDialog({ onClose, onAdded }: { onClose(): void; onAdded(provider: IdentityProvider): void }) {
  const graph = useGraph();
  const form = useForm({
    id: 'identity-provider',
    initial: { displayName: '', issuer: '', clientId: '', clientSecret: '', domains: '', scope: 'openid profile email' },
    apiFields,
  });

  const onSubmit = form.submit({
    doing: 'add identity providers',
    validate: (v) => {
      const errors: Partial<Record<keyof typeof v, string>> = {};
      const displayName = required('Display name')(v.displayName) ?? maxLength(256)(v.displayName.trim());
      if (displayName) errors.displayName = displayName;
      const issuer = checkSecureUrl(v.issuer, 'Issuer');
      if (issuer) errors.issuer = issuer;
      const clientId = required('Client ID')(v.clientId);
      if (clientId) errors.clientId = clientId;
      const secret = required('Client secret')(v.clientSecret);
      if (secret) errors.clientSecret = secret;
      const domains = addDomains([], v.domains);
      if (domains.problem) errors.domains = v.domains.trim() === '' ? 'Add at least one domain, such as fabrikam.com.' : domains.problem;
      if (!/\bopenid\b/.test(v.scope)) errors.scope = 'The scope must include openid.';
      return errors;
    },
    run: async (v) => {
      const provider = await createIdentityProvider(graph, {
        displayName: v.displayName.trim(),
        issuer: v.issuer.trim(),
        clientId: v.clientId.trim(),
        clientSecret: v.clientSecret,
        scope: v.scope.trim().replace(/\s+/g, ' '),
        domains: addDomains([], v.domains).list,
      });
      onAdded(provider);
    },
  });

  return (
    <Modal title="Add OpenID Connect provider" onClose={onClose} testId="identity-provider-dialog">
      <form onSubmit={onSubmit} noValidate>
        <FormStatus form={form} />
        <TextField label="Display name" required autoComplete="off" hint="How the partner's sign-in is named, such as Fabrikam." {...form.text('displayName')} data-autofocus />
        <TextField
          label="Issuer"
          required
          type="url"
          inputMode="url"
          spellCheck={false}
          hint="The provider's issuer URL; its /.well-known/openid-configuration is read at sign-in."
          {...form.text('issuer')}
        />
        <TextField label="Client ID" required autoComplete="off" spellCheck={false} hint="Of the app the partner registered for this organization." {...form.text('clientId')} />
        <TextField label="Client secret" required type="password" autoComplete="new-password" hint="Stored encrypted; it can't be read back." {...form.text('clientSecret')} />
        <TextField
          label="Domains"
          required
          autoComplete="off"
          spellCheck={false}
          hint="The partner's e-mail domains, separated by commas, such as fabrikam.com, fabrikam.nl."
          {...form.text('domains')}
        />
        <TextField label="Scope" required autoComplete="off" spellCheck={false} {...form.text('scope')} />
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={form.submitting}>
            Add
          </Button>
          <Button onClick={onClose} disabled={form.submitting}>
            Cancel
          </Button>
        </div>
      </form>
    </Modal>
  );
}
