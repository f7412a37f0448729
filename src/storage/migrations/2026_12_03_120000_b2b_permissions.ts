/**
 * Issue 15 (B2B collaboration) follow-up: the Graph permissions its operations ask for and the role
 * that manages identity providers reach tenants created before them.
 *
 * - Microsoft Graph's service principal of each tenant (its permission catalog, written at tenant
 *   creation) gains Policy.Read.All, Policy.ReadWrite.AuthenticationMethod, User.RevokeSessions.All,
 *   IdentityProvider.Read.All, IdentityProvider.ReadWrite.All and AppRoleAssignment.ReadWrite.All,
 *   each as a delegated scope and as an application role, with Graph's own ids, so apps can be
 *   granted them (admin consent, appRoleAssignments) as in Entra.
 * - The External Identity Provider Administrator role (template be2f45a1-...) is activated in each
 *   tenant, so it appears in /directoryRoles and can be assigned.
 * - Every tenant changed here has its directory stamp bumped, so nodes that cached its service
 *   principals (modules/consent/stamped-cache.ts) read them again.
 *
 * The values are copied here rather than imported, so later catalog changes cannot change what this
 * migration did. Running it twice adds nothing twice.
 *
 * Frozen: never edit after it has shipped; add a new migration instead.
 */
import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';

const NEW_ROLE = {
  roleTemplateId: 'be2f45a1-457d-42af-a067-6ec1fa63bc45',
  displayName: 'External Identity Provider Administrator',
  description: 'Can configure identity providers for use in direct federation.',
};

const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

/** value, delegated scope id, application role id, description (all permissions here need an administrator's consent) */
const NEW_PERMISSIONS: readonly (readonly [string, string, string, string])[] = [
  ['Policy.Read.All', '572fea84-0151-49b2-9301-11cb16974376', '246dd0d5-5bd0-4def-940b-0421030a5b68', "Read your organization's policies"],
  ['Policy.ReadWrite.AuthenticationMethod', '7e823077-d88e-468f-a337-e18f1f0e6c7c', '29c18626-4985-4dcd-85c0-193eef327366', 'Read and write all authentication method policies'],
  ['User.RevokeSessions.All', 'fc30e98b-8810-4501-81f5-c20a3196387b', '77f3a031-c388-4f99-b373-dc68676a979e', 'Revoke all sign in sessions for a user'],
  ['IdentityProvider.Read.All', '43781733-b5a7-4d1b-98f4-e8edff23e1a9', 'e321f0bb-e7f7-481e-bb28-e3b0b32d4bd0', 'Read identity providers'],
  ['IdentityProvider.ReadWrite.All', 'f13ce604-1677-429f-90bd-8a10b9f01325', '90db2b9a-d928-4d33-a4dd-8442ae3d41e4', 'Read and write identity providers'],
  ['AppRoleAssignment.ReadWrite.All', '84bccea3-f856-4a8a-967b-dbe0a3d53a64', '06b708a9-e830-4db3-a914-8e69da51d44f', 'Manage app permission grants and app role assignments'],
];

const SCOPES = NEW_PERMISSIONS.map(([value, scopeId, , description]) => ({
  id: scopeId,
  value,
  type: 'Admin',
  isEnabled: true,
  adminConsentDisplayName: description,
  adminConsentDescription: description,
  userConsentDisplayName: description,
  userConsentDescription: description,
}));
const APP_ROLES = NEW_PERMISSIONS.map(([value, , roleId, description]) => ({
  id: roleId,
  value,
  allowedMemberTypes: ['Application'],
  displayName: description,
  description,
  isEnabled: true,
  origin: 'Application',
}));

/** jsonb comes back parsed from PostgreSQL, as text from SQLite. */
function list(value: unknown): { id: string }[] {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  return Array.isArray(parsed) ? (parsed as { id: string }[]) : [];
}

/** `existing` with every entry of `added` whose id it lacks appended (order kept). */
function withAll<T extends { id: string }>(existing: { id: string }[], added: readonly T[]): { id: string }[] {
  const ids = new Set(existing.map((entry) => entry.id));
  return [...existing, ...added.filter((entry) => !ids.has(entry.id))];
}

const bumpStamp = (db: Kysely<any>, tenantId: string) =>
  db
    .updateTable('tenants')
    .set({ directory_stamp: sql`directory_stamp + 1` })
    .where('id', '=', tenantId)
    .execute();

export async function up(db: Kysely<any>): Promise<void> {
  const now = new Date().toISOString();
  const changed = new Set<string>();
  const tenants = await db.selectFrom('tenants').select('id').execute();
  for (const { id: tenantId } of tenants) {
    const existing = await db.selectFrom('directory_roles').select('id').where('tenant_id', '=', tenantId).where('role_template_id', '=', NEW_ROLE.roleTemplateId).executeTakeFirst();
    if (existing) continue;
    const id = randomUUID();
    await db.insertInto('directory_objects').values({ tenant_id: tenantId, id, object_type: 'directoryRole', created_at: now }).execute();
    await db.insertInto('directory_roles').values({ tenant_id: tenantId, id, role_template_id: NEW_ROLE.roleTemplateId, display_name: NEW_ROLE.displayName, description: NEW_ROLE.description }).execute();
    changed.add(tenantId);
  }
  const graphs = await db.selectFrom('service_principals').select(['tenant_id', 'id', 'app_roles', 'oauth2_permission_scopes']).where('app_id', '=', GRAPH_APP_ID).execute();
  for (const graph of graphs) {
    const appRoles = list(graph.app_roles);
    const scopes = list(graph.oauth2_permission_scopes);
    const nextRoles = withAll(appRoles, APP_ROLES);
    const nextScopes = withAll(scopes, SCOPES);
    if (nextRoles.length === appRoles.length && nextScopes.length === scopes.length) continue;
    await db
      .updateTable('service_principals')
      .set({ app_roles: JSON.stringify(nextRoles), oauth2_permission_scopes: JSON.stringify(nextScopes) })
      .where('tenant_id', '=', graph.tenant_id)
      .where('id', '=', graph.id)
      .execute();
    changed.add(graph.tenant_id as string);
  }
  for (const tenantId of changed) await bumpStamp(db, tenantId);
}

export async function down(db: Kysely<any>): Promise<void> {
  const roles = await db.selectFrom('directory_roles').select(['tenant_id', 'id']).where('role_template_id', '=', NEW_ROLE.roleTemplateId).execute();
  // the directory object row cascades to the role and its assignments
  for (const role of roles) await db.deleteFrom('directory_objects').where('tenant_id', '=', role.tenant_id).where('id', '=', role.id).execute();
  const roleIds = new Set(APP_ROLES.map((r) => r.id));
  const scopeIds = new Set(SCOPES.map((s) => s.id));
  const graphs = await db.selectFrom('service_principals').select(['tenant_id', 'id', 'app_roles', 'oauth2_permission_scopes']).where('app_id', '=', GRAPH_APP_ID).execute();
  for (const graph of graphs) {
    await db
      .updateTable('service_principals')
      .set({
        app_roles: JSON.stringify(list(graph.app_roles).filter((r) => !roleIds.has(r.id))),
        oauth2_permission_scopes: JSON.stringify(list(graph.oauth2_permission_scopes).filter((s) => !scopeIds.has(s.id))),
      })
      .where('tenant_id', '=', graph.tenant_id)
      .where('id', '=', graph.id)
      .execute();
  }
  const tenants = new Set([...roles.map((r) => r.tenant_id as string), ...graphs.map((g) => g.tenant_id as string)]);
  for (const tenantId of tenants) await bumpStamp(db, tenantId);
}
