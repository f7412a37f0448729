import { useState } from 'react';
import { CheckboxField, CountryField, TextField } from '../../forms/Fields.tsx';
import { FormActions, FormStatus } from '../../forms/FormParts.tsx';
import { MailNicknameField, useSuggestedNickname } from '../../forms/MailNicknameField.tsx';
import { generatePassword } from '../../forms/passwords.ts';
import { useForm } from '../../forms/useForm.ts';
import { countryCode, mailNickname, password, required, validate } from '../../forms/validators.ts';
import { useGraph } from '../../graph/GraphContext.tsx';
import type { NewUser, Organization } from '../../graph/types.ts';
import { createUser } from '../../graph/users.ts';
import { useNavigate } from '../../router/Router.tsx';
import { paths } from '../../router/routes.ts';
import { Button } from '../../ui/Button.tsx';
import { profileApiFields, profileRules } from './userRules.ts';

/** Sets optional string properties only when filled in, so Graph keeps its own defaults for the rest. */
function optional(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

interface NewUserValues extends Record<string, string | boolean> {
  displayName: string;
  userPrincipalName: string;
  mailNickname: string;
  password: string;
  forceChangePasswordNextSignIn: boolean;
  accountEnabled: boolean;
  givenName: string;
  surname: string;
  jobTitle: string;
  department: string;
  usageLocation: string;
}

export function NewUserForm({ organization }: { organization: Organization | null }) {
  const graph = useGraph();
  const navigate = useNavigate();
  const domains = organization?.verifiedDomains.map((domain) => domain.name) ?? [];
  const defaultDomain = organization?.verifiedDomains.find((domain) => domain.isDefault)?.name ?? domains[0];
  const [initialPassword] = useState(generatePassword);

  const form = useForm<NewUserValues>({
    id: 'new-user',
    initial: {
      displayName: '',
      userPrincipalName: '',
      mailNickname: '',
      password: initialPassword,
      forceChangePasswordNextSignIn: true,
      accountEnabled: true,
      givenName: '',
      surname: '',
      jobTitle: '',
      department: '',
      usageLocation: organization?.countryLetterCode ?? '',
    },
    apiFields: { ...profileApiFields, mailNickname: 'mailNickname', passwordProfile: 'password', password: 'password' },
  });
  const { values, set } = form;
  // The nickname follows the alias of the user principal name.
  const nickname = useSuggestedNickname((value) => set('mailNickname', value));

  const setUpn = (upn: string) => {
    set('userPrincipalName', upn);
    nickname.follow(upn.split('@')[0] ?? '');
  };

  const onSubmit = form.submit({
    doing: 'create users',
    validate: (v) =>
      validate(v, {
        ...profileRules(domains),
        mailNickname: [required('Mail nickname'), mailNickname],
        password: [required('Password'), password],
        usageLocation: [countryCode],
      }),
    run: async (v) => {
      const user: NewUser = {
        accountEnabled: v.accountEnabled,
        displayName: v.displayName.trim(),
        mailNickname: v.mailNickname.trim(),
        userPrincipalName: v.userPrincipalName.trim(),
        passwordProfile: { password: v.password, forceChangePasswordNextSignIn: v.forceChangePasswordNextSignIn },
        usageLocation: optional(v.usageLocation),
        givenName: optional(v.givenName),
        surname: optional(v.surname),
        jobTitle: optional(v.jobTitle),
        department: optional(v.department),
      };
      const created = await createUser(graph, user);
      navigate(paths.user(created.id), { notice: `${created.displayName ?? user.displayName} was created.` });
    },
  });

  return (
    <form className="form" onSubmit={onSubmit} noValidate data-testid="new-user-form">
      <FormStatus form={form} />
      <fieldset>
        <legend>Identity</legend>
        <TextField label="Display name" required autoComplete="off" {...form.text('displayName')} />
        <TextField
          label="User principal name"
          required
          autoComplete="off"
          spellCheck={false}
          hint={defaultDomain ? `The sign-in name, such as alex@${defaultDomain}.` : 'The sign-in name, such as alex@example.com.'}
          {...form.text('userPrincipalName')}
          onChange={setUpn}
          // An alias alone gets the default domain, which is what is meant nearly every time.
          onBlur={() => {
            if (defaultDomain && values.userPrincipalName.trim() !== '' && !values.userPrincipalName.includes('@')) {
              setUpn(`${values.userPrincipalName.trim()}@${defaultDomain}`);
            }
          }}
        />
        <MailNicknameField hint="The e-mail alias; filled in from the user principal name." {...form.text('mailNickname')} onChange={nickname.edit} />
      </fieldset>
      <fieldset>
        <legend>Password</legend>
        <TextField
          label="Password"
          required
          autoComplete="off"
          spellCheck={false}
          hint="A temporary password to give to the user. 8 or more characters from three of: lower case, upper case, digits, symbols."
          {...form.text('password')}
          after={<Button onClick={() => set('password', generatePassword())}>Generate</Button>}
        />
        <CheckboxField
          id={form.fieldId('forceChangePasswordNextSignIn')}
          label="Require a change at next sign-in"
          checked={values.forceChangePasswordNextSignIn}
          onChange={(checked) => set('forceChangePasswordNextSignIn', checked)}
        />
        <CheckboxField
          id={form.fieldId('accountEnabled')}
          label="Account enabled"
          checked={values.accountEnabled}
          onChange={(checked) => set('accountEnabled', checked)}
        />
      </fieldset>
      <fieldset>
        <legend>Profile</legend>
        <div className="field-row">
          <TextField label="Given name" autoComplete="off" {...form.text('givenName')} />
          <TextField label="Surname" autoComplete="off" {...form.text('surname')} />
        </div>
        <div className="field-row">
          <TextField label="Job title" autoComplete="off" {...form.text('jobTitle')} />
          <TextField label="Department" autoComplete="off" {...form.text('department')} />
        </div>
        <CountryField label="Usage location" emptyLabel="Not set" hint="Needed before licenses can be assigned." {...form.text('usageLocation')} />
      </fieldset>
      <FormActions submitting={form.submitting} label="Create" cancelTo={paths.users} />
    </form>
  );
}
