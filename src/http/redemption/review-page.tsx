import { Actions, Button, CsrfField, DescriptionList, PageHeading, usePage } from '../pages/index.ts';

/** The inviting organization as Review permissions shows it. */
export interface ReviewOrganization {
  displayName: string;
  initialDomain: string;
  privacyStatementUrl: string | null;
  privacyContactEmail: string | null;
}

/**
 * Review permissions (Entra's consent page for guests, issue 15 item 4): who asks (name and
 * domain), what is shared (name, e-mail address, photo), the organization's privacy statement or
 * a notice that it has none, and Accept / Cancel. Shown by redemption by link (`/redeem/review`)
 * and by direct-link redemption inside the inviting tenant's sign-in interaction.
 */
export function ReviewPermissionsPage({ organization, email, action }: { organization: ReviewOrganization; email: string; action: string }) {
  const { t } = usePage();
  const name = organization.displayName;
  return (
    <>
      <PageHeading title={t('redeem.review.title')} lead={t('redeem.review.signedInAs', { email })} />
      <DescriptionList
        items={[
          { term: t('redeem.review.organization'), value: name },
          { term: t('redeem.review.domain'), value: organization.initialDomain },
        ]}
      />
      <p>{t('redeem.review.wouldLike', { organization: name })}</p>
      <ul data-testid="review-permissions">
        <li>{t('redeem.review.signYouIn')}</li>
        <li>{t('redeem.review.readProfile')}</li>
      </ul>
      <p>{t('redeem.review.notice', { organization: name })}</p>
      {organization.privacyStatementUrl ? (
        <p>
          <a href={organization.privacyStatementUrl} rel="noopener noreferrer" data-testid="privacy-statement">
            {t('redeem.review.privacyStatement', { organization: name })}
          </a>
        </p>
      ) : (
        <p data-testid="no-privacy-statement">{t('redeem.review.noPrivacyStatement', { organization: name })}</p>
      )}
      {organization.privacyContactEmail && <p>{t('redeem.review.privacyContact', { email: organization.privacyContactEmail })}</p>}
      <form className="form" method="post" action={action}>
        <CsrfField />
        <Actions>
          <Button variant="secondary" name="decision" value="cancel">
            {t('redeem.review.cancel')}
          </Button>
          <Button name="decision" value="accept" autoFocus>
            {t('redeem.review.accept')}
          </Button>
        </Actions>
      </form>
    </>
  );
}
