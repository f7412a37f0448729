import { Actions, Alert, Button, Field, Form, PageHeading, usePage, type FieldErrors } from '../pages/index.ts';

/** (d) "Send a code to {address}": e-mail one-time passcode, or a personal account instead. */
export function EmailOtpPage({ organization, email, personalHref }: { organization: string; email: string; personalHref: string }) {
  const { t } = usePage();
  return (
    <>
      <PageHeading title={t('emailOtp.title')} lead={t('emailOtp.lead', { organization, email })} />
      <Form action="/federation/email/send">
        <Actions align="start">
          <Button>{t('emailOtp.send')}</Button>
        </Actions>
      </Form>
      <p>
        <a href={personalHref}>{t('emailOtp.usePersonal')}</a>
      </p>
    </>
  );
}

/** A six-digit code mailed to `email`; on failure, what went wrong and (when the code is dead) a new one. */
export function OtpCodePage({ email, minutes, errors, resend }: { email: string; minutes: number; errors?: FieldErrors; resend?: boolean }) {
  const { t } = usePage();
  return (
    <>
      <PageHeading title={t('emailOtp.codeTitle')} lead={t('emailOtp.codeLead', { email, minutes })} />
      {resend ? (
        <>
          <Alert tone="error">{errors?.code}</Alert>
          <Form action="/federation/email/send">
            <Actions align="start">
              <Button>{t('emailOtp.sendAgain')}</Button>
            </Actions>
          </Form>
        </>
      ) : (
        <Form action="/federation/email/code" errors={errors}>
          <Field name="code" label={t('emailOtp.codeLabel')} autoComplete="one-time-code" inputMode="numeric" spellCheck={false} maxLength={16} autoFocus />
          <Actions>
            <Button>{t('emailOtp.verify')}</Button>
          </Actions>
        </Form>
      )}
    </>
  );
}

/** Home sign-in ended without an identity (an error at home, a failed check, a lost cookie). */
export function HomeFailedPage({ message, retryHref }: { message: string; retryHref: string | null }) {
  const { t } = usePage();
  return (
    <>
      <PageHeading title={t('federation.failed.title')} />
      <Alert tone="error">{message}</Alert>
      {retryHref && (
        <p>
          <Button href={retryHref}>{t('federation.failed.tryAgain')}</Button>
        </p>
      )}
    </>
  );
}

/**
 * A hop to another page sent as a page (with a `Refresh: 0` header) instead of a redirect: the
 * browser then starts a new navigation, so the `form-action` policy of the form that began the
 * chain (which cannot know where a home sign-in ends: another origin's provider, or the client
 * app of the inviting tenant) does not apply to the rest of the way. The link is for browsers
 * that ignore the header.
 */
export function ContinuePage({ href }: { href: string }) {
  const { t } = usePage();
  return (
    <>
      <PageHeading title={t('federation.continue.title')} lead={t('federation.continue.lead')} />
      <p>
        <Button href={href}>{t('federation.continue.link')}</Button>
      </p>
    </>
  );
}
