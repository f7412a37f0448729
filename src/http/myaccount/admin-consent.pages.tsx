import type { ConsentPrompt, PermissionView } from '../../modules/consent/index.ts';
import { AppIdentity } from '../interactions/consent.pages.tsx';
import { Actions, Alert, Button, CsrfField, PageHeading, usePage } from '../pages/index.ts';

/** The /adminconsent request as it travels with the form (validated again on every POST). */
export interface AdminConsentParams {
  tenant: string;
  client_id: string;
  redirect_uri: string;
  state?: string;
  scope?: string;
}

function PermissionList({ items, testId }: { items: PermissionView[]; testId: string }) {
  return (
    <ul data-testid={testId}>
      {items.map((permission) => (
        <li key={`${permission.resourceAppId}/${permission.kind}/${permission.value}`} data-scope={permission.value}>
          {permission.displayName} <small>({permission.resourceDisplayName}: {permission.value})</small>
          {permission.description && permission.description !== permission.displayName && (
            <>
              <br />
              <small>{permission.description}</small>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

/**
 * The administrator's side of `/{tenant}/v2.0/adminconsent`: the app and publisher, every
 * permission it asks for (delegated and application), for the whole organization; Accept / Cancel.
 */
export function AdminConsentPage({ app, permissions, organization, signedInAs, params, action }: { app: ConsentPrompt['app']; permissions: PermissionView[]; organization: string; signedInAs: string; params: AdminConsentParams; action: string }) {
  const { t } = usePage();
  const delegated = permissions.filter((p) => p.kind === 'delegated');
  const application = permissions.filter((p) => p.kind === 'application');
  return (
    <>
      <PageHeading title={t('consent.admin.title')} lead={t('consent.admin.signedInAs', { name: signedInAs })} />
      <AppIdentity app={app} />
      <p>{t('consent.admin.lead', { app: app.displayName, organization })}</p>
      {permissions.length === 0 && <p>{t('consent.admin.none')}</p>}
      {delegated.length > 0 && (
        <>
          <p>{t('consent.admin.delegated')}</p>
          <PermissionList items={delegated} testId="admin-consent-delegated" />
        </>
      )}
      {application.length > 0 && (
        <>
          <p>{t('consent.admin.application')}</p>
          <PermissionList items={application} testId="admin-consent-application" />
        </>
      )}
      {(app.termsOfServiceUrl || app.privacyStatementUrl) && (
        <p>
          {app.termsOfServiceUrl && (
            <a href={app.termsOfServiceUrl} rel="noopener noreferrer" target="_blank">
              {t('consent.terms')}
            </a>
          )}
          {app.termsOfServiceUrl && app.privacyStatementUrl && ' · '}
          {app.privacyStatementUrl && (
            <a href={app.privacyStatementUrl} rel="noopener noreferrer" target="_blank">
              {t('consent.privacy')}
            </a>
          )}
        </p>
      )}
      <form className="form" method="post" action={action}>
        <CsrfField />
        {Object.entries(params).map(([name, value]) => (value === undefined ? null : <input key={name} type="hidden" name={name} value={value} />))}
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

/** An /adminconsent request that cannot be answered by a redirect (unknown app, unregistered redirect URI, bad parameters). */
export function InvalidAdminConsentPage({ message }: { message: string }) {
  const { t } = usePage();
  return (
    <>
      <PageHeading title={t('consent.admin.invalidTitle')} />
      <Alert tone="error">{message}</Alert>
    </>
  );
}
