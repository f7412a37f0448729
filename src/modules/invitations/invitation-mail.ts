import type { OutgoingMail } from '../mail/index.ts';

/**
 * The invitation e-mail (issue 15 item 2), in English and Dutch. `messageLanguage` nl, nl-NL,
 * nl-BE (any `nl-*`) gives Dutch, anything else English; as in Graph it is ignored when the inviter
 * wrote a customized message (the mail is then in English around that message). Every value is
 * escaped in the HTML part; links are only our redeem URL and the organization's http(s) privacy
 * statement URL.
 */
export interface InvitationMailInput {
  to: string;
  cc: string | null;
  inviterName: string;
  inviterEmail: string | null;
  organizationName: string;
  organizationDomain: string;
  privacyStatementUrl: string | null;
  customizedMessageBody: string | null;
  messageLanguage: string | null;
  redeemUrl: string;
}

type Locale = 'en' | 'nl';

const texts = {
  en: {
    subject: (inviter: string) => `${inviter} invited you to access applications within their organization`,
    intro: (inviter: string, org: string) => `${inviter} invited you to access applications within ${org}.`,
    organization: 'Organization',
    domain: 'Domain',
    message: (inviter: string) => `Message from ${inviter}:`,
    button: 'Get started',
    orOpen: 'Or open this link:',
    privacy: (org: string) => `${org}'s privacy statement:`,
    noPrivacy: (org: string) => `${org} has not provided a privacy statement.`,
    accepting: (org: string) => `By accepting this invitation you will be signed in to ${org} with your own account; ${org} will see your name, e-mail address and photo.`,
    ignore: 'If you did not expect this invitation, you can ignore this e-mail.',
  },
  nl: {
    subject: (inviter: string) => `${inviter} heeft u uitgenodigd voor toegang tot toepassingen binnen de organisatie`,
    intro: (inviter: string, org: string) => `${inviter} heeft u uitgenodigd voor toegang tot toepassingen binnen ${org}.`,
    organization: 'Organisatie',
    domain: 'Domein',
    message: (inviter: string) => `Bericht van ${inviter}:`,
    button: 'Aan de slag',
    orOpen: 'Of open deze koppeling:',
    privacy: (org: string) => `Privacyverklaring van ${org}:`,
    noPrivacy: (org: string) => `${org} heeft geen privacyverklaring opgegeven.`,
    accepting: (org: string) => `Als u deze uitnodiging accepteert, meldt u zich bij ${org} aan met uw eigen account; ${org} ziet uw naam, e-mailadres en foto.`,
    ignore: 'Als u deze uitnodiging niet verwachtte, kunt u deze e-mail negeren.',
  },
} as const;

export function invitationLocale(messageLanguage: string | null, customizedMessageBody: string | null): Locale {
  if (customizedMessageBody) return 'en';
  return messageLanguage && /^nl(-|$)/i.test(messageLanguage) ? 'nl' : 'en';
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Only http(s) links go into the mail (a stored javascript: URL would never be clickable). */
function safeLink(url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.toString() : null;
  } catch {
    return null;
  }
}

export function invitationMail(input: InvitationMailInput): OutgoingMail {
  const locale = invitationLocale(input.messageLanguage, input.customizedMessageBody);
  const t = texts[locale];
  const inviter = input.inviterEmail ? `${input.inviterName} (${input.inviterEmail})` : input.inviterName;
  const org = input.organizationName;
  const privacy = safeLink(input.privacyStatementUrl);
  const custom = input.customizedMessageBody?.trim() || null;

  const text = [
    t.intro(inviter, org),
    '',
    `${t.organization}: ${org}`,
    `${t.domain}: ${input.organizationDomain}`,
    ...(custom ? ['', t.message(input.inviterName), custom] : []),
    '',
    `${t.button}: ${input.redeemUrl}`,
    '',
    privacy ? `${t.privacy(org)} ${privacy}` : t.noPrivacy(org),
    '',
    t.accepting(org),
    t.ignore,
  ].join('\n');

  const e = escapeHtml;
  const html = `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><title>${e(t.subject(input.inviterName))}</title></head>
<body style="font-family: Segoe UI, Helvetica, Arial, sans-serif; color: #1b1b1b; max-width: 640px;">
<p>${e(t.intro(inviter, org))}</p>
<table role="presentation"><tr><td>${e(t.organization)}:</td><td><strong>${e(org)}</strong></td></tr><tr><td>${e(t.domain)}:</td><td>${e(input.organizationDomain)}</td></tr></table>
${custom ? `<p>${e(t.message(input.inviterName))}</p><blockquote style="white-space: pre-wrap;">${e(custom)}</blockquote>` : ''}
<p><a href="${e(input.redeemUrl)}" style="display: inline-block; padding: 10px 20px; background: #0f6cbd; color: #ffffff; text-decoration: none; border-radius: 4px;">${e(t.button)}</a></p>
<p style="font-size: 12px;">${e(t.orOpen)} <a href="${e(input.redeemUrl)}">${e(input.redeemUrl)}</a></p>
<p style="font-size: 12px;">${privacy ? `${e(t.privacy(org))} <a href="${e(privacy)}">${e(privacy)}</a>` : e(t.noPrivacy(org))}</p>
<p style="font-size: 12px;">${e(t.accepting(org))}<br>${e(t.ignore)}</p>
</body></html>`;

  return {
    template: 'invitation',
    locale,
    to: [input.to],
    ...(input.cc ? { cc: [input.cc] } : {}),
    // a display name never breaks the header (nodemailer folds it, but a line break has no place in a subject)
    subject: [...t.subject(input.inviterName)].map((c) => (c < ' ' || c === '\u007f' ? ' ' : c)).join(''),
    text,
    html,
  };
}
