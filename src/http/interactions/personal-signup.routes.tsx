import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Container } from '../../container.ts';
import { isEmail } from '../../kernel/body.ts';
import { AppError, isAppError } from '../../kernel/errors.ts';
import { passwordProblem } from '../../kernel/passwords.ts';
import { EMAIL_CODE_LIMITS } from '../../modules/federation/index.ts';
import { Actions, Alert, Button, Field, Form, PageHeading, usePage, verifyCsrf, type FieldErrors } from '../pages/index.ts';
import { type Interaction, interactionTools, loginResult } from './interaction.ts';

/** Limits of the account form, as data: Graph's displayName limit; passwords as everywhere (8-256). */
export const PERSONAL_ACCOUNT_LIMITS = { displayName: 256, password: 256, code: 16, email: 254 } as const;

/** "There's no account for {email} yet": send a code to create one. */
export function CreateAccountPage({ email, action, useAnotherHref, error }: { email: string; action: string; useAnotherHref: string; error?: string }) {
  const { t } = usePage();
  return (
    <>
      <PageHeading title={t('personal.create.title')} lead={t('personal.create.lead', { email })} />
      {error && <Alert tone="error">{error}</Alert>}
      <Form action={action}>
        <input type="hidden" name="email" value={email} />
        <Actions align="start">
          <Button>{t('personal.create.send')}</Button>
        </Actions>
      </Form>
      <p>
        <a href={useAnotherHref}>{t('personal.create.useAnother')}</a>
      </p>
    </>
  );
}

function SignupCodePage({ email, action, resendAction, errors, resend }: { email: string; action: string; resendAction: string; errors?: FieldErrors; resend?: boolean }) {
  const { t } = usePage();
  return (
    <>
      <PageHeading title={t('personal.code.title')} lead={t('personal.code.lead', { email, minutes: EMAIL_CODE_LIMITS.validMinutes })} />
      {resend ? (
        <>
          <Alert tone="error">{errors?.code}</Alert>
          <Form action={resendAction}>
            <input type="hidden" name="email" value={email} />
            <Actions align="start">
              <Button>{t('emailOtp.sendAgain')}</Button>
            </Actions>
          </Form>
        </>
      ) : (
        <Form action={action} errors={errors}>
          <Field name="code" label={t('emailOtp.codeLabel')} autoComplete="one-time-code" inputMode="numeric" spellCheck={false} maxLength={PERSONAL_ACCOUNT_LIMITS.code} autoFocus />
          <Actions>
            <Button>{t('personal.code.submit')}</Button>
          </Actions>
        </Form>
      )}
    </>
  );
}

function DetailsPage({ email, action, value, errors }: { email: string; action: string; value?: string; errors?: FieldErrors }) {
  const { t } = usePage();
  return (
    <>
      <PageHeading title={t('personal.details.title')} lead={t('personal.details.lead', { email })} />
      <Form action={action} errors={errors}>
        <input type="text" name="username" value={email} autoComplete="username" readOnly hidden />
        <Field name="displayName" label={t('personal.details.nameLabel')} value={value} autoComplete="name" maxLength={PERSONAL_ACCOUNT_LIMITS.displayName} autoFocus />
        <Field name="newPassword" type="password" label={t('personal.details.passwordLabel')} hint={t('signIn.passwordRules')} autoComplete="new-password" maxLength={PERSONAL_ACCOUNT_LIMITS.password} />
        <Field name="confirmPassword" type="password" label={t('personal.details.confirmLabel')} autoComplete="new-password" maxLength={PERSONAL_ACCOUNT_LIMITS.password} />
        <Actions>
          <Button>{t('personal.details.submit')}</Button>
        </Actions>
      </Form>
    </>
  );
}

/**
 * "Create account" in the personal-accounts tenant's sign-in (issue 15 item 3c): for an address
 * with no account, a 6-digit code is mailed to it (its hash stored, 10 minutes, 3 tries, limited
 * per address and per IP), then name and password make an account (creationType EmailVerified)
 * and the sign-in completes as it. The progress is kept on the interaction, server-side. Only the
 * personal-accounts tenant has these pages; elsewhere they answer 404.
 */
