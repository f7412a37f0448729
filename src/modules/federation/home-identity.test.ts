import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isAppError } from '../../kernel/errors.ts';
import { fromEmailCode, fromProviderToken, fromTenantToken } from './home-identity.ts';
import { PERSONAL_TENANT_ID } from './personal-tenant.ts';

const BASE = 'https://id.example';
const HOME = '11111111-2222-4333-8444-555555555555';
const fails = (code: string) => (error: unknown) => isAppError(error) && error.code === code;

describe('home identity rules', () => {
  test("a tenant here vouches for its user's mail in one of its verified domains, else the UPN", () => {
    const claims = { oid: 'u1', tid: HOME, email: 'Alice@Fabrikam.example', preferred_username: 'alice@fabrikam.onmicrosoft.example', name: 'Alice' };
    assert.deepEqual(fromTenantToken({ baseUrl: BASE, homeTenantId: HOME, verifiedDomains: ['fabrikam.example'], claims }), {
      kind: 'tenant',
      issuer: `${BASE}/${HOME}/v2.0`,
      subject: 'u1',
      email: 'alice@fabrikam.example',
      displayName: 'Alice',
      homeTenantId: HOME,
    });
    // an administrator-set mail outside the tenant's domains is not taken on its word: the UPN is
    const spoofed = fromTenantToken({ baseUrl: BASE, homeTenantId: HOME, verifiedDomains: ['fabrikam.onmicrosoft.example'], claims: { ...claims, email: 'ceo@contoso.example' } });
    assert.equal(spoofed.email, 'alice@fabrikam.onmicrosoft.example');
    assert.throws(() => fromTenantToken({ baseUrl: BASE, homeTenantId: HOME, verifiedDomains: ['other.example'], claims }), fails('federation.homeEmailMissing'));
    assert.throws(() => fromTenantToken({ baseUrl: BASE, homeTenantId: HOME, verifiedDomains: ['fabrikam.example'], claims: { tid: HOME, email: 'a@fabrikam.example' } }), fails('federation.homeEmailMissing'));
  });

  test('a personal account is its own address', () => {
    const home = fromTenantToken({ baseUrl: BASE, homeTenantId: PERSONAL_TENANT_ID, verifiedDomains: [], claims: { oid: 'p1', email: 'pat@gmail.example' } });
    assert.equal(home.kind, 'personal');
    assert.equal(home.email, 'pat@gmail.example');
    assert.equal(home.issuer, `${BASE}/${PERSONAL_TENANT_ID}/v2.0`);
  });

  test("an external provider's address must be present, not marked unverified, and in its domains", () => {
    const provider = { issuer: 'https://idp.partner.example', domains: ['partner.example'] };
    assert.deepEqual(fromProviderToken(provider, { sub: 's1', email: 'Kim@Partner.example', given_name: 'Kim', family_name: 'P' }), {
      kind: 'oidc',
      issuer: 'https://idp.partner.example',
      subject: 's1',
      email: 'kim@partner.example',
      displayName: 'Kim P',
    });
    assert.equal(fromProviderToken(provider, { sub: 's1', email: 'kim@partner.example', email_verified: true }).email, 'kim@partner.example');
    assert.throws(() => fromProviderToken(provider, { sub: 's1', email: 'kim@partner.example', email_verified: false }), fails('federation.homeEmailUnverified'));
    assert.throws(() => fromProviderToken(provider, { sub: 's1', email: 'kim@partner.example', email_verified: 'false' }), fails('federation.homeEmailUnverified'));
    assert.throws(() => fromProviderToken(provider, { sub: 's1', email: 'kim@sub.partner.example' }), fails('federation.homeEmailOutsideDomains'));
    assert.throws(() => fromProviderToken(provider, { sub: 's1' }), fails('federation.homeEmailMissing'));
    assert.throws(() => fromProviderToken(provider, { email: 'kim@partner.example' }), fails('federation.homeEmailMissing'));
    assert.throws(() => fromProviderToken(provider, { sub: 's1', email: 'not an address' }), fails('federation.homeEmailMissing'));
  });

  test('a one-time passcode proves the address', () => {
    assert.deepEqual(fromEmailCode('Otto@Example.org'), { kind: 'emailOtp', issuer: 'mail', subject: 'otto@example.org', email: 'otto@example.org' });
  });
});
