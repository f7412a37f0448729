import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalResource, parseScopes, ScopeError, translateEntraParams } from './entra-scopes.ts';

const BASE = 'https://id.example';

test('bare scopes mean Graph; OIDC scopes stay apart', () => {
  assert.deepEqual(parseScopes('openid profile offline_access User.Read', BASE), { oidc: ['openid', 'profile', 'offline_access'], resource: BASE, values: ['User.Read'], isDefault: false });
  assert.deepEqual(parseScopes('openid', BASE), { oidc: ['openid'], resource: null, values: [], isDefault: false });
});

test('Graph is reached by its base URL, https://graph.microsoft.com or its appId; apps by api://{appId} or their appId', () => {
  assert.equal(parseScopes('https://graph.microsoft.com/User.Read', BASE).resource, BASE);
  assert.equal(parseScopes(`${BASE}/.default`, BASE).resource, BASE);
  assert.equal(parseScopes('00000003-0000-0000-c000-000000000000/.default', BASE).resource, BASE);
  assert.equal(parseScopes('api://3f1b2c4d-1111-4222-8333-444455556666/access', BASE).resource, 'api://3f1b2c4d-1111-4222-8333-444455556666');
  assert.equal(canonicalResource('3F1B2C4D-1111-4222-8333-444455556666', BASE), 'api://3f1b2c4d-1111-4222-8333-444455556666');
  assert.deepEqual(parseScopes(`${BASE}/.default`, BASE).values, []);
  assert.equal(parseScopes(`${BASE}/.default`, BASE).isDefault, true);
});

test('two resources in one request, or /.default beside another scope, are invalid_scope', () => {
  assert.throws(() => parseScopes('User.Read api://3f1b2c4d-1111-4222-8333-444455556666/access', BASE), (e: ScopeError) => e.error === 'invalid_scope' && /^AADSTS28000/.test(e.message));
  assert.throws(() => parseScopes('https://graph.microsoft.com/.default User.Read', BASE), (e: ScopeError) => e.error === 'invalid_scope' && /^AADSTS70011/.test(e.message));
});

const consented = async () => new Set(['User.Read', 'Directory.Read.All', 'openid']);
const translated = async (query: Record<string, string>, endpoint: 'authorize' | 'token') => {
  const params = new URLSearchParams(query);
  await translateEntraParams(params, endpoint, { baseUrl: BASE, consentedScopes: consented });
  return Object.fromEntries(params);
};

test('authorize: the resource moves to `resource`; /.default becomes the consented scopes; offline_access is remembered', async () => {
  assert.deepEqual(await translated({ client_id: 'c', scope: 'openid offline_access https://graph.microsoft.com/User.Read' }, 'authorize'), {
    client_id: 'c',
    scope: 'openid offline_access User.Read',
    resource: BASE,
    tessera_offline_access: '1',
  });
  assert.deepEqual(await translated({ client_id: 'c', scope: `openid ${BASE}/.default` }, 'authorize'), { client_id: 'c', scope: 'openid User.Read Directory.Read.All', resource: BASE });
  assert.deepEqual(await translated({ client_id: 'c', scope: 'openid', tessera_offline_access: '1' }, 'authorize'), { client_id: 'c', scope: 'openid' }, 'a client cannot set the marker itself');
});

test('token: client credentials need /.default; code redemption drops the scope; refresh keeps it without offline_access', async () => {
  assert.deepEqual(await translated({ grant_type: 'client_credentials', scope: 'https://graph.microsoft.com/.default' }, 'token'), { grant_type: 'client_credentials', resource: BASE });
  await assert.rejects(translated({ grant_type: 'client_credentials', scope: 'User.Read.All' }, 'token'), (e: ScopeError) => /^AADSTS1002012/.test(e.message));
  assert.deepEqual(await translated({ grant_type: 'authorization_code', scope: 'User.Read' }, 'token'), { grant_type: 'authorization_code', resource: BASE });
  assert.deepEqual(await translated({ grant_type: 'refresh_token', scope: 'openid offline_access User.Read' }, 'token'), { grant_type: 'refresh_token', scope: 'openid User.Read', resource: BASE });
});

test("authorize: a scope the resource does not publish is invalid_scope (AADSTS70011); known ones take the resource's spelling", async () => {
  const resourceScopes = async (appId: string) => (appId === '00000003-0000-0000-c000-000000000000' ? ['User.Read', 'Mail.Read'] : undefined);
  const params = new URLSearchParams({ client_id: 'c', scope: 'openid user.read MAIL.READ' });
  await translateEntraParams(params, 'authorize', { baseUrl: BASE, consentedScopes: consented, resourceScopes });
  assert.equal(params.get('scope'), 'openid User.Read Mail.Read');
  await assert.rejects(
    translateEntraParams(new URLSearchParams({ client_id: 'c', scope: 'openid User.Read Nonsense.All' }), 'authorize', { baseUrl: BASE, consentedScopes: consented, resourceScopes }),
    (e: ScopeError) => e.error === 'invalid_scope' && /^AADSTS70011: .*Nonsense\.All/.test(e.message),
  );
  // a resource not known here is left to the provider (invalid_target), and the token endpoint is not checked
  const unknownResource = new URLSearchParams({ client_id: 'c', scope: 'api://3f1b2c4d-1111-4222-8333-444455556666/access' });
  await translateEntraParams(unknownResource, 'authorize', { baseUrl: BASE, consentedScopes: consented, resourceScopes });
  assert.equal(unknownResource.get('scope'), 'access');
  const refresh = new URLSearchParams({ grant_type: 'refresh_token', scope: 'Nonsense.All' });
  await translateEntraParams(refresh, 'token', { baseUrl: BASE, consentedScopes: consented, resourceScopes });
  assert.equal(refresh.get('scope'), 'Nonsense.All');
});
