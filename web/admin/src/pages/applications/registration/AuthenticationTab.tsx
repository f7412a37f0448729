import { type FormEvent, useId, useState } from 'react';
import { useAccess } from '../../../access/AccessContext.tsx';
import { Actions } from '../../../access/roles.ts';
import { FormActions, FormStatus } from '../../../forms/FormParts.tsx';
import { RadioGroupField } from '../../../forms/RadioGroupField.tsx';
import { useForm } from '../../../forms/useForm.ts';
import type { Application, Platform } from '../../../graph/applicationTypes.ts';
import { type ApplicationChanges, platforms, updateApplication } from '../../../graph/applications.ts';
import { useGraph } from '../../../graph/GraphContext.tsx';
import { Button } from '../../../ui/Button.tsx';
import { Section } from '../../../ui/Section.tsx';
import { addRedirectUri, audienceChoices, redirectUrisOf } from '../appRules.ts';
import { OutcomeAlert, useRunner } from '../useRunner.tsx';

/** A platform's new redirect URIs; the API keeps the other properties of `web` (home page, logout URL) as they are. */
function platformChange(platform: Platform, redirectUris: string[]): ApplicationChanges {
  if (platform === 'web') return { web: { redirectUris } };
  return platform === 'spa' ? { spa: { redirectUris } } : { publicClient: { redirectUris } };
}

/** Entra's Authentication page: redirect URIs per platform, and who may sign in. */
export function AuthenticationTab({ application, onChanged }: { application: Application; onChanged(): void }) {
  const canEdit = useAccess().can(Actions.updateApplications);
  return (
    <>
      {!canEdit && <p className="form-note">You can view this registration but not change it.</p>}
      {platforms.map((platform) => (
        <RedirectUrisSection key={platform.value} application={application} platform={platform.value} label={platform.label} hint={platform.hint} canEdit={canEdit} onChanged={onChanged} />
      ))}
      <Section title="Supported account types" testId="app-audience">
        <AudienceForm application={application} canEdit={canEdit} onChanged={onChanged} />
      </Section>
    </>
  );
}

function RedirectUrisSection(props: { application: Application; platform: Platform; label: string; hint: string; canEdit: boolean; onChanged(): void }) {
  const { application, platform, label, hint, canEdit, onChanged } = props;
  const graph = useGraph();
  const runner = useRunner();
  const inputId = useId();
  const [typed, setTyped] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const uris = redirectUrisOf(application, platform);

  const save = (key: string, next: string[], message: string) =>
    runner.run(key, 'change redirect URIs', async () => {
      await updateApplication(graph, application.id, platformChange(platform, next));
      onChanged();
      return message;
    });

  const add = async (event: FormEvent) => {
    event.preventDefault();
    const result = addRedirectUri(application, platform, typed);
    if ('problem' in result) {
      setProblem(result.problem);
      return;
    }
    setProblem(null);
    if (await save('add', result.uris, `Added ${typed.trim()}.`)) setTyped('');
  };

  return (
    <Section title={label} testId={`redirect-uris-${platform}`}>
      <p className="field-hint">{hint}</p>
      <OutcomeAlert outcome={runner.outcome} testId={`redirect-uris-${platform}-outcome`} />
      {uris.length === 0 ? (
        <p className="empty">No redirect URIs for this platform.</p>
      ) : (
        <ul className="item-list" aria-label={`${label} redirect URIs`}>
          {uris.map((uri) => (
            <li key={uri}>
              <span className="break mono">{uri}</span>
              {canEdit && (
                <Button
                  variant="ghost"
                  busy={runner.busy === uri}
                  disabled={runner.busy !== null}
                  aria-label={`Remove ${uri}`}
                  onClick={() => void save(uri, uris.filter((u) => u !== uri), `Removed ${uri}.`)}
                >
                  Remove
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canEdit && (
        <form className="inline-form" onSubmit={(event) => void add(event)} noValidate>
          <div className={`field${problem ? ' field-invalid' : ''}`}>
            <label htmlFor={inputId}>Add a redirect URI</label>
            <div className="field-control">
              <input
                id={inputId}
                type="url"
                value={typed}
                onChange={(event) => {
                  setTyped(event.target.value);
                  setProblem(null);
                }}
                spellCheck={false}
                autoComplete="off"
                placeholder={platform === 'publicClient' ? `msal${application.appId}://auth` : 'https://app.contoso.com/signin-oidc'}
                aria-invalid={problem ? true : undefined}
                aria-describedby={problem ? `${inputId}-error` : undefined}
                data-testid={`redirect-uri-${platform}-input`}
              />
              <Button type="submit" busy={runner.busy === 'add'} disabled={runner.busy !== null} data-testid={`redirect-uri-${platform}-add`}>
                Add
              </Button>
            </div>
            {problem && (
              <p className="field-error" id={`${inputId}-error`} data-testid={`redirect-uri-${platform}-error`}>
                {problem}
              </p>
            )}
          </div>
        </form>
      )}
    </Section>
  );
}

function AudienceForm({ application, canEdit, onChanged }: { application: Application; canEdit: boolean; onChanged(): void }) {
  const graph = useGraph();
  const [saved, setSaved] = useState({ signInAudience: application.signInAudience as string });
  const form = useForm({ id: 'app-audience', initial: saved, apiFields: { signInAudience: 'signInAudience' } });
  const known = audienceChoices.some((choice) => choice.value === form.values.signInAudience);
  const options = known ? audienceChoices : [...audienceChoices, { value: form.values.signInAudience as (typeof audienceChoices)[number]['value'], label: form.values.signInAudience }];

  const onSubmit = form.submit({
    doing: 'change app registrations',
    validate: () => ({}),
    run: async (v) => {
      if (v.signInAudience === saved.signInAudience) return 'Nothing to save.';
      await updateApplication(graph, application.id, { signInAudience: v.signInAudience as Application['signInAudience'] });
      setSaved(v);
      onChanged();
      return 'Saved.';
    },
  });

  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <FormStatus form={form} />
      <RadioGroupField
        id={form.fieldId('signInAudience')}
        legend="Who can use this application or access this API?"
        options={options}
        value={form.values.signInAudience as (typeof audienceChoices)[number]['value']}
        onChange={(value) => form.set('signInAudience', value)}
        disabled={!canEdit}
        error={form.errors.signInAudience}
      />
      {canEdit && <FormActions submitting={form.submitting} />}
    </form>
  );
}
