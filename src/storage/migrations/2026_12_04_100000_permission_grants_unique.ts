/**
 * Issue 16 (consent): one delegated permission grant per combination, one app role assignment per
 * principal, resource and role, enforced by the database so that concurrent consents (two nodes,
 * two tabs) merge instead of duplicating.
 *
 * - `oauth2_permission_grants_all_principals`: unique (tenant, client, resource) among the
 *   AllPrincipals grants; `oauth2_permission_grants_principal`: unique (tenant, client, resource,
 *   principal) among the Principal grants. Partial unique indexes (both dialects have them); the
 *   repository's `insert ... on conflict do nothing` names the same predicates.
 * - `app_role_assignments_unique`: unique (tenant, principal, resource, app role); it replaces the
 *   (tenant, principal, resource) index, of which it is an extension.
 *
 * Rows that would collide (possible before this migration: two tenants' first-party grants were
 * only ever inserted once, but an operator could have run `tessera app create` twice at once) are
 * merged first: the oldest grant of a combination keeps the union of the scopes, in the order they
 * were first granted; duplicate assignments keep the oldest. Tenants changed here get their
 * directory stamp bumped.
 *
 * Frozen: never edit after it has shipped; add a new migration instead.
 */
import { type Kysely, sql } from 'kysely';

interface GrantRow {
  tenant_id: string;
  id: string;
  client_id: string;
  consent_type: string;
  principal_id: string | null;
  resource_id: string;
  scope: string;
}

export async function up(db: Kysely<any>): Promise<void> {
  const changed = new Set<string>();

  const grants = (await db
    .selectFrom('oauth2_permission_grants')
    .select(['tenant_id', 'id', 'client_id', 'consent_type', 'principal_id', 'resource_id', 'scope'])
    .orderBy('tenant_id')
    .orderBy('created_at')
    .orderBy('id')
    .execute()) as GrantRow[];
  const keep = new Map<string, { row: GrantRow; scopes: string[] }>();
  for (const row of grants) {
    const key = JSON.stringify([row.tenant_id, row.client_id, row.resource_id, row.consent_type, row.consent_type === 'Principal' ? row.principal_id : null]);
    const kept = keep.get(key);
    if (!kept) {
      keep.set(key, { row, scopes: row.scope.split(' ').filter(Boolean) });
      continue;
    }
    for (const value of row.scope.split(' ')) if (value && !kept.scopes.includes(value)) kept.scopes.push(value);
    await db.deleteFrom('oauth2_permission_grants').where('tenant_id', '=', row.tenant_id).where('id', '=', row.id).execute();
    await db.updateTable('oauth2_permission_grants').set({ scope: kept.scopes.join(' ') }).where('tenant_id', '=', kept.row.tenant_id).where('id', '=', kept.row.id).execute();
    changed.add(row.tenant_id);
  }

  const assignments = (await db
    .selectFrom('app_role_assignments')
    .select(['tenant_id', 'id', 'principal_id', 'resource_id', 'app_role_id'])
    .orderBy('tenant_id')
    .orderBy('created_at')
    .orderBy('id')
    .execute()) as { tenant_id: string; id: string; principal_id: string; resource_id: string; app_role_id: string }[];
  const seen = new Set<string>();
  for (const row of assignments) {
    const key = JSON.stringify([row.tenant_id, row.principal_id, row.resource_id, row.app_role_id]);
    if (!seen.has(key)) {
      seen.add(key);
      continue;
    }
    await db.deleteFrom('app_role_assignments').where('tenant_id', '=', row.tenant_id).where('id', '=', row.id).execute();
    changed.add(row.tenant_id);
  }

  for (const tenantId of changed) {
    await db.updateTable('tenants').set({ directory_stamp: sql`directory_stamp + 1` }).where('id', '=', tenantId).execute();
  }

  await db.schema
    .createIndex('oauth2_permission_grants_all_principals')
    .unique()
    .on('oauth2_permission_grants')
    .columns(['tenant_id', 'client_id', 'resource_id'])
    .where(sql.ref('consent_type'), '=', 'AllPrincipals')
    .execute();
  await db.schema
    .createIndex('oauth2_permission_grants_principal')
    .unique()
    .on('oauth2_permission_grants')
    .columns(['tenant_id', 'client_id', 'resource_id', 'principal_id'])
    .where(sql.ref('consent_type'), '=', 'Principal')
    .execute();
  // a user's own grants (My Account → Apps, GET /users/{id}/oauth2PermissionGrants)
  await db.schema.createIndex('oauth2_permission_grants_by_principal').on('oauth2_permission_grants').columns(['tenant_id', 'principal_id']).execute();
  // a resource's grants and assignments (GET /servicePrincipals/{id}/appRoleAssignedTo)
  await db.schema.createIndex('app_role_assignments_resource').on('app_role_assignments').columns(['tenant_id', 'resource_id']).execute();
  await db.schema.createIndex('app_role_assignments_unique').unique().on('app_role_assignments').columns(['tenant_id', 'principal_id', 'resource_id', 'app_role_id']).execute();
  await db.schema.dropIndex('app_role_assignments_principal').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('app_role_assignments_principal').on('app_role_assignments').columns(['tenant_id', 'principal_id', 'resource_id']).execute();
  for (const index of ['app_role_assignments_unique', 'app_role_assignments_resource', 'oauth2_permission_grants_by_principal', 'oauth2_permission_grants_principal', 'oauth2_permission_grants_all_principals']) {
    await db.schema.dropIndex(index).execute();
  }
}
