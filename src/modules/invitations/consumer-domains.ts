/**
 * Consumer (personal) e-mail domains, as data. The seed's rule (B2B preview: "consumer email
 * domains are not supported") is kept as the default: a tenant refuses invitations to these unless
 * its b2bManagementPolicy says `allowConsumerDomains: true`. Exact domains, plus families whose
 * provider runs one domain per country (`gmx.*`, `yahoo.*`, ...), matched on the label before the
 * public suffix.
 */
export const CONSUMER_DOMAINS: ReadonlySet<string> = new Set([
  'gmail.com', 'googlemail.com',
  'outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'passport.com', 'windowslive.com',
  'yahoo.com', 'ymail.com', 'rocketmail.com',
  'aol.com', 'aim.com',
  'icloud.com', 'me.com', 'mac.com',
  'comcast.net', 'verizon.net', 'att.net', 'sbcglobal.net', 'bellsouth.net', 'cox.net', 'charter.net', 'earthlink.net',
  'proton.me', 'protonmail.com', 'protonmail.ch', 'pm.me',
  'mail.com', 'email.com', 'zoho.com', 'zohomail.com', 'yandex.com', 'yandex.ru', 'mail.ru', 'inbox.ru', 'bk.ru', 'list.ru',
  'tutanota.com', 'tuta.io', 'fastmail.com', 'hushmail.com', 'qq.com', '163.com', '126.com', 'naver.com', 'hanmail.net',
  'web.de', 't-online.de', 'freenet.de', 'orange.fr', 'wanadoo.fr', 'free.fr', 'laposte.net', 'sfr.fr',
  'libero.it', 'virgilio.it', 'ziggo.nl', 'kpnmail.nl', 'planet.nl', 'home.nl', 'hetnet.nl', 'xs4all.nl', 'telenet.be', 'skynet.be',
  'btinternet.com', 'sky.com', 'virginmedia.com', 'talktalk.net', 'shaw.ca', 'rogers.com', 'sympatico.ca', 'bigpond.com', 'optusnet.com.au',
  'rediffmail.com', 'seznam.cz', 'wp.pl', 'o2.pl', 'interia.pl', 'onet.pl',
]);

/** Providers with the same mailbox service under many country domains: `gmx.de`, `gmx.net`, `yahoo.co.uk`, `hotmail.fr`... */
export const CONSUMER_DOMAIN_FAMILIES: ReadonlySet<string> = new Set(['gmx', 'yahoo', 'hotmail', 'outlook', 'live', 'windowslive', 'msn']);

/** Second-level labels under which country registries put public suffixes (`co.uk`, `com.au`). */
const SECOND_LEVEL = new Set(['co', 'com', 'net', 'org']);

export function isConsumerDomain(domain: string): boolean {
  const name = domain.trim().toLowerCase().replace(/\.$/, '');
  if (CONSUMER_DOMAINS.has(name)) return true;
  const labels = name.split('.');
  if (labels.length < 2) return false;
  // the label right before the public suffix: gmx.de -> gmx, yahoo.co.uk -> yahoo
  const suffixLength = labels.length >= 3 && SECOND_LEVEL.has(labels[labels.length - 2]!) && labels[labels.length - 1]!.length === 2 ? 2 : 1;
  const owner = labels[labels.length - 1 - suffixLength];
  return labels.length === suffixLength + 1 && owner !== undefined && CONSUMER_DOMAIN_FAMILIES.has(owner);
}
