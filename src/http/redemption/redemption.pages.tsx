import { Actions, Alert, Button, Field, Form, PageHeading, usePage, type FieldErrors } from '../pages/index.ts';

/** The landing page of an invitation link: who invited you, to what, and "Sign in". */
export function InvitationPage({
  inviter,
  organization,
  invitedEmail,
  value,
  hidden,
  errors,
}: {
  inviter: string | null;
  organization: string;
  invitedEmail: string;
  value: string;
  hidden: Record<string, string>;
  errors?: FieldErrors;
}) {
  const { t } = usePage();
  return (
    <>
      <PageHeading title={t('redeem.title')} lead={inviter ? t('redeem.invitedBy', { inviter, organization }) : t('redeem.invitedByOrganization', { organization })} />
      <p>{t('redeem.invitedAddress', { email: invitedEmail })}</p>
      <Form action="/redeem" errors={errors}>
        {Object.entries(hidden).map(([name, fieldValue]) => (
          <input key={name} type="hidden" name={name} value={fieldValue} />
        ))}
        <Field name="email" type="email" label={t('redeem.emailLabel')} hint={t('redeem.emailHint')} value={value} autoComplete="username" inputMode="email" spellCheck={false} maxLength={254} autoFocus />
        <Actions>
          <Button>{t('redeem.signIn')}</Button>
        </Actions>
      </Form>
    </>
  );
}

/** A link that cannot be used (invalid, expired, used, blocked...): what happened and what to do. */
export function RedeemErrorPage({ message }: { message: string }) {
  const { t } = usePage();
  return (
    <>
      <PageHeading title={t('redeem.errorTitle')} />
      <Alert tone="error">{message}</Alert>
    </>
  );
}

/** After Cancel on Review permissions: nothing was shared. */
export function CancelledPage({ organization }: { organization: string }) {
  const { t } = usePage();
  return (
    <>
      <PageHeading title={t('redeem.cancelled.title')} />
      <Alert tone="info">{t('redeem.cancelled.lead', { organization })}</Alert>
    </>
  );
}
