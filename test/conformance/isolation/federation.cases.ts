import assert from 'node:assert/strict';
import { emailCodesRepo, identityProvidersRepo } from '../../../src/modules/federation/index.ts';
import { inTransaction } from '../../../src/storage/scoped.ts';
import type { IsolationCaseFile } from './cases.ts';

/**
 * The federation module's repositories in the two-tenant isolation suite: tenant B has an identity
 * provider (with a domain) and a one-time code; every method scoped to A, given B's ids, finds and
 * changes nothing of B's.
 */
const NOW = '2026-11-23T12:00:00.000Z';
const FAR_FUTURE = '2999-01-01T00:00:00.000Z';
const nothing = (value: unknown) => assert.ok(value === undefined || value === false || value === 0 || (Array.isArray(value) && value.length === 0), `leaked: ${JSON.stringify(value)}`);

const provider = (id: string) => ({
  id,
  displayName: 'x',
  issuer: 'https://idp.x.example',
  clientId: 'x',
  scope: 'openid',
  domains: [],
  createdDateTime: NOW,
  lastModifiedDateTime: NOW,
  clientSecretSealed: 'x',
});

export const repositories: IsolationCaseFile['repositories'] = { identityProvidersRepo, emailCodesRepo };

export const cases: IsolationCaseFile['cases'] = {
  identityProvidersRepo: {
    list: async (a, b) => assert.ok((await identityProvidersRepo.list(a)).every((p) => p.id !== b.extra.idpId)),
    get: async (a, b) => nothing(await identityProvidersRepo.get(a, b.extra.idpId)),
    findByDomain: async (a, b) => nothing(await identityProvidersRepo.findByDomain(a, b.extra.idpDomain)),
    domainsTaken: async (a, b) => nothing(await identityProvidersRepo.domainsTaken(a, [b.extra.idpDomain], null)),
    count: async (a) => assert.equal(await identityProvidersRepo.count(a), 0),
    // with B's id the row lands in A (the key is tenant_id + id)
    insert: async (a, b) => identityProvidersRepo.insert(a, provider(b.extra.idpId)),
    update: async (a, b) => nothing(await identityProvidersRepo.update(a, b.extra.idpId, { display_name: 'hijacked', client_secret_sealed: 'hijacked', updated_at: NOW })),
    replaceDomains: async (a, b) => identityProvidersRepo.replaceDomains(a, b.extra.idpId, []),
    delete: async (a, b) => nothing(await identityProvidersRepo.delete(a, b.extra.idpId)),
  },
  emailCodesRepo: {
    insert: async (a, b) =>
      emailCodesRepo.insert(a, { id: b.extra.codeId, purpose: 'signup', email: b.extra.codeEmail, codeHash: 'x', attempts: 0, createdAt: NOW, expiresAt: FAR_FUTURE, verifiedAt: null, consumedAt: null }),
    get: async (a, b) => nothing(await emailCodesRepo.get(a, b.extra.codeId)),
    countSince: async (a, b) => nothing(await emailCodesRepo.countSince(a, b.extra.codeEmail, 'signup', '2000-01-01T00:00:00.000Z')),
    verify: async (a, b) => nothing(await emailCodesRepo.verify(a, b.extra.codeId, b.extra.codeHash, NOW, 3, true)),
    recordFailure: async (a, b) => nothing(await emailCodesRepo.recordFailure(a, b.extra.codeId, 3)),
    consume: async (a, b) => nothing(await emailCodesRepo.consume(a, b.extra.codeId, NOW, '2000-01-01T00:00:00.000Z')),
    purgeExpired: async (a) => {
      await emailCodesRepo.purgeExpired(a, FAR_FUTURE);
    },
  },
};

export const seed: IsolationCaseFile['seed'] = async (harness, scopeB) => {
  const idpId = '7d1f0a52-4b3c-4e8d-9f60-1a2b3c4d5e6f';
  const idpDomain = 'partner-of-b.example';
  const codeId = '3a9e1c7b-2d4f-4a6b-8c0d-e1f2a3b4c5d6';
  const codeEmail = 'someone@partner-of-b.example';
  const codeHash = 'b-code-hash';
  await inTransaction(harness.db, scopeB, async (tdb) => {
    await identityProvidersRepo.insert(tdb, { ...provider(idpId), displayName: 'B partner IdP' });
    await identityProvidersRepo.replaceDomains(tdb, idpId, [idpDomain]);
    // verified, not consumed, long valid: a `consume` aimed at it from A must still find nothing
    await emailCodesRepo.insert(tdb, { id: codeId, purpose: 'signup', email: codeEmail, codeHash, attempts: 0, createdAt: NOW, expiresAt: FAR_FUTURE, verifiedAt: NOW, consumedAt: null });
  });
  return { idpId, idpDomain, codeId, codeEmail, codeHash };
};
