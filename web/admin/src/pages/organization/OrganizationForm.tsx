import { useState } from 'react';
import { useAccess } from '../../access/AccessContext.tsx';
import { Actions } from '../../access/roles.ts';
import { CountryField, TextField } from '../../forms/Fields.tsx';
import { FormActions, FormStatus } from '../../forms/FormParts.tsx';
import { useForm } from '../../forms/useForm.ts';
import { countryCode, email, httpUrl, maxLength, required, validate } from '../../forms/validators.ts';
import { useGraph } from '../../graph/GraphContext.tsx';
import { type OrganizationChanges, updateOrganization } from '../../graph/organization.ts';
import type { Organization } from '../../graph/types.ts';

function propertiesOf(organization: Organization) {
  return {
    displayName: organization.displayName,
    countryLetterCode: organization.countryLetterCode ?? '',
    privacyStatementUrl: organization.privacyProfile?.statementUrl ?? '',
    privacyContactEmail: organization.privacyProfile?.contactEmail ?? '',
    technicalContactEmail: organization.technicalNotificationMails?.[0] ?? '',
  };
}

type Properties = ReturnType<typeof propertiesOf>;

/** Graph property → form field; privacyProfile's members are named on their own in the API's messages. */
const apiFields = {
  displayName: 'displayName',
  countryLetterCode: 'countryLetterCode',
  statementUrl: 'privacyStatementUrl',
  contactEmail: 'privacyContactEmail',
  technicalNotificationMails: 'technicalContactEmail',
} as const;

export function OrganizationForm({ organization }: { organization: Organization }) {
  const graph = useGraph();
  const canEdit = useAccess().can(Actions.updateOrganization);
  const [saved, setSaved] = useState(() => propertiesOf(organization));
  // The form edits the first technical contact; any further addresses set through the API are kept.
  const [otherTechnicalMails] = useState(() => organization.technicalNotificationMails?.slice(1) ?? []);
  const form = useForm({ id: 'organization', initial: saved, apiFields });

  const changesFrom = (edited: Properties): OrganizationChanges => {
    const changes: OrganizationChanges = {};
    if (edited.displayName !== saved.displayName) changes.displayName = edited.displayName;
    if (edited.countryLetterCode !== saved.countryLetterCode) changes.countryLetterCode = edited.countryLetterCode || null;
    if (edited.privacyStatementUrl !== saved.privacyStatementUrl || edited.privacyContactEmail !== saved.privacyContactEmail) {
      changes.privacyProfile = { statementUrl: edited.privacyStatementUrl || null, contactEmail: edited.privacyContactEmail || null };
    }
    if (edited.technicalContactEmail !== saved.technicalContactEmail) {
      changes.technicalNotificationMails = edited.technicalContactEmail ? [edited.technicalContactEmail, ...otherTechnicalMails] : otherTechnicalMails;
    }
    return changes;
  };

  const onSubmit = form.submit({
    doing: 'change the organization',
    validate: (v) =>
      validate(v, {
        displayName: [required('Name'), maxLength(256)],
        countryLetterCode: [countryCode],
        privacyStatementUrl: [httpUrl],
        privacyContactEmail: [email],
        technicalContactEmail: [email],
      }),
    run: async (v) => {
      const edited = Object.fromEntries(Object.entries(v).map(([key, value]) => [key, value.trim()])) as Properties;
      const changes = changesFrom(edited);
      if (Object.keys(changes).length === 0) return 'Nothing to save.';
      await updateOrganization(graph, organization.id, changes);
      setSaved(edited);
      return 'Saved.';
    },
  });

  return (
    <form className="form" onSubmit={onSubmit} noValidate data-testid="organization-form">
      <FormStatus form={form} note={!canEdit && 'You can view these properties but not change them.'} />
      <TextField label="Name" required disabled={!canEdit} autoComplete="organization" {...form.text('displayName')} />
      <CountryField label="Country or region" emptyLabel="Not set" disabled={!canEdit} hint="Also the default usage location of new users." {...form.text('countryLetterCode')} />
      <TextField
        label="Privacy statement URL"
        type="url"
        inputMode="url"
        disabled={!canEdit}
        spellCheck={false}
        hint="Shown to guests when they accept an invitation."
        {...form.text('privacyStatementUrl')}
      />
      <TextField label="Privacy contact e-mail" type="email" inputMode="email" disabled={!canEdit} spellCheck={false} {...form.text('privacyContactEmail')} />
      <TextField
        label="Technical contact e-mail"
        type="email"
        inputMode="email"
        disabled={!canEdit}
        spellCheck={false}
        hint="Receives notices about the directory service."
        {...form.text('technicalContactEmail')}
      />
      {canEdit && <FormActions submitting={form.submitting} />}
    </form>
  );
}
