import { MAIL_DELIVERY_JOB, type MailService } from '../modules/mail/index.ts';
import { isLeaseLost } from '../modules/queue/index.ts';
import type { JobRunner } from './runner.ts';

/** Every job kind the server runs, and the module use-case that does the work. */
export function registerJobHandlers(runner: JobRunner, services: { mail: MailService }): void {
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
}
