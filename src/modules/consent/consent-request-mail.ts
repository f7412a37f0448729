import type { OutgoingMail } from '../mail/index.ts';
import type { Recipient } from './consent-requests.types.ts';

/**
 * The admin consent workflow's e-mail (issue 16 item 6), in English and Dutch (a recipient whose
 * preferredLanguage is `nl` or `nl-*` gets Dutch): reviewers hear of a new request and get one
 * reminder half-way; requesters hear the outcome. Every value is escaped in the HTML part; the
 * only link is the admin center's Admin consent requests page on this server.
 */
type Locale = 'en' | 'nl';

export type Outcome = 'approved' | 'denied' | 'blocked' | 'expired';

const texts = {
  en: {
    newSubject: (user: string, app: string) => `${user} requests admin consent for ${app}`,
    newIntro: (user: string, app: string, org: string) => `${user} asks an administrator of ${org} to approve access for the app ${app}.`,
    reminderSubject: (app: string) => `Reminder: a request for ${app} is waiting for your review`,
    reminderIntro: (user: string, app: string, expires: string) => `${user}'s request for the app ${app} is still waiting for a review. It expires on ${expires}.`,
    reason: 'Reason given:',
    permissions: 'Permissions requested:',
    review: 'Review the request',
    orOpen: 'Or open this link:',
    reviewerFooter: (org: string) => `You receive this e-mail because you are a reviewer of admin consent requests in ${org}.`,
    outcomeSubject: { approved: (app: string) => `Your request for ${app} was approved`, denied: (app: string) => `Your request for ${app} was denied`, blocked: (app: string) => `Your request for ${app} was blocked`, expired: (app: string) => `Your request for ${app} has expired` },
    outcomeBody: {
      approved: (app: string, org: string) => `An administrator of ${org} approved your request. You can now sign in to ${app}.`,
      denied: (app: string, org: string) => `An administrator of ${org} denied your request for ${app}. You can ask again later.`,
      blocked: (app: string, org: string) => `An administrator of ${org} blocked ${app}. It can no longer be used or requested.`,
      expired: (app: string, org: string) => `Your request for ${app} was not reviewed in time by an administrator of ${org}. You can ask again.`,
    },
    justification: 'The administrator wrote:',
  },
  nl: {
    newSubject: (user: string, app: string) => `${user} vraagt om beheerderstoestemming voor ${app}`,
    newIntro: (user: string, app: string, org: string) => `${user} vraagt een beheerder van ${org} om toegang voor de app ${app} goed te keuren.`,
    reminderSubject: (app: string) => `Herinnering: een aanvraag voor ${app} wacht op uw beoordeling`,
    reminderIntro: (user: string, app: string, expires: string) => `De aanvraag van ${user} voor de app ${app} wacht nog op beoordeling. Deze verloopt op ${expires}.`,
    reason: 'Opgegeven reden:',
    permissions: 'Aangevraagde machtigingen:',
    review: 'De aanvraag beoordelen',
    orOpen: 'Of open deze koppeling:',
    reviewerFooter: (org: string) => `U ontvangt deze e-mail omdat u aanvragen voor beheerderstoestemming in ${org} beoordeelt.`,
    outcomeSubject: { approved: (app: string) => `Uw aanvraag voor ${app} is goedgekeurd`, denied: (app: string) => `Uw aanvraag voor ${app} is afgewezen`, blocked: (app: string) => `Uw aanvraag voor ${app} is geblokkeerd`, expired: (app: string) => `Uw aanvraag voor ${app} is verlopen` },
    outcomeBody: {
      approved: (app: string, org: string) => `Een beheerder van ${org} heeft uw aanvraag goedgekeurd. U kunt zich nu aanmelden bij ${app}.`,
      denied: (app: string, org: string) => `Een beheerder van ${org} heeft uw aanvraag voor ${app} afgewezen. U kunt het later opnieuw vragen.`,
      blocked: (app: string, org: string) => `Een beheerder van ${org} heeft ${app} geblokkeerd. De app kan niet meer worden gebruikt of aangevraagd.`,
      expired: (app: string, org: string) => `Uw aanvraag voor ${app} is niet op tijd beoordeeld door een beheerder van ${org}. U kunt het opnieuw vragen.`,
    },
    justification: 'De beheerder schreef:',
  },
} as const;

