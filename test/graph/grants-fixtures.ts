import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Graph } from '../helpers/graph.ts';

/**
 * An API registered through Graph (as an administrator would): app roles for users (`Reader`,
 * `Writer`, a disabled `Retired`), for apps (`Sync.All`) and for both (`Auditor`), and delegated
 * scopes (`Data.Read` for users, `Data.Admin` for administrators), with its service principal here.
 */
export interface TestApi {
  appId: string;
  spId: string;
  roles: Record<'Reader' | 'Writer' | 'Retired' | 'Sync.All' | 'Auditor', string>;
  scopes: Record<'Data.Read' | 'Data.Admin', string>;
}

export async function registerApi(admin: Graph, displayName: string): Promise<TestApi> {
  const roles = { Reader: randomUUID(), Writer: randomUUID(), Retired: randomUUID(), 'Sync.All': randomUUID(), Auditor: randomUUID() };
  const scopes = { 'Data.Read': randomUUID(), 'Data.Admin': randomUUID() };
  const role = (value: keyof typeof roles, allowedMemberTypes: string[], isEnabled = true) => ({ id: roles[value], value, allowedMemberTypes, displayName: value, description: `${value} role`, isEnabled });
  const scope = (value: keyof typeof scopes, type: 'User' | 'Admin') => ({
    id: scopes[value],
    value,
    type,
    isEnabled: true,
    adminConsentDisplayName: `${value} (admin)`,
    adminConsentDescription: `Lets the app ${value}`,
    userConsentDisplayName: `${value} (user)`,
    userConsentDescription: `Lets the app ${value} as you`,
  });
  const created = await admin('POST', '/applications', {
    displayName,
    appRoles: [role('Reader', ['User']), role('Writer', ['User']), role('Retired', ['User'], false), role('Sync.All', ['Application']), role('Auditor', ['User', 'Application'])],
    api: { oauth2PermissionScopes: [scope('Data.Read', 'User'), scope('Data.Admin', 'Admin')] },
  });
  assert.equal(created.status, 201, created.text);
  const appId = created.body.appId as string;
  const patched = await admin('PATCH', `/applications/${created.body.id}`, { identifierUris: [`api://${appId}`] });
  assert.equal(patched.status, 204, patched.text);
  let sp = await admin('GET', `/servicePrincipals(appId='${appId}')`);
  if (sp.status === 404) {
    const made = await admin('POST', '/servicePrincipals', { appId });
    assert.equal(made.status, 201, made.text);
    sp = await admin('GET', `/servicePrincipals(appId='${appId}')`);
  }
  assert.equal(sp.status, 200, sp.text);
  return { appId, spId: sp.body.id, roles, scopes };
}
