import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { AppError } from '../../kernel/errors.ts';
import { isGuid } from '../../kernel/ids.ts';
import type { MailService, OutboxMail } from '../../modules/mail/index.ts';
import { tenantScope } from '../../tenancy/scope.ts';
import { DescriptionList, PageHeading, Section } from '../pages/index.ts';

/**
 * `/dev/mail`: the outbox as a mailbox, for running Tessera without an SMTP server (DESIGN §6).
 * It exists only while no TESSERA_SMTP_URL is set, and answers only loopback clients, because
 * invitation and sign-in links in those mails are credentials.
 */
const notFound = () => new AppError('notFound', 'dev.mailboxOff', 'Not found.');

function guard(mail: MailService, request: FastifyRequest): void {
  const local = request.ip === '127.0.0.1' || request.ip === '::1' || request.ip === '::ffff:127.0.0.1';
  if (mail.deliveryEnabled || !local) throw notFound();
}

function MailList({ mails }: { mails: OutboxMail[] }) {
  return (
    <>
      <PageHeading title="Development mailbox" lead="Mail stays here because no SMTP server is configured (TESSERA_SMTP_URL)." />
      {mails.length === 0 ? (
        <p>No mail yet.</p>
      ) : (
        <ul className="dev-mail-list">
          {mails.map((m) => (
            <li key={m.id}>
              <a href={`/dev/mail/${m.tenantId}/${m.id}`}>{m.subject}</a> to {m.to.join(', ')} <small>({m.createdDateTime}, {m.template}, {m.locale})</small>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function MailView({ mail }: { mail: OutboxMail }) {
  return (
    <>
      <PageHeading title={mail.subject} lead={`To ${mail.to.join(', ')}`} />
      <DescriptionList items={[{ term: 'Template', value: mail.template }, { term: 'Language', value: mail.locale }, { term: 'Written', value: mail.createdDateTime }, ...(mail.cc.length ? [{ term: 'Cc', value: mail.cc.join(', ') }] : [])]} />
      <Section title="Text">
        <pre className="dev-mail-text">{mail.text}</pre>
      </Section>
      <p>
        <a href={`/dev/mail/${mail.tenantId}/${mail.id}/html`}>View the HTML version</a> · <a href="/dev/mail">All mail</a>
      </p>
    </>
  );
}

export const devMailRoutes: FastifyPluginAsync<{ mail: MailService }> = async (app, { mail }) => {
  app.get('/dev/mail', async (request, reply) => {
    guard(mail, request);
    return reply.page(<MailList mails={await mail.recentForDevMailbox(100)} />, { title: 'Development mailbox', width: 'wide' });
  });

  const find = async (request: FastifyRequest<{ Params: { tenantId: string; id: string } }>) => {
    guard(mail, request);
    const { tenantId, id } = request.params;
    if (!isGuid(tenantId) || !isGuid(id)) throw notFound();
    const found = (await mail.outbox(tenantScope(tenantId), 1000)).find((m) => m.id === id);
    if (!found) throw notFound();
    return found;
  };

  app.get<{ Params: { tenantId: string; id: string } }>('/dev/mail/:tenantId/:id', async (request, reply) => {
    const found = await find(request);
    return reply.page(<MailView mail={found} />, { title: found.subject, width: 'wide' });
  });

  // The mail's own HTML, sandboxed: no scripts, no same-origin access, nothing loaded from elsewhere.
  app.get<{ Params: { tenantId: string; id: string } }>('/dev/mail/:tenantId/:id/html', async (request, reply) => {
    const found = await find(request);
    return reply
      .header('content-security-policy', "sandbox; default-src 'none'; img-src https: data:; style-src 'unsafe-inline'")
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(found.html);
  });
};
