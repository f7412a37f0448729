import { useState } from 'react';
import { useAccess } from '../../../access/AccessContext.tsx';
import { Actions } from '../../../access/roles.ts';
import { FormActions, FormStatus } from '../../../forms/FormParts.tsx';
import { RadioGroupField } from '../../../forms/RadioGroupField.tsx';
import { useForm } from '../../../forms/useForm.ts';
import { useGraph } from '../../../graph/GraphContext.tsx';
import { type AllowInvitesFrom, type AuthorizationPolicy, getAuthorizationPolicy, updateAuthorizationPolicy } from '../../../graph/policies.ts';
import { useResource } from '../../../hooks/useResource.ts';
import { LoadError } from '../../../ui/LoadError.tsx';
import { Loading } from '../../../ui/Loading.tsx';
import { useExternalSection } from '../ExternalContext.tsx';
import { guestAccessChoices, inviteRestrictionChoices } from '../externalRules.ts';

/** `authorizationPolicy`: guestUserRoleId (Guest user access) and allowInvitesFrom (Guest invite restrictions). */
export function GuestAccessForm() {
  const graph = useGraph();
  const policy = useResource((signal) => getAuthorizationPolicy(graph, signal), [graph]);
  const { state } = policy;
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <LoadError error={state.error} doing="view the guest access settings" onRetry={policy.reload} />;
  return <GuestAccessFields policy={state.data} />;
}

function GuestAccessFields({ policy }: { policy: AuthorizationPolicy }) {
  const graph = useGraph();
  const section = useExternalSection();
  const canEdit = useAccess().can(Actions.updateAuthorizationPolicy);
  const [saved, setSaved] = useState({ guestUserRoleId: policy.guestUserRoleId, allowInvitesFrom: policy.allowInvitesFrom as string });
  const form = useForm({ id: 'guest-access', initial: saved, apiFields: { guestUserRoleId: 'guestUserRoleId', allowInvitesFrom: 'allowInvitesFrom' } });
  const { values } = form;

  const onSubmit = form.submit({
    doing: 'change the guest access settings',
    validate: () => ({}),
    run: async (v) => {
      const changes: Partial<Pick<AuthorizationPolicy, 'guestUserRoleId' | 'allowInvitesFrom'>> = {};
      if (v.guestUserRoleId !== saved.guestUserRoleId) changes.guestUserRoleId = v.guestUserRoleId;
      if (v.allowInvitesFrom !== saved.allowInvitesFrom) changes.allowInvitesFrom = v.allowInvitesFrom as AllowInvitesFrom;
      if (Object.keys(changes).length === 0) return 'Nothing to save.';
      await updateAuthorizationPolicy(graph, changes);
      setSaved(v);
      // Whether this admin may still invite follows the new restriction.
      section.reloadPolicy();
      return 'Saved.';
    },
  });

  // A tenant may hold a role id this admin center has no label for; show it rather than an unchecked group.
  const accessChoices = guestAccessChoices.some((choice) => choice.value === values.guestUserRoleId)
    ? guestAccessChoices
    : [...guestAccessChoices, { value: values.guestUserRoleId, label: `Another role (${values.guestUserRoleId})` }];

  return (
    <form className="form" onSubmit={onSubmit} noValidate data-testid="guest-access-form">
      <FormStatus form={form} note={!canEdit && 'You can view these settings but not change them (Global Administrators and Privileged Role Administrators can).'} />
      <RadioGroupField
        id={form.fieldId('guestUserRoleId')}
        legend="Guest user access"
        hint="What guests can see of this directory's users, groups and other objects."
        options={accessChoices}
        value={values.guestUserRoleId}
        onChange={(value) => form.set('guestUserRoleId', value)}
        disabled={!canEdit}
        error={form.errors.guestUserRoleId}
      />
      <RadioGroupField
        id={form.fieldId('allowInvitesFrom')}
        legend="Guest invite restrictions"
        hint="Global Administrators, User Administrators and Guest Inviters count as the admin roles here."
        options={inviteRestrictionChoices}
        value={values.allowInvitesFrom as AllowInvitesFrom}
        onChange={(value) => form.set('allowInvitesFrom', value)}
        disabled={!canEdit}
        error={form.errors.allowInvitesFrom}
      />
      {canEdit && <FormActions submitting={form.submitting} />}
    </form>
  );
}
