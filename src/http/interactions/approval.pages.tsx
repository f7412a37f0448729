import type { ConsentPrompt } from '../../modules/consent/index.ts';
import { MAX_REASON_LENGTH } from '../../modules/consent/index.ts';
import { Actions, Alert, Button, CsrfField, PageHeading, usePage } from '../pages/index.ts';
import { AppIdentity } from './consent.pages.tsx';

function Permissions({ prompt }: { prompt: ConsentPrompt }) {
  return (
    <ul data-testid="approval-permissions">
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
  );
}

/** "Back to the app": the sign-in ends with access_denied (the form posts `decision=return`). */
function ReturnForm({ action, label }: { action: string; label: string }) {
  return (
    <form className="form" method="post" action={action}>
      <CsrfField />
      <Actions align="start">
        <Button variant="secondary" name="decision" value="return">
          {label}
        </Button>
      </Actions>
    </form>
  );
}

/**
 * Entra's "Approval required" (AADSTS90095): the user may not consent, and the tenant's admin
 * consent workflow lets them ask. A justification (required, at most 500 characters) goes to the
 * reviewers; a request still waiting is shown and sending again updates it.
 */
export function ApprovalRequiredPage({
  prompt,
  action,
  reason,
  error,
  pendingSince,
}: {
  prompt: ConsentPrompt;
  action: string;
  reason?: string;
  error?: string;
  /** the user's request for this app already waiting (its date, formatted) */
  pendingSince?: string;
}) {
  const { t } = usePage();
  const describedBy = ['field-reason-hint', error && 'field-reason-error'].filter(Boolean).join(' ');
  return (
    <>
      <PageHeading title={t('approval.title')} />
      <AppIdentity app={prompt.app} />
      <p>{t('approval.lead', { app: prompt.app.displayName })}</p>
      <Permissions prompt={prompt} />
      {pendingSince && (
        <Alert tone="info">
          <span data-testid="approval-pending">{t('approval.pending', { date: pendingSince })}</span>
        </Alert>
      )}
      <form className="form" method="post" action={action} noValidate>
        <CsrfField />
        {error && (
          <div className="alert alert--error" role="alert">
            <strong className="alert-title">{t('form.errorSummaryTitle')}</strong>
            <ul>
              <li>
                <a href="#field-reason">{error}</a>
              </li>
            </ul>
          </div>
        )}
        <div className={error ? 'field field--invalid' : 'field'}>
          <label className="field-label" htmlFor="field-reason">
            {t('approval.reasonLabel')}
          </label>
          <p className="field-hint" id="field-reason-hint">
            {t('approval.reasonHint', { max: String(MAX_REASON_LENGTH) })}
          </p>
          {error && (
            <p className="field-error" id="field-reason-error">
              <span className="visually-hidden">{t('form.errorPrefix')} </span>
              {error}
            </p>
          )}
          <textarea
            className="field-input"
            id="field-reason"
            name="reason"
            rows={4}
            maxLength={MAX_REASON_LENGTH}
            defaultValue={reason}
            aria-describedby={describedBy}
            aria-invalid={error ? true : undefined}
            autoFocus
          />
        </div>
        <Actions>
          <Button variant="secondary" name="decision" value="return">
            {t('approval.back')}
          </Button>
          <Button name="decision" value="request">
            {pendingSince ? t('approval.update') : t('approval.submit')}
          </Button>
        </Actions>
      </form>
    </>
  );
}

/** After the request: reviewers were told; going on returns to the app with access_denied. */
export function RequestSentPage({ app, action }: { app: ConsentPrompt['app']; action: string }) {
  const { t } = usePage();
  return (
    <>
      <PageHeading title={t('approval.sent.title')} />
      <AppIdentity app={app} />
      <Alert tone="success">
        <span data-testid="approval-sent">{t('approval.sent.lead', { app: app.displayName })}</span>
      </Alert>
      <ReturnForm action={action} label={t('approval.sent.back')} />
    </>
  );
}

/** Reviewers blocked the app: no request can be made. */
export function RequestsBlockedPage({ app, action }: { app: ConsentPrompt['app']; action: string }) {
  const { t } = usePage();
  return (
    <>
      <PageHeading title={t('approval.blocked.title')} />
      <AppIdentity app={app} />
      <Alert tone="error">
        <span data-testid="approval-blocked">{t('approval.blocked.lead', { app: app.displayName })}</span>
      </Alert>
      <ReturnForm action={action} label={t('approval.back')} />
    </>
  );
}
