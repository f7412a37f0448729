import { MAIL_DELIVERY_JOB, type MailService } from '../modules/mail/index.ts';
import { isLeaseLost } from '../modules/queue/index.ts';
import { BULK_INVITATIONS_JOB, type BulkService } from '../modules/bulk/index.ts';
import { CONSENT_REQUEST_EXPIRY_JOB, CONSENT_REQUEST_REMINDER_JOB, type ConsentRequestsService } from '../modules/consent/index.ts';
import type { JobRunner } from './runner.ts';

/** Every job kind the server runs, and the module use-case that does the work. */
export function registerJobHandlers(runner: JobRunner, services: { mail: MailService; bulk?: BulkService; consentRequests?: ConsentRequestsService }): void {
  runner.register(MAIL_DELIVERY_JOB, async ({ job, scope, assertLease }) => {
    const { mailId } = job.payload as { mailId: string };
    try {
      // the lease is checked right before the hand-over to SMTP: a node that lost it (stalled past
      // its lease while another node took the job over) must not send the mail a second time
      await services.mail.deliver(scope, mailId, { beforeSend: assertLease });
    } catch (error) {
      // a lost lease: the mail is the new lease holder's to send, fail or mark
      if (isLeaseLost(error)) throw error;
      // the last attempt marks the mail itself as failed, so the outbox tells the truth
      if (job.attempts >= job.maxAttempts) {
        await assertLease();
        await services.mail.markFailed(scope, mailId, error instanceof Error ? error.message : String(error));
      }
      throw error;
    }
  });
  const consentRequests = services.consentRequests;
  if (consentRequests) {
    // both settle in one transaction each (mail to the outbox with them), so a retry after a crash repeats nothing
    runner.register(CONSENT_REQUEST_EXPIRY_JOB, async ({ job, scope }) => {
      await consentRequests.expire(scope, (job.payload as { userRequestId: string }).userRequestId);
    });
    runner.register(CONSENT_REQUEST_REMINDER_JOB, async ({ job, scope }) => {
      await consentRequests.remind(scope, (job.payload as { userRequestId: string }).userRequestId);
    });
  }
  const bulk = services.bulk;
  if (bulk) {
    runner.register(BULK_INVITATIONS_JOB, async ({ job, scope, assertLease }) => {
      const { operationId } = job.payload as { operationId: string };
      try {
        // rows are settled a batch per transaction; the lease is checked before each batch
        await bulk.run(scope, operationId, { assertLease });
      } catch (error) {
        if (isLeaseLost(error)) throw error;
        // the last attempt: the rows left fail with the reason, so the operation does not stay "running"
        if (job.attempts >= job.maxAttempts) {
          await assertLease();
          await bulk.abandon(scope, operationId, error instanceof Error ? error.message : String(error));
        }
        throw error;
      }
    });
  }
}
