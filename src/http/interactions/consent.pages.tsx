import type { ConsentPrompt } from '../../modules/consent/index.ts';
import { Actions, Alert, Button, CsrfField, PageHeading, usePage } from '../pages/index.ts';

/** The app, its publisher and whether the publisher is verified (Entra's blue badge, or "unverified"). */
export function AppIdentity({ app }: { app: ConsentPrompt['app'] }) {
  const { t } = usePage();
  return (
    <p data-testid="consent-publisher">
      <strong>{app.displayName}</strong>
      <br />
      {app.publisherDomain ? t('consent.publisherWithDomain', { name: app.publisherName, domain: app.publisherDomain }) : t('consent.publisher', { name: app.publisherName })}{' '}
      {app.verified ? (
        <span data-testid="publisher-verified" title={t('consent.verifiedHint')}>
          ✔ {t('consent.verified')}
        </span>
      ) : (
        <span data-testid="publisher-unverified">({t('consent.unverified')})</span>
      )}
    </p>
  );
}

/**
 * Entra's "Permissions requested": the app and publisher, what the app would like to do (the
 * permissions' user-facing texts; administrators see the admin texts), the app's terms and privacy
 * statement, and Accept / Cancel. Administrators may tick "Consent on behalf of your organization".
 */
export function ConsentPage({ prompt, action }: { prompt: ConsentPrompt; action: string }) {
  const { t } = usePage();
  const { app } = prompt;
  return (
    <>
      <PageHeading title={t('consent.title')} />
      <AppIdentity app={app} />
      <p>{t('consent.wouldLike')}</p>
      <ul data-testid="consent-permissions">
        {prompt.permissions.map((permission) => (
          <li key={`${permission.resourceAppId}/${permission.value}`} data-scope={permission.value}>
            {permission.displayName}
            {permission.description && permission.description !== permission.displayName && (
              <>
                <br />
                <small>{permission.description}</small>
              </>
            )}
          </li>
        ))}
      </ul>
      <form className="form" method="post" action={action}>
        <CsrfField />
        {prompt.mayConsentForOrganization && (
          <div className="field">
            <label>
              <input type="checkbox" name="forOrganization" value="on" data-testid="consent-for-organization" /> {t('consent.forOrganization')}
            </label>
            <p className="field-hint">{t('consent.forOrganizationHint')}</p>
          </div>
        )}
        <p>{t('consent.notice', { app: app.displayName })}</p>
        {(app.termsOfServiceUrl || app.privacyStatementUrl) && (
          <p>
            {app.termsOfServiceUrl && (
              <a href={app.termsOfServiceUrl} rel="noopener noreferrer" target="_blank" data-testid="terms-of-service">
                {t('consent.terms')}
              </a>
            )}
            {app.termsOfServiceUrl && app.privacyStatementUrl && ' · '}
            {app.privacyStatementUrl && (
              <a href={app.privacyStatementUrl} rel="noopener noreferrer" target="_blank" data-testid="privacy-statement">
                {t('consent.privacy')}
              </a>
            )}
          </p>
        )}
        {!app.verified && !app.registeredHere && <p>{t('consent.unverifiedNotice')}</p>}
        <p>
          {t('consent.changeLater')} <a href="/myaccount/apps">{t('consent.myApps')}</a>
        </p>
        <Actions>
          <Button variant="secondary" name="decision" value="cancel">
            {t('consent.cancel')}
          </Button>
          <Button name="decision" value="accept" autoFocus>
            {t('consent.accept')}
          </Button>
        </Actions>
      </form>
    </>
  );
}

/** Entra's "Need admin approval" (AADSTS90094): the user may not consent and there is no request workflow. */
export function NeedApprovalPage({ app, action }: { app: ConsentPrompt['app']; action: string }) {
  const { t } = usePage();
  return (
    <>
      <PageHeading title={t('consent.needApproval.title')} />
      <AppIdentity app={app} />
      <Alert tone="info">{t('consent.needApproval.lead', { app: app.displayName })}</Alert>
      <p data-testid="need-admin-approval">{t('consent.needApproval.code')}</p>
      <form className="form" method="post" action={action}>
        <CsrfField />
        <Actions align="start">
          <Button variant="secondary" name="decision" value="cancel">
            {t('consent.needApproval.back')}
          </Button>
        </Actions>
      </form>
    </>
  );
}
