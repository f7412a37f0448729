/** Outgoing mail: a transactional outbox delivered by a durable job. */
export { MailService, MAIL_DELIVERY_JOB } from './mail.service.ts';
export { smtpTransport } from './smtp.transport.ts';
export { mailRepo, outboxRegistry } from './mail.repo.ts';
export { MailErrors } from './mail.errors.ts';
export type { MailTransport, OutboxMail, OutgoingMail } from './mail.types.ts';
