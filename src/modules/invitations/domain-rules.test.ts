import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isConsumerDomain } from './consumer-domains.ts';
import { domainAllowed, domainOf } from './domain-lists.ts';
import { guestUpn } from './guest-upn.ts';
import { invitedEmailProblem, redirectUrlProblem } from './invitation.schemas.ts';
import { invitationLocale } from './invitation-mail.ts';

test('consumer domains: the list, the country families, and not business domains that merely look alike', () => {
  for (const domain of ['gmail.com', 'Outlook.com', 'hotmail.com', 'live.com', 'yahoo.com', 'comcast.net', 'icloud.com', 'aol.com', 'proton.me', 'gmx.de', 'gmx.net', 'yahoo.co.uk', 'hotmail.fr', 'outlook.com.au']) {
    assert.equal(isConsumerDomain(domain), true, domain);
  }
  for (const domain of ['contoso.com', 'mail.contoso.com', 'gmx.contoso.com', 'gmail.contoso.com', 'notgmail.com', 'partner.example', 'outlook.contoso.co.uk']) {
    assert.equal(isConsumerDomain(domain), false, domain);
  }
});

test('allow and deny lists: exact names and *. wildcards, allow list first', () => {
  const none = { allowedDomains: [], blockedDomains: [] };
  assert.equal(domainAllowed(none, 'anything.example'), true);
  const allow = { allowedDomains: ['partner.example', '*.friends.example'], blockedDomains: [] };
  assert.equal(domainAllowed(allow, 'partner.example'), true);
  assert.equal(domainAllowed(allow, 'PARTNER.example'), true);
  assert.equal(domainAllowed(allow, 'sub.partner.example'), false);
  assert.equal(domainAllowed(allow, 'eu.friends.example'), true);
  assert.equal(domainAllowed(allow, 'friends.example'), false);
  assert.equal(domainAllowed(allow, 'evilfriends.example'), false);
  const deny = { allowedDomains: [], blockedDomains: ['blocked.example', '*.bad.example'] };
  assert.equal(domainAllowed(deny, 'blocked.example'), false);
  assert.equal(domainAllowed(deny, 'x.bad.example'), false);
  assert.equal(domainAllowed(deny, 'notblocked.example'), true);
  assert.equal(domainOf('Alice@Partner.Example'), 'partner.example');
});

test("guest UPNs follow Entra's form and stay within the UPN limits", () => {
  assert.equal(guestUpn('alice@partner.example', 'contoso.example'), 'alice_partner.example#EXT#@contoso.example');
  assert.equal(guestUpn("o'neil@partner.example", 'contoso.example'), "o'neil_partner.example#EXT#@contoso.example");
  const long = guestUpn(`${'a'.repeat(60)}@${'b'.repeat(60)}.example`, 'contoso.example');
  assert.ok(long.split('@')[0]!.length <= 64, long);
  assert.ok(long.includes('#EXT#@contoso.example'));
});

test("invited addresses: Graph's character rules", () => {
  for (const ok of ['alice@partner.example', 'a.b-c_d@sub.partner.example', '_x_@partner.example', "o'neil@partner.example", 'a@b.co']) assert.equal(invitedEmailProblem(ok), false, ok);
  for (const bad of ['a b@x.example', 'a+b@x.example', '.a@x.example', 'a.@x.example', '-a@x.example', 'a-@x.example', 'a..b@x.example', 'a@x', 'a@@x.example', 'é@x.example', 'a@x_y.example', 'a@-x.example', '@x.example', 'a@', 'a~b@x.example', 'a/b@x.example']) {
    assert.equal(invitedEmailProblem(bad), true, bad);
  }
});

test('redirect URLs: https, or http on loopback only', () => {
  assert.equal(redirectUrlProblem('https://apps.contoso.example/x?y=1'), null);
  assert.equal(redirectUrlProblem('http://localhost:3000/'), null);
  assert.equal(redirectUrlProblem('http://127.0.0.1/'), null);
  assert.equal(redirectUrlProblem('http://[::1]:8080/'), null);
  for (const bad of ['http://apps.contoso.example/', 'http://localhost.evil.example/', 'ftp://x.example/', 'javascript:alert(1)', 'data:text/html,x', '//x.example', 'x', 'https://u:p@x.example/']) {
    assert.notEqual(redirectUrlProblem(bad), null, bad);
  }
});

test('mail language: Dutch for nl and nl-*, English otherwise and whenever a custom message is set', () => {
  assert.equal(invitationLocale('nl', null), 'nl');
  assert.equal(invitationLocale('nl-NL', null), 'nl');
  assert.equal(invitationLocale('NL-be', null), 'nl');
  assert.equal(invitationLocale('nld', null), 'en');
  assert.equal(invitationLocale('de-DE', null), 'en');
  assert.equal(invitationLocale(null, null), 'en');
  assert.equal(invitationLocale('nl-NL', 'Hallo!'), 'en');
});
