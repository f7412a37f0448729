/**
 * Issue 16 (consent), the admin center: its pages for Enterprise applications, App registrations,
 * Consent and permissions and Admin consent requests call Graph with permissions the admin
 * center's token did not carry. Tenants created from now on get them at provisioning
 * (modules/consent/first-party.ts, ADMIN_CENTER_SCOPES); this gives them to existing tenants.
 *
 * - The admin center's tenant-wide (AllPrincipals) grant on Microsoft Graph gains
 *   Application.ReadWrite.All, DelegatedPermissionGrant.ReadWrite.All, AppRoleAssignment.ReadWrite.All,
 *   Policy.ReadWrite.PermissionGrant, Policy.ReadWrite.ConsentRequest and ConsentRequest.ReadWrite.All
 *   (appended, in this order; scopes it already holds are not repeated).
 * - A tenant whose grant changed has its directory stamp bumped, so nodes that cached its grants
 *   (modules/consent/stamped-cache.ts) read them again.
 *
 * What the admin center may do is still decided by the signed-in administrator's directory roles:
 * the scopes only let the admin center ask.
 *
 * The values are copied here rather than imported, so later changes to first-party.ts cannot change
 * what this migration did. Running it twice adds nothing twice. `down` removes exactly these scopes.
 *
 * Frozen: never edit after it has shipped; add a new migration instead.
 */
import { type Kysely, sql } from 'kysely';

const ADMIN_CENTER_APP_ID = 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c';
const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

const NEW_SCOPES: readonly string[] = [
  'Application.ReadWrite.All',
  'DelegatedPermissionGrant.ReadWrite.All',
  'AppRoleAssignment.ReadWrite.All',
  'Policy.ReadWrite.PermissionGrant',
  'Policy.ReadWrite.ConsentRequest',
  'ConsentRequest.ReadWrite.All',
];

/** A space-separated scope string as a list (case kept; compared case-insensitively, as Entra does). */
const scopesOf = (scope: string): string[] => scope.split(' ').filter((value) => value !== '');

function withScopes(scope: string, added: readonly string[]): string {
  const existing = scopesOf(scope);
  const held = new Set(existing.map((value) => value.toLowerCase()));
  return [...existing, ...added.filter((value) => !held.has(value.toLowerCase()))].join(' ');
}

function withoutScopes(scope: string, removed: readonly string[]): string {
  const gone = new Set(removed.map((value) => value.toLowerCase()));
  return scopesOf(scope)
    .filter((value) => !gone.has(value.toLowerCase()))
    .join(' ');
}

/** Each tenant's admin center grant on its Microsoft Graph service principal. */
async function adminCenterGrants(db: Kysely<any>): Promise<{ tenant_id: string; id: string; scope: string }[]> {
  return db
    .selectFrom('oauth2_permission_grants as g')
    .innerJoin('service_principals as client', (join) => join.onRef('client.tenant_id', '=', 'g.tenant_id').onRef('client.id', '=', 'g.client_id'))
    .innerJoin('service_principals as graph', (join) => join.onRef('graph.tenant_id', '=', 'g.tenant_id').onRef('graph.id', '=', 'g.resource_id'))
    .select(['g.tenant_id', 'g.id', 'g.scope'])
    .where('client.app_id', '=', ADMIN_CENTER_APP_ID)
    .where('graph.app_id', '=', GRAPH_APP_ID)
    .where('g.consent_type', '=', 'AllPrincipals')
    .execute() as Promise<{ tenant_id: string; id: string; scope: string }[]>;
}

async function rewrite(db: Kysely<any>, change: (scope: string) => string): Promise<void> {
  const changed = new Set<string>();
  for (const grant of await adminCenterGrants(db)) {
    const next = change(grant.scope);
    if (next === grant.scope) continue;
    await db.updateTable('oauth2_permission_grants').set({ scope: next }).where('tenant_id', '=', grant.tenant_id).where('id', '=', grant.id).execute();
    changed.add(grant.tenant_id);
  }
  for (const tenantId of changed) {
    await db
      .updateTable('tenants')
      .set({ directory_stamp: sql`directory_stamp + 1` })
      .where('id', '=', tenantId)
      .execute();
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  await rewrite(db, (scope) => withScopes(scope, NEW_SCOPES));
}

export async function down(db: Kysely<any>): Promise<void> {
  await rewrite(db, (scope) => withoutScopes(scope, NEW_SCOPES));
}
