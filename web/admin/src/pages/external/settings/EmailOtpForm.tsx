import { useState } from 'react';
import { useAccess } from '../../../access/AccessContext.tsx';
import { Actions } from '../../../access/roles.ts';
import { FormActions, FormStatus } from '../../../forms/FormParts.tsx';
import { RadioGroupField } from '../../../forms/RadioGroupField.tsx';
import { useForm } from '../../../forms/useForm.ts';
import { useGraph } from '../../../graph/GraphContext.tsx';
import { type EmailOtpSetting, getEmailMethodConfiguration, updateEmailMethodConfiguration } from '../../../graph/policies.ts';
import { useResource } from '../../../hooks/useResource.ts';
import { LoadError } from '../../../ui/LoadError.tsx';
import { Loading } from '../../../ui/Loading.tsx';
import { emailOtpChoices } from '../externalRules.ts';

/** `emailAuthenticationMethodConfiguration.allowExternalIdToUseEmailOtp`. */
export function EmailOtpForm() {
  const graph = useGraph();
  const configuration = useResource((signal) => getEmailMethodConfiguration(graph, signal), [graph]);
  const { state } = configuration;
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <LoadError error={state.error} doing="view the one-time passcode setting" onRetry={configuration.reload} />;
  return <EmailOtpFields setting={state.data.allowExternalIdToUseEmailOtp} />;
}

function EmailOtpFields({ setting }: { setting: EmailOtpSetting }) {
  const graph = useGraph();
  const canEdit = useAccess().can(Actions.updateAuthenticationMethods);
  const [saved, setSaved] = useState({ allowExternalIdToUseEmailOtp: setting as string });
  const form = useForm({ id: 'email-otp', initial: saved, apiFields: { allowExternalIdToUseEmailOtp: 'allowExternalIdToUseEmailOtp' } });

  const onSubmit = form.submit({
    doing: 'change the one-time passcode setting',
    validate: () => ({}),
    run: async (v) => {
      if (v.allowExternalIdToUseEmailOtp === saved.allowExternalIdToUseEmailOtp) return 'Nothing to save.';
      await updateEmailMethodConfiguration(graph, v.allowExternalIdToUseEmailOtp as EmailOtpSetting);
      setSaved(v);
      return 'Saved.';
    },
  });

  return (
    <form className="form" onSubmit={onSubmit} noValidate data-testid="email-otp-form">
      <FormStatus form={form} note={!canEdit && 'You can view this setting but not change it.'} />
      <RadioGroupField
        id={form.fieldId('allowExternalIdToUseEmailOtp')}
        legend="Guests without a work account or identity provider of their own"
        hint="A one-time passcode is mailed to the guest's address each time they sign in."
        options={emailOtpChoices}
        value={form.values.allowExternalIdToUseEmailOtp as EmailOtpSetting}
        onChange={(value) => form.set('allowExternalIdToUseEmailOtp', value)}
        disabled={!canEdit}
        error={form.errors.allowExternalIdToUseEmailOtp}
      />
      {canEdit && <FormActions submitting={form.submitting} />}
    </form>
  );
}
