import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { GUEST_ROLE } from '../../web/admin/src/graph/policies.ts';
import {
  addDomains,
  checkDomain,
  checkInviteEmail,
  checkRedirectUrl,
  downloadName,
  guestAccessChoices,
  inviteAccess,
  inviteRestrictionChoices,
  percentDone,
  restrictionOf,
  restrictionPolicy,
  switchRestriction,
} from '../../web/admin/src/pages/external/externalRules.ts';
import { matchExternalRoute } from '../../web/admin/src/router/externalRoutes.ts';
import { matchRoute } from '../../web/admin/src/router/routes.ts';

/**
 * Issue 15, item 9: the admin center's External identities rules, without a browser: Entra's
 * setting labels, collaboration restrictions (one list at a time, switching discards with a
 * warning), domain and address checks, who may invite, and the section's routes.
 */
describe('external collaboration settings', () => {
  test("offers Entra's three guest access levels and four invite restrictions", () => {
    assert.deepEqual(
      guestAccessChoices.map((choice) => choice.value),
      [GUEST_ROLE.member, GUEST_ROLE.guest, GUEST_ROLE.restricted],
    );
    assert.deepEqual(
      inviteRestrictionChoices.map((choice) => choice.value),
      ['everyone', 'adminsGuestInvitersAndAllMembers', 'adminsAndGuestInviters', 'none'],
    );
    assert.match(inviteRestrictionChoices[3]!.label, /^No one in the organization can invite guest users including admins/);
  });

  test('reads and writes one domain list at a time', () => {
    const policy = (allowedDomains: string[], blockedDomains: string[]) => ({ invitationsAllowedAndBlockedDomainsPolicy: { allowedDomains, blockedDomains }, allowConsumerDomains: false });
    assert.deepEqual(restrictionOf(policy([], [])), { mode: 'any', domains: [] });
    assert.deepEqual(restrictionOf(policy([], ['a.example'])), { mode: 'deny', domains: ['a.example'] });
    assert.deepEqual(restrictionOf(policy(['b.example'], [])), { mode: 'allow', domains: ['b.example'] });
    assert.deepEqual(restrictionPolicy('deny', ['a.example']), { allowedDomains: [], blockedDomains: ['a.example'] });
    assert.deepEqual(restrictionPolicy('allow', ['a.example']), { allowedDomains: ['a.example'], blockedDomains: [] });
    assert.deepEqual(restrictionPolicy('any', ['a.example']), { allowedDomains: [], blockedDomains: [] });
    fc.assert(
      fc.property(fc.constantFrom('any', 'deny', 'allow' as const), fc.array(fc.domain(), { maxLength: 5 }), (mode, domains) => {
        const body = restrictionPolicy(mode, domains);
        assert.ok(body.allowedDomains.length === 0 || body.blockedDomains.length === 0, 'never both lists');
      }),
    );
  });

  test('switching the list type warns before it discards a non-empty list', () => {
    assert.deepEqual(switchRestriction('deny', 'deny', ['a.example']), { domains: ['a.example'], warning: null });
    assert.deepEqual(switchRestriction('any', 'deny', []), { domains: [], warning: null });
    assert.deepEqual(switchRestriction('deny', 'allow', []), { domains: [], warning: null });
    const one = switchRestriction('deny', 'allow', ['a.example']);
    assert.deepEqual(one.domains, []);
    assert.match(one.warning ?? '', /discards the deny list and the domain a\.example/);
    assert.match(switchRestriction('allow', 'any', ['a.example', 'b.example']).warning ?? '', /allow list and its 2 domains/);
  });

  test('domains are checked, lower-cased and de-duplicated; a bad entry adds nothing', () => {
    assert.deepEqual(checkDomain(' Fabrikam.COM. '), { domain: 'fabrikam.com' });
    assert.deepEqual(checkDomain('*.fabrikam.com'), { domain: '*.fabrikam.com' });
    for (const bad of ['', 'fabrikam', 'alice@fabrikam.com', '-x.example', 'a..example', 'x_y.example', `${'a'.repeat(64)}.example`]) {
      assert.ok('problem' in checkDomain(bad), bad);
    }
    assert.deepEqual(addDomains(['a.example'], 'B.example, a.example;c.example'), { list: ['a.example', 'b.example', 'c.example'], problem: null });
    const refused = addDomains(['a.example'], 'b.example, not a domain');
    assert.deepEqual(refused.list, ['a.example']);
    assert.ok(refused.problem);
    assert.ok(addDomains([], '  ').problem);
  });
});