export function mailLocale(preferredLanguage: string | null): Locale {
  return preferredLanguage && /^nl(-|$)/i.test(preferredLanguage) ? 'nl' : 'en';
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A subject is one line, whatever a display name holds. */
const oneLine = (value: string) => [...value].map((c) => (c < ' ' || c === '\u007f' ? ' ' : c)).join('');

function formatDate(value: Date, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(value) + ' UTC';
}

function page(locale: Locale, title: string, body: string): string {
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body style="font-family: Segoe UI, Helvetica, Arial, sans-serif; color: #1b1b1b; max-width: 640px;">
${body}
</body></html>`;
}

const button = (href: string, label: string) =>
  `<p><a href="${escapeHtml(href)}" style="display: inline-block; padding: 10px 20px; background: #0f6cbd; color: #ffffff; text-decoration: none; border-radius: 4px;">${escapeHtml(label)}</a></p>`;

export interface ReviewerMailInput {
  to: Recipient;
  kind: 'new' | 'reminder';
  requester: string;
  appDisplayName: string;
  organization: string;
  reason: string;
  permissions: string[];
  expiresAt: Date;
  /** the admin center's Admin consent requests page */
  reviewUrl: string;
}

export function reviewerMail(input: ReviewerMailInput): OutgoingMail {
  const locale = mailLocale(input.to.preferredLanguage);
  const t = texts[locale];
  const subject = input.kind === 'new' ? t.newSubject(input.requester, input.appDisplayName) : t.reminderSubject(input.appDisplayName);
  const intro = input.kind === 'new' ? t.newIntro(input.requester, input.appDisplayName, input.organization) : t.reminderIntro(input.requester, input.appDisplayName, formatDate(input.expiresAt, locale));
  const text = [intro, '', t.reason, input.reason, '', t.permissions, ...input.permissions.map((p) => `- ${p}`), '', `${t.review}: ${input.reviewUrl}`, '', t.reviewerFooter(input.organization)].join('\n');
  const e = escapeHtml;
  const html = page(
    locale,
    subject,
    `<p>${e(intro)}</p>
<p>${e(t.reason)}</p><blockquote style="white-space: pre-wrap;">${e(input.reason)}</blockquote>
<p>${e(t.permissions)}</p><ul>${input.permissions.map((p) => `<li>${e(p)}</li>`).join('')}</ul>
${button(input.reviewUrl, t.review)}
<p style="font-size: 12px;">${e(t.orOpen)} <a href="${e(input.reviewUrl)}">${e(input.reviewUrl)}</a></p>
<p style="font-size: 12px;">${e(t.reviewerFooter(input.organization))}</p>`,
  );
  return { template: input.kind === 'new' ? 'consentRequest.new' : 'consentRequest.reminder', locale, to: [input.to.mail], subject: oneLine(subject), text, html };
}

export interface OutcomeMailInput {
  to: Recipient;
  outcome: Outcome;
  appDisplayName: string;
  organization: string;
  justification: string | null;
}

export function outcomeMail(input: OutcomeMailInput): OutgoingMail {
  const locale = mailLocale(input.to.preferredLanguage);
  const t = texts[locale];
  const subject = t.outcomeSubject[input.outcome](input.appDisplayName);
  const body = t.outcomeBody[input.outcome](input.appDisplayName, input.organization);
  const text = [body, ...(input.justification ? ['', t.justification, input.justification] : [])].join('\n');
  const e = escapeHtml;
  const html = page(locale, subject, `<p>${e(body)}</p>${input.justification ? `<p>${e(t.justification)}</p><blockquote style="white-space: pre-wrap;">${e(input.justification)}</blockquote>` : ''}`);
  return { template: `consentRequest.${input.outcome}`, locale, to: [input.to.mail], subject: oneLine(subject), text, html };
}
