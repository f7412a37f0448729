import type { GuestMembership } from '../../modules/invitations/index.ts';
import { Actions, Alert, Button, CsrfField, PageHeading, Section, usePage } from '../pages/index.ts';

function PrivacyDetails({ membership }: { membership: Pick<GuestMembership, 'privacyStatementUrl' | 'privacyContactEmail'> }) {
  const { t } = usePage();
  return (
    <>
      {membership.privacyContactEmail && <p>{t('myAccount.organizations.privacyContact', { email: membership.privacyContactEmail })}</p>}
      {membership.privacyStatementUrl && (
        <p>
          <a href={membership.privacyStatementUrl} rel="noopener noreferrer">
            {t('myAccount.organizations.privacyStatement')}
          </a>
        </p>
      )}
    </>
  );
}

/** Where the signed-in account lives: an organization (a member's own, or a guest's home tenant), a personal account, e-mail one-time passcode or another provider. */
export type HomeAccount =
  | { kind: 'organization'; name: string; tenantId: string }
  | { kind: 'personal'; email: string; tenantId: string }
  | { kind: 'emailOtp'; email: string }
  | { kind: 'external'; email: string; provider: string };

/** My Account at an organization (Entra's `myaccount.microsoft.com?tenantId=`). */
const myAccountAt = (tenantId: string) => `/myaccount?tenantId=${encodeURIComponent(tenantId)}`;

function HomeSection({ home }: { home: HomeAccount }) {
  const { t } = usePage();
  if (home.kind === 'organization') {
    return (
      <Section title={t('myAccount.organizations.home')}>
        <p data-testid="home-organization">
          <a href={myAccountAt(home.tenantId)}>
            <strong>{home.name}</strong>
          </a>
        </p>
        <p>{t('myAccount.organizations.homeNote')}</p>
      </Section>
    );
  }
  const text =
    home.kind === 'personal'
      ? t('myAccount.organizations.homePersonal', { email: home.email })
      : home.kind === 'emailOtp'
        ? t('myAccount.organizations.homeEmailOtp', { email: home.email })
        : t('myAccount.organizations.homeExternal', { email: home.email, provider: home.provider });
  return (
    <Section title={t('myAccount.organizations.homeAccount')}>
      <p data-testid="home-account">{home.kind === 'personal' ? <a href={myAccountAt(home.tenantId)}>{text}</a> : text}</p>
    </Section>
  );
}

/**
 * My Account's Organizations (Entra's My Account > Organizations): the home organization, which
 * cannot be left (or, for a guest without one, the account they sign in with), and every
 * organization the account is a guest of, each opening My Account there and with "Leave organization".
 */
export function OrganizationsPage({ home, memberships, current, left }: { home: HomeAccount | null; memberships: GuestMembership[]; current: string | null; left: string | null }) {
  const { t } = usePage();
  return (
    <>
      <PageHeading title={t('myAccount.organizations.title')} lead={t('myAccount.organizations.lead')} />
      {left && <Alert tone="success">{t('myAccount.organizations.left', { organization: left })}</Alert>}
      {home && <HomeSection home={home} />}
      <Section title={t('myAccount.organizations.guestOf')}>
        {memberships.length === 0 ? (
          <p>{t('myAccount.organizations.none')}</p>
        ) : (
          <ul className="organizations" data-testid="guest-organizations">
            {memberships.map((membership) => (
              <li key={membership.tenantId} data-tenant-id={membership.tenantId}>
                <a href={myAccountAt(membership.tenantId)}>
                  <strong>{membership.displayName}</strong>
                </a>{' '}
                ({membership.initialDomain})
                {membership.tenantId === current && <> · {t('myAccount.organizations.current')}</>}
                {membership.state === 'PendingAcceptance' && <> · {t('myAccount.organizations.pending')}</>}{' '}
                <a href={`/myaccount/organizations/leave?tenant=${encodeURIComponent(membership.tenantId)}`}>{t('myAccount.organizations.leave')}</a>
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

/** "Leave {organization}?" with a confirmation (CSRF-protected POST), or why it cannot be left. */
export function LeavePage({ membership, refused }: { membership: GuestMembership; refused: boolean }) {
  const { t } = usePage();
  const organization = membership.displayName;
  if (refused || !membership.mayLeave) {
    return (
      <>
        <PageHeading title={t('myAccount.organizations.leaveTitle', { organization })} />
        <Alert tone="error">{t('myAccount.organizations.leaveNotAllowed', { organization })}</Alert>
        <PrivacyDetails membership={membership} />
        <p>
          <a href="/myaccount/organizations">{t('myAccount.organizations.back')}</a>
        </p>
      </>
    );
  }
  return (
    <>
      <PageHeading title={t('myAccount.organizations.leaveTitle', { organization })} lead={t('myAccount.organizations.leaveLead', { organization })} />
      <PrivacyDetails membership={membership} />
      <form className="form" method="post" action="/myaccount/organizations/leave">
        <CsrfField />
        <input type="hidden" name="tenant" value={membership.tenantId} />
        <Actions>
          <Button variant="secondary" href="/myaccount/organizations">
            {t('myAccount.organizations.cancel')}
          </Button>
          <Button>{t('myAccount.organizations.leaveConfirm')}</Button>
        </Actions>
      </form>
    </>
  );
}

export function NotAGuestPage() {
  const { t } = usePage();
  return (
    <>
      <PageHeading title={t('myAccount.organizations.title')} />
      <Alert tone="error">{t('myAccount.organizations.notFound')}</Alert>
      <p>
        <a href="/myaccount/organizations">{t('myAccount.organizations.back')}</a>
      </p>
    </>
  );
}

/** After a guest left the organization they were signed in at: its guest account and that session are gone. */
export function LeftPage({ organization }: { organization: string }) {
  const { t } = usePage();
  return (
    <>
      <PageHeading title={t('myAccount.organizations.left', { organization })} />
      <Alert tone="success">{t('myAccount.organizations.leftSignedOut', { organization })}</Alert>
    </>
  );
}
