import type { ConsentedApp } from '../../modules/consent/index.ts';
import { Actions, Alert, Button, CsrfField, PageHeading, Section, usePage } from '../pages/index.ts';

function Publisher({ app }: { app: ConsentedApp }) {
  const { t } = usePage();
  if (!app.publisherName) return null;
  return (
    <p className="app__publisher">
      {t('myAccount.apps.publisher', { name: app.publisherName })}
      {app.verifiedPublisher && <> · {t('myAccount.apps.verified')}</>}
    </p>
  );
}

function Permissions({ app }: { app: ConsentedApp }) {
  return (
    <ul className="app__permissions">
      {app.permissions.map((permission) => (
        <li key={`${permission.resourceDisplayName}/${permission.value}`} data-permission={permission.value}>
          <strong>{permission.displayName}</strong> ({permission.resourceDisplayName}: {permission.value})
          {permission.description && (
            <>
              <br />
              {permission.description}
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

/**
 * My Account → Apps (Entra's My Apps "Manage your application" permissions view): the apps the
 * user consented to, each with its publisher, the permissions given and "Revoke permissions" (a
 * CSRF-protected POST; the next sign-in to the app asks for consent again), and the apps an
 * administrator consented to for everyone in the organization, read-only.
 */
export function AppsPage({ mine, organization, revoked }: { mine: ConsentedApp[]; organization: ConsentedApp[]; revoked: boolean }) {
  const { t } = usePage();
  return (
    <>
      <PageHeading title={t('myAccount.apps.title')} lead={t('myAccount.apps.lead')} />
      {revoked && <Alert tone="success">{t('myAccount.apps.revoked')}</Alert>}
      <Section title={t('myAccount.apps.mine')}>
        {mine.length === 0 ? (
          <p>{t('myAccount.apps.noneMine')}</p>
        ) : (
          <ul className="apps" data-testid="my-apps">
            {mine.map((app) => (
              <li key={app.clientId} data-app-id={app.appId}>
                <h3>{app.displayName}</h3>
                <Publisher app={app} />
                <Permissions app={app} />
                <form method="post" action="/myaccount/apps/revoke">
                  <CsrfField />
                  <input type="hidden" name="client" value={app.clientId} />
                  <Actions align="start">
                    <Button variant="secondary">{t('myAccount.apps.revoke')}</Button>
                  </Actions>
                </form>
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section title={t('myAccount.apps.organization')}>
        <p>{t('myAccount.apps.organizationLead')}</p>
        {organization.length === 0 ? (
          <p>{t('myAccount.apps.noneOrganization')}</p>
        ) : (
          <ul className="apps" data-testid="organization-apps">
            {organization.map((app) => (
              <li key={app.clientId} data-app-id={app.appId}>
                <h3>{app.displayName}</h3>
                <Publisher app={app} />
                <Permissions app={app} />
              </li>
            ))}
          </ul>
        )}
      </Section>
      <p>
        <a href="/myaccount">{t('myAccount.organizations.back')}</a>
      </p>
    </>
  );
}

/** The app to revoke is not (any more) one the user consented to. */
export function NotConsentedPage() {
  const { t } = usePage();
  return (
    <>
      <PageHeading title={t('myAccount.apps.title')} />
      <Alert tone="error">{t('myAccount.apps.notFound')}</Alert>
      <p>
        <a href="/myaccount/apps">{t('myAccount.apps.back')}</a>
      </p>
    </>
  );
}
