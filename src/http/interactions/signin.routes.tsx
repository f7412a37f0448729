import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Container } from '../../container.ts';
import { AppError } from '../../kernel/errors.ts';
import { passwordProblem } from '../../kernel/passwords.ts';
import { tenantScope, type TenantScope } from '../../tenancy/scope.ts';
import { Actions, Button, Field, Form, PageHeading, usePage, verifyCsrf, type FieldErrors } from '../pages/index.ts';

/**
 * The sign-in interaction pages (DESIGN §1): `/{tenant}/interaction/{uid}` shows what the
 * tenant's OpenID provider asks for (sign-in, account selection, consent), and the home-realm
 * discovery page at `/organizations|common/oauth2/v2.0/authorize` finds the user's tenant from
 * their sign-in name and continues the same authorization request there.
 */

interface Interaction {
  uid: string;
  prompt: { name: string; reasons: string[]; details: Record<string, unknown> };
  params: Record<string, string | undefined>;
  grantId?: string;
  session?: { accountId?: string };
  /** what this page flow has established so far (oidc-provider keeps it until the interaction finishes) */
  result?: { passwordChange?: PendingPasswordChange } & Record<string, unknown>;
  /** saves the interaction (with `result`) for the rest of its lifetime */
  persist(): Promise<unknown>;
  /** where the browser resumes the authorization request */
  returnTo: string;
}

/**
 * A sign-in whose password was right but must be changed first (forceChangePasswordNextSignIn):
 * stored on the interaction, server-side, until the change succeeds. Until then there is no
 * login result, so leaving the page (or resuming the authorization) signs nobody in.
 */
interface PendingPasswordChange {
  accountId: string;
  credentialStamp: string;
}

function UsernamePage({ value, errors, action }: { value?: string; errors?: FieldErrors; action?: string }) {
  const { t } = usePage();
  return (
    <>
      <PageHeading title={t('signIn.title')} />
      <Form action={action} errors={errors}>
        <Field name="username" type="email" label={t('signIn.usernameLabel')} value={value} autoComplete="username" inputMode="email" spellCheck={false} autoFocus />
        <Actions>
          <Button>{t('signIn.next')}</Button>
        </Actions>
      </Form>
    </>
  );
}

function PasswordPage({ username, errors, action, backHref }: { username: string; errors?: FieldErrors; action: string; backHref: string }) {
  const { t } = usePage();
  return (
    <>
      <PageHeading title={t('signIn.passwordTitle')} lead={username} />
      <Form action={action} errors={errors}>
        {/* the account being signed in to, for password managers (hidden, read-only) */}
        <input type="text" name="username" value={username} autoComplete="username" readOnly hidden />
        <Field name="password" type="password" label={t('signIn.passwordLabel')} autoComplete="current-password" autoFocus />
        <Actions>
          <Button variant="secondary" href={backHref}>
            {t('signIn.back')}
          </Button>
          <Button>{t('signIn.submit')}</Button>
        </Actions>
      </Form>
    </>
  );
}

function UpdatePasswordPage({ username, errors, action, backHref }: { username: string; errors?: FieldErrors; action: string; backHref: string }) {
  const { t } = usePage();
  return (
    <>
      <PageHeading title={t('signIn.updatePasswordTitle')} lead={username} />
      <p>{t('signIn.updatePasswordIntro')}</p>
      <Form action={action} errors={errors}>
        {/* the account whose password changes, for password managers (hidden, read-only) */}
        <input type="text" name="username" value={username} autoComplete="username" readOnly hidden />
        <Field name="newPassword" type="password" label={t('signIn.newPasswordLabel')} hint={t('signIn.passwordRules')} autoComplete="new-password" maxLength={256} required autoFocus />
        <Field name="confirmPassword" type="password" label={t('signIn.confirmPasswordLabel')} autoComplete="new-password" maxLength={256} required />
        <Actions>
          <Button variant="secondary" href={backHref}>
            {t('signIn.back')}
          </Button>
          <Button>{t('signIn.updatePasswordSubmit')}</Button>
        </Actions>
      </Form>
    </>
  );
}

function PickAccountPage({ username, action, otherHref }: { username: string; action: string; otherHref: string }) {
  const { t } = usePage();
  return (
    <>
      <PageHeading title={t('signIn.pickAccount')} />
      <Form action={action}>
        <Actions align="start">
          <Button>{t('signIn.continueAs', { name: username })}</Button>
        </Actions>
      </Form>
      <p>
        <a href={otherHref}>{t('signIn.useAnotherAccount')}</a>
      </p>
    </>
  );
}

