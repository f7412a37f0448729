import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Principal } from '../../src/modules/directory/index.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { FormClient, parseForm } from '../helpers/form-client.ts';
import { pkce } from '../helpers/oidc-flow.ts';
import type { Harness } from '../helpers/server.ts';

/**
 * Shared by the B2B end-to-end tests (b2b-*.test.ts): a browser-like walk through the server's
 * pages with a cookie jar (redirects followed like a browser, GET after 303, until a page or an
 * address outside the server), and the tenants, users and apps the flows need.
 */
export interface Visit {
  status: number;
  url: string;
  html: string;
  /** set when the walk stopped at a redirect leaving the server (a client's redirect URI) */
  location?: string;
}

/** Where a response sends the browser on: a redirect, or a page with `Refresh: 0; url=...` (home sign-in's ContinuePage). */
export function nextHop(response: Response, url: string): string | null {
  if (response.status >= 300 && response.status < 400) return new URL(response.headers.get('location')!, url).toString();
  const refresh = /^\s*0\s*;\s*url=(.+)$/i.exec(response.headers.get('refresh') ?? '')?.[1];
  return refresh ? new URL(refresh.trim(), url).toString() : null;
}

export async function go(client: FormClient, base: string, url: string, body?: URLSearchParams): Promise<Visit> {
  let response = await client.request(url, body ? { body } : {});
  for (let hops = 0; nextHop(response, url); hops++) {
    assert.ok(hops < 20, 'too many redirects');
    const next = nextHop(response, url)!;
    if (!next.startsWith(`${base}/`)) {
      await response.arrayBuffer();
      return { status: response.status, url, html: '', location: next };
    }
    await response.arrayBuffer();
    url = next;
    response = await client.request(url);
  }
  return { status: response.status, url, html: await response.text() };
}

/** Submits the page's first form with `fields` added (a button's name/value included). */
export async function submit(client: FormClient, base: string, page: Visit, fields: Record<string, string>, action?: string): Promise<Visit> {
  const form = parseForm(page.html, page.url);
  return go(client, base, action ? new URL(action, page.url).toString() : form.action, new URLSearchParams({ ...form.fields, ...fields }));
}

export const heading = (html: string) => /<h1[^>]*>([^<]*)<\/h1>/.exec(html)?.[1]?.replace(/&#x27;|&#39;/g, "'").replace(/&amp;/g, '&');
export const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/\s+/g, ' ');

/** From a home tenant's sign-in pages (username and/or password), signs in, and returns where the flow went. */
export async function signInAtHome(client: FormClient, base: string, page: Visit, username: string, password: string): Promise<Visit> {
  for (let step = 0; step < 3; step++) {
    if (page.location || page.status !== 200) return page;
    if (/type="password"/.test(page.html) && /name="username"/.test(page.html)) page = await submit(client, base, page, { password });
    else if (/name="username"/.test(page.html)) page = await submit(client, base, page, { username });
    else return page;
  }
  return page;
}

let counter = 0;

/** A second tenant on the server, with a Global Administrator. */
export async function createTenant(h: Harness, name: string): Promise<{ id: string; domain: string }> {
  const domain = `${name.toLowerCase()}${process.pid}x${++counter}.example`;
  const { tenant } = await h.container.tenants.create({ displayName: name, domain, admin: { email: `admin@${domain}`, password: 'Admin-Passw0rd!' } });
  return { id: tenant.id, domain };
}

/** A member of `tenantId` whose UPN and mail are `alias@domain`. */
export async function createMember(h: Harness, tenant: { id: string; domain: string }, alias: string, displayName: string, password: string): Promise<{ id: string; upn: string }> {
  const upn = `${alias}@${tenant.domain}`;
  const system: Principal = { kind: 'system', tenantId: tenant.id };
  const user = await h.container.users.createMember(tenantScope(tenant.id), system, { userPrincipalName: upn, displayName, mailNickname: alias, mail: upn, accountEnabled: true, password });
  return { id: user.id, upn };
}

/** An app registered in the tenant (public client, PKCE) with User.Read consented for everyone. */
export async function createApp(h: Harness, tenantId: string, redirectUri: string): Promise<string> {
  const app = await h.container.applications.create(tenantScope(tenantId), { displayName: 'Contoso Portal', redirectUris: [redirectUri], isPublic: true, delegatedPermissions: ['User.Read'] });
  return app.appId;
}

/** An authorization request of that app at `tenant`, and what the token request needs afterwards. */
export async function authorization(base: string, tenant: string, clientId: string, redirectUri: string): Promise<{ url: string; verifier: string }> {
  const { verifier, challenge } = pkce();
  const query = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: 'openid profile email User.Read',
    state: randomBytes(8).toString('hex'),
    nonce: randomBytes(8).toString('hex'),
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  return { url: `${base}/${tenant}/oauth2/v2.0/authorize?${query}`, verifier };
}

/** Redeems the code at the app's redirect and returns the ID and access tokens' claims. */
export async function redeemCode(base: string, tenant: string, clientId: string, redirectUri: string, location: string, verifier: string): Promise<{ id: Record<string, unknown>; access: Record<string, unknown> }> {
  const code = new URL(location).searchParams.get('code');
  assert.ok(code, `an authorization code came back: ${location}`);
  const response = await fetch(`${base}/${tenant}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: clientId, code_verifier: verifier, scope: 'openid profile email User.Read' }),
  });
  const body = (await response.json()) as Record<string, string>;
  assert.equal(response.status, 200, JSON.stringify(body));
  const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
  return { id: claims(body.id_token!), access: claims(body.access_token!) };
}

/** The newest code in a mail of the tenant's outbox to `to` (the code is the only run of six digits on its own line). */
export async function codeFromOutbox(h: Harness, tenantId: string, to: string): Promise<string> {
  const mails = await h.container.mail.outbox(tenantScope(tenantId), 200);
  const mail = mails.find((m) => m.to.includes(to.toLowerCase()));
  assert.ok(mail, `a mail was sent to ${to}`);
  const code = /^(\d{6})$/m.exec(mail.text)?.[1];
  assert.ok(code, `the mail carries a code: ${mail.text}`);
  return code;
}

export function newClient(): FormClient {
  return new FormClient({ 'accept-language': 'en' });
}
