import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { FormClient, parseForm } from './form-client.ts';

/** PKCE pair (S256). */
export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function authorizeUrl(base: string, tenant: string, params: Record<string, string>): string {
  return `${base}/${tenant}/oauth2/v2.0/authorize?${new URLSearchParams({ response_type: 'code', ...params }).toString()}`;
}

/**
 * Signs in through the sign-in pages: from an authorization URL, through whichever forms come
 * (sign-in name, password), to the redirect to `redirectUri`. Returns that redirect, or the page
 * where it stopped (an error, a lockout...).
 */
export async function signInThroughPages(
  client: FormClient,
  url: string,
  username: string,
  password: string,
  redirectUri: string,
): Promise<{ redirect: URL | null; page: { status: number; html: string; url: string } | null }> {
  const stop = (location: string) => location.startsWith(redirectUri);
  let step = await client.follow(url, {}, stop);
  let submittedPassword = false;
  for (let i = 0; i < 4; i++) {
    if (step.location) return { redirect: new URL(step.location), page: null };
    const html = await step.response.text();
    const asksPassword = /type="password"/.test(html);
    if (step.response.status !== 200 || (asksPassword && submittedPassword) || !/name="username"/.test(html)) {
      return { redirect: null, page: { status: step.response.status, html, url: step.url } };
    }
    const form = parseForm(html, step.url);
    submittedPassword ||= asksPassword;
    step = await client.follow(form.action, { body: new URLSearchParams({ ...form.fields, ...(asksPassword ? { password } : { username }) }) }, stop);
  }
  assert.fail('the sign-in did not finish');
}

export async function tokenRequest(base: string, tenant: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${base}/${tenant}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  const text = await response.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    assert.fail(`token endpoint answered ${response.status} with non-JSON: ${text.slice(0, 300)}`);
  }
  return { status: response.status, body };
}
