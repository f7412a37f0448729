import { Actions, Alert, Button, CsrfField, DescriptionList, PageHeading, Section, usePage } from '../pages/index.ts';

/** What My Account shows of the signed-in user (from the directory, not from the ID token). */
export interface Profile {
  displayName: string;
  mail: string | null;
  userPrincipalName: string;
  jobTitle: string | null;
  department: string | null;
  officeLocation: string | null;
  organization: string;
  /** a guest of `organization` (signed in through their home, `/myaccount?tenantId=`) */
  isGuest: boolean;
}

/**
 * Sign out and Sign out everywhere: one form (one CSRF token), two submit buttons; the secondary
 * one posts elsewhere with `formaction`. Hand-written because the framework's `<Button>` has no
 * `formaction`; the classes are its own.
 */
function SessionActions() {
  const { t } = usePage();
  return (
    <form method="post" action="/myaccount/sign-out" data-testid="session-actions">
      <CsrfField />
      <Actions>
        <button className="button button--secondary" type="submit" formAction="/myaccount/sign-out-everywhere" data-testid="sign-out-everywhere">
          {t('myAccount.signOutEverywhere')}
        </button>
        <button className="button button--primary" type="submit" data-testid="sign-out">
          {t('myAccount.signOut')}
        </button>
      </Actions>
    </form>
  );
}

export function ProfilePage({ profile }: { profile: Profile }) {
  const { t } = usePage();
  const optional = (value: string | null) => value || t('myAccount.notSet');
  return (
    <>
      <PageHeading title={t('myAccount.title')} lead={t(profile.isGuest ? 'myAccount.guestLead' : 'myAccount.lead', { organization: profile.organization })} />
      <Section title={t('myAccount.profile')}>
        <DescriptionList
          items={[
            { term: t('myAccount.name'), value: profile.displayName },
            { term: t('myAccount.email'), value: optional(profile.mail) },
            { term: t('myAccount.username'), value: profile.userPrincipalName },
            { term: t('myAccount.jobTitle'), value: optional(profile.jobTitle) },
            { term: t('myAccount.department'), value: optional(profile.department) },
            { term: t('myAccount.office'), value: optional(profile.officeLocation) },
            { term: t('myAccount.organization'), value: profile.organization },
          ]}
        />
        <p>
          <a href="/myaccount/organizations">{t('myAccount.organizations.link')}</a>
        </p>
        <p>
          <a href="/myaccount/apps">{t('myAccount.apps.link')}</a>
        </p>
      </Section>
      <Section title={t('myAccount.sessions')}>
        <p>{t('myAccount.sessionsLead')}</p>
        <SessionActions />
      </Section>
    </>
  );
}

export function SignedOutPage({ everywhere }: { everywhere: boolean }) {
  const { t } = usePage();
  return (
    <>
      <PageHeading title={everywhere ? t('myAccount.signedOutEverywhere') : t('signedOut.title')} />
      <Alert tone="success">{everywhere ? t('myAccount.signedOutEverywhereLead') : t('myAccount.signedOutLead')}</Alert>
      <p>
        <Button variant="secondary" href="/myaccount">
          {t('myAccount.signInAgain')}
        </Button>
      </p>
    </>
  );
}

export function SignInFailedPage() {
  const { t } = usePage();
  return (
    <>
      <PageHeading title={t('error.title')} />
      <Alert tone="error">{t('myAccount.error.signInFailed')}</Alert>
      <p>
        <Button href="/myaccount">{t('myAccount.signInAgain')}</Button>
      </p>
    </>
  );
}

/** `/myaccount?tenantId=` names no organization on this server. */
export function UnknownOrganizationPage() {
  const { t } = usePage();
  return (
    <>
      <PageHeading title={t('myAccount.unknownOrganization.title')} />
      <Alert tone="error">{t('myAccount.unknownOrganization.lead')}</Alert>
    </>
  );
}
