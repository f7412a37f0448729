/**
 * Issue 13 (privileged targets): two built-in roles join the catalog, Privileged Authentication
 * Administrator and Password Administrator. New tenants activate every built-in role when they are
 * created; tenants created before this migration get the two missing directory roles here, so they
 * appear in /directoryRoles and can be assigned. Microsoft Graph's service principal of each tenant
 * (its permission catalog, written at tenant creation) gains the User-PasswordProfile.ReadWrite.All
 * permission, as a delegated scope and as an application role.
 *
 * The values are copied here rather than imported, so later catalog changes cannot change what this
 * migration did. Running it twice adds nothing twice.
 *
 * Frozen: never edit after it has shipped; add a new migration instead.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';

const NEW_ROLES = [
  {
    roleTemplateId: '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
    displayName: 'Privileged Authentication Administrator',
    description: 'Can access to view, set and reset authentication method information for any user (admin or non-admin).',
  },
  {
    roleTemplateId: '966707d0-3269-4727-9be2-8c3a10f19b9d',
    displayName: 'Password Administrator',
    description: 'Can reset passwords for non-administrators and Password Administrators.',
  },
];

const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
const PASSWORD_PROFILE = 'User-PasswordProfile.ReadWrite.All';
const PASSWORD_PROFILE_DESCRIPTION = 'Read and write all password profiles and reset user passwords';
const PASSWORD_PROFILE_SCOPE = {
  id: '56760768-b641-451f-8906-e1b8ab31bca7',
  value: PASSWORD_PROFILE,
  type: 'Admin',
  isEnabled: true,
  adminConsentDisplayName: PASSWORD_PROFILE_DESCRIPTION,
  adminConsentDescription: PASSWORD_PROFILE_DESCRIPTION,
  userConsentDisplayName: PASSWORD_PROFILE_DESCRIPTION,
  userConsentDescription: PASSWORD_PROFILE_DESCRIPTION,
};
const PASSWORD_PROFILE_ROLE = {
  id: 'cc117bb9-00cf-4eb8-b580-ea2a878fe8f7',
  value: PASSWORD_PROFILE,
  allowedMemberTypes: ['Application'],
  displayName: PASSWORD_PROFILE_DESCRIPTION,
  description: PASSWORD_PROFILE_DESCRIPTION,
  isEnabled: true,
  origin: 'Application',
};

/** jsonb comes back parsed from PostgreSQL, as text from SQLite. */
function list(value: unknown): { id: string }[] {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  return Array.isArray(parsed) ? (parsed as { id: string }[]) : [];
}

export async function up(db: Kysely<any>): Promise<void> {
  const now = new Date().toISOString();
  const tenants = await db.selectFrom('tenants').select('id').execute();
  for (const { id: tenantId } of tenants) {
    const existing = new Set((await db.selectFrom('directory_roles').select('role_template_id').where('tenant_id', '=', tenantId).execute()).map((r) => r.role_template_id as string));
    for (const role of NEW_ROLES) {
      if (existing.has(role.roleTemplateId)) continue;
      const id = randomUUID();
      await db.insertInto('directory_objects').values({ tenant_id: tenantId, id, object_type: 'directoryRole', created_at: now }).execute();
      await db.insertInto('directory_roles').values({ tenant_id: tenantId, id, role_template_id: role.roleTemplateId, display_name: role.displayName, description: role.description }).execute();
    }
  }
  const graphs = await db.selectFrom('service_principals').select(['tenant_id', 'id', 'app_roles', 'oauth2_permission_scopes']).where('app_id', '=', GRAPH_APP_ID).execute();
  for (const graph of graphs) {
    const appRoles = list(graph.app_roles);
    const scopes = list(graph.oauth2_permission_scopes);
    if (appRoles.some((r) => r.id === PASSWORD_PROFILE_ROLE.id) && scopes.some((s) => s.id === PASSWORD_PROFILE_SCOPE.id)) continue;
    await db
      .updateTable('service_principals')
      .set({
        app_roles: JSON.stringify(appRoles.some((r) => r.id === PASSWORD_PROFILE_ROLE.id) ? appRoles : [...appRoles, PASSWORD_PROFILE_ROLE]),
        oauth2_permission_scopes: JSON.stringify(scopes.some((s) => s.id === PASSWORD_PROFILE_SCOPE.id) ? scopes : [...scopes, PASSWORD_PROFILE_SCOPE]),
      })
      .where('tenant_id', '=', graph.tenant_id)
      .where('id', '=', graph.id)
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  const roles = await db
    .selectFrom('directory_roles')
    .select(['tenant_id', 'id'])
    .where(
      'role_template_id',
      'in',
      NEW_ROLES.map((r) => r.roleTemplateId),
    )
    .execute();
  // the directory object row cascades to the role and its assignments
  for (const role of roles) await db.deleteFrom('directory_objects').where('tenant_id', '=', role.tenant_id).where('id', '=', role.id).execute();
  const graphs = await db.selectFrom('service_principals').select(['tenant_id', 'id', 'app_roles', 'oauth2_permission_scopes']).where('app_id', '=', GRAPH_APP_ID).execute();
  for (const graph of graphs) {
    await db
      .updateTable('service_principals')
      .set({
        app_roles: JSON.stringify(list(graph.app_roles).filter((r) => r.id !== PASSWORD_PROFILE_ROLE.id)),
        oauth2_permission_scopes: JSON.stringify(list(graph.oauth2_permission_scopes).filter((s) => s.id !== PASSWORD_PROFILE_SCOPE.id)),
      })
      .where('tenant_id', '=', graph.tenant_id)
      .where('id', '=', graph.id)
      .execute();
  }
}