/** A completed password sign-in (and, for prompt=select_account, the account choice it made). */
function loginResult(interaction: Interaction, accountId: string): Record<string, unknown> {
  return {
    login: { accountId, remember: true, amr: ['pwd'] },
    ...(interaction.prompt.name === 'select_account' ? { select_account: {} } : {}),
  };
}

const HOME_REALM_TENANTS = new Set(['organizations', 'common']);

export const signInRoutes: FastifyPluginAsync<{ container: Container }> = async (app, { container }) => {
  // Each form post is one exact route (the router is case-sensitive and strict about slashes and
  // `;`: src/http/server.ts), so no spelling of its path skips this limit; it runs on request,
  // before the CSRF check, the body and the password hash.
  const signInLimit = { rateLimit: { max: container.config.rateLimits.signIn, timeWindow: '1 minute' } };

  async function load(request: FastifyRequest, reply: FastifyReply): Promise<{ scope: TenantScope; interaction: Interaction }> {
    const { tenant, uid } = request.params as { tenant: string; uid: string };
    const scope = await container.tenants.resolve(tenant);
    if (!scope) throw new AppError('notFound', 'signIn.unknownTenant', `Tenant '${tenant}' not found.`);
    const provider = await container.oidc.provider(tenantScope(scope.tenantId));
    let interaction: Interaction;
    try {
      interaction = (await provider.interactionDetails(request.raw, reply.raw)) as Interaction;
    } catch {
      throw new AppError('badRequest', 'signIn.sessionExpired', 'Your sign-in session has expired or is not valid. Go back to the application and sign in again.');
    }
    if (interaction.uid !== uid) throw new AppError('badRequest', 'signIn.sessionMismatch', 'This sign-in page belongs to another sign-in. Go back to the application and sign in again.');
    return { scope, interaction };
  }

  /** Where the browser goes after the sign-in: the client's redirect URI (already validated by the provider). */
  function clientOrigins(interaction: Interaction): string[] {
    try {
      return interaction.params.redirect_uri ? [new URL(interaction.params.redirect_uri).origin] : [];
    } catch {
      return [];
    }
  }

  /**
   * Stores the interaction's result and sends the browser back to the authorization request: what
   * `provider.interactionResult(..., { mergeWithLastSubmission: false })` does, on the interaction
   * this request has already loaded (instead of reading it from the database a second time).
   */
  async function finish(reply: FastifyReply, interaction: Interaction, result: Record<string, unknown>) {
    interaction.result = result;
    await interaction.persist();
    return reply.redirect(interaction.returnTo, 303);
  }

  const base = (request: FastifyRequest) => {
    const { tenant, uid } = request.params as { tenant: string; uid: string };
    return `/${encodeURIComponent(tenant)}/interaction/${encodeURIComponent(uid)}`;
  };
  /** A page of this interaction, keeping the language the authorization request asked for. */
  const at = (request: FastifyRequest, interaction: Interaction, step = '') => {
    const locales = interaction.params.ui_locales;
    return `${base(request)}${step}${locales ? `?ui_locales=${encodeURIComponent(locales)}` : ''}`;
  };

  app.get('/:tenant/interaction/:uid', async (request, reply) => {
    const { scope, interaction } = await load(request, reply);
    const { prompt } = interaction;
    if (prompt.name === 'consent') {
      const missing = prompt.details.missingResourceScopes as Record<string, string[]> | undefined;
      const missingOidc = prompt.details.missingOIDCScope as string[] | undefined;
      if (!missing && !missingOidc && interaction.grantId) return finish(reply, interaction, { consent: { grantId: interaction.grantId } });
      const clientId = interaction.params.client_id ?? '';
      request.log.info({ tenantId: scope.tenantId, clientId, missing }, 'consent required');
      return finish(reply, interaction, {
        error: 'consent_required',
        error_description: `AADSTS65001: The user or administrator has not consented to use the application with ID '${clientId}'. Send an interactive authorization request for this user and resource.`,
      });
    }
    // select_account with a signed-in session: continue as that account, or use another one
    const current = prompt.name === 'select_account' && interaction.session?.accountId ? await container.users.find(scope, interaction.session.accountId) : undefined;
    if (current?.accountEnabled && !(await container.signIn.passwordChangeRequired(scope, current.id))) {
      return reply.page(<PickAccountPage username={current.userPrincipalName} action={at(request, interaction, '/continue')} otherHref={at(request, interaction, '/username')} />, {
        title: request.t('signIn.pickAccount'),
        formActionOrigins: clientOrigins(interaction),
      });
    }
    // login: a sign-in name the client (or home-realm discovery) suggested goes straight to the
    // password, as in Entra; otherwise, and for select_account, the sign-in name comes first.
    const hinted = prompt.name === 'login' && interaction.params.login_hint ? await container.signIn.findUser(scope, interaction.params.login_hint) : undefined;
    if (hinted) {
      return reply.page(<PasswordPage username={hinted.userPrincipalName} action={at(request, interaction, '/password')} backHref={at(request, interaction, '/username')} />, {
        title: request.t('signIn.passwordTitle'),
        formActionOrigins: clientOrigins(interaction),
      });
    }
    return reply.page(<UsernamePage value={interaction.params.login_hint} action={at(request, interaction, '/username')} />, {
      title: request.t('signIn.title'),
    });
  });

  app.get('/:tenant/interaction/:uid/username', async (request, reply) => {
    const { interaction } = await load(request, reply);
    // going back from "Update your password" drops the half-finished sign-in
    if (interaction.result?.passwordChange) {
      delete interaction.result.passwordChange;
      await interaction.persist();
    }
    return reply.page(<UsernamePage value={interaction.params.login_hint} action={at(request, interaction, '/username')} />, { title: request.t('signIn.title') });
  });

  // select_account: keep the account of the current session (already signed in, so no password)
  app.post('/:tenant/interaction/:uid/continue', { preHandler: verifyCsrf, config: signInLimit }, async (request, reply) => {
    const { scope, interaction } = await load(request, reply);
    const accountId = interaction.session?.accountId;
    const user = accountId ? await container.users.find(scope, accountId) : undefined;
    if (interaction.prompt.name !== 'select_account' || !user?.accountEnabled) return reply.redirect(at(request, interaction, '/username'), 303);
    // a password an administrator reset since this session began is changed at a password sign-in
    if (await container.signIn.passwordChangeRequired(scope, user.id)) return reply.redirect(at(request, interaction, '/username'), 303);
    return finish(reply, interaction, { select_account: {}, login: { accountId: user.id } });
  });

  app.post('/:tenant/interaction/:uid/username', { preHandler: verifyCsrf, config: signInLimit }, async (request, reply) => {
    const { scope, interaction } = await load(request, reply);
    const username = String((request.body as Record<string, unknown>).username ?? '').trim();
    const action = at(request, interaction, '/username');
    if (!username) return reply.page(<UsernamePage errors={{ username: request.t('signIn.error.usernameRequired') }} action={action} />, { status: 400, title: request.t('signIn.title') });
    const user = await container.signIn.findUser(scope, username);
    if (!user) return reply.page(<UsernamePage value={username} errors={{ username: request.t('signIn.error.unknownUser') }} action={action} />, { status: 400, title: request.t('signIn.title') });
    return reply.page(<PasswordPage username={user.userPrincipalName} action={at(request, interaction, '/password')} backHref={at(request, interaction, '/username')} />, {
      title: request.t('signIn.passwordTitle'),
      formActionOrigins: clientOrigins(interaction),
    });
  });

  app.post('/:tenant/interaction/:uid/password', { preHandler: verifyCsrf, config: signInLimit }, async (request, reply) => {
    const { scope, interaction } = await load(request, reply);
    const body = request.body as Record<string, unknown>;
    const username = String(body.username ?? '').trim();
    const password = typeof body.password === 'string' ? body.password : '';
    const again = (status: number, error: string) =>
      reply.page(<PasswordPage username={username} errors={{ password: error }} action={at(request, interaction, '/password')} backHref={at(request, interaction, '/username')} />, {
        status,
        title: request.t('signIn.passwordTitle'),
        formActionOrigins: clientOrigins(interaction),
      });
    if (!username) return reply.redirect(at(request, interaction), 303);
    if (!password) return again(400, request.t('signIn.error.passwordRequired'));
    const result = await container.signIn.attempt(scope, { username, password, source: request.ip });
    switch (result.outcome) {
      case 'ok':
        return finish(reply, interaction, loginResult(interaction, result.user.id));
      case 'mustChangePassword':
        interaction.result = { passwordChange: { accountId: result.user.id, credentialStamp: result.credentialStamp } };
        await interaction.persist();
        return reply.redirect(at(request, interaction, '/update-password'), 303);
      case 'locked':
        return again(400, request.t('signIn.error.locked'));
      case 'disabled':
        return again(400, request.t('signIn.error.disabled'));
      default:
        return again(400, request.t('signIn.error.invalidCredentials'));
    }
  });

  /** The pending forced password change of this interaction, with its account (still enabled). */
  async function pendingChange(scope: TenantScope, interaction: Interaction) {
    const pending = interaction.result?.passwordChange;
    const user = pending ? await container.users.find(scope, pending.accountId) : undefined;
    return pending && user?.accountEnabled ? { pending, user } : null;
  }

  const updatePasswordPage = (request: FastifyRequest, reply: FastifyReply, interaction: Interaction, username: string, errors?: FieldErrors) =>
    reply.page(<UpdatePasswordPage username={username} errors={errors} action={at(request, interaction, '/update-password')} backHref={at(request, interaction, '/username')} />, {
      status: errors ? 400 : 200,
      title: request.t('signIn.updatePasswordTitle'),
      formActionOrigins: clientOrigins(interaction),
    });

  // "Update your password": after a correct password that must be changed (forceChangePasswordNextSignIn)
  app.get('/:tenant/interaction/:uid/update-password', async (request, reply) => {
    const { scope, interaction } = await load(request, reply);
    const found = await pendingChange(scope, interaction);
    if (!found) return reply.redirect(at(request, interaction), 303);
    return updatePasswordPage(request, reply, interaction, found.user.userPrincipalName);
  });

  app.post('/:tenant/interaction/:uid/update-password', { preHandler: verifyCsrf, config: signInLimit }, async (request, reply) => {
    const { scope, interaction } = await load(request, reply);
    const found = await pendingChange(scope, interaction);
    if (!found) return reply.redirect(at(request, interaction), 303);
    const { pending, user } = found;
    const body = request.body as Record<string, unknown>;
    const newPassword = typeof body.newPassword === 'string' ? body.newPassword : '';
    const confirmPassword = typeof body.confirmPassword === 'string' ? body.confirmPassword : '';
    const errors = {
      newPassword: !newPassword ? request.t('signIn.error.newPasswordRequired') : passwordProblem(newPassword) ? request.t('signIn.error.passwordTooWeak') : undefined,
      confirmPassword: !confirmPassword
        ? request.t('signIn.error.confirmPasswordRequired')
        : newPassword && confirmPassword !== newPassword
          ? request.t('signIn.error.passwordMismatch')
          : undefined,
    };
    if (errors.newPassword || errors.confirmPassword) return updatePasswordPage(request, reply, interaction, user.userPrincipalName, errors);
    const outcome = await container.signIn.changeRequiredPassword(scope, { userId: user.id, credentialStamp: pending.credentialStamp, newPassword });
    switch (outcome) {
      case 'changed':
        return finish(reply, interaction, loginResult(interaction, user.id));
      case 'weak':
        return updatePasswordPage(request, reply, interaction, user.userPrincipalName, { newPassword: request.t('signIn.error.passwordTooWeak') });
      case 'sameAsOld':
        return updatePasswordPage(request, reply, interaction, user.userPrincipalName, { newPassword: request.t('signIn.error.passwordSameAsOld') });
      default: {
        // reset or disabled meanwhile: the verified password no longer counts; sign in again
        delete interaction.result!.passwordChange;
        await interaction.persist();
        return reply.page(
          <PasswordPage username={user.userPrincipalName} errors={{ password: request.t('signIn.error.passwordChangeStale') }} action={at(request, interaction, '/password')} backHref={at(request, interaction, '/username')} />,
          { status: 400, title: request.t('signIn.passwordTitle'), formActionOrigins: clientOrigins(interaction) },
        );
      }
    }
  });

  // Home-realm discovery: `organizations` and `common` have no tenant of their own.
  for (const realm of HOME_REALM_TENANTS) {
    const path = `/${realm}/oauth2/v2.0/authorize`;
    const continueAt = async (request: FastifyRequest, reply: FastifyReply, username: string) => {
      const domain = username.includes('@') ? username.slice(username.lastIndexOf('@') + 1) : username;
      const scope = domain ? await container.tenants.resolve(domain) : null;
      if (!scope) return null;
      const query = new URLSearchParams(request.query as Record<string, string>);
      if (username.includes('@')) query.set('login_hint', username);
      return reply.redirect(`/${scope.tenantId}/oauth2/v2.0/authorize?${query.toString()}`, 303);
    };
    app.get(path, async (request, reply) => {
      const query = request.query as Record<string, string | undefined>;
      const hint = query.login_hint ?? query.domain_hint;
      if (hint) {
        const sent = await continueAt(request, reply, hint);
        if (sent) return sent;
      }
      return reply.page(<UsernamePage value={query.login_hint} />, { title: request.t('signIn.title') });
    });
    app.post(path, { preHandler: verifyCsrf, config: signInLimit }, async (request, reply) => {
      const username = String((request.body as Record<string, unknown>).username ?? '').trim();
      if (!username) return reply.page(<UsernamePage errors={{ username: request.t('signIn.error.usernameRequired') }} />, { status: 400, title: request.t('signIn.title') });
      const sent = await continueAt(request, reply, username);
      if (sent) return sent;
      return reply.page(<UsernamePage value={username} errors={{ username: request.t('signIn.error.unknownTenant') }} />, { status: 400, title: request.t('signIn.title') });
    });
  }
};

