import { sql } from 'kysely';
import { isGuid } from '../../kernel/ids.ts';
import { randomToken } from '../../kernel/secrets.ts';
import type { TenantDb } from '../../storage/scoped.ts';
import { iso } from '../../storage/values.ts';
import type { AppRoleAssignment, OAuth2PermissionGrant } from './application.types.ts';
import { bumpDirectoryStamp } from './applications.repo.ts';

type GrantRow = { id: string; client_id: string; consent_type: 'AllPrincipals' | 'Principal'; principal_id: string | null; resource_id: string; scope: string };
type AssignmentRow = { id: string; app_role_id: string; principal_id: string; principal_type: AppRoleAssignment['principalType']; resource_id: string; created_at: unknown };

const readGrant = (row: GrantRow): OAuth2PermissionGrant => ({ id: row.id, clientId: row.client_id, consentType: row.consent_type, principalId: row.principal_id, resourceId: row.resource_id, scope: row.scope });

const readAssignment = (row: AssignmentRow): AppRoleAssignment => ({
  id: row.id,
  appRoleId: row.app_role_id,
  principalId: row.principal_id,
  principalType: row.principal_type,
  resourceId: row.resource_id,
  createdDateTime: iso(row.created_at),
});

/** A grant's scope values, in order, without repeats or empty entries. */
export function scopeValues(scope: string): string[] {
  return [...new Set(scope.split(' ').filter(Boolean))];
}

/** What `mergePermissionGrant` is asked to record. */
export interface GrantInput {
  clientId: string;
  resourceId: string;
  consentType: 'AllPrincipals' | 'Principal';
  /** the user for a Principal grant; ignored (null) for AllPrincipals */
  principalId: string | null;
  scopes: readonly string[];
}

/** Which grants a list asks for: each given field must be equal (Graph's `$filter` with `eq`). */
export interface GrantFilter {
  clientId?: string;
  consentType?: string;
  principalId?: string | null;
  resourceId?: string;
}