export const personalSignupRoutes: FastifyPluginAsync<{ container: Container }> = async (app, { container }) => {
  const { load, clientOrigins, finish, at } = interactionTools(container);
  const { federation } = container;
  const limit = { rateLimit: { max: container.config.rateLimits.signIn, timeWindow: '1 minute' } };

  async function personal(request: FastifyRequest, reply: FastifyReply): Promise<Interaction> {
    const { scope, interaction } = await load(request, reply);
    // only the personal-accounts tenant makes accounts for strangers
    if (!federation.isPersonalTenant(scope.tenantId)) throw new AppError('notFound', 'signIn.noSignup', 'Not found.');
    return interaction;
  }

  const codePage = (request: FastifyRequest, reply: FastifyReply, interaction: Interaction, email: string, status = 200, error?: string, resend = false) =>
    reply.page(<SignupCodePage email={email} action={at(request, interaction, '/signup/code')} resendAction={at(request, interaction, '/signup')} errors={error ? { code: error } : undefined} resend={resend} />, {
      status,
      title: request.t('personal.code.title'),
    });

  app.post('/:tenant/interaction/:uid/signup', { preHandler: verifyCsrf, config: limit }, async (request, reply) => {
    const interaction = await personal(request, reply);
    const email = String((request.body as Record<string, unknown>).email ?? '').trim().toLowerCase();
    if (!email || email.length > PERSONAL_ACCOUNT_LIMITS.email || !isEmail(email)) return reply.redirect(at(request, interaction, '/username'), 303);
    const page = (status: number, error: string) =>
      reply.page(<CreateAccountPage email={email} action={at(request, interaction, '/signup')} useAnotherHref={at(request, interaction, '/username')} error={error} />, { status, title: request.t('personal.create.title') });
    let codeId: string;
    try {
      codeId = await federation.sendSignupCode(email, request.locale);
    } catch (error) {
      if (isAppError(error) && error.kind === 'throttled') return page(429, request.t('emailOtp.error.tooMany'));
      if (isAppError(error) && error.code === 'federation.accountExists') return page(409, request.t('personal.error.accountExists'));
      throw error;
    }
    interaction.result = { signup: { email, codeId, verified: false } };
    await interaction.persist();
    return reply.redirect(at(request, interaction, '/signup/code'), 303);
  });

  app.get('/:tenant/interaction/:uid/signup/code', async (request, reply) => {
    const interaction = await personal(request, reply);
    const signup = interaction.result?.signup;
    if (!signup?.codeId) return reply.redirect(at(request, interaction, '/username'), 303);
    return codePage(request, reply, interaction, signup.email);
  });

  app.post('/:tenant/interaction/:uid/signup/code', { preHandler: verifyCsrf, config: limit }, async (request, reply) => {
    const interaction = await personal(request, reply);
    const signup = interaction.result?.signup;
    if (!signup?.codeId) return reply.redirect(at(request, interaction, '/username'), 303);
    const code = String((request.body as Record<string, unknown>).code ?? '').trim().slice(0, PERSONAL_ACCOUNT_LIMITS.code);
    if (!code) return codePage(request, reply, interaction, signup.email, 400, request.t('emailOtp.error.codeRequired'));
    const check = await federation.verifySignupCode({ codeId: signup.codeId, email: signup.email, code });
    if (check === 'ok') {
      interaction.result = { signup: { ...signup, verified: true } };
      await interaction.persist();
      return reply.redirect(at(request, interaction, '/signup/details'), 303);
    }
    if (check === 'wrong') return codePage(request, reply, interaction, signup.email, 400, request.t('emailOtp.error.wrong'));
    return codePage(request, reply, interaction, signup.email, 400, request.t(check === 'exhausted' ? 'emailOtp.error.exhausted' : 'emailOtp.error.expired'), true);
  });

  const detailsPage = (request: FastifyRequest, reply: FastifyReply, interaction: Interaction, email: string, value?: string, errors?: FieldErrors) =>
    reply.page(<DetailsPage email={email} action={at(request, interaction, '/signup/details')} value={value} errors={errors} />, {
      status: errors ? 400 : 200,
      title: request.t('personal.details.title'),
      formActionOrigins: clientOrigins(interaction),
    });

  app.get('/:tenant/interaction/:uid/signup/details', async (request, reply) => {
    const interaction = await personal(request, reply);
    const signup = interaction.result?.signup;
    if (!signup?.verified) return reply.redirect(at(request, interaction, '/username'), 303);
    return detailsPage(request, reply, interaction, signup.email);
  });

  app.post('/:tenant/interaction/:uid/signup/details', { preHandler: verifyCsrf, config: limit }, async (request, reply) => {
    const interaction = await personal(request, reply);
    const signup = interaction.result?.signup;
    if (!signup?.verified || !signup.codeId) return reply.redirect(at(request, interaction, '/username'), 303);
    const body = request.body as Record<string, unknown>;
    const displayName = typeof body.displayName === 'string' ? body.displayName.trim() : '';
    const newPassword = typeof body.newPassword === 'string' ? body.newPassword : '';
    const confirmPassword = typeof body.confirmPassword === 'string' ? body.confirmPassword : '';
    const errors = {
      displayName: !displayName ? request.t('personal.error.nameRequired') : displayName.length > PERSONAL_ACCOUNT_LIMITS.displayName ? request.t('personal.error.nameTooLong') : undefined,
      newPassword: !newPassword ? request.t('signIn.error.newPasswordRequired') : passwordProblem(newPassword) ? request.t('signIn.error.passwordTooWeak') : undefined,
      confirmPassword: !confirmPassword
        ? request.t('signIn.error.confirmPasswordRequired')
        : newPassword && confirmPassword !== newPassword
          ? request.t('signIn.error.passwordMismatch')
          : undefined,
    };
    if (errors.displayName || errors.newPassword || errors.confirmPassword) return detailsPage(request, reply, interaction, signup.email, displayName.slice(0, PERSONAL_ACCOUNT_LIMITS.displayName), errors);
    try {
      const user = await federation.createPersonalAccount({ codeId: signup.codeId, email: signup.email, displayName, password: newPassword });
      return await finish(reply, interaction, loginResult(interaction, user.id));
    } catch (error) {
      if (!isAppError(error)) throw error;
      if (error.code === 'federation.accountExists' || error.code === 'directory.duplicateUpn') return detailsPage(request, reply, interaction, signup.email, displayName, { displayName: request.t('personal.error.accountExists') });
      if (error.code === 'federation.codeExpired') return codePage(request, reply, interaction, signup.email, 400, request.t('emailOtp.error.expired'), true);
      throw error;
    }
  });
};
