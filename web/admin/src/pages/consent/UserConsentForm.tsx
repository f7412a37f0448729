import { useState } from 'react';
import { useAccess } from '../../access/AccessContext.tsx';
import { Actions } from '../../access/roles.ts';
import { FormActions, FormStatus } from '../../forms/FormParts.tsx';
import { RadioGroupField } from '../../forms/RadioGroupField.tsx';
import { useForm } from '../../forms/useForm.ts';
import { getPermissionGrantPoliciesAssigned, updatePermissionGrantPoliciesAssigned } from '../../graph/consentPolicy.ts';
import { useGraph } from '../../graph/GraphContext.tsx';
import { useResource } from '../../hooks/useResource.ts';
import { LoadError } from '../../ui/LoadError.tsx';
import { Loading } from '../../ui/Loading.tsx';
import { appPaths } from '../../router/appRoutes.ts';
import { Link } from '../../router/Router.tsx';
import { assignedForChoice, type UserConsentChoice, userConsentChoiceOf, userConsentChoices, userConsentHints } from './consentRules.ts';

export function UserConsentForm() {
  const graph = useGraph();
  const assigned = useResource((signal) => getPermissionGrantPoliciesAssigned(graph, signal), [graph]);
  const { state } = assigned;
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <LoadError error={state.error} doing="view the user consent setting" onRetry={assigned.reload} />;
  return <UserConsentFields assigned={state.data} />;
}

const OTHER = 'other';

function UserConsentFields({ assigned }: { assigned: string[] }) {
  const graph = useGraph();
  const canEdit = useAccess().can(Actions.updateAuthorizationPolicy);
  const [saved, setSaved] = useState({ assigned, choice: (userConsentChoiceOf(assigned) ?? OTHER) as string });
  const form = useForm({ id: 'user-consent', initial: { choice: saved.choice }, apiFields: { permissionGrantPoliciesAssigned: 'choice' } });
  const choice = form.values.choice;

  const onSubmit = form.submit({
    doing: 'change the user consent setting',
    validate: (v) => (v.choice === OTHER ? { choice: 'Choose one of the settings.' } : {}),
    run: async (v) => {
      if (v.choice === saved.choice) return 'Nothing to save.';
      const next = assignedForChoice(v.choice as UserConsentChoice, saved.assigned);
      await updatePermissionGrantPoliciesAssigned(graph, next);
      setSaved({ assigned: next, choice: v.choice });
      return 'Saved.';
    },
  });

  // A setting stored by another tool that the portal has no option for is shown, not silently replaced.
  const options: { value: string; label: string }[] =
    saved.choice === OTHER ? [...userConsentChoices, { value: OTHER, label: `Another setting (${saved.assigned.join(', ')})` }] : [...userConsentChoices];

  return (
    <form className="form" onSubmit={onSubmit} noValidate data-testid="user-consent-form">
      <FormStatus form={form} note={!canEdit && 'You can view this setting but not change it (Global Administrators and Privileged Role Administrators can).'} />
      <RadioGroupField
        id={form.fieldId('choice')}
        legend="User consent for applications"
        hint={choice in userConsentHints ? userConsentHints[choice as UserConsentChoice] : undefined}
        options={options}
        value={choice}
        onChange={(value) => form.set('choice', value)}
        disabled={!canEdit}
        error={form.errors.choice}
      />
      {choice === 'low' && (
        <p className="form-note">
          Which permissions count as low impact is set under <Link to={appPaths.classifications}>Permission classifications</Link>.
        </p>
      )}
      {canEdit && <FormActions submitting={form.submitting} />}
    </form>
  );
}
