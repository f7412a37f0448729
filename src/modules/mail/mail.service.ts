import type { Clock } from '../../kernel/clock.ts';
import { isEmail } from '../../kernel/body.ts';
import { newId } from '../../kernel/ids.ts';
import type { Database } from '../../storage/database.ts';
import { scoped, type TenantDb } from '../../storage/scoped.ts';
import type { TenantScope } from '../../tenancy/scope.ts';
import type { QueueService } from '../queue/index.ts';
import { MailErrors } from './mail.errors.ts';
import { mailRepo, outboxRegistry } from './mail.repo.ts';
import type { MailTransport, OutboxMail, OutgoingMail } from './mail.types.ts';

export const MAIL_DELIVERY_JOB = 'mail.deliver';

/**
 * The transactional outbox (DESIGN §6): `send` writes the mail in the caller's transaction and, when
 * a transport is configured, queues its delivery; without one (no TESSERA_SMTP_URL) the mail stays
 * in the outbox, readable at /dev/mail.
 */
export class MailService {
  readonly #messageIdDomain: string;

  /** `messageIdDomain`: the right-hand side of every Message-ID, the base URL's host (default: the From address's domain) */
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly queue: QueueService,
    private readonly transport: MailTransport | null,
    private readonly from: string,
    messageIdDomain?: string,
  ) {
    this.#messageIdDomain = messageIdDomain ?? /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'tessera.invalid';
  }

  get deliveryEnabled(): boolean {
    return this.transport !== null;
  }

  async send(tdb: TenantDb, mail: OutgoingMail): Promise<string> {
    const recipients = [...mail.to, ...(mail.cc ?? [])];
    if (mail.to.length === 0) throw MailErrors.noRecipients();
    for (const address of recipients) if (!isEmail(address)) throw MailErrors.invalidRecipient(address);
    const id = newId();
    await mailRepo.insert(tdb, id, mail, this.clock.now().toISOString());
    if (this.transport) await this.queue.enqueue(tdb, MAIL_DELIVERY_JOB, { mailId: id }, { maxAttempts: 8 });
    return id;
  }

  /**
   * The delivery job's work: hand the mail to the transport; a transport error is retried by the job.
   * `beforeSend` runs immediately before the hand-over and throws when this delivery may no longer
   * send (the job's lease was lost): then nothing is sent or recorded. Delivery is at least once: a
   * node that dies between the SMTP server's accept and marking the row sent leaves the mail to be
   * sent again, and every attempt carries the same Message-ID so receivers see one message.
   */
  async deliver(scope: TenantScope, mailId: string, guard: { beforeSend(): Promise<void> }): Promise<void> {
    if (!this.transport) throw new Error('mail delivery is not configured');
    const tdb = scoped(this.database, scope);
    const mail = await mailRepo.get(tdb, mailId);
    if (!mail) throw MailErrors.notFound(mailId);
    if (mail.state === 'sent') return;
    const messageId = this.messageIdOf(mail.id);
    await guard.beforeSend();
    const sent = await this.transport.send({ messageId, from: this.from, to: mail.to, cc: mail.cc, subject: mail.subject, text: mail.text, html: mail.html });
    await mailRepo.settle(tdb, mailId, { state: 'sent', messageId: sent.messageId, at: this.clock.now().toISOString() });
  }

  /** `<{outbox id}@{base URL host}>`: derived from the row, so every delivery attempt of a mail names it alike. */
  messageIdOf(mailId: string): string {
    return `<${mailId}@${this.#messageIdDomain}>`;
  }

  /** A delivery that will not be retried any more. */
  async markFailed(scope: TenantScope, mailId: string, error: string): Promise<void> {
    await mailRepo.settle(scoped(this.database, scope), mailId, { state: 'failed', error });
  }

  outbox(scope: TenantScope, limit = 50): Promise<OutboxMail[]> {
    return mailRepo.list(scoped(this.database, scope), limit);
  }

  /** Every tenant's recent mail, for the development mailbox only. */
  recentForDevMailbox(limit = 100): Promise<OutboxMail[]> {
    return outboxRegistry.recent(this.database.db, limit);
  }
}
