import { defineErrors } from '../../kernel/errors.ts';

export const MailErrors = defineErrors('mail', {
  invalidRecipient: { kind: 'badRequest', message: (address: string) => `'${address}' is not a valid e-mail address.` },
  noRecipients: { kind: 'badRequest', message: () => 'A mail needs at least one recipient.' },
  notFound: { kind: 'notFound', message: (id: string) => `Mail '${id}' is not in the outbox.` },
});
