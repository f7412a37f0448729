import { SelectField, TextField } from '../../forms/Fields.tsx';
import { FormActions, FormStatus } from '../../forms/FormParts.tsx';
import { RadioGroupField } from '../../forms/RadioGroupField.tsx';
import { useForm } from '../../forms/useForm.ts';
import { maxLength, required, validate } from '../../forms/validators.ts';
import type { Platform, SignInAudience } from '../../graph/applicationTypes.ts';
import { createApplication, type NewApplication, platforms } from '../../graph/applications.ts';
import { useGraph } from '../../graph/GraphContext.tsx';
import { appPaths } from '../../router/appRoutes.ts';
import { useNavigate } from '../../router/Router.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { audienceChoices, checkRedirectUri } from './appRules.ts';

const apiFields = { displayName: 'displayName', signInAudience: 'signInAudience', redirectUris: 'redirectUri' } as const;

/** Entra's "Register an application": name, who may sign in, and optionally the first redirect URI. */
export function NewAppRegistrationPage() {
  const graph = useGraph();
  const navigate = useNavigate();
  const form = useForm({
    id: 'new-app',
    initial: { displayName: '', signInAudience: 'AzureADMyOrg' as string, platform: 'web' as string, redirectUri: '' },
    apiFields,
  });
  const { values } = form;

  const onSubmit = form.submit({
    doing: 'register applications',
    validate: (v) => {
      const errors = validate(v, { displayName: [required('Name'), maxLength(256)] });
      const uri = v.redirectUri.trim();
      const problem = uri === '' ? null : checkRedirectUri(uri, v.platform as Platform);
      return problem ? { ...errors, redirectUri: problem } : errors;
    },
    run: async (v) => {
      const uri = v.redirectUri.trim();
      const body: NewApplication = { displayName: v.displayName.trim(), signInAudience: v.signInAudience as SignInAudience };
      if (uri !== '') body[v.platform as Platform] = { redirectUris: [uri] };
      // The API creates the app's enterprise application (service principal) here with it, as Entra's portal does.
      const application = await createApplication(graph, body);
      navigate(appPaths.appRegistration(application.id), { notice: `${application.displayName} was registered.` });
    },
  });

  return (
    <>
      <PageHeader title="Register an application" back={{ to: appPaths.appRegistrations, label: 'App registrations' }} />
      <form className="form" onSubmit={onSubmit} noValidate data-testid="new-app-form">
        <FormStatus form={form} />
        <TextField label="Name" required autoComplete="off" hint="The user-facing display name; you can change it later." {...form.text('displayName')} />
        <RadioGroupField
          id={form.fieldId('signInAudience')}
          legend="Supported account types"
          hint="Who can use this application or access this API."
          options={audienceChoices}
          value={values.signInAudience as (typeof audienceChoices)[number]['value']}
          onChange={(value) => form.set('signInAudience', value)}
          error={form.errors.signInAudience}
        />
        <fieldset className="field-group">
          <legend>Redirect URI (optional)</legend>
          <p className="field-hint">Where the authentication response goes after a user signs in. You can add more under Authentication.</p>
          <div className="field-row">
            <SelectField label="Platform" {...form.text('platform')}>
              {platforms.map((platform) => (
                <option key={platform.value} value={platform.value}>
                  {platform.label}
                </option>
              ))}
            </SelectField>
            <TextField label="Redirect URI" type="url" placeholder="https://app.contoso.com/signin-oidc" spellCheck={false} autoComplete="off" {...form.text('redirectUri')} />
          </div>
        </fieldset>
        <FormActions submitting={form.submitting} label="Register" cancelTo={appPaths.appRegistrations} />
      </form>
    </>
  );
}
