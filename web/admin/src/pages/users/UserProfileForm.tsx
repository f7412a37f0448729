import { useState } from 'react';
import { useAccess } from '../../access/AccessContext.tsx';
import { Actions } from '../../access/roles.ts';
import { CountryField, TextField } from '../../forms/Fields.tsx';
import { FormActions, FormStatus } from '../../forms/FormParts.tsx';
import { useForm } from '../../forms/useForm.ts';
import { countryCode, validate } from '../../forms/validators.ts';
import { useGraph } from '../../graph/GraphContext.tsx';
import type { User } from '../../graph/types.ts';
import { updateUser } from '../../graph/users.ts';
import { profileApiFields, profileRules } from './userRules.ts';

function profileOf(user: User) {
  return {
    displayName: user.displayName ?? '',
    userPrincipalName: user.userPrincipalName,
    givenName: user.givenName ?? '',
    surname: user.surname ?? '',
    jobTitle: user.jobTitle ?? '',
    department: user.department ?? '',
    usageLocation: user.usageLocation ?? '',
  };
}

type Profile = ReturnType<typeof profileOf>;

function trimmed(profile: Profile): Profile {
  return Object.fromEntries(Object.entries(profile).map(([key, value]) => [key, value.trim()])) as Profile;
}

/** Only what changed is sent; a cleared optional field becomes null, which is how Graph removes a value. */
function changesBetween(saved: Profile, edited: Profile): Partial<Record<keyof Profile, string | null>> {
  const changes: Partial<Record<keyof Profile, string | null>> = {};
  for (const key of Object.keys(edited) as (keyof Profile)[]) {
    if (edited[key] !== saved[key]) changes[key] = edited[key] === '' ? null : edited[key];
  }
  return changes;
}

export function UserProfileForm({ user, onSaved }: { user: User; onSaved(): void }) {
  const graph = useGraph();
  const access = useAccess();
  const canEdit = access.can(Actions.updateUsers);
  // License administrators may set the usage location (licensing needs it) and nothing else.
  const canSetLocation = canEdit || access.can(Actions.updateUsageLocation);
  const [saved, setSaved] = useState(() => profileOf(user));
  const form = useForm({ id: 'user-profile', initial: saved, apiFields: profileApiFields });

  const onSubmit = form.submit({
    doing: 'change this user',
    validate: (v) => validate(v, { ...profileRules([]), usageLocation: [countryCode] }),
    run: async (v) => {
      const edited = trimmed(v);
      const changes = changesBetween(saved, edited);
      if (Object.keys(changes).length === 0) return 'Nothing to save.';
      await updateUser(graph, user.id, changes);
      setSaved(edited);
      onSaved();
      return 'Saved.';
    },
  });

  const readOnly = !canEdit;
  return (
    <form className="form" onSubmit={onSubmit} noValidate data-testid="user-profile-form">
      <FormStatus form={form} note={!canSetLocation ? 'You can view this profile but not change it.' : !canEdit && 'Your role lets you change the usage location only.'} />
      <TextField label="Display name" required disabled={readOnly} {...form.text('displayName')} />
      <TextField label="User principal name" required disabled={readOnly} spellCheck={false} {...form.text('userPrincipalName')} />
      <div className="field-row">
        <TextField label="Given name" disabled={readOnly} {...form.text('givenName')} />
        <TextField label="Surname" disabled={readOnly} {...form.text('surname')} />
      </div>
      <div className="field-row">
        <TextField label="Job title" disabled={readOnly} {...form.text('jobTitle')} />
        <TextField label="Department" disabled={readOnly} {...form.text('department')} />
      </div>
      <CountryField label="Usage location" emptyLabel="Not set" disabled={!canSetLocation} {...form.text('usageLocation')} />
      {canSetLocation && <FormActions submitting={form.submitting} />}
    </form>
  );
}
