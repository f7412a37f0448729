import type { Clock } from '../../kernel/clock.ts';
import { newId } from '../../kernel/ids.ts';
import { randomToken, type SecretBox } from '../../kernel/secrets.ts';
import type { Database } from '../../storage/database.ts';
import { uniqueViolation } from '../../storage/constraints.ts';
import { inTransaction, scoped, type TenantDb } from '../../storage/scoped.ts';
import type { TenantScope } from '../../tenancy/scope.ts';
import { recordAudit } from '../audit/index.ts';
import type { Application, PasswordCredential, ServicePrincipal } from './application.types.ts';
import { applicationsRepo } from './applications.repo.ts';
import { ConsentErrors } from './consent.errors.ts';
import { ADMIN_CENTER_APP_ID, ADMIN_CENTER_SCOPES, FEDERATION_APP_ID, FEDERATION_SCOPES, MY_ACCOUNT_APP_ID, MY_ACCOUNT_SCOPES, firstPartyPostLogoutRedirectUris, firstPartyRedirectUris } from './first-party.ts';
import { GRAPH_ALIAS, GRAPH_APP_ID, GRAPH_DISPLAY_NAME, graphAppRoles, graphPermission, graphPermissionScopes } from './graph-permissions.ts';
import { grantsRepo } from './grants.repo.ts';
import { StampedTenantCache } from './stamped-cache.ts';

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
}

/** An OAuth client as the sign-in service sees it: its registration plus its service principal here. */
export interface ClientApp {
  application: Application;
  servicePrincipal: ServicePrincipal;
  /** where RP-initiated logout may return to, besides the redirect URIs (first-party apps' signed-out pages) */
  postLogoutRedirectUris: string[];
}

/**
 * Applications and service principals (minimal, for sign-in): first-party apps and the Graph
 * resource provisioned with each tenant, app registration from the CLI, and the consent and
 * app-role lookups token issuance needs.
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

  /** Runs a change to the tenant's applications in a transaction, then drops this node's cached copies. */
  async #change<T>(scope: TenantScope, work: (tdb: TenantDb) => Promise<T>): Promise<T> {
    try {
      return await inTransaction(this.database, scope, work);
    } finally {
      this.#cache.invalidate(scope.tenantId);
    }
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
      appOwnerOrganizationId: null,
      accountEnabled: true,
      appRoles: graphAppRoles(),
      oauth2PermissionScopes: graphPermissionScopes(),
      servicePrincipalNames: [GRAPH_APP_ID, GRAPH_ALIAS, this.baseUrl()],
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
  async create(scope: TenantScope, input: CreateAppInput): Promise<{ appId: string; clientSecret: string | null; servicePrincipalId: string; applicationId: string }> {
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
    const now = this.clock.now().toISOString();
    const clientSecret = input.withSecret ? `${randomToken(3).slice(0, 3)}~${randomToken(30)}` : null;
    return this.#change(scope, async (tdb) => {
      const appId = newId();
      const sp = await this.#register(tdb, scope.tenantId, {
        appId,
        displayName,
        ...(input.isPublic ? { publicClient: redirectUris, isFallbackPublicClient: true } : { web: redirectUris }),
        passwordCredentials: clientSecret ? [this.#credential(clientSecret, 'CLI', now)] : [],
        keyCredentials: (input.publicJwks ?? []).map((jwk) => ({ keyId: newId(), type: 'Jwk' as const, usage: 'Verify' as const, displayName: null, key: JSON.stringify(jwk) })),
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
      await recordAudit(tdb, this.clock, { actorId: null, actorType: 'system', action: 'Add application', targetType: 'application', targetId: appId, details: { displayName, applicationPermissions: roles.map((r) => r.value), delegatedPermissions: delegated.map((d) => d.value) } });
      const application = (await applicationsRepo.findApplicationByAppId(tdb, appId))!;
      return { appId, clientSecret, servicePrincipalId: sp.id, applicationId: application.id };
    });
  }

  /** The client registered (and instantiated) in this tenant under `appId`; first-party redirect URIs follow the current base URL. */
  async client(scope: TenantScope, appId: string): Promise<ClientApp | undefined> {
    const application = await this.#application(scope, appId);
    const servicePrincipal = application && (await this.cachedServicePrincipal(scope, appId));
    if (!application || !servicePrincipal) return undefined;
    const firstParty = firstPartyRedirectUris(appId, this.baseUrl());
    // the cached registration is shared: first-party redirect URIs go on a copy
    const app = !firstParty
      ? application
      : application.spa.redirectUris.length > 0
        ? { ...application, spa: { redirectUris: firstParty } }
        : { ...application, web: { redirectUris: firstParty } };
    return { application: app, servicePrincipal, postLogoutRedirectUris: firstPartyPostLogoutRedirectUris(appId, this.baseUrl()) };
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
    return application.passwordCredentials.some((c) => c.secretHash === hash && (!c.endDateTime || Date.parse(c.endDateTime) > now));
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
    await applicationsRepo.insertApplication(tdb, {
      id: newId(),
      appId: input.appId,
      displayName: input.displayName,
      signInAudience: 'AzureADMyOrg',
      web: { redirectUris: input.web ?? [] },
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
    });
    const sp: ServicePrincipal = {
      id: newId(),
      appId: input.appId,
      displayName: input.displayName,
      appOwnerOrganizationId: tenantId,
      accountEnabled: true,
      appRoles: [],
      oauth2PermissionScopes: [],
      servicePrincipalNames: [input.appId, `api://${input.appId}`],
      createdDateTime: input.now,
    };
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
