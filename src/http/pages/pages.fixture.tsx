/**
 * Test-only: a tiny app with the pages plugin and one sign-in-like form, the proof that pages can
 * be built on this framework. Not a page of the product; only the tests import it.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { AppError, errorKinds } from '../../kernel/errors.ts';
import {
  Actions,
  Alert,
  Button,
  DescriptionList,
  Field,
  Form,
  PageHeading,
  pagesPlugin,
  Section,
  usePage,
  verifyCsrf,
  type Branding,
  type FieldErrors,
} from './index.ts';

export const TEST_SECRET = 'test-secret-of-at-least-16-chars';

export interface FixtureOptions {
  branding?: Branding | null;
  secret?: string;
  trustProxy?: boolean;
  /** Registers more routes inside the pages scope. */
  extraRoutes?: (pages: FastifyInstance) => void;
  /** Runs before the pages scope, like the server's own root hooks. */
  rootHooks?: (app: FastifyInstance) => void;
}

export interface Fixture {
  app: FastifyInstance;
  /** Bodies the form's POST handler accepted: it must stay empty when CSRF fails. */
  submissions: Record<string, unknown>[];
}

function SignInForm({ username, errors }: { username?: string; errors?: FieldErrors }) {
  const { t } = usePage();
  return (
    <>
      <PageHeading title={t('signIn.title')} />
      <Form errors={errors}>
        <Field name="username" label={t('signIn.usernameLabel')} value={username} autoComplete="username" spellCheck={false} autoFocus />
        <Field name="password" type="password" label={t('signIn.passwordLabel')} autoComplete="current-password" />
        <p>
          <a href="/test/forgot">{t('signIn.forgotPassword')}</a>
        </p>
        <Actions>
          <Button variant="secondary" href="/test/form">
            {t('signIn.back')}
          </Button>
          <Button>{t('signIn.submit')}</Button>
        </Actions>
      </Form>
    </>
  );
}

/** A wide content page in the shape of My Account. */
function ProfilePage({ signedOut }: { signedOut: boolean }) {
  const { t } = usePage();
  return (
    <>
      <PageHeading title={t('myAccount.title')} lead="Adele Vance" />
      {signedOut && <Alert tone="success">{t('myAccount.signedOutEverywhere')}</Alert>}
      <Section title={t('myAccount.profile')}>
        <DescriptionList
          items={[
            { term: t('myAccount.name'), value: 'Adele Vance' },
            { term: t('myAccount.email'), value: 'adele.vance@contoso.com' },
            { term: t('myAccount.jobTitle'), value: 'Retail Manager' },
            { term: t('myAccount.organization'), value: 'Contoso' },
          ]}
        />
      </Section>
      <Section title={t('myAccount.sessions')}>
        <Form action="/test/profile/sign-out-everywhere">
          <Actions align="start">
            <Button variant="secondary">{t('myAccount.signOutEverywhere')}</Button>
          </Actions>
        </Form>
      </Section>
    </>
  );
}

export async function buildFixture(options: FixtureOptions = {}): Promise<Fixture> {
  const app = Fastify({ logger: false, trustProxy: options.trustProxy ?? false });
  const submissions: Record<string, unknown>[] = [];
  // Mirrors the server: an async root onSend hook must not let a rejected POST reach its handler.
  app.addHook('onSend', async (_request, reply) => {
    reply.header('referrer-policy', 'no-referrer');
  });
  options.rootHooks?.(app);

  await app.register(async (pages) => {
    await pages.register(pagesPlugin, {
      secret: options.secret ?? TEST_SECRET,
      baseUrl: 'http://localhost',
      resolveBranding: async () => options.branding ?? null,
    });

    pages.get('/test/form', async (request, reply) =>
      reply.page(<SignInForm username={(request.query as { username?: string }).username} />, { title: request.t('signIn.title') }),
    );

    pages.post('/test/form', { preHandler: verifyCsrf }, async (request, reply) => {
      const body = request.body as Record<string, string | undefined>;
      const errors = {
        username: body.username ? undefined : request.t('signIn.error.usernameRequired'),
        password: body.password ? undefined : request.t('signIn.error.passwordRequired'),
      };
      if (errors.username || errors.password) {
        return reply.page(<SignInForm username={body.username} errors={errors} />, { status: 400, title: request.t('signIn.title') });
      }
      submissions.push(body);
      return reply.page(<PageHeading title={request.t('signedOut.title')} />, { title: request.t('signedOut.title') });
    });

    pages.get('/test/profile', async (request, reply) =>
      reply.page(<ProfilePage signedOut={'signedOut' in (request.query as object)} />, { title: request.t('myAccount.title'), width: 'wide' }),
    );

    pages.post('/test/profile/sign-out-everywhere', { preHandler: verifyCsrf }, async (_request, reply) =>
      reply.redirect('/test/profile?signedOut', 303),
    );

    pages.get('/test/throw/:kind', async (request) => {
      const kind = errorKinds.find((candidate) => candidate === (request.params as { kind: string }).kind) ?? 'internal';
      throw new AppError(kind, `test.${kind}`, `Domain says <b>${kind}</b>`, kind === 'internal' ? { expose: false } : {});
    });

    pages.get('/test/crash', async () => {
      throw new Error('database password is hunter2');
    });

    options.extraRoutes?.(pages);
  });
  return { app, submissions };
}

/** The CSRF token a rendered form carries. */
export function csrfTokenIn(html: string): string {
  const token = /name="csrf_token" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('no CSRF field in the page');
  return token;
}
