import { useState } from 'react';
import { useAccess } from '../../../access/AccessContext.tsx';
import { Actions } from '../../../access/roles.ts';
import { TextAreaField, TextField } from '../../../forms/Fields.tsx';
import { FormActions, FormStatus } from '../../../forms/FormParts.tsx';
import { useForm } from '../../../forms/useForm.ts';
import { httpsUrl, maxLength, required, validate } from '../../../forms/validators.ts';
import type { Application } from '../../../graph/applicationTypes.ts';
import { type ApplicationChanges, updateApplication } from '../../../graph/applications.ts';
import { useGraph } from '../../../graph/GraphContext.tsx';
import { Section } from '../../../ui/Section.tsx';
import { PublisherBadge } from '../../enterprise-apps/PublisherBadge.tsx';

const rules = {
  displayName: [required('Name'), maxLength(256)],
  description: [maxLength(1024)],
  homePageUrl: [httpsUrl, maxLength(2048)],
  termsOfServiceUrl: [httpsUrl, maxLength(2048)],
  privacyStatementUrl: [httpsUrl, maxLength(2048)],
};

/** API errors name Graph's properties; `info.*` and `web.homePageUrl` go to their fields. */
const apiFields = {
  displayName: 'displayName',
  description: 'description',
  homePageUrl: 'homePageUrl',
  termsOfServiceUrl: 'termsOfServiceUrl',
  privacyStatementUrl: 'privacyStatementUrl',
} as const;

function valuesOf(application: Application) {
  return {
    displayName: application.displayName,
    description: application.description ?? '',
    homePageUrl: application.web?.homePageUrl ?? '',
    termsOfServiceUrl: application.info?.termsOfServiceUrl ?? '',
    privacyStatementUrl: application.info?.privacyStatementUrl ?? '',
  };
}

/** Entra's "Branding & properties": the name and links users see on the consent prompt. */
export function BrandingTab({ application, onChanged }: { application: Application; onChanged(): void }) {
  const graph = useGraph();
  const canEdit = useAccess().can(Actions.updateApplications);
  const [saved, setSaved] = useState(() => valuesOf(application));
  const form = useForm({ id: 'app-branding', initial: saved, apiFields });

  const onSubmit = form.submit({
    doing: 'change app registrations',
    validate: (v) => validate(v, rules),
    run: async (v) => {
      const edited = {
        displayName: v.displayName.trim(),
        description: v.description.trim(),
        homePageUrl: v.homePageUrl.trim(),
        termsOfServiceUrl: v.termsOfServiceUrl.trim(),
        privacyStatementUrl: v.privacyStatementUrl.trim(),
      };
      const orNull = (text: string) => (text === '' ? null : text);
      const changes: ApplicationChanges = {};
      if (edited.displayName !== saved.displayName) changes.displayName = edited.displayName;
      if (edited.description !== saved.description) changes.description = orNull(edited.description);
      if (edited.homePageUrl !== saved.homePageUrl) changes.web = { homePageUrl: orNull(edited.homePageUrl) };
      if (edited.termsOfServiceUrl !== saved.termsOfServiceUrl || edited.privacyStatementUrl !== saved.privacyStatementUrl) {
        // the API keeps the links this page does not edit (marketing, support) as they are
        changes.info = { termsOfServiceUrl: orNull(edited.termsOfServiceUrl), privacyStatementUrl: orNull(edited.privacyStatementUrl) };
      }
      if (Object.keys(changes).length === 0) return 'Nothing to save.';
      await updateApplication(graph, application.id, changes);
      setSaved(edited);
      onChanged();
      return 'Saved.';
    },
  });

  return (
    <>
      <Section title="Branding & properties" testId="app-branding">
        <form className="form" onSubmit={onSubmit} noValidate data-testid="app-branding-form">
          <FormStatus form={form} note={!canEdit && 'You can view this registration but not change it.'} />
          <TextField label="Name" required disabled={!canEdit} {...form.text('displayName')} />
          <TextAreaField label="Description" rows={2} disabled={!canEdit} {...form.text('description')} />
          <TextField label="Home page URL" type="url" disabled={!canEdit} spellCheck={false} {...form.text('homePageUrl')} />
          <TextField label="Terms of service URL" type="url" hint="Shown to users on the consent prompt." disabled={!canEdit} spellCheck={false} {...form.text('termsOfServiceUrl')} />
          <TextField label="Privacy statement URL" type="url" hint="Shown to users on the consent prompt." disabled={!canEdit} spellCheck={false} {...form.text('privacyStatementUrl')} />
          {canEdit && <FormActions submitting={form.submitting} />}
        </form>
      </Section>
      <Section title="Publisher" testId="app-publisher">
        <dl className="properties">
          <dt>Publisher domain</dt>
          <dd>{application.publisherDomain ?? ''}</dd>
          <dt>Publisher verification</dt>
          <dd>
            <PublisherBadge name={application.verifiedPublisher?.displayName ?? null} verified={Boolean(application.verifiedPublisher?.verifiedPublisherId)} />
          </dd>
        </dl>
        <p className="form-note">A server administrator verifies publishers with the command line (tessera app verify-publisher).</p>
      </Section>
    </>
  );
}
