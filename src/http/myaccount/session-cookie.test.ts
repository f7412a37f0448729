import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SecretBox } from '../../kernel/secrets.ts';
import { MyAccountCookies, PENDING_COOKIE, SESSION_COOKIE, SESSION_SECONDS } from './session-cookie.ts';

/** A reply that records cookies, and a request that sends them back. */
function jar() {
  const cookies: Record<string, { value: string; options: Record<string, unknown> }> = {};
  const reply = {
    setCookie: (name: string, value: string, options: Record<string, unknown>) => (cookies[name] = { value, options }),
    clearCookie: (name: string) => delete cookies[name],
  } as unknown as FastifyReply;
  const request = () => ({ cookies: Object.fromEntries(Object.entries(cookies).map(([name, c]) => [name, c.value])) }) as unknown as FastifyRequest;
  return { cookies, reply, request };
}

const session = { tenantId: 't', userId: 'u', idToken: 'id.token.x', grantId: 'g' };

test('the session cookie is sealed, HttpOnly, path-scoped, and ends at its own expiry', () => {
  let now = new Date('2026-11-23T12:00:00Z');
  const cookies = new MyAccountCookies(new SecretBox('test-secret-0123456789abcdef'), () => now, () => true);
  const { cookies: sent, reply, request } = jar();
  cookies.writeSession(reply, session);
  const cookie = sent[SESSION_COOKIE]!;
  assert.deepEqual(cookie.options, { path: '/myaccount', maxAge: SESSION_SECONDS, httpOnly: true, sameSite: 'lax', secure: true });
  assert.ok(!cookie.value.includes('id.token.x'), 'sealed, not merely encoded');
  assert.deepEqual({ ...cookies.readSession(request()), expiresAt: 0 }, { ...session, expiresAt: 0 });

  now = new Date(now.getTime() + SESSION_SECONDS * 1000 - 1000);
  assert.ok(cookies.readSession(request()), 'valid until its end');
  now = new Date(now.getTime() + 1000);
  assert.equal(cookies.readSession(request()), null, 'a replayed copy past its expiry is refused');
});

test('a cookie of one kind is not accepted as the other, nor one sealed under another secret', () => {
  const now = () => new Date('2026-11-23T12:00:00Z');
  const cookies = new MyAccountCookies(new SecretBox('test-secret-0123456789abcdef'), now, () => false);
  const { cookies: sent, reply, request } = jar();
  cookies.writePending(reply, { state: 's', nonce: 'n', codeVerifier: 'v', returnTo: '/myaccount' });
  assert.equal(sent[PENDING_COOKIE]!.options.path, '/myaccount/callback');
  assert.equal(sent[PENDING_COOKIE]!.options.secure, false);
  assert.equal(cookies.readPending(request())?.state, 's');
  // the pending cookie's value presented as a session
  assert.equal(cookies.readSession({ cookies: { [SESSION_COOKIE]: sent[PENDING_COOKIE]!.value } } as unknown as FastifyRequest), null);
  const other = new MyAccountCookies(new SecretBox('another-secret-0123456789'), now, () => false);
  assert.equal(other.readPending(request()), null);
});
