import type { Clock } from '../../kernel/clock.ts';
import { newId } from '../../kernel/ids.ts';
import { randomToken, type SecretBox } from '../../kernel/secrets.ts';
import type { Database } from '../../storage/database.ts';
import { uniqueViolation } from '../../storage/constraints.ts';
import { inTransaction, scoped, type TenantDb } from '../../storage/scoped.ts';
import { tenantScope, type TenantScope } from '../../tenancy/scope.ts';
import { recordAudit } from '../audit/index.ts';
import { EMPTY_INFO, UNVERIFIED_PUBLISHER, type Application, type KeyCredential, type PasswordCredential, type ServicePrincipal } from './application.types.ts';
import { applicationsRepo, publishedApps } from './applications.repo.ts';
import { certificateCredential } from './certificates.ts';
import { classificationsRepo, type PermissionClassification } from './classifications.repo.ts';
import { ConsentErrors } from './consent.errors.ts';
import { copyIsStale, refreshedCopy, servicePrincipalFor } from './service-principal-copy.ts';
import { ADMIN_CENTER_APP_ID, ADMIN_CENTER_SCOPES, FEDERATION_APP_ID, FEDERATION_SCOPES, MY_ACCOUNT_APP_ID, MY_ACCOUNT_SCOPES, firstPartyPostLogoutRedirectUris, firstPartyRedirectUris } from './first-party.ts';
import { GRAPH_ALIAS, GRAPH_APP_ID, GRAPH_DISPLAY_NAME, graphAppRoles, graphPermission, graphPermissionScopes } from './graph-permissions.ts';
import { grantsRepo } from './grants.repo.ts';
import { STAMP_RECHECK_MS, StampedTenantCache } from './stamped-cache.ts';

export interface CreateAppInput {
  displayName: string;
  redirectUris?: string[];
  /** a public client (native/SPA): no secret, PKCE required */
  isPublic?: boolean;
  /** create a client secret and return it once */
  withSecret?: boolean;
  /** Graph application permissions, granted by an administrator (appRoleAssignments) */
  applicationPermissions?: string[];
  /** Graph delegated permissions, consented for all users (an AllPrincipals grant) */
  delegatedPermissions?: string[];
  /** public JWKs for private_key_jwt client authentication */
  publicJwks?: Record<string, unknown>[];
  /** X.509 certificates (PEM or base64 DER) for private_key_jwt: stored as keyCredentials (certificates.ts) */
  certificates?: string[];
}

/**
 * An OAuth client as the sign-in service sees it: its registration (this tenant's, or another
 * tenant's published multi-tenant app) plus its service principal here, which is null until the
 * first consent here creates it (ensureServicePrincipal).
 */
export interface ClientApp {
  application: Application;
  servicePrincipal: ServicePrincipal | null;
  /** the tenant that registered the app */
  homeTenantId: string;
  /** where RP-initiated logout may return to, besides the redirect URIs (first-party apps' signed-out pages) */
  postLogoutRedirectUris: string[];
}

/** Who publishes a client app, as the consent prompt shows it. */
export interface Publisher {
  name: string;
  domain: string | null;
  /** a server administrator verified the publisher (`tessera app verify-publisher`) */
  verified: boolean;
  homeTenantId: string;
}

/**
 * Applications and service principals for sign-in and consent: first-party apps and the Graph
 * resource provisioned with each tenant, app registration from the CLI, clients (this tenant's
 * and other tenants' multi-tenant apps), publishers, resources and their classifications, and the
 * consent and app-role lookups token issuance needs. Graph's CRUD is RegistrationsService and
 * ServicePrincipalsService, which make their changes through `change` here.
 */
