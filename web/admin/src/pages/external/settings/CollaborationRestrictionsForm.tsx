import { type FormEvent, type KeyboardEvent, useState } from 'react';
import { useAccess } from '../../../access/AccessContext.tsx';
import { Actions } from '../../../access/roles.ts';
import { CheckboxField, TextField } from '../../../forms/Fields.tsx';
import { FormActions, FormStatus } from '../../../forms/FormParts.tsx';
import { RadioGroupField } from '../../../forms/RadioGroupField.tsx';
import { describeError } from '../../../graph/errors.ts';
import { useGraph } from '../../../graph/GraphContext.tsx';
import { type B2bManagementPolicy, getB2bManagementPolicy, updateB2bManagementPolicy } from '../../../graph/policies.ts';
import { useResource } from '../../../hooks/useResource.ts';
import { Button } from '../../../ui/Button.tsx';
import { ConfirmDialog } from '../../../ui/ConfirmDialog.tsx';
import { LoadError } from '../../../ui/LoadError.tsx';
import { Loading } from '../../../ui/Loading.tsx';
import { addDomains, type RestrictionMode, restrictionChoices, restrictionOf, restrictionPolicy, switchRestriction } from '../externalRules.ts';

const ID = 'collaboration';

/** Tessera's `/beta/policies/b2bManagementPolicy`: an allow list or a deny list of domains, and consumer domains. */
export function CollaborationRestrictionsForm() {
  const graph = useGraph();
  const policy = useResource((signal) => getB2bManagementPolicy(graph, signal), [graph]);
  const { state } = policy;
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <LoadError error={state.error} doing="view the collaboration restrictions" onRetry={policy.reload} />;
  return <CollaborationFields policy={state.data} />;
}

interface Saved {
  mode: RestrictionMode;
  domains: string[];
  allowConsumerDomains: boolean;
}

function CollaborationFields({ policy }: { policy: B2bManagementPolicy }) {
  const graph = useGraph();
  const canEdit = useAccess().can(Actions.updateExternalCollaboration);
  const [saved, setSaved] = useState<Saved>(() => ({ ...restrictionOf(policy), allowConsumerDomains: policy.allowConsumerDomains }));
  const [mode, setMode] = useState(saved.mode);
  const [domains, setDomains] = useState(saved.domains);
  const [consumer, setConsumer] = useState(saved.allowConsumerDomains);
  const [typed, setTyped] = useState('');
  const [domainError, setDomainError] = useState<string | null>(null);
  const [switching, setSwitching] = useState<{ to: RestrictionMode; warning: string } | null>(null);
  const [status, setStatus] = useState<{ formError: string | null; notice: string | null }>({ formError: null, notice: null });
  const [submitting, setSubmitting] = useState(false);

  const edited = () => setStatus({ formError: null, notice: null });

  const chooseMode = (to: RestrictionMode) => {
    const next = switchRestriction(mode, to, domains);
    if (next.warning) {
      setSwitching({ to, warning: next.warning });
      return;
    }
    setMode(to);
    setDomains(next.domains);
    setDomainError(null);
    edited();
  };

  const add = () => {
    const result = addDomains(domains, typed);
    setDomainError(result.problem);
    if (result.problem) {
      document.getElementById(`${ID}-domain`)?.focus();
      return;
    }
    setDomains(result.list);
    setTyped('');
    edited();
  };

  // Enter in the domain field adds the domain instead of saving the whole form.
  const onDomainKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      add();
    }
  };

  const remove = (domain: string) => {
    setDomains((list) => list.filter((item) => item !== domain));
    edited();
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    edited();
    if (mode !== 'any' && domains.length === 0) {
      setDomainError(mode === 'deny' ? 'Add at least one domain to deny, or allow invitations to any domain.' : 'Add at least one domain to allow, or allow invitations to any domain.');
      document.getElementById(`${ID}-domain`)?.focus();
      return;
    }
    if (typed.trim() !== '') {
      setDomainError('Add the domain you typed to the list, or clear the field, before saving.');
      document.getElementById(`${ID}-domain`)?.focus();
      return;
    }
    const unchanged = mode === saved.mode && consumer === saved.allowConsumerDomains && domains.join('\n') === saved.domains.join('\n');
    if (unchanged) {
      setStatus({ formError: null, notice: 'Nothing to save.' });
      return;
    }
    setSubmitting(true);
    try {
      await updateB2bManagementPolicy(graph, { invitationsAllowedAndBlockedDomainsPolicy: restrictionPolicy(mode, domains), allowConsumerDomains: consumer });
      setSaved({ mode, domains, allowConsumerDomains: consumer });
      setStatus({ formError: null, notice: 'Saved.' });
    } catch (error) {
      setStatus({ formError: describeError(error, 'change the collaboration restrictions'), notice: null });
    } finally {
      setSubmitting(false);
    }
  };

  const listName = mode === 'deny' ? 'Denied domains' : 'Allowed domains';
  return (
    <>
    <form className="form" onSubmit={(event) => void save(event)} noValidate data-testid="collaboration-form">
      <FormStatus form={status} note={!canEdit && 'You can view these settings but not change them.'} />
      <RadioGroupField
        id={`${ID}-mode`}
        legend="Domains invitations may go to"
        hint="Checked when someone is invited and again when they accept. Guests who already accepted are not affected."
        options={restrictionChoices}
        value={mode}
        onChange={chooseMode}
        disabled={!canEdit}
      />
      {mode !== 'any' && (
        <fieldset className="domain-editor">
          <legend>{listName}</legend>
          <TextField
            id={`${ID}-domain`}
            label="Domain"
            hint="One or more, separated by commas, such as fabrikam.com. *.fabrikam.com stands for its subdomains."
            value={typed}
            onChange={(value) => {
              setTyped(value);
              setDomainError(null);
            }}
            onKeyDown={onDomainKey}
            error={domainError ?? undefined}
            disabled={!canEdit}
            autoComplete="off"
            spellCheck={false}
            after={
              canEdit && (
                <Button onClick={add} data-testid="add-domain">
                  Add domain
                </Button>
              )
            }
          />
          {domains.length === 0 ? (
            <p className="empty">No domains yet.</p>
          ) : (
            <ul className="chip-list" aria-label={listName} data-testid="collaboration-domains">
              {domains.map((domain) => (
                <li key={domain} className="chip">
                  <span>{domain}</span>
                  {canEdit && (
                    <button type="button" className="icon-button chip-remove" aria-label={`Remove ${domain}`} onClick={() => remove(domain)}>
                      <span aria-hidden="true">×</span>
                    </button>
                  )}
                </li>
              ))}
            </ul>
          )}
        </fieldset>
      )}
      <CheckboxField
        id={`${ID}-allowConsumerDomains`}
        label="Allow invitations to consumer e-mail domains"
        hint="Such as gmail.com, outlook.com and comcast.net. Off: invitations to them are refused."
        checked={consumer}
        disabled={!canEdit}
        onChange={(checked) => {
          setConsumer(checked);
          edited();
        }}
      />
      {canEdit && <FormActions submitting={submitting} />}
    </form>
      {/* outside the form: the dialog has a form of its own, and forms must not nest */}
      {switching && (
        <ConfirmDialog
          title="Switch collaboration restrictions"
          confirmLabel="Switch and discard"
          doing="change the collaboration restrictions"
          onClose={() => setSwitching(null)}
          onConfirm={async () => {
            setMode(switching.to);
            setDomains([]);
            setDomainError(null);
            setSwitching(null);
            edited();
          }}
        >
          <p>{switching.warning}</p>
        </ConfirmDialog>
      )}
    </>
  );
}
