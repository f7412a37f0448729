import assert from 'node:assert/strict';
import { applicationCatalog, applicationsRepo, classificationsRepo, GRAPH_APP_ID, servicePrincipalCatalog } from '../../../src/modules/consent/index.ts';
import { inTransaction, scoped } from '../../../src/storage/scoped.ts';
import type { Case, IsolationCaseFile } from './cases.ts';

/**
 * Applications, service principals and permission classifications in the two-tenant isolation
 * suite (issue 16): scoped to tenant A and given B's app ids, object ids, classification, domain
 * and identifier URI, every method finds nothing of B's and changes nothing of B's. (These cases
 * replace the suite's own applicationsRepo cases, the module having grown.) The one deliberate
 * cross-tenant read, publishedApps, is not a tenant-scoped repository; test/graph/applications
 * checks that it reveals only published multi-tenant registrations.
 */
const NOW = '2026-12-04T09:00:00.000Z';
const ADMIN_CENTER_APP_ID = 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c';
const nothing = (value: unknown) => assert.ok(value === undefined || value === false || (Array.isArray(value) && value.length === 0), `leaked: ${JSON.stringify(value)}`);

const everything = { top: 999, count: true } as const;

export const repositories: IsolationCaseFile['repositories'] = { applicationsRepo, classificationsRepo };

export const cases: Record<string, Record<string, Case>> = {
  applicationsRepo: {
    // A's stamp is A's own: reading it neither reads nor bumps B's
    directoryStamp: async (a) => assert.equal(typeof (await applicationsRepo.directoryStamp(a)), 'number'),
    tenantIdentity: async (a, b) => assert.notEqual((await applicationsRepo.tenantIdentity(a))?.initialDomain, b.extra.domainB),
    verifiedDomains: async (a, b) => assert.ok(!(await applicationsRepo.verifiedDomains(a)).includes(b.extra.domainB)),
    identifierUrisOfOthers: async (a, b) => assert.ok(!(await applicationsRepo.identifierUrisOfOthers(a, null)).has(b.extra.identifierUri)),
    insertApplication: async (a, b) => {
      const existing = (await applicationsRepo.findApplicationByAppId(a, ADMIN_CENTER_APP_ID))!;
      await applicationsRepo.insertApplication(a, { ...existing, id: b.extra.applicationId, appId: b.appId });
    },
    saveApplication: async (a, b) => {
      const existing = (await applicationsRepo.findApplicationByAppId(a, ADMIN_CENTER_APP_ID))!;
      await applicationsRepo.saveApplication(a, { ...existing, id: b.extra.applicationId, appId: b.appId, displayName: 'Hijacked', passwordCredentials: [] });
    },
    deleteApplication: async (a, b) => nothing(await applicationsRepo.deleteApplication(a, b.extra.applicationId)),
    findApplicationByAppId: async (a, b) => nothing(await applicationsRepo.findApplicationByAppId(a, b.appId)),
    findApplicationById: async (a, b) => nothing(await applicationsRepo.findApplicationById(a, b.extra.applicationId)),
    listApplications: async (a, b) => {
      const page = await applicationsRepo.listApplications(a, applicationCatalog, everything);
      assert.ok(!page.items.some((app) => app.appId === b.appId || app.id === b.extra.applicationId), 'B listed in A');
      assert.equal(page.count, page.items.length);
    },
    insertServicePrincipal: async (a, b) => {
      const graph = (await applicationsRepo.findServicePrincipalByAppId(a, GRAPH_APP_ID))!;
      await applicationsRepo.insertServicePrincipal(a, { ...graph, id: b.graphSpId, appId: b.appId });
    },
    saveServicePrincipal: async (a, b) => {
      const graph = (await applicationsRepo.findServicePrincipalByAppId(a, GRAPH_APP_ID))!;
      await applicationsRepo.saveServicePrincipal(a, { ...graph, id: b.extra.appSpId, appId: b.appId, accountEnabled: false });
      await applicationsRepo.saveServicePrincipal(a, { ...graph, id: b.graphSpId, accountEnabled: false, oauth2PermissionScopes: [] });
    },
    deleteServicePrincipal: async (a, b) => {
      nothing(await applicationsRepo.deleteServicePrincipal(a, b.extra.appSpId));
      nothing(await applicationsRepo.deleteServicePrincipal(a, b.graphSpId));
    },
    setPasswordCredentials: async (a, b) => nothing(await applicationsRepo.setPasswordCredentials(a, b.appId, [])),
    setServicePrincipalEnabled: async (a, b) => nothing(await applicationsRepo.setServicePrincipalEnabled(a, b.appId, false)),
    findServicePrincipalByAppId: async (a, b) => nothing(await applicationsRepo.findServicePrincipalByAppId(a, b.appId)),
    findServicePrincipalById: async (a, b) => {
      nothing(await applicationsRepo.findServicePrincipalById(a, b.extra.appSpId));
      nothing(await applicationsRepo.findServicePrincipalById(a, b.graphSpId));
    },
    listServicePrincipals: async (a, b) => {
      const page = await applicationsRepo.listServicePrincipals(a, servicePrincipalCatalog, everything);
      assert.ok(!page.items.some((sp) => sp.id === b.extra.appSpId || sp.id === b.graphSpId || sp.appId === b.appId), 'B listed in A');
    },
  },
  classificationsRepo: {
    list: async (a, b) => nothing(await classificationsRepo.list(a, b.graphSpId)),
    // A's row pointing at B's service principal: the composite foreign key refuses it
    insert: async (a, b) => classificationsRepo.insert(a, b.graphSpId, { id: b.extra.classificationId, permissionId: b.extra.permissionId, permissionName: 'User.Read', classification: 'high' }, NOW),
    delete: async (a, b) => nothing(await classificationsRepo.delete(a, b.graphSpId, b.extra.classificationId)),
    deleteMissing: async (a, b) => assert.equal(await classificationsRepo.deleteMissing(a, b.graphSpId, []), 0),
  },
};

export const seed: IsolationCaseFile['seed'] = async (harness, scopeB, b) => {
  const { database } = harness.container;
  const tdbB = scoped(database, scopeB);
  const application = (await applicationsRepo.findApplicationByAppId(tdbB, b.appId))!;
  const appSp = (await applicationsRepo.findServicePrincipalByAppId(tdbB, b.appId))!;
  const identity = (await applicationsRepo.tenantIdentity(tdbB))!;
  const identifierUri = `api://${b.appId}`;
  const graph = (await applicationsRepo.findServicePrincipalByAppId(tdbB, GRAPH_APP_ID))!;
  const permissionId = graph.oauth2PermissionScopes.find((s) => s.value === 'User.Read')!.id;
  const classificationId = '0b0b0b0b-0b0b-4b0b-8b0b-0b0b0b0b0b0b';
  await inTransaction(database, scopeB, async (tdb) => {
    await applicationsRepo.saveApplication(tdb, { ...application, identifierUris: [identifierUri] });
    await classificationsRepo.insert(tdb, graph.id, { id: classificationId, permissionId, permissionName: 'User.Read', classification: 'low' }, NOW);
  });
  return { applicationId: application.id, appSpId: appSp.id, domainB: identity.initialDomain, identifierUri, classificationId, permissionId };
};
