import { createRequire } from 'node:module';
import type { MailTransport } from './mail.types.ts';

/** nodemailer over SMTP (TESSERA_SMTP_URL, e.g. `smtp://user:pass@mail.example.com:587`). */
export function smtpTransport(url: string): MailTransport {
  // loaded only when mail is configured (serve): CLI commands and SMTP-less servers skip nodemailer
  const nodemailer = createRequire(import.meta.url)('nodemailer') as typeof import('nodemailer');
  // pooled: a few connections kept open and reused, so a bulk invitation's mails do not each pay
  // for a TCP (and TLS) handshake and an SMTP greeting; `?pool=false` in the URL turns it off
  const transporter = nodemailer.createTransport({ url, pool: true, maxConnections: 4 });
  return {
    async send(message) {
      // nodemailer writes `messageId` as the Message-ID header instead of generating a random one
      const info = await transporter.sendMail(message);
      return { messageId: info.messageId };
    },
    close: () => transporter.close(),
  };
}
