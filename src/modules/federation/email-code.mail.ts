import type { OutgoingMail } from '../mail/index.ts';
import type { CodePurpose } from './email-codes.repo.ts';

/** The mail carrying a one-time code, in English or Dutch (other languages fall back to English). */
export function emailCodeMail(input: { purpose: CodePurpose; locale: string; to: string; code: string; organization: string; minutes: number }): OutgoingMail {
  const dutch = input.locale.toLowerCase().startsWith('nl');
  const text = dutch ? nl : en;
  const { subject, lead } = text[input.purpose](input.organization);
  const after = text.after(input.minutes);
  const plain = `${lead}\n\n${input.code}\n\n${after}\n`;
  const html =
    `<!doctype html><html lang="${dutch ? 'nl' : 'en'}"><body style="font-family:Segoe UI,Helvetica,Arial,sans-serif;color:#1b1b1b">` +
    `<p>${escape(lead)}</p>` +
    `<p style="font-size:28px;font-weight:600;letter-spacing:6px">${escape(input.code)}</p>` +
    `<p style="color:#555">${escape(after)}</p></body></html>`;
  return { template: `federation.${input.purpose}Code`, locale: dutch ? 'nl' : 'en', to: [input.to], subject, text: plain, html };
}

type Texts = Record<CodePurpose, (organization: string) => { subject: string; lead: string }> & { after: (minutes: number) => string };

const en: Texts = {
  signup: () => ({ subject: 'Your account verification code', lead: 'Use this code to confirm your e-mail address and create your account:' }),
  guestOtp: (organization) => ({ subject: `${organization} account verification code`, lead: `Use this code to sign in to ${organization}:` }),
  after: (minutes) => `The code expires in ${minutes} minutes. If you didn't ask for it, you can ignore this e-mail: nobody can use your address without the code.`,
};

const nl: Texts = {
  signup: () => ({ subject: 'Uw verificatiecode voor uw account', lead: 'Gebruik deze code om uw e-mailadres te bevestigen en uw account te maken:' }),
  guestOtp: (organization) => ({ subject: `Verificatiecode voor ${organization}`, lead: `Gebruik deze code om u aan te melden bij ${organization}:` }),
  after: (minutes) => `De code verloopt over ${minutes} minuten. Hebt u er niet om gevraagd, dan kunt u deze e-mail negeren: zonder de code kan niemand uw adres gebruiken.`,
};

function escape(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