export class ApplicationsService {
  /**
   * Parsed applications, service principals, grants and role assignments per tenant: the token
   * path asks for each several times per token. Invalidated by the tenant's directory stamp; a
   * change on another node is seen within STAMP_RECHECK_MS (5 s), here at once.
   */
  readonly #cache: StampedTenantCache;

  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly secrets: SecretBox,
    private readonly baseUrl: () => string,
  ) {
    this.#cache = new StampedTenantCache(clock, (scope) => applicationsRepo.directoryStamp(scoped(this.database, scope)));
  }

  /**
   * Which tenant publishes a multi-tenant app id (or none), per node for STAMP_RECHECK_MS: the
   * registration itself is then read through the home tenant's own stamped cache, so a change
   * there (a removed secret, the audience narrowed to AzureADMyOrg) counts as any change does.
   */
  readonly #homes = new Map<string, { tenantId: string | null; at: number }>();

  /** Runs a change to the tenant's applications in a transaction, then drops this node's cached copies. */
  async #change<T>(scope: TenantScope, work: (tdb: TenantDb) => Promise<T>): Promise<T> {
    try {
      return await inTransaction(this.database, scope, work);
    } finally {
      this.#cache.invalidate(scope.tenantId);
    }
  }

  /** The same for the other services of this module (Graph's registrations and service principals). */
  change<T>(scope: TenantScope, work: (tdb: TenantDb) => Promise<T>): Promise<T> {
    return this.#change(scope, work);
  }

  /** Drops this node's cached copies of a tenant's apps and grants (after a change committed elsewhere in the module). */
  invalidate(scope: TenantScope): void {
    this.#cache.invalidate(scope.tenantId);
  }

  /** The My Account web client's secret: derived from the server secret, so every node knows it and none stores it. */
  myAccountClientSecret(): string {
    return this.secrets.mac(`tessera/first-party/${MY_ACCOUNT_APP_ID}/secret`);
  }

  /** The home sign-in client's secret (B2B guests, modules/federation): derived like My Account's. */
  federationClientSecret(): string {
    return this.secrets.mac(`tessera/first-party/${FEDERATION_APP_ID}/secret`);
  }

  /**
   * The home sign-in client in a tenant made before it existed: registered (pre-consented) on first
   * need, once; a second node doing the same at the same moment meets the unique app id and stops.
   */
  async ensureFederationClient(scope: TenantScope): Promise<void> {
    if (await this.client(scope, FEDERATION_APP_ID)) return;
    try {
      await this.#change(scope, async (tdb) => {
        if (await applicationsRepo.findApplicationByAppId(tdb, FEDERATION_APP_ID)) return;
        const graph = await applicationsRepo.findServicePrincipalByAppId(tdb, GRAPH_APP_ID);
        if (!graph) throw ConsentErrors.appNotFound(GRAPH_APP_ID);
        await this.#registerFederationClient(tdb, scope.tenantId, graph.id, this.clock.now().toISOString());
        await recordAudit(tdb, this.clock, { actorId: null, actorType: 'system', action: 'Add application', targetType: 'application', targetId: FEDERATION_APP_ID, details: { firstParty: true } });
      });
    } catch (error) {
      if (!uniqueViolation(error)) throw error;
    }
  }

  async #registerFederationClient(tdb: TenantDb, tenantId: string, graphId: string, now: string): Promise<void> {
    const federation = await this.#register(tdb, tenantId, {
      appId: FEDERATION_APP_ID,
      displayName: 'Tessera home sign-in',
      web: firstPartyRedirectUris(FEDERATION_APP_ID, this.baseUrl())!,
      passwordCredentials: [this.#credential(this.federationClientSecret(), 'first-party', now)],
      keyCredentials: [],
      now,
    });
    await grantsRepo.insertPermissionGrant(tdb, { id: randomToken(32), clientId: federation.id, consentType: 'AllPrincipals', principalId: null, resourceId: graphId, scope: FEDERATION_SCOPES }, now);
  }

  /** TenantProvisioner: Graph's service principal and the pre-consented first-party apps. */
  readonly provision = async (tdb: TenantDb, tenant: { id: string }): Promise<void> => {
    const now = this.clock.now().toISOString();
    const graph: ServicePrincipal = {
      id: newId(),
      appId: GRAPH_APP_ID,
      displayName: GRAPH_DISPLAY_NAME,
      appDisplayName: GRAPH_DISPLAY_NAME,
      description: null,
      appOwnerOrganizationId: null,
      accountEnabled: true,
      appRoleAssignmentRequired: false,
      appRoles: graphAppRoles(),
      oauth2PermissionScopes: graphPermissionScopes(),
      servicePrincipalNames: [GRAPH_APP_ID, GRAPH_ALIAS, this.baseUrl()],
      servicePrincipalType: 'Application',
      signInAudience: 'AzureADMultipleOrgs',
      publisherName: 'Microsoft Services',
      verifiedPublisher: UNVERIFIED_PUBLISHER,
      info: EMPTY_INFO,
      homepage: null,
      replyUrls: [],
      tags: [],
      createdDateTime: now,
    };
    await applicationsRepo.insertServicePrincipal(tdb, graph);
    const admin = await this.#register(tdb, tenant.id, {
      appId: ADMIN_CENTER_APP_ID,
      displayName: 'Tessera admin center',
      spa: firstPartyRedirectUris(ADMIN_CENTER_APP_ID, this.baseUrl())!,
      isFallbackPublicClient: true,
      passwordCredentials: [],
      keyCredentials: [],
      now,
    });
    await grantsRepo.insertPermissionGrant(tdb, { id: randomToken(32), clientId: admin.id, consentType: 'AllPrincipals', principalId: null, resourceId: graph.id, scope: ADMIN_CENTER_SCOPES }, now);
    const myAccount = await this.#register(tdb, tenant.id, {
      appId: MY_ACCOUNT_APP_ID,
      displayName: 'My Account',
      web: firstPartyRedirectUris(MY_ACCOUNT_APP_ID, this.baseUrl())!,
      passwordCredentials: [this.#credential(this.myAccountClientSecret(), 'first-party', now)],
      keyCredentials: [],
      now,
    });
    await grantsRepo.insertPermissionGrant(tdb, { id: randomToken(32), clientId: myAccount.id, consentType: 'AllPrincipals', principalId: null, resourceId: graph.id, scope: MY_ACCOUNT_SCOPES }, now);
    await this.#registerFederationClient(tdb, tenant.id, graph.id, now);
  };

  /** `tessera app create`: registers an app with its service principal and records the admin grants it lists. */
  async create(
    scope: TenantScope,
    input: CreateAppInput,
  ): Promise<{ appId: string; clientSecret: string | null; servicePrincipalId: string; applicationId: string; keyCredentials: { keyId: string; customKeyIdentifier: string | null; endDateTime: string | null }[] }> {
    const displayName = input.displayName.trim();
    if (!displayName) throw ConsentErrors.invalidName();
    const redirectUris = input.redirectUris ?? [];
    for (const uri of redirectUris) if (!isAcceptableRedirectUri(uri)) throw ConsentErrors.invalidRedirectUri(uri);
    const roles = (input.applicationPermissions ?? []).map((value) => {
      const permission = graphPermission(value);
      if (!permission) throw ConsentErrors.unknownPermission(value);
      if (!permission.roleId) throw ConsentErrors.noAppRole(value);
      return permission;
    });
    const delegated = (input.delegatedPermissions ?? []).map((value) => {
      const permission = graphPermission(value);
      if (!permission?.scopeId) throw ConsentErrors.unknownPermission(value);
      return permission;
    });
    const at = this.clock.now();
    const now = at.toISOString();
    const certificates = (input.certificates ?? []).map((pem) => certificateCredential({ key: pem }, at));
    const clientSecret = input.withSecret ? `${randomToken(3).slice(0, 3)}~${randomToken(30)}` : null;
    return this.#change(scope, async (tdb) => {
      const appId = newId();
      const sp = await this.#register(tdb, scope.tenantId, {
        appId,
        displayName,
        ...(input.isPublic ? { publicClient: redirectUris, isFallbackPublicClient: true } : { web: redirectUris }),
        passwordCredentials: clientSecret ? [this.#credential(clientSecret, 'CLI', now)] : [],
        keyCredentials: [...(input.publicJwks ?? []).map((jwk): KeyCredential => ({ keyId: newId(), type: 'Jwk', usage: 'Verify', displayName: null, key: JSON.stringify(jwk) })), ...certificates],
        requiredResourceAccess:
          roles.length + delegated.length > 0
            ? [{ resourceAppId: GRAPH_APP_ID, resourceAccess: [...delegated.map((p) => ({ id: p.scopeId!, type: 'Scope' as const })), ...roles.map((p) => ({ id: p.roleId!, type: 'Role' as const }))] }]
            : [],
        now,
      });
      const graph = await applicationsRepo.findServicePrincipalByAppId(tdb, GRAPH_APP_ID);
      if (!graph) throw ConsentErrors.appNotFound(GRAPH_APP_ID);
      if (delegated.length > 0) {
        await grantsRepo.insertPermissionGrant(tdb, { id: randomToken(32), clientId: sp.id, consentType: 'AllPrincipals', principalId: null, resourceId: graph.id, scope: delegated.map((p) => p.value).join(' ') }, now);
      }
      for (const role of roles) {
        await grantsRepo.insertAppRoleAssignment(tdb, { id: randomToken(32), appRoleId: role.roleId!, principalId: sp.id, principalType: 'ServicePrincipal', resourceId: graph.id, createdDateTime: now });
      }
      await recordAudit(tdb, this.clock, { actorId: null, actorType: 'system', action: 'Add application', targetType: 'application', targetId: appId, details: { displayName, applicationPermissions: roles.map((r) => r.value), delegatedPermissions: delegated.map((d) => d.value), certificates: certificates.map((c) => c.customKeyIdentifier) } });
      const application = (await applicationsRepo.findApplicationByAppId(tdb, appId))!;
      const keyCredentials = certificates.map((c) => ({ keyId: c.keyId, customKeyIdentifier: c.customKeyIdentifier ?? null, endDateTime: c.endDateTime ?? null }));
      return { appId, clientSecret, servicePrincipalId: sp.id, applicationId: application.id, keyCredentials };
    });
  }

  /**
   * The client `appId` as this tenant sees it: registered here, or another tenant's published
   * multi-tenant app (with this tenant's service principal for it, or null before the first
   * consent here). First-party redirect URIs follow the current base URL. A disabled service
   * principal still comes back (the consent pages say why); clientMetadata refuses it.
   */
  async client(scope: TenantScope, appId: string): Promise<ClientApp | undefined> {
    const application = await this.#application(scope, appId);
    if (application) {
      const servicePrincipal = await this.cachedServicePrincipal(scope, appId);
      if (!servicePrincipal) return undefined;
      const firstParty = firstPartyRedirectUris(appId, this.baseUrl());
      // the cached registration is shared: first-party redirect URIs go on a copy
      const app = !firstParty
        ? application
        : application.spa.redirectUris.length > 0
          ? { ...application, spa: { redirectUris: firstParty } }
          : { ...application, web: { ...application.web, redirectUris: firstParty } };
      return { application: app, servicePrincipal, homeTenantId: scope.tenantId, postLogoutRedirectUris: firstPartyPostLogoutRedirectUris(appId, this.baseUrl()) };
    }
    return this.#foreignClient(scope, appId);
  }

  /** Another tenant's published multi-tenant app, with this tenant's service principal for it (its copies refreshed when stale). */
  async #foreignClient(scope: TenantScope, appId: string): Promise<ClientApp | undefined> {
    const homeTenantId = await this.#homeTenantOf(appId);
    if (!homeTenantId || homeTenantId === scope.tenantId) return undefined;
    const home = await this.#application(tenantScope(homeTenantId), appId);
    if (!home || home.signInAudience !== 'AzureADMultipleOrgs') return undefined;
    let servicePrincipal = (await this.cachedServicePrincipal(scope, appId)) ?? null;
    if (servicePrincipal && copyIsStale(servicePrincipal, home)) servicePrincipal = await this.#refreshCopy(scope, servicePrincipal.id, home);
    return { application: home, servicePrincipal, homeTenantId, postLogoutRedirectUris: [] };
  }

  async #homeTenantOf(appId: string): Promise<string | null> {
    const now = this.clock.now().getTime();
    const known = this.#homes.get(appId);
    if (known && now - known.at < STAMP_RECHECK_MS) return known.tenantId;
    const tenantId = (await publishedApps.homeTenantOf(this.database.db, appId)) ?? null;
    // a small per-node map: app ids come from sign-in requests, so it is bounded rather than kept whole
    if (this.#homes.size >= 10_000) this.#homes.clear();
    this.#homes.set(appId, { tenantId, at: now });
    return tenantId;
  }

  /** A foreign app's service principal here, brought up to date with its registration (read fresh, in one transaction). */
  async #refreshCopy(scope: TenantScope, servicePrincipalId: string, home: Application): Promise<ServicePrincipal | null> {
    return this.#change(scope, async (tdb) => {
      const current = await applicationsRepo.findServicePrincipalById(tdb, servicePrincipalId);
      if (!current) return null;
      if (!copyIsStale(current, home)) return current;
      const next = refreshedCopy(current, home);
      await applicationsRepo.saveServicePrincipal(tdb, next);
      await classificationsRepo.deleteMissing(tdb, next.id, next.oauth2PermissionScopes.map((s) => s.id));
      return next;
    });
  }

  /**
   * This tenant's service principal for `appId`, created when missing, in the caller's transaction:
   * from this tenant's registration, or from another tenant's published multi-tenant registration
   * (appOwnerOrganizationId and publisherName that tenant's, verifiedPublisher, appRoles and
   * oauth2PermissionScopes copied). The caller invalidates this node's cache after commit. The
   * audit record names `actor` (the server itself when a consent creates it).
   */
  async ensureServicePrincipal(tdb: TenantDb, _scope: TenantScope, appId: string, actor: { actorId: string | null; actorType: string } = { actorId: null, actorType: 'system' }): Promise<ServicePrincipal> {
    const existing = await applicationsRepo.findServicePrincipalByAppId(tdb, appId);
    if (existing) return existing;
    const now = this.clock.now().toISOString();
    const own = await applicationsRepo.findApplicationByAppId(tdb, appId);
    let sp: ServicePrincipal;
    if (own) {
      const identity = await applicationsRepo.tenantIdentity(tdb);
      sp = servicePrincipalFor(own, { tenantId: tdb.tenantId, publisherName: identity?.displayName ?? null }, now);
    } else {
      const published = await publishedApps.registration(tdb, appId);
      if (!published || published.homeTenantId === tdb.tenantId) throw ConsentErrors.appNotFound(appId);
      sp = servicePrincipalFor(published.application, { tenantId: published.homeTenantId, publisherName: published.homeDisplayName }, now);
    }
    await applicationsRepo.insertServicePrincipal(tdb, sp);
    await recordAudit(tdb, this.clock, { ...actor, action: 'Add service principal', targetType: 'servicePrincipal', targetId: sp.id, details: { appId, appOwnerOrganizationId: sp.appOwnerOrganizationId } });
    return sp;
  }

  /**
   * Who publishes the client: a verified publisher's name when a server administrator verified
   * it, else the home tenant's name; the home tenant's initial domain.
   */
  async publisher(client: ClientApp): Promise<Publisher> {
    const { application } = client;
    const verified = Boolean(application.verifiedPublisher.verifiedPublisherId);
    const home = tenantScope(client.homeTenantId);
    const identity = await this.#cache.get(home, 'identity', () => applicationsRepo.tenantIdentity(scoped(this.database, home)), Boolean);
    const name = (verified ? application.verifiedPublisher.displayName : null) ?? client.servicePrincipal?.publisherName ?? identity?.displayName ?? application.publisherDomain ?? '';
    return { name, domain: application.publisherDomain ?? identity?.initialDomain ?? null, verified, homeTenantId: client.homeTenantId };
  }

  /** A resource (Microsoft Graph, or an API app with a service principal here) by app id: its scopes and app roles. */
  resourceByAppId(scope: TenantScope, appId: string): Promise<ServicePrincipal | undefined> {
    return this.cachedServicePrincipal(scope, appId.toLowerCase());
  }

  /** The delegated permission classifications of a resource service principal here (user consent's "low impact"). */
  async classifications(scope: TenantScope, resourceServicePrincipalId: string): Promise<PermissionClassification[]> {
    const list = await this.#cache.get(scope, `cls:${resourceServicePrincipalId}`, () => classificationsRepo.list(scoped(this.database, scope), resourceServicePrincipalId), Boolean);
    return list ? [...list] : [];
  }

  /** The app id of a service principal here (by its object id), or undefined. */
  async appIdOfServicePrincipal(scope: TenantScope, servicePrincipalId: string): Promise<string | undefined> {
    return (await applicationsRepo.findServicePrincipalById(scoped(this.database, scope), servicePrincipalId))?.appId;
  }

  /**
   * `tessera app verify-publisher`: marks (or, with `remove`, unmarks) an app's publisher as
   * verified. Only a server administrator can: Graph has no way to set it (there is no partner
   * network to ask). The home tenant's service principal follows at once, others' on their next sign-in.
   */
  async setVerifiedPublisher(scope: TenantScope, appId: string, publisher: { displayName: string; verifiedPublisherId: string } | null): Promise<Application> {
    return this.#change(scope, async (tdb) => {
      const app = await applicationsRepo.findApplicationByAppId(tdb, appId);
      if (!app) throw ConsentErrors.appNotFound(appId);
      const verifiedPublisher = publisher ? { displayName: publisher.displayName, verifiedPublisherId: publisher.verifiedPublisherId, addedDateTime: this.clock.now().toISOString().replace(/\.\d{3}Z$/, 'Z') } : { ...UNVERIFIED_PUBLISHER };
      const next = { ...app, verifiedPublisher };
      await applicationsRepo.saveApplication(tdb, next);
      const sp = await applicationsRepo.findServicePrincipalByAppId(tdb, appId);
      if (sp) await applicationsRepo.saveServicePrincipal(tdb, refreshedCopy(sp, next));
      await recordAudit(tdb, this.clock, { actorId: null, actorType: 'system', action: publisher ? 'Verify publisher' : 'Remove verified publisher', targetType: 'application', targetId: app.id, details: { appId, ...(publisher ?? {}) } });
      return next;
    });
  }

  #application(scope: TenantScope, appId: string): Promise<Application | undefined> {
    return this.#cache.get(scope, `app:${appId}`, () => applicationsRepo.findApplicationByAppId(scoped(this.database, scope), appId), Boolean);
  }

  /** The tenant's service principal for `appId`, read from the database. */
  servicePrincipal(scope: TenantScope, appId: string): Promise<ServicePrincipal | undefined> {
    return applicationsRepo.findServicePrincipalByAppId(scoped(this.database, scope), appId);
  }

  /**
   * The same, from this node's per-tenant copy (the token path asks for it several times per token):
   * current within STAMP_RECHECK_MS of any change made through this service. Shared: treat as read-only.
   */
  cachedServicePrincipal(scope: TenantScope, appId: string): Promise<ServicePrincipal | undefined> {
    return this.#cache.get(scope, `sp:${appId}`, () => this.servicePrincipal(scope, appId), Boolean);
  }

  /** Disables (or enables again) an app's service principal here: no tokens are issued to or for it while disabled. */
  async setServicePrincipalEnabled(scope: TenantScope, appId: string, enabled: boolean): Promise<void> {
    await this.#change(scope, async (tdb) => {
      if (!(await applicationsRepo.setServicePrincipalEnabled(tdb, appId, enabled))) throw ConsentErrors.appNotFound(appId);
      await recordAudit(tdb, this.clock, { actorId: null, actorType: 'system', action: 'Update service principal', targetType: 'servicePrincipal', targetId: appId, details: { accountEnabled: enabled } });
    });
  }

  /** Removes one client secret of an app (by its keyId). */
  async removePassword(scope: TenantScope, appId: string, keyId: string): Promise<void> {
    await this.#change(scope, async (tdb) => {
      const application = await applicationsRepo.findApplicationByAppId(tdb, appId);
      if (!application) throw ConsentErrors.appNotFound(appId);
      await applicationsRepo.setPasswordCredentials(tdb, appId, application.passwordCredentials.filter((c) => c.keyId !== keyId));
      await recordAudit(tdb, this.clock, { actorId: null, actorType: 'system', action: 'Remove password', targetType: 'application', targetId: appId, details: { keyId } });
    });
  }

  /** Revokes a Graph application permission (an app role assignment) from an app's service principal. */
  async revokeApplicationPermission(scope: TenantScope, appId: string, permission: string): Promise<void> {
    const role = graphPermission(permission);
    if (!role?.roleId) throw ConsentErrors.unknownPermission(permission);
    await this.#change(scope, async (tdb) => {
      const client = await applicationsRepo.findServicePrincipalByAppId(tdb, appId);
      const graph = await applicationsRepo.findServicePrincipalByAppId(tdb, GRAPH_APP_ID);
      if (!client || !graph) throw ConsentErrors.appNotFound(appId);
      await grantsRepo.deleteAppRoleAssignment(tdb, client.id, graph.id, role.roleId!);
      await recordAudit(tdb, this.clock, { actorId: null, actorType: 'system', action: 'Remove app role assignment', targetType: 'servicePrincipal', targetId: client.id, details: { permission } });
    });
  }

  /** Does `secret` match one of the app's current client secrets? Compares keyed hashes only. */
  secretMatches(application: Application, secret: string): boolean {
    const hash = this.secrets.mac(secret);
    const now = this.clock.now().getTime();
    return application.passwordCredentials.some((c) => c.secretHash === hash && !(Date.parse(c.startDateTime) > now) && (!c.endDateTime || Date.parse(c.endDateTime) > now));
  }

  /**
   * The delegated scopes on `resourceAppId` that `clientAppId` may use for `userId`: the tenant-wide
   * (AllPrincipals) grants plus the user's own (Principal) grants.
   */
  async consentedScopes(scope: TenantScope, clientAppId: string, resourceAppId: string, userId: string | null): Promise<Set<string>> {
    const client = await this.cachedServicePrincipal(scope, clientAppId);
    const resource = await this.cachedServicePrincipal(scope, resourceAppId);
    if (!client || !resource) return new Set();
    // the grants themselves are read fresh (interactive sign-ins only): a user's consent counts at once
    const grants = await grantsRepo.permissionGrants(scoped(this.database, scope), client.id, resource.id);
    const scopes = new Set<string>();
    for (const grant of grants) {
      if (grant.consentType === 'AllPrincipals' || (userId && grant.principalId === userId)) for (const s of grant.scope.split(' ')) if (s) scopes.add(s);
    }
    return scopes;
  }

  /** The app-role values on `resourceAppId` assigned to the client's service principal (the `roles` of app-only tokens). */
  async applicationRoles(scope: TenantScope, clientAppId: string, resourceAppId: string): Promise<string[]> {
    const roles = await this.#cache.get(scope, `roles:${clientAppId}:${resourceAppId}`, async () => {
      const client = await this.cachedServicePrincipal(scope, clientAppId);
      const resource = await this.cachedServicePrincipal(scope, resourceAppId);
      if (!client || !resource) return undefined;
      const assignments = await grantsRepo.appRoleAssignments(scoped(this.database, scope), client.id, resource.id);
      const ids = new Set(assignments.map((a) => a.appRoleId));
      return resource.appRoles.filter((role) => ids.has(role.id) && role.isEnabled && role.value).map((role) => role.value);
    }, Boolean);
    return roles ? [...roles] : [];
  }

  #credential(secret: string, displayName: string, now: string): PasswordCredential {
    return { keyId: newId(), displayName, hint: secret.slice(0, 3), secretHash: this.secrets.mac(secret), startDateTime: now, endDateTime: null };
  }

  async #register(
    tdb: TenantDb,
    tenantId: string,
    input: {
      appId: string;
      displayName: string;
      web?: string[];
      spa?: string[];
      publicClient?: string[];
      isFallbackPublicClient?: boolean;
      passwordCredentials: PasswordCredential[];
      keyCredentials: Application['keyCredentials'];
      requiredResourceAccess?: Application['requiredResourceAccess'];
      now: string;
    },
  ): Promise<ServicePrincipal> {
    const identity = await applicationsRepo.tenantIdentity(tdb);
    const application: Application = {
      id: newId(),
      appId: input.appId,
      displayName: input.displayName,
      description: null,
      signInAudience: 'AzureADMyOrg',
      info: { ...EMPTY_INFO },
      verifiedPublisher: { ...UNVERIFIED_PUBLISHER },
      publisherDomain: identity?.initialDomain ?? null,
      tags: [],
      web: { redirectUris: input.web ?? [], homePageUrl: null, logoutUrl: null },
      spa: { redirectUris: input.spa ?? [] },
      publicClient: { redirectUris: input.publicClient ?? [] },
      isFallbackPublicClient: input.isFallbackPublicClient ?? false,
      identifierUris: [],
      requiredResourceAccess: input.requiredResourceAccess ?? [],
      api: { oauth2PermissionScopes: [] },
      appRoles: [],
      passwordCredentials: input.passwordCredentials,
      keyCredentials: input.keyCredentials,
      createdDateTime: input.now,
    };
    await applicationsRepo.insertApplication(tdb, application);
    const sp = servicePrincipalFor(application, { tenantId, publisherName: identity?.displayName ?? null }, input.now);
    await applicationsRepo.insertServicePrincipal(tdb, sp);
    return sp;
  }
}

/** Exact-match redirect URIs: absolute https, or http on loopback (as Entra allows for development). */
export function isAcceptableRedirectUri(uri: string): boolean {
  try {
    const url = new URL(uri);
    if (url.hash) return false;
    if (url.protocol === 'https:') return true;
    return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  } catch {
    return false;
  }
}