/** Delegated permission grants and app role assignments of one tenant. */
export const grantsRepo = Object.freeze({
  /** Inserts a grant as given (first-party and CLI provisioning of a new app, where none exists yet). */
  async insertPermissionGrant(tdb: TenantDb, grant: OAuth2PermissionGrant, now: string): Promise<void> {
    await bumpDirectoryStamp(tdb);
    await tdb
      .insertInto('oauth2_permission_grants', {
        id: grant.id,
        client_id: grant.clientId,
        consent_type: grant.consentType,
        principal_id: grant.principalId,
        resource_id: grant.resourceId,
        scope: grant.scope,
        created_at: now,
      })
      .execute();
  },

  /**
   * Records consent: inserts the grant for (client, resource, consentType, principal), or adds the
   * scopes to the one that exists (existing values first, in their order). Safe under concurrent
   * calls: the partial unique indexes (migration 2026_12_04_100000) make the losing insert a no-op,
   * and the row is then read locked (PostgreSQL) before its scope is rewritten, so two merges
   * running at once end in one row holding both scope sets. Bumps the directory stamp.
   */
  async mergePermissionGrant(tdb: TenantDb, input: GrantInput, now: string): Promise<OAuth2PermissionGrant> {
    // the stamp first: it also orders concurrent writers of this tenant's grants on PostgreSQL
    await bumpDirectoryStamp(tdb);
    const principalId = input.consentType === 'Principal' ? input.principalId : null;
    if (input.consentType === 'Principal' && !principalId) throw new Error('a Principal grant needs a principal');
    const scopes = scopeValues(input.scopes.join(' '));
    await tdb
      .insertInto('oauth2_permission_grants', {
        id: randomToken(32),
        client_id: input.clientId,
        consent_type: input.consentType,
        principal_id: principalId,
        resource_id: input.resourceId,
        scope: scopes.join(' '),
        created_at: now,
      })
      .onConflict((oc) =>
        input.consentType === 'AllPrincipals'
          ? oc.columns(['tenant_id', 'client_id', 'resource_id']).where(sql<boolean>`consent_type = 'AllPrincipals'`).doNothing()
          : oc.columns(['tenant_id', 'client_id', 'resource_id', 'principal_id']).where(sql<boolean>`consent_type = 'Principal'`).doNothing(),
      )
      .execute();
    let query = tdb
      .selectFrom('oauth2_permission_grants')
      .selectAll()
      .where('client_id', '=', input.clientId)
      .where('resource_id', '=', input.resourceId)
      .where('consent_type', '=', input.consentType);
    query = principalId === null ? query.where('principal_id', 'is', null) : query.where('principal_id', '=', principalId);
    if (tdb.dialect === 'postgres') query = query.forUpdate();
    const row = (await query.executeTakeFirstOrThrow()) as GrantRow;
    const merged = scopeValues(`${row.scope} ${scopes.join(' ')}`).join(' ');
    if (merged !== row.scope) {
      await tdb.updateTable('oauth2_permission_grants').set({ scope: merged }).where('id', '=', row.id).execute();
    }
    return readGrant({ ...row, scope: merged });
  },

  /** Replaces a grant's scope (PATCH); false when there is no such grant here. */
  async setPermissionGrantScope(tdb: TenantDb, id: string, scope: string): Promise<boolean> {
    await bumpDirectoryStamp(tdb);
    const result = await tdb.updateTable('oauth2_permission_grants').set({ scope }).where('id', '=', id).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  },

  /** Removes a grant; false when there is no such grant here. */
  async deletePermissionGrant(tdb: TenantDb, id: string): Promise<boolean> {
    await bumpDirectoryStamp(tdb);
    const result = await tdb.deleteFrom('oauth2_permission_grants').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  },

  async findPermissionGrant(tdb: TenantDb, id: string): Promise<OAuth2PermissionGrant | undefined> {
    const row = await tdb.selectFrom('oauth2_permission_grants').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? readGrant(row as GrantRow) : undefined;
  },

  /** The grants of one client for one resource (tenant-wide and every user's). */
  async permissionGrants(tdb: TenantDb, clientSpId: string, resourceSpId: string): Promise<OAuth2PermissionGrant[]> {
    const rows = await tdb.selectFrom('oauth2_permission_grants').selectAll().where('client_id', '=', clientSpId).where('resource_id', '=', resourceSpId).execute();
    return rows.map((row) => readGrant(row as GrantRow));
  },

  /** The user's own (Principal) grants, every client and resource (My Account → Apps). */
  async principalGrants(tdb: TenantDb, userId: string): Promise<OAuth2PermissionGrant[]> {
    const rows = await tdb.selectFrom('oauth2_permission_grants').selectAll().where('principal_id', '=', userId).where('consent_type', '=', 'Principal').orderBy('id').execute();
    return rows.map((row) => readGrant(row as GrantRow));
  },

  /** Every tenant-wide (AllPrincipals) grant (My Account → Apps: what the organization consented to). */
  async tenantWideGrants(tdb: TenantDb): Promise<OAuth2PermissionGrant[]> {
    const rows = await tdb.selectFrom('oauth2_permission_grants').selectAll().where('consent_type', '=', 'AllPrincipals').orderBy('id').execute();
    return rows.map((row) => readGrant(row as GrantRow));
  },

  /** A page of grants in id order, after `after`, matching every field of `filter`. */
  async listPermissionGrants(tdb: TenantDb, filter: GrantFilter, after: string | null, limit: number): Promise<OAuth2PermissionGrant[]> {
    let query = tdb.selectFrom('oauth2_permission_grants').selectAll();
    if (filter.clientId !== undefined) query = query.where('client_id', '=', filter.clientId);
    if (filter.resourceId !== undefined) query = query.where('resource_id', '=', filter.resourceId);
    if (filter.consentType !== undefined) query = query.where('consent_type', '=', filter.consentType as GrantRow['consent_type']);
    if (filter.principalId !== undefined) query = filter.principalId === null ? query.where('principal_id', 'is', null) : query.where('principal_id', '=', filter.principalId);
    if (after !== null) query = query.where('id', '>', after);
    const rows = await query.orderBy('id').limit(limit).execute();
    return rows.map((row) => readGrant(row as GrantRow));
  },

  /** Inserts an assignment as given (provisioning, bulk invitations). */
  async insertAppRoleAssignment(tdb: TenantDb, assignment: AppRoleAssignment): Promise<void> {
    await bumpDirectoryStamp(tdb);
    await tdb
      .insertInto('app_role_assignments', {
        id: assignment.id,
        app_role_id: assignment.appRoleId,
        principal_id: assignment.principalId,
        principal_type: assignment.principalType,
        resource_id: assignment.resourceId,
        created_at: assignment.createdDateTime,
      })
      .execute();
  },

  /**
   * The assignment of `appRoleId` on the resource to the principal, created when missing
   * (idempotent; concurrent calls meet the unique index and the loser reads the winner's row).
   */
  async ensureAppRoleAssignment(
    tdb: TenantDb,
    input: { appRoleId: string; principalId: string; principalType: AppRoleAssignment['principalType']; resourceId: string },
    now: string,
  ): Promise<AppRoleAssignment> {
    await bumpDirectoryStamp(tdb);
    await tdb
      .insertInto('app_role_assignments', {
        id: randomToken(32),
        app_role_id: input.appRoleId,
        principal_id: input.principalId,
        principal_type: input.principalType,
        resource_id: input.resourceId,
        created_at: now,
      })
      .onConflict((oc) => oc.columns(['tenant_id', 'principal_id', 'resource_id', 'app_role_id']).doNothing())
      .execute();
    const row = await tdb
      .selectFrom('app_role_assignments')
      .selectAll()
      .where('principal_id', '=', input.principalId)
      .where('resource_id', '=', input.resourceId)
      .where('app_role_id', '=', input.appRoleId)
      .executeTakeFirstOrThrow();
    return readAssignment(row as AssignmentRow);
  },

  async deleteAppRoleAssignment(tdb: TenantDb, principalId: string, resourceSpId: string, appRoleId: string): Promise<number> {
    await bumpDirectoryStamp(tdb);
    const result = await tdb.deleteFrom('app_role_assignments').where('principal_id', '=', principalId).where('resource_id', '=', resourceSpId).where('app_role_id', '=', appRoleId).executeTakeFirst();
    return Number(result.numDeletedRows);
  },

  /** Removes one assignment by id; false when there is none here. */
  async deleteAppRoleAssignmentById(tdb: TenantDb, id: string): Promise<boolean> {
    await bumpDirectoryStamp(tdb);
    const result = await tdb.deleteFrom('app_role_assignments').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  },

  async findAppRoleAssignment(tdb: TenantDb, id: string): Promise<AppRoleAssignment | undefined> {
    const row = await tdb.selectFrom('app_role_assignments').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? readAssignment(row as AssignmentRow) : undefined;
  },

  /** The principal's assignments on one resource. */
  async appRoleAssignments(tdb: TenantDb, principalId: string, resourceSpId: string): Promise<AppRoleAssignment[]> {
    const rows = await tdb.selectFrom('app_role_assignments').selectAll().where('principal_id', '=', principalId).where('resource_id', '=', resourceSpId).execute();
    return rows.map((row) => readAssignment(row as AssignmentRow));
  },

  /** A page of assignments in id order: those held by a principal, or those granted on a resource. */
  async listAppRoleAssignments(tdb: TenantDb, by: { principalId: string } | { resourceId: string }, after: string | null, limit: number): Promise<AppRoleAssignment[]> {
    let query = tdb.selectFrom('app_role_assignments').selectAll();
    query = 'principalId' in by ? query.where('principal_id', '=', by.principalId) : query.where('resource_id', '=', by.resourceId);
    if (after !== null) query = query.where('id', '>', after);
    const rows = await query.orderBy('id').limit(limit).execute();
    return rows.map((row) => readAssignment(row as AssignmentRow));
  },

  /** The id of the user with this object id or userPrincipalName (case-insensitive, as usersRepo.findByUpn). */
  async userId(tdb: TenantDb, idOrUpn: string): Promise<string | undefined> {
    const query = tdb.selectFrom('users').select('id');
    const lower = idOrUpn.toLowerCase();
    const row = await (isGuid(lower) ? query.where('id', '=', lower) : query.where(sql<boolean>`lower(user_principal_name) = ${lower}`)).executeTakeFirst();
    return row?.id;
  },

  /**
   * What the directory objects with these ids are, with their display names (the principals and
   * resources an assignment or grant names). Ids that are not objects of this tenant are left out.
   */
  async directoryObjects(tdb: TenantDb, ids: readonly string[]): Promise<Map<string, { type: 'user' | 'group' | 'servicePrincipal'; displayName: string; appId: string | null }>> {
    const out = new Map<string, { type: 'user' | 'group' | 'servicePrincipal'; displayName: string; appId: string | null }>();
    const wanted = [...new Set(ids)];
    if (wanted.length === 0) return out;
    const users = await tdb.selectFrom('users').select(['id', 'display_name']).where('id', 'in', wanted).execute();
    const groups = await tdb.selectFrom('groups').select(['id', 'display_name']).where('id', 'in', wanted).execute();
    const sps = await tdb.selectFrom('service_principals').select(['id', 'display_name', 'app_id']).where('id', 'in', wanted).execute();
    for (const row of users) out.set(row.id, { type: 'user', displayName: row.display_name, appId: null });
    for (const row of groups) out.set(row.id, { type: 'group', displayName: row.display_name, appId: null });
    for (const row of sps) out.set(row.id, { type: 'servicePrincipal', displayName: row.display_name, appId: row.app_id });
    return out;
  },

  /**
   * The user's assignments on a resource: to the user, and to the groups the user is a direct
   * member of (Entra applies group assignments to direct members only).
   */
  async userAssignments(tdb: TenantDb, userId: string, resourceSpId: string): Promise<AppRoleAssignment[]> {
    const rows = await tdb
      .selectFrom('app_role_assignments')
      .selectAll()
      .where('resource_id', '=', resourceSpId)
      .where((eb) =>
        eb.or([
          eb('principal_id', '=', userId),
          eb('principal_id', 'in', tdb.selectFrom('group_members').select('group_id').where('member_id', '=', userId)),
        ]),
      )
      .execute();
    return rows.map((row) => readAssignment(row as AssignmentRow));
  },
});
