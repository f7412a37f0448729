/**
 * Issue 16 (consent), applications and service principals:
 *
 * - `applications` gains Graph's description, info (informationalUrl), verifiedPublisher,
 *   publisherDomain, web.homePageUrl, web.logoutUrl and tags. Existing rows get empty values, and
 *   publisherDomain the tenant's initial domain (what Graph shows for a tenant's own apps).
 * - `service_principals` gains appDisplayName, description, appRoleAssignmentRequired, publisherName,
 *   verifiedPublisher, signInAudience, info, homepage, replyUrls and tags. Existing rows: the app's
 *   name, the home tenant's name as publisher, the registration's redirect URIs as replyUrls;
 *   Microsoft Graph's own "Microsoft Services".
 * - `delegated_permission_classifications` (tenant-owned): low/medium/high per delegated scope of a
 *   resource service principal, one per scope.
 * - A unique partial index on `applications(app_id)` for AzureADMultipleOrgs registrations: the one
 *   cross-tenant lookup (another tenant's published multi-tenant app, by app id) is an index probe,
 *   and no two tenants can publish the same app id.
 * - Microsoft Graph's service principal in each tenant gains the permissions consent needs
 *   (Application.Read.All, DelegatedPermissionGrant.Read.All, Policy.ReadWrite.ConsentRequest,
 *   Policy.ReadWrite.PermissionGrant, ConsentRequest.Read.All, ConsentRequest.ReadWrite.All) with
 *   Graph's ids, and its user-consent scopes get the texts a user sees in the consent prompt.
 * - Every tenant changed has its directory stamp bumped (stamped caches read again).
 *
 * Values are copied here, not imported, so later catalog changes cannot change what this did.
 *
 * Frozen: never edit after it has shipped; add a new migration instead.
 */
import { type Kysely, sql } from 'kysely';

const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

function types(db: Kysely<any>) {
  const isPg = db.getExecutor().adapter.constructor.name === 'PostgresAdapter';
  return isPg ? { ts: 'timestamptz', bool: 'boolean', json: 'jsonb', false: 'false' } : { ts: 'text', bool: 'integer', json: 'text', false: '0' };
}

const EMPTY_INFO = JSON.stringify({ termsOfServiceUrl: null, privacyStatementUrl: null, marketingUrl: null, supportUrl: null, logoUrl: null });
const UNVERIFIED = JSON.stringify({ displayName: null, verifiedPublisherId: null, addedDateTime: null });

/** value, delegated scope id, application role id, admin display name */
const NEW_PERMISSIONS: readonly (readonly [string, string, string, string])[] = [
  ['Application.Read.All', 'c79f8feb-a9db-4090-85f9-90d820caa0eb', '9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30', 'Read applications'],
  ['DelegatedPermissionGrant.Read.All', 'a197cdc4-a8e8-4d49-9d35-4ca7c83887b4', '81b4724a-58aa-41c1-8a55-84ef97466587', 'Read delegated permission grants'],
  ['Policy.ReadWrite.ConsentRequest', '4d135e65-66b8-41a8-9f8b-081452c91774', '999f8c63-0a38-4f1b-91fd-ed1947bdd1a9', 'Read and write consent request policy'],
  ['Policy.ReadWrite.PermissionGrant', '2672f8bb-fd5e-42e0-85e1-ec764dd2614e', 'a402ca1c-2696-4531-972d-6e5ee4aa11ea', 'Manage consent and permission grant policies'],
  ['ConsentRequest.Read.All', 'f3bfad56-966e-4590-a536-82ecf548ac1e', '1260ad83-98fb-4785-abbb-d6cc1806fd41', 'Read consent requests'],
  ['ConsentRequest.ReadWrite.All', '497d9dfa-3bd1-481a-baab-90895e54568c', '9f1b81a7-0223-4428-bfa4-0bcb5535f27d', 'Read and write consent requests'],
];

const sentence = (name: string) => `Allows the app to ${name.charAt(0).toLowerCase()}${name.slice(1)} on behalf of the signed-in user.`;

const SCOPES = NEW_PERMISSIONS.map(([value, scopeId, , name]) => ({
  id: scopeId,
  value,
  type: 'Admin',
  isEnabled: true,
  adminConsentDisplayName: name,
  adminConsentDescription: sentence(name),
  userConsentDisplayName: name,
  userConsentDescription: sentence(name),
}));
const APP_ROLES = NEW_PERMISSIONS.map(([value, , roleId, name]) => ({ id: roleId, value, allowedMemberTypes: ['Application'], displayName: name, description: name, isEnabled: true, origin: 'Application' }));

