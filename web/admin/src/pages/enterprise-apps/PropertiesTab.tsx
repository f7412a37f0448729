import { useState } from 'react';
import { useAccess } from '../../access/AccessContext.tsx';
import { Actions } from '../../access/roles.ts';
import { CheckboxField } from '../../forms/Fields.tsx';
import { FormActions, FormStatus } from '../../forms/FormParts.tsx';
import { useForm } from '../../forms/useForm.ts';
import type { Application } from '../../graph/applicationTypes.ts';
import { useGraph } from '../../graph/GraphContext.tsx';
import { literal, withQuery } from '../../graph/odata.ts';
import { type ServicePrincipalChanges, updateServicePrincipal } from '../../graph/servicePrincipals.ts';
import type { Collection } from '../../graph/types.ts';
import { useResource } from '../../hooks/useResource.ts';
import { appPaths } from '../../router/appRoutes.ts';
import { Link } from '../../router/Router.tsx';
import { Section } from '../../ui/Section.tsx';
import type { EnterpriseApp } from './EnterpriseAppPage.tsx';
import { ownerLabel } from './EnterpriseAppsPage.tsx';
import { PublisherBadge } from './PublisherBadge.tsx';

/** Entra's enterprise app "Properties": who publishes it, and the two switches that decide who may sign in. */
export function PropertiesTab({ app, onChanged }: { app: EnterpriseApp; onChanged(): void }) {
  const graph = useGraph();
  const sp = app.servicePrincipal;
  const registeredHere = sp.appOwnerOrganizationId?.toLowerCase() === app.tenantId.toLowerCase();
  // The app registration behind it, when it is one of this organization's own.
  const registration = useResource(
    (signal) =>
      registeredHere
        ? graph.get<Collection<Application>>(withQuery('/applications', { $filter: `appId eq ${literal(sp.appId)}`, $select: 'id,displayName' }), { signal }).then((page) => page.value[0] ?? null)
        : Promise.resolve(null),
    [graph, sp.appId, registeredHere],
  );
  const registrationId = registration.state.status === 'ready' ? registration.state.data?.id : undefined;

  return (
    <>
      <Section title="Properties" testId="enterprise-properties">
        <dl className="properties">
          <dt>Name</dt>
          <dd>{sp.displayName}</dd>
          <dt>Application ID</dt>
          <dd className="mono" data-testid="enterprise-app-id">
            {sp.appId}
          </dd>
          <dt>Object ID</dt>
          <dd className="mono">{sp.id}</dd>
          <dt>Publisher</dt>
          <dd>
            {sp.appOwnerOrganizationId ? <PublisherBadge name={sp.publisherName ?? null} verified={Boolean(sp.verifiedPublisher?.verifiedPublisherId)} /> : 'Microsoft'}
          </dd>
          <dt>Home tenant</dt>
          <dd data-testid="enterprise-home-tenant">
            {ownerLabel(sp.appOwnerOrganizationId, app.tenantId)}
            {registrationId && (
              <>
                {' · '}
                <Link to={appPaths.appRegistration(registrationId)}>Open the app registration</Link>
              </>
            )}
          </dd>
          {sp.homepage && (
            <>
              <dt>Home page</dt>
              <dd className="break">{sp.homepage}</dd>
            </>
          )}
        </dl>
      </Section>
      <Section title="Sign-in" testId="enterprise-sign-in">
        <SignInForm app={app} onChanged={onChanged} />
      </Section>
    </>
  );
}

function SignInForm({ app, onChanged }: { app: EnterpriseApp; onChanged(): void }) {
  const graph = useGraph();
  const canEdit = useAccess().can(Actions.updateServicePrincipals);
  const sp = app.servicePrincipal;
  const [saved, setSaved] = useState({ accountEnabled: sp.accountEnabled !== false, appRoleAssignmentRequired: sp.appRoleAssignmentRequired === true });
  const form = useForm({ id: 'enterprise-sign-in', initial: saved, apiFields: { accountEnabled: 'accountEnabled', appRoleAssignmentRequired: 'appRoleAssignmentRequired' } });

  const onSubmit = form.submit({
    doing: 'change enterprise applications',
    validate: () => ({}),
    run: async (v) => {
      const changes: ServicePrincipalChanges = {};
      if (v.accountEnabled !== saved.accountEnabled) changes.accountEnabled = v.accountEnabled;
      if (v.appRoleAssignmentRequired !== saved.appRoleAssignmentRequired) changes.appRoleAssignmentRequired = v.appRoleAssignmentRequired;
      if (Object.keys(changes).length === 0) return 'Nothing to save.';
      await updateServicePrincipal(graph, sp.id, changes);
      setSaved(v);
      onChanged();
      return 'Saved.';
    },
  });

  return (
    <form className="form" onSubmit={onSubmit} noValidate data-testid="enterprise-sign-in-form">
      <FormStatus form={form} note={!canEdit && 'You can view this application but not change it.'} />
      <CheckboxField
        id={form.fieldId('accountEnabled')}
        label="Enabled for users to sign in"
        hint="When off, no one in this organization can sign in to the app, and it gets no tokens."
        checked={form.values.accountEnabled}
        onChange={(checked) => form.set('accountEnabled', checked)}
        disabled={!canEdit}
      />
      <CheckboxField
        id={form.fieldId('appRoleAssignmentRequired')}
        label="Assignment required"
        hint="When on, only users and groups assigned under Users and groups can sign in, and users can never consent to it themselves."
        checked={form.values.appRoleAssignmentRequired}
        onChange={(checked) => form.set('appRoleAssignmentRequired', checked)}
        disabled={!canEdit}
      />
      {canEdit && <FormActions submitting={form.submitting} />}
    </form>
  );
}
