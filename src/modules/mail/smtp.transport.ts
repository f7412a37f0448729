import nodemailer from 'nodemailer';
import type { MailTransport } from './mail.types.ts';

/** nodemailer over SMTP (TESSERA_SMTP_URL, e.g. `smtp://user:pass@mail.example.com:587`). */
export function smtpTransport(url: string): MailTransport {
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
