import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Container } from '../../container.ts';
import { isEmail } from '../../kernel/body.ts';
import { passwordProblem } from '../../kernel/passwords.ts';
import type { User } from '../../modules/directory/index.ts';
import type { TenantScope } from '../../tenancy/scope.ts';
import { homeSignInFor } from '../federation/home-signin.tsx';
import { Actions, Button, Field, Form, PageHeading, usePage, verifyCsrf, type FieldErrors } from '../pages/index.ts';
import { approvalRoutes } from './approval.routes.tsx';
import { consentRoutes, consentStep } from './consent.routes.tsx';
import { guestSignInRoutes } from './guest-signin.routes.tsx';
import { type Interaction, interactionTools, loginResult } from './interaction.ts';
import { CreateAccountPage, personalSignupRoutes } from './personal-signup.routes.tsx';

/**
 * The sign-in interaction pages (DESIGN §1): `/{tenant}/interaction/{uid}` shows what the
 * tenant's OpenID provider asks for (sign-in, account selection, consent), and the home-realm
 * discovery page at `/organizations|common/oauth2/v2.0/authorize` finds the user's tenant from
 * their sign-in name and continues the same authorization request there.
 *
 * Members sign in with their password. A name that is no member here (an address outside the
 * tenant's verified domains, or a guest's name) goes to home sign-in (http/federation) and comes
 * back to guest-signin.routes.tsx; the personal-accounts tenant offers "Create account" for an
 * address it does not know (personal-signup.routes.tsx).
 */

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

const HOME_REALM_TENANTS = new Set(['organizations', 'common']);

export const signInRoutes: FastifyPluginAsync<{ container: Container }> = async (app, { container }) => {
  // Each form post is one exact route (the router is case-sensitive and strict about slashes and
  // `;`: src/http/server.ts), so no spelling of its path skips this limit; it runs on request,
  // before the CSRF check, the body and the password hash.
  const signInLimit = { rateLimit: { max: container.config.rateLimits.signIn, timeWindow: '1 minute' } };

  const { load, clientOrigins, finish, at } = interactionTools(container);
  const homeSignIn = homeSignInFor(container);
  const consent = consentStep(container);

  /**
   * The address a guest of this tenant signs in with at home, for a sign-in name that is not a
   * member here: a guest found by that name (its mail), or an e-mail address outside this tenant's
   * own verified domains. Null for anything else (then the name is simply unknown).
   */
  async function guestAddress(scope: TenantScope, name: string, found: User | undefined): Promise<string | null> {
    if (container.federation.isPersonalTenant(scope.tenantId)) return null;
    if (found) return found.userType === 'Guest' && found.mail ? found.mail : null;
    if (!isEmail(name)) return null;
    const domain = name.slice(name.lastIndexOf('@') + 1).toLowerCase();
    const tenant = await container.tenants.get(scope);
    return tenant?.verifiedDomains.some((d) => d.name.toLowerCase() === domain) ? null : name;
  }

  /** A guest (or someone who may be one) goes home to sign in; this interaction continues afterwards. */
  const toHome = (request: FastifyRequest, reply: FastifyReply, scope: TenantScope, interaction: Interaction, email: string) =>
    homeSignIn.begin(reply, { inviting: scope, email, continuation: { kind: 'interaction', tenantId: scope.tenantId, uid: interaction.uid }, uiLocales: interaction.params.ui_locales ?? request.locale });

  /** The personal-accounts tenant offers "Create account" for an address it has no account for. */
  const offersSignup = (scope: TenantScope, name: string, found: User | undefined) => container.federation.isPersonalTenant(scope.tenantId) && !found && isEmail(name);
  const createAccountPage = (request: FastifyRequest, reply: FastifyReply, interaction: Interaction, email: string) =>
    reply.page(<CreateAccountPage email={email} action={at(request, interaction, '/signup')} useAnotherHref={at(request, interaction, '/username')} />, { title: request.t('personal.create.title') });

  await app.register(guestSignInRoutes, { container });
  await app.register(consentRoutes, { container });
  await app.register(approvalRoutes, { container });
  await app.register(personalSignupRoutes, { container });

  app.get('/:tenant/interaction/:uid', async (request, reply) => {
    const { scope, interaction } = await load(request, reply);
    const { prompt } = interaction;
    // consent: missing scopes, or prompt=consent (consent.routes.tsx)
    if (prompt.name === 'consent') return consent.show(request, reply, scope, interaction);
    // select_account with a signed-in session: continue as that account, or use another one
    const current = prompt.name === 'select_account' && interaction.session?.accountId ? await container.users.find(scope, interaction.session.accountId) : undefined;
    if (current?.accountEnabled && !(await container.signIn.passwordChangeRequired(scope, current.id))) {
      return reply.page(<PickAccountPage username={current.userType === 'Guest' ? (current.mail ?? current.userPrincipalName) : current.userPrincipalName} action={at(request, interaction, '/continue')} otherHref={at(request, interaction, '/username')} />, {
        title: request.t('signIn.pickAccount'),
        formActionOrigins: clientOrigins(interaction),
      });
    }
    // login: a sign-in name the client (or home-realm discovery) suggested goes straight to the
    // password, as in Entra; otherwise, and for select_account, the sign-in name comes first. A
    // guest's name goes to their home instead (a guest never signs in with a password here), and
    // the personal-accounts tenant offers to create an account for an address it does not know.
    const hint = prompt.name === 'login' ? interaction.params.login_hint?.trim() : undefined;
    const hinted = hint ? await container.signIn.findUser(scope, hint) : undefined;
    if (hinted?.userType === 'Member') {
      return reply.page(<PasswordPage username={hinted.userPrincipalName} action={at(request, interaction, '/password')} backHref={at(request, interaction, '/username')} />, {
        title: request.t('signIn.passwordTitle'),
        formActionOrigins: clientOrigins(interaction),
      });
    }
    if (hint && offersSignup(scope, hint, hinted)) return createAccountPage(request, reply, interaction, hint.toLowerCase());
    const guestHint = hint ? await guestAddress(scope, hint, hinted) : null;
    if (guestHint) return toHome(request, reply, scope, interaction, guestHint);
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
    if (user?.userType !== 'Member') {
      if (offersSignup(scope, username, user)) return createAccountPage(request, reply, interaction, username.toLowerCase());
      const guest = await guestAddress(scope, username, user);
      if (guest) return toHome(request, reply, scope, interaction, guest);
      return reply.page(<UsernamePage value={username} errors={{ username: request.t('signIn.error.unknownUser') }} action={action} />, { status: 400, title: request.t('signIn.title') });
    }
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

