import type { Logger } from '../../kernel/logger.ts';
import type { OidcErrorPageInput, OidcPage, OidcPageInput, OidcPageRenderer, OidcPageRequest } from '../../oidc/index.ts';
import { Actions, Button, DescriptionList, PageHeading, renderStandalonePage, Section, usePage, type Branding, type StandalonePageInput } from '../pages/index.ts';
import type { PlainMessageKey } from '../pages/i18n/catalog.ts';
import { matchUiLocales } from '../pages/i18n/negotiate.ts';

/** The id oidc-provider gives its sign-out form; the page's buttons submit it from outside. */
export const LOGOUT_FORM_ID = 'op.logoutForm';

export interface OidcPagesOptions {
  /** This server's public base URL. */
  baseUrl: string;
  /** A tenant's branding (name, logo, background), or null for the default look. */
  branding: (tenantId: string) => Promise<Branding | null>;
  logger?: Pick<Logger, 'warn'>;
}

/**
 * The pages oidc-provider shows itself, on the end-user pages framework: the sign-out
 * confirmation, the signed-out page and the error page shown instead of an unsafe redirect,
 * each localized, in the tenant's branding and with the pages' security headers.
 */
export function oidcPageRenderer(options: OidcPagesOptions): OidcPageRenderer {
  async function render(input: OidcPageInput, page: Omit<StandalonePageInput, 'request' | 'baseUrl' | 'branding'>): Promise<OidcPage> {
    const { html, headers } = renderStandalonePage({ ...page, request: input.request, baseUrl: options.baseUrl, branding: await brandingOf(input.tenantId) });
    return { html, headers };
  }

  /** A page must render even if the branding cannot be loaded (it may be the error page for that failure). */
  async function brandingOf(tenantId: string): Promise<Branding | null> {
    try {
      return await options.branding(tenantId);
    } catch (error) {
      options.logger?.warn({ err: error, tenantId }, 'could not resolve tenant branding; using the default look');
      return null;
    }
  }

  return {
    logout: (input) =>
      render(input, {
        title: (t) => t('signOut.title'),
        element: <SignOutPage form={parseLogoutForm(input.form)} uiLocales={explicitUiLocales(input.request)} />,
        // the confirmation's POST ends in a redirect to the client's post-logout URI: form-action covers it
        formActionOrigins: input.postLogoutRedirectUri ? [input.postLogoutRedirectUri] : [],
      }),
    signedOut: (input) =>
      render(input, {
        title: (t) => t('signedOut.title'),
        element: <SignedOutPage />,
      }),
    error: (input) =>
      render(input, {
        title: (t) => t(errorTitle(input)),
        element: <OidcErrorPage {...input} />,
      }),
  };
}

interface LogoutForm {
  action: string;
  fields: { name: string; value: string }[];
}

function SignOutPage({ form, uiLocales }: { form: LogoutForm; uiLocales: string | null }) {
  const { t } = usePage();
  return (
    <>
      <PageHeading title={t('signOut.question')} lead={t('signOut.lead')} />
      <form id={LOGOUT_FORM_ID} method="post" action={form.action}>
        {form.fields.map(({ name, value }) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        {/* oidc-provider ignores it; the provider puts it back on the redirect to the signed-out page */}
        {uiLocales && <input type="hidden" name="ui_locales" value={uiLocales} />}
      </form>
      <Actions>
        <Button variant="secondary" form={LOGOUT_FORM_ID}>
          {t('signOut.cancel')}
        </Button>
        <Button form={LOGOUT_FORM_ID} name="logout" value="yes" autoFocus>
          {t('signOut.confirm')}
        </Button>
      </Actions>
    </>
  );
}

function SignedOutPage() {
  const { t } = usePage();
  return <PageHeading title={t('signedOut.title')} lead={t('signedOut.lead')} />;
}

const explanations: Readonly<Record<string, PlainMessageKey>> = {
  invalid_redirect_uri: 'oidcError.invalidRedirectUri',
  invalid_client: 'oidcError.invalidClient',
  invalid_request: 'oidcError.invalidRequest',
};

function errorTitle({ flow }: Pick<OidcErrorPageInput, 'flow'>): PlainMessageKey {
  return flow === 'signOut' ? 'oidcError.signOutTitle' : 'oidcError.signInTitle';
}

/** A localized explanation for the user, then the protocol's own (English) error for the app's developer. */
function OidcErrorPage({ error, description, flow }: OidcErrorPageInput) {
  const { t } = usePage();
  return (
    <>
      <PageHeading title={t(errorTitle({ flow }))} lead={t(explanations[error] ?? 'oidcError.generic')} />
      <Section title={t('oidcError.details')}>
        <DescriptionList
          items={[{ term: t('oidcError.code'), value: error }, ...(description ? [{ term: t('oidcError.description'), value: description }] : [])]}
        />
      </Section>
    </>
  );
}

/**
 * oidc-provider hands its sign-out form over as markup (`<form id="op.logoutForm" method="post"
 * action="..."><input type="hidden" name="xsrf" value="..."/></form>`); it is read into its action
 * and hidden fields and rendered again like everything else on the page, escaped.
 */
export function parseLogoutForm(markup: string): LogoutForm {
  const form = /^\s*<form\b([^>]*)>([\s\S]*)<\/form>\s*$/i.exec(markup);
  const action = form ? attribute(form[1]!, 'action') : null;
  if (!form || action === null || attribute(form[1]!, 'id') !== LOGOUT_FORM_ID) throw new Error('unexpected oidc-provider logout form');
  const fields: LogoutForm['fields'] = [];
  for (const [input] of form[2]!.matchAll(/<input\b[^>]*>/gi)) {
    const name = attribute(input, 'name');
    if (name !== null) fields.push({ name, value: attribute(input, 'value') ?? '' });
  }
  return { action, fields };
}

function attribute(tag: string, name: string): string | null {
  const value = new RegExp(`\\s${name}="([^"]*)"`, 'i').exec(tag)?.[1];
  return value === undefined ? null : decodeEntities(value);
}

function decodeEntities(value: string): string {
  return value.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_entity, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" })[name]!);
}

/** The language the request asked for with `ui_locales`, to keep it through the confirmation's POST. */
function explicitUiLocales(request: OidcPageRequest): string | null {
  return matchUiLocales(request.body?.ui_locales) ?? matchUiLocales(request.query.ui_locales);
}