describe('invitations', () => {
  test("the redirect URL is https, or http only to this machine, as the API requires", () => {
    assert.equal(checkRedirectUrl('https://apps.contoso.example/start'), null);
    assert.equal(checkRedirectUrl('http://localhost:3000/'), null);
    assert.equal(checkRedirectUrl('http://127.0.0.1:8443/myaccount'), null);
    assert.ok(checkRedirectUrl('http://apps.contoso.example/'));
    assert.ok(checkRedirectUrl('javascript:alert(1)'));
    assert.ok(checkRedirectUrl(''));
    assert.ok(checkRedirectUrl('/relative'));
  });

  test("addresses follow Graph's character rules", () => {
    for (const good of ['alice@fabrikam.example', 'a_b@x.example', "o'brien@x.example", 'a.b-c@sub.x.example']) assert.equal(checkInviteEmail(good), null, good);
    for (const bad of ['', 'alice', 'alice@', 'a!b@x.example', 'a+b@x.example', '.a@x.example', 'a.@x.example', 'a..b@x.example', 'a@-x.example', 'a@x', 'a b@x.example']) {
      assert.ok(checkInviteEmail(bad), bad);
    }
  });

  test('who may invite follows allowInvitesFrom and the roles', () => {
    const admin = { invitesByRole: true, userType: 'Member' };
    const member = { invitesByRole: false, userType: 'Member' };
    const guest = { invitesByRole: false, userType: 'Guest' };
    assert.equal(inviteAccess('none', admin).allowed, false, 'none stops admins too');
    assert.equal(inviteAccess('adminsAndGuestInviters', admin).allowed, true);
    assert.equal(inviteAccess('adminsAndGuestInviters', member).allowed, false);
    assert.equal(inviteAccess('adminsGuestInvitersAndAllMembers', member).allowed, true);
    assert.equal(inviteAccess('adminsGuestInvitersAndAllMembers', guest).allowed, false);
    assert.equal(inviteAccess('everyone', guest).allowed, true);
    assert.equal(inviteAccess(null, admin).allowed, true, 'an unreadable policy leaves it to the roles');
    assert.equal(inviteAccess(null, member).allowed, false);
  });

  test('bulk progress and download names', () => {
    assert.equal(percentDone(0, 0), 0);
    assert.equal(percentDone(1, 3), 33);
    assert.equal(percentDone(5, 3), 100);
    assert.equal(downloadName('results.csv', 'x.csv'), 'results.csv');
    assert.equal(downloadName('../../etc/passwd', 'x.csv'), 'passwd');
    assert.equal(downloadName(null, 'x.csv'), 'x.csv');
    assert.equal(downloadName('  ', 'x.csv'), 'x.csv');
  });
});

describe('routes', () => {
  test('the section parses its own paths, one level deeper than the others', () => {
    assert.deepEqual(matchRoute('/external-identities'), { page: 'external', route: { page: 'guests' } });
    assert.deepEqual(matchRoute('/external-identities/guests/abc'), { page: 'external', route: { page: 'guest', id: 'abc' } });
    assert.deepEqual(matchRoute('/external-identities/bulk/op%201'), { page: 'external', route: { page: 'bulkOperation', id: 'op 1' } });
    assert.deepEqual(matchRoute('/external-identities/settings'), { page: 'external', route: { page: 'settings' } });
    assert.deepEqual(matchRoute('/external-identities/settings/x'), { page: 'notFound' });
    assert.deepEqual(matchRoute('/external-identities/bulk/a/b'), { page: 'notFound' });
    assert.deepEqual(matchRoute('/external-identities/nope'), { page: 'notFound' });
    assert.equal(matchExternalRoute(['invite', 'x']), null);
    assert.deepEqual(matchRoute('/users/1/extra'), { page: 'notFound' }, 'other sections keep their two levels');
  });
});
