import { createRequire } from 'node:module';
import type { MailTransport } from './mail.types.ts';

/** nodemailer over SMTP (TESSERA_SMTP_URL, e.g. `smtp://user:pass@mail.example.com:587`). */
export function smtpTransport(url: string): MailTransport {
  // loaded only when mail is configured (serve): CLI commands and SMTP-less servers skip nodemailer
  const nodemailer = createRequire(import.meta.url)('nodemailer') as typeof import('nodemailer');
  const transporter = nodemailer.createTransport(url);
  return {
    async send(message) {
      // nodemailer writes `messageId` as the Message-ID header instead of generating a random one
      const info = await transporter.sendMail(message);
      return { messageId: info.messageId };
    },
    close: () => transporter.close(),
  };
}
