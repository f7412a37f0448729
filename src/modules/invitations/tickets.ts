import { randomToken, safeEqual, type SecretBox } from '../../kernel/secrets.ts';

/**
 * Invitation tickets: 32 random bytes (base64url, 43 characters) in the redeem URL, stored only as
 * a keyed hash (SecretBox.mac under TESSERA_SECRET), single use, valid for 90 days by default.
 */
export const TICKET = { bytes: 32, length: 43, defaultLifetimeDays: 90 } as const;

const TICKET_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function newTicket(): string {
  return randomToken(TICKET.bytes);
}

/** Whether a string can be a ticket at all (anything else is refused without a database read). */
export function looksLikeTicket(value: string): boolean {
  return TICKET_SHAPE.test(value);
}

export function ticketHash(secrets: SecretBox, ticket: string): string {
  return secrets.mac(`invitation-ticket:${ticket}`);
}

export function ticketMatches(secrets: SecretBox, ticket: string, storedHash: string | null): boolean {
  return storedHash !== null && safeEqual(ticketHash(secrets, ticket), storedHash);
}

/** The contract's inviteRedeemUrl: `${base}/redeem?tenant=…&user=…&ticket=…&ver=2.0` (GET /redeem is the redemption page). */
export function redeemUrl(baseUrl: string, tenantId: string, userId: string, ticket: string): string {
  const query = new URLSearchParams({ tenant: tenantId, user: userId, ticket, ver: '2.0' });
  return `${baseUrl}/redeem?${query.toString()}`;
}
