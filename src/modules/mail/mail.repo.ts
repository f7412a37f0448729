import type { Executor } from '../../storage/database.ts';
import type { TenantDb } from '../../storage/scoped.ts';
import { iso, json, toJson } from '../../storage/values.ts';
import type { OutboxMail, OutgoingMail } from './mail.types.ts';

type MailRow = {
  tenant_id: string;
  id: string;
  template: string;
  locale: string;
  to_addresses: unknown;
  cc_addresses: unknown;
  subject: string;
  text_body: string;
  html_body: string;
  state: OutboxMail['state'];
  message_id: string | null;
  last_error: string | null;
  created_at: string | Date;
  sent_at: string | Date | null;
};

export const mailRepo = Object.freeze({
  async insert(tdb: TenantDb, id: string, mail: OutgoingMail, now: string): Promise<void> {
    await tdb
      .insertInto('mail_outbox', {
        id,
        template: mail.template,
        locale: mail.locale,
        to_addresses: toJson(mail.to),
        cc_addresses: toJson(mail.cc ?? []),
        subject: mail.subject,
        text_body: mail.text,
        html_body: mail.html,
        state: 'pending',
        message_id: null,
        last_error: null,
        created_at: now,
        sent_at: null,
      })
      .execute();
  },

  async get(tdb: TenantDb, id: string): Promise<OutboxMail | undefined> {
    const row = await tdb.selectFrom('mail_outbox').selectAll().where('mail_outbox.id', '=', id).executeTakeFirst();
    return row ? toMail(row) : undefined;
  },

  async list(tdb: TenantDb, limit: number): Promise<OutboxMail[]> {
    const rows = await tdb.selectFrom('mail_outbox').selectAll().orderBy('created_at', 'desc').limit(limit).execute();
    return rows.map(toMail);
  },

  async settle(tdb: TenantDb, id: string, outcome: { state: 'sent'; messageId: string; at: string } | { state: 'failed'; error: string }): Promise<void> {
    const patch = outcome.state === 'sent' ? { state: 'sent' as const, message_id: outcome.messageId, sent_at: outcome.at, last_error: null } : { state: 'failed' as const, last_error: outcome.error };
    await tdb.updateTable('mail_outbox').set(patch).where('mail_outbox.id', '=', id).execute();
  },
});

/** The development mailbox (`/dev/mail`) shows every tenant's outbox; nothing else reads across tenants. */
export const outboxRegistry = Object.freeze({
  async recent(ex: Executor, limit: number): Promise<OutboxMail[]> {
    const rows = await ex.selectFrom('mail_outbox').selectAll().orderBy('created_at', 'desc').limit(limit).execute();
    return rows.map(toMail);
  },
});

function toMail(row: MailRow): OutboxMail {
  return {
    tenantId: row.tenant_id,
    id: row.id,
    template: row.template,
    locale: row.locale,
    to: json<string[]>(row.to_addresses, []),
    cc: json<string[]>(row.cc_addresses, []),
    subject: row.subject,
    text: row.text_body,
    html: row.html_body,
    state: row.state,
    messageId: row.message_id,
    lastError: row.last_error,
    createdDateTime: iso(row.created_at),
    sentDateTime: iso(row.sent_at, 'nullable'),
  };
}
