import { MAIL_DELIVERY_JOB, type MailService } from '../modules/mail/index.ts';
import type { JobRunner } from './runner.ts';

/** Every job kind the server runs, and the module use-case that does the work. */
export function registerJobHandlers(runner: JobRunner, services: { mail: MailService }): void {
  runner.register(MAIL_DELIVERY_JOB, async ({ job, scope }) => {
    const { mailId } = job.payload as { mailId: string };
    try {
      await services.mail.deliver(scope, mailId);
    } catch (error) {
      // the last attempt marks the mail itself as failed, so the outbox tells the truth
      if (job.attempts >= job.maxAttempts) await services.mail.markFailed(scope, mailId, error instanceof Error ? error.message : String(error));
      throw error;
    }
  });
}