/** Graph's texts for the scopes users may consent to (by scope id): admin description, user display name, user description */
const USER_TEXTS: Record<string, readonly [string, string, string]> = {
  '37f7f235-527c-4136-accd-4a02d197296e': [
    'Allows users to sign in to the app with their work or school accounts and allows the app to see basic user profile information.',
    'Sign in as you',
    'Allows you to sign in to the app with your work or school account and allows the app to read your basic profile information.',
  ],
  '14dad69e-099b-42c9-810b-d002981feec1': [
    "Allows the app to see your users' basic profile (e.g., name, picture, user name, email address).",
    'View your basic profile',
    'Allows the app to see your basic profile (e.g., name, picture, user name, email address).',
  ],
  '64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0': ["Allows the app to read your users' primary email address.", 'View your email address', 'Allows the app to read your primary email address.'],
  '7427e0e9-2fba-42fe-b0c0-848c9e6a8182': [
    'Allows the app to see and update the data you gave it access to, even when users are not currently using the app. This does not give the app any additional permissions.',
    'Maintain access to data you have given it access to',
    'Allows the app to see and update the data you gave it access to, even when you are not currently using the app. This does not give the app any additional permissions.',
  ],
  'e1fe6dd8-ba31-4d61-89e7-88639da4683d': [
    'Allows users to sign-in to the app, and allows the app to read the profile of signed-in users. It also allows the app to read basic company information of signed-in users.',
    'Sign you in and read your profile',
    'Allows you to sign in to the app with your organizational account and let the app read your profile. It also allows the app to read basic company information.',
  ],
  'b4e74841-8e56-480b-be8b-910348b18b4c': [
    "Allows the app to read the signed-in user's full profile. It also allows the app to update the signed-in user's profile information on their behalf.",
    'Read and update your profile',
    'Allows the app to read your profile, and discover your group membership, reports and manager. It also allows the app to update your profile information on your behalf.',
  ],
  'b340eb25-3456-403f-be2f-af7a0d370277': [
    'Allows the app to read a basic set of profile properties of other users in your organization on behalf of the signed-in user. This includes display name, first and last name, email address and photo.',
    "Read all users' basic profiles",
    'Allows the app to read a basic set of profile properties of other users in your organization on your behalf. Includes display name, first and last name, email address and photo.',
  ],
};

type Scope = { id: string; adminConsentDisplayName?: string; adminConsentDescription?: string; userConsentDisplayName?: string | null; userConsentDescription?: string | null };

/** jsonb comes back parsed from PostgreSQL, as text from SQLite. */
function list<T = { id: string }>(value: unknown): T[] {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  return Array.isArray(parsed) ? (parsed as T[]) : [];
}

/** The old catalog wrote the admin display name into every text: those get Graph's wording. */
function withTexts(scope: Scope): Scope {
  const texts = USER_TEXTS[scope.id];
  if (texts) return { ...scope, adminConsentDescription: texts[0], userConsentDisplayName: texts[1], userConsentDescription: texts[2] };
  const name = scope.adminConsentDisplayName ?? '';
  if (name && scope.adminConsentDescription === name && scope.userConsentDescription === name) {
    return { ...scope, adminConsentDescription: sentence(name), userConsentDescription: sentence(name) };
  }
  return scope;
}

