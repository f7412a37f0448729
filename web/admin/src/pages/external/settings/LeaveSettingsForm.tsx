import { useState } from 'react';
import { useAccess } from '../../../access/AccessContext.tsx';
import { Actions } from '../../../access/roles.ts';
import { FormActions, FormStatus } from '../../../forms/FormParts.tsx';
import { RadioGroupField } from '../../../forms/RadioGroupField.tsx';
import { useForm } from '../../../forms/useForm.ts';
import { useGraph } from '../../../graph/GraphContext.tsx';
import { getExternalIdentitiesPolicy, updateExternalIdentitiesPolicy } from '../../../graph/policies.ts';
import type { Organization } from '../../../graph/types.ts';
import { type Resource, useResource } from '../../../hooks/useResource.ts';
import { paths } from '../../../router/routes.ts';
import { Link } from '../../../router/Router.tsx';
import { Alert } from '../../../ui/Alert.tsx';
import { LoadError } from '../../../ui/LoadError.tsx';
import { Loading } from '../../../ui/Loading.tsx';

const CHOICES = [
  { value: 'yes', label: 'Yes' },
  { value: 'no', label: 'No' },
] as const;

/**
 * `/beta/policies/externalIdentitiesPolicy`: whether guests may leave from My Account. As in Entra,
 * the choice is open only once the organization has a privacy contact, whom a guest who may not
 * leave is told to ask instead.
 */
export function LeaveSettingsForm({ organization }: { organization: Resource<Organization> }) {
  const graph = useGraph();
  const policy = useResource((signal) => getExternalIdentitiesPolicy(graph, signal), [graph]);
  if (policy.state.status === 'error') return <LoadError error={policy.state.error} doing="view the leave settings" onRetry={policy.reload} />;
  if (organization.state.status === 'error') return <LoadError error={organization.state.error} doing="view the organization's privacy contact" onRetry={organization.reload} />;
  if (policy.state.status === 'loading' || organization.state.status === 'loading') return <Loading />;
  const contact = organization.state.data.privacyProfile?.contactEmail ?? null;
  return <LeaveFields allowed={policy.state.data.allowExternalIdentitiesToLeave} privacyContact={contact} />;
}

function LeaveFields({ allowed, privacyContact }: { allowed: boolean; privacyContact: string | null }) {
  const graph = useGraph();
  const canEdit = useAccess().can(Actions.updateExternalCollaboration);
  const [saved, setSaved] = useState({ allow: allowed ? 'yes' : 'no' });
  const form = useForm({ id: 'leave', initial: saved, apiFields: { allowExternalIdentitiesToLeave: 'allow' } });
  const open = canEdit && Boolean(privacyContact);

  const onSubmit = form.submit({
    doing: 'change the leave settings',
    validate: () => ({}),
    run: async (v) => {
      if (v.allow === saved.allow) return 'Nothing to save.';
      await updateExternalIdentitiesPolicy(graph, { allowExternalIdentitiesToLeave: v.allow === 'yes' });
      setSaved(v);
      return 'Saved.';
    },
  });

  return (
    <form className="form" onSubmit={onSubmit} noValidate data-testid="leave-form">
      <FormStatus form={form} note={!canEdit && 'You can view this setting but not change it.'} />
      {!privacyContact && (
        <Alert tone="info" testId="leave-needs-privacy-contact">
          <p>
            This organization has no privacy contact yet. Guests who want to leave are pointed to it, so the choice opens once a privacy contact e-mail is
            set on the <Link to={paths.organization}>Organization</Link> page.
          </p>
        </Alert>
      )}
      <RadioGroupField
        id={form.fieldId('allow')}
        legend="Allow external users to remove themselves from your organization (recommended)"
        hint={privacyContact ? `Guests who may not leave are asked to contact ${privacyContact}.` : undefined}
        options={CHOICES}
        value={form.values.allow as 'yes' | 'no'}
        onChange={(value) => form.set('allow', value)}
        disabled={!open}
        error={form.errors.allow}
      />
      {open && <FormActions submitting={form.submitting} />}
    </form>
  );
}
