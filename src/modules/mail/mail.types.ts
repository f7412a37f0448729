export interface OutgoingMail {
  /** which feature wrote it, e.g. `invitation` (for the outbox view and metrics) */
  template: string;
  locale: string;
  to: string[];
  cc?: string[];
  subject: string;
  text: string;
  html: string;
}

export interface OutboxMail extends Required<OutgoingMail> {
  tenantId: string;
  id: string;
  state: 'pending' | 'sent' | 'failed';
  messageId: string | null;
  lastError: string | null;
  createdDateTime: string;
  sentDateTime: string | null;
}

/** How mail leaves the building. nodemailer's SMTP transport in production; tests use a real SMTP server. */
export interface MailTransport {
  /** `messageId` is the Message-ID header to send (with angle brackets): the same on every attempt for one outbox mail */
  send(message: { messageId: string; from: string; to: string[]; cc: string[]; subject: string; text: string; html: string }): Promise<{ messageId: string }>;
  close?(): void;
}