export async function up(db: Kysely<any>): Promise<void> {
  const t = types(db);
  const json = sql.raw(t.json);
  await db.schema.alterTable('applications').addColumn('description', 'text').execute();
  await db.schema.alterTable('applications').addColumn('info', json, (c) => c.notNull().defaultTo(EMPTY_INFO)).execute();
  await db.schema.alterTable('applications').addColumn('verified_publisher', json, (c) => c.notNull().defaultTo(UNVERIFIED)).execute();
  await db.schema.alterTable('applications').addColumn('publisher_domain', 'text').execute();
  await db.schema.alterTable('applications').addColumn('web_home_page_url', 'text').execute();
  await db.schema.alterTable('applications').addColumn('web_logout_url', 'text').execute();
  await db.schema.alterTable('applications').addColumn('tags', json, (c) => c.notNull().defaultTo('[]')).execute();

  await db.schema.alterTable('service_principals').addColumn('app_display_name', 'text').execute();
  await db.schema.alterTable('service_principals').addColumn('description', 'text').execute();
  await db.schema.alterTable('service_principals').addColumn('app_role_assignment_required', sql.raw(t.bool), (c) => c.notNull().defaultTo(sql.raw(t.false))).execute();
  await db.schema.alterTable('service_principals').addColumn('publisher_name', 'text').execute();
  await db.schema.alterTable('service_principals').addColumn('verified_publisher', json, (c) => c.notNull().defaultTo(UNVERIFIED)).execute();
  await db.schema.alterTable('service_principals').addColumn('sign_in_audience', 'text', (c) => c.notNull().defaultTo('AzureADMyOrg')).execute();
  await db.schema.alterTable('service_principals').addColumn('info', json, (c) => c.notNull().defaultTo(EMPTY_INFO)).execute();
  await db.schema.alterTable('service_principals').addColumn('homepage', 'text').execute();
  await db.schema.alterTable('service_principals').addColumn('reply_urls', json, (c) => c.notNull().defaultTo('[]')).execute();
  await db.schema.alterTable('service_principals').addColumn('tags', json, (c) => c.notNull().defaultTo('[]')).execute();

  await db.schema
    .createTable('delegated_permission_classifications')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('service_principal_id', 'text', (c) => c.notNull())
    .addColumn('permission_id', 'text', (c) => c.notNull())
    .addColumn('permission_name', 'text', (c) => c.notNull())
    .addColumn('classification', 'text', (c) => c.notNull())
    .addColumn('created_at', sql.raw(t.ts), (c) => c.notNull())
    .addPrimaryKeyConstraint('delegated_permission_classifications_pk', ['tenant_id', 'id'])
    .addForeignKeyConstraint('delegated_permission_classifications_sp_fk', ['tenant_id', 'service_principal_id'], 'service_principals', ['tenant_id', 'id'], (fk) => fk.onDelete('cascade'))
    .addCheckConstraint('delegated_permission_classifications_value', sql`classification in ('low', 'medium', 'high')`)
    .execute();
  await db.schema
    .createIndex('delegated_permission_classifications_permission')
    .unique()
    .on('delegated_permission_classifications')
    .columns(['tenant_id', 'service_principal_id', 'permission_id'])
    .execute();

  await db.schema.createIndex('applications_multi_tenant_app_id').unique().on('applications').column('app_id').where(sql<boolean>`sign_in_audience = 'AzureADMultipleOrgs'`).execute();

  const tenants = await db.selectFrom('tenants').select(['id', 'display_name', 'initial_domain']).execute();
  const byId = new Map(tenants.map((tenant) => [tenant.id as string, tenant]));
  const changed = new Set<string>();
  const apps = await db.selectFrom('applications').select(['tenant_id', 'id', 'app_id', 'web_redirect_uris', 'spa_redirect_uris', 'public_client_redirect_uris']).execute();
  const replyUrls = new Map<string, string[]>();
  for (const app of apps) {
    const tenant = byId.get(app.tenant_id as string);
    await db.updateTable('applications').set({ publisher_domain: tenant?.initial_domain ?? null }).where('tenant_id', '=', app.tenant_id).where('id', '=', app.id).execute();
    replyUrls.set(`${app.tenant_id}/${app.app_id}`, [...list<string>(app.web_redirect_uris), ...list<string>(app.spa_redirect_uris), ...list<string>(app.public_client_redirect_uris)]);
    changed.add(app.tenant_id as string);
  }
  const sps = await db.selectFrom('service_principals').select(['tenant_id', 'id', 'app_id', 'display_name', 'app_owner_organization_id', 'oauth2_permission_scopes', 'app_roles']).execute();
  for (const sp of sps) {
    const isGraph = sp.app_id === GRAPH_APP_ID;
    const owner = sp.app_owner_organization_id ? byId.get(sp.app_owner_organization_id as string) : undefined;
    const update: Record<string, unknown> = {
      app_display_name: sp.display_name,
      publisher_name: isGraph ? 'Microsoft Services' : (owner?.display_name ?? null),
      reply_urls: JSON.stringify(replyUrls.get(`${sp.tenant_id}/${sp.app_id}`) ?? []),
    };
    if (isGraph) {
      const scopes = list<Scope>(sp.oauth2_permission_scopes);
      const roles = list(sp.app_roles);
      const scopeIds = new Set(scopes.map((s) => s.id));
      const roleIds = new Set(roles.map((r) => r.id));
      update.oauth2_permission_scopes = JSON.stringify([...scopes.map(withTexts), ...SCOPES.filter((s) => !scopeIds.has(s.id))]);
      update.app_roles = JSON.stringify([...roles, ...APP_ROLES.filter((r) => !roleIds.has(r.id))]);
    }
    await db.updateTable('service_principals').set(update).where('tenant_id', '=', sp.tenant_id).where('id', '=', sp.id).execute();
    changed.add(sp.tenant_id as string);
  }
  for (const tenantId of changed) {
    await db
      .updateTable('tenants')
      .set({ directory_stamp: sql`directory_stamp + 1` })
      .where('id', '=', tenantId)
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  const scopeIds = new Set(SCOPES.map((s) => s.id));
  const roleIds = new Set(APP_ROLES.map((r) => r.id));
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
  await db.schema.dropIndex('applications_multi_tenant_app_id').execute();
  await db.schema.dropTable('delegated_permission_classifications').execute();
  for (const column of ['tags', 'reply_urls', 'homepage', 'info', 'sign_in_audience', 'verified_publisher', 'publisher_name', 'app_role_assignment_required', 'description', 'app_display_name']) {
    await db.schema.alterTable('service_principals').dropColumn(column).execute();
  }
  for (const column of ['tags', 'web_logout_url', 'web_home_page_url', 'publisher_domain', 'verified_publisher', 'info', 'description']) {
    await db.schema.alterTable('applications').dropColumn(column).execute();
  }
  const tenants = await db.selectFrom('tenants').select('id').execute();
  for (const { id } of tenants) {
    await db
      .updateTable('tenants')
      .set({ directory_stamp: sql`directory_stamp + 1` })
      .where('id', '=', id)
      .execute();
  }
}
