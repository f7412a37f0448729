import type { Clock } from '../../kernel/clock.ts';
import { uniqueViolation } from '../../storage/constraints.ts';
import type { Database } from '../../storage/database.ts';
import { inTransaction } from '../../storage/scoped.ts';
import type { TenantScope } from '../../tenancy/scope.ts';
import { recordAudit } from '../audit/index.ts';
import { actorOf, authorize, type Principal } from '../directory/index.ts';
import type { ServicePrincipal } from './application.types.ts';
import type { ApplicationsService, ClientApp } from './applications.service.ts';
import { ConsentErrors } from './consent.errors.ts';
import {
  adminConsentLevel,
  adminMayGrant,
  settingFor,
  userConsentBlock,
  userConsentSetting,
  SIGN_IN_SCOPES,
  type AdminConsentLevel,
  type ClientFacts,
  type RequestedScope,
  type UserConsentBlock,
  type UserConsentSetting,
} from './consent-rules.ts';
import { GRAPH_APP_ID, type AppRole, type PermissionScope } from './graph-permissions.ts';
import { grantsRepo } from './grants.repo.ts';
import { permissionGrantPolicies, type PermissionGrantPolicy } from './permission-grant-policies.ts';

/** What the consent service needs from the rest of the server (wired in container.ts). */
export interface ConsentDependencies {
  database: Database;
  clock: Clock;
  applications: ApplicationsService;
  /** the user with the template ids of their directory roles, read fresh (RolesService.callingUser) */
  callingUser: (scope: TenantScope, userId: string) => Promise<{ accountEnabled: boolean; userType: 'Member' | 'Guest'; roleTemplateIds: ReadonlySet<string> } | undefined>;
  /** authorizationPolicy.defaultUserRolePermissions.permissionGrantPoliciesAssigned */
  userConsentPolicies: (scope: TenantScope) => Promise<string[]>;
}

/** Who grants tenant-wide consent: a Graph caller, or the server itself (CLI, jobs). */
export type ConsentActor = Principal | { kind: 'system' };

export interface TenantWideInput {
  clientAppId: string;
  /** delegated scope values per resource appId; without this and `appRoleIds`, the app's whole requiredResourceAccess */
  scopes?: Record<string, string[]>;
  /** application permission (app role) ids per resource appId */
  appRoleIds?: Record<string, string[]>;
}

/** What one resource gets: its service principal here, the delegated scopes and the app roles. */
interface ResourcePlan {
  resource: ServicePrincipal;
  scopes: PermissionScope[];
  roles: AppRole[];
}

/** One permission as a consent page lists it. */
export interface PermissionView {
  resourceAppId: string;
  resourceDisplayName: string;
  value: string;
  kind: 'delegated' | 'application';
  /** the user-facing text (or the admin text, for administrators and application permissions) */
  displayName: string;
  description: string;
  /** Admin-type scope or application permission */
  adminOnly: boolean;
}

/** What the consent prompt shows and offers. */
export interface ConsentPrompt {
  app: {
    appId: string;
    displayName: string;
    publisherName: string;
    publisherDomain: string | null;
    verified: boolean;
    registeredHere: boolean;
    termsOfServiceUrl: string | null;
    privacyStatementUrl: string | null;
    logoUrl: string | null;
  };
  permissions: PermissionView[];
  /** the user may accept for themselves */
  mayConsent: boolean;
  /** why not (when they may not) */
  block: UserConsentBlock | null;
  /** the user may also consent for everyone ("Consent on behalf of your organization") */
  mayConsentForOrganization: boolean;
}

/** The interaction's request: the resource (appId) its scopes are for, and the scopes asked for (OIDC scopes included). */
export interface InteractiveRequest {
  clientAppId: string;
  userId: string;
  /** the resource's appId, or null when only sign-in scopes were asked for */
  resourceAppId: string | null;
  scopes: readonly string[];
}

const isHttpUrl = (value: string | null | undefined): value is string => {
  if (!value) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
};

/**
 * Consent (issue 16 items 3-5): the user consent setting applied to a sign-in's request (the
 * consent prompt), a user's own consent (a Principal grant), and tenant-wide admin consent
 * (AllPrincipals grants and app role assignments) from the prompt, the admin center and
 * /adminconsent. Each grant is one transaction with its audit record; another tenant's
 * multi-tenant app gets its service principal here in that same transaction.
 */
export class ConsentService {
  constructor(private readonly deps: ConsentDependencies) {}

  /** The tenant's user consent setting (none, low, legacy). */
  async userConsentSetting(scope: TenantScope): Promise<UserConsentSetting> {
    return userConsentSetting(await this.deps.userConsentPolicies(scope));
  }

  /**
   * What `{resource}/.default` asks for at the authorization endpoint (graph-reference §12.3): the
   * delegated scopes of the app's requiredResourceAccess on that resource, and what is consented
   * for everyone; the consent prompt then asks for any of them not yet granted.
   */
  async defaultScopes(scope: TenantScope, clientAppId: string, resourceAppId: string): Promise<Set<string>> {
    const { applications } = this.deps;
    const scopes = await applications.consentedScopes(scope, clientAppId, resourceAppId, null);
    const [client, resource] = await Promise.all([applications.client(scope, clientAppId), applications.cachedServicePrincipal(scope, resourceAppId)]);
    if (!client || !resource) return scopes;
    for (const entry of client.application.requiredResourceAccess) {
      if (entry.resourceAppId.toLowerCase() !== resourceAppId.toLowerCase()) continue;
      for (const access of entry.resourceAccess) {
        const permission = access.type === 'Scope' && resource.oauth2PermissionScopes.find((s) => s.isEnabled && s.id.toLowerCase() === access.id.toLowerCase());
        if (permission) scopes.add(permission.value);
      }
    }
    return scopes;
  }

  /** `GET /policies/permissionGrantPolicies`: the built-in user consent policies, read-only. */
  permissionGrantPolicies(scope: TenantScope, principal: Principal): PermissionGrantPolicy[] {
    authorize(principal, 'permissionGrantPolicies.read');
    return permissionGrantPolicies(scope.tenantId);
  }

  /** The client app (this tenant's, or another tenant's multi-tenant app), refusing one disabled here. */
  async #client(scope: TenantScope, clientAppId: string): Promise<ClientApp> {
    const client = await this.deps.applications.client(scope, clientAppId);
    if (!client) throw ConsentErrors.appNotFound(clientAppId);
    if (client.servicePrincipal && !client.servicePrincipal.accountEnabled) throw ConsentErrors.servicePrincipalDisabled(clientAppId);
    return client;
  }

  async #resource(scope: TenantScope, resourceAppId: string): Promise<ServicePrincipal> {
    const resource = await this.deps.applications.cachedServicePrincipal(scope, resourceAppId.toLowerCase());
    if (!resource || !resource.accountEnabled) throw ConsentErrors.resourceNotFound(resourceAppId);
    return resource;
  }

  /** The scope `value` of `resource` (any casing), enabled, or a 400 naming it. */
  #scopeOf(resource: ServicePrincipal, value: string): PermissionScope {
    const lower = value.toLowerCase();
    const found = resource.oauth2PermissionScopes.find((s) => s.isEnabled && s.value.toLowerCase() === lower);
    if (!found) throw ConsentErrors.unknownScope(value, resource.appId);
    return found;
  }

  /**
   * The interaction's scopes as grants: the sign-in scopes (openid, profile, email,
   * offline_access) are Microsoft Graph's, the others the resource's.
   */
  async #interactivePlan(scope: TenantScope, request: InteractiveRequest): Promise<ResourcePlan[]> {
    const graph = await this.#resource(scope, GRAPH_APP_ID);
    const target = request.resourceAppId ? await this.#resource(scope, request.resourceAppId) : graph;
    const plans = new Map<string, ResourcePlan>();
    const planOf = (resource: ServicePrincipal) => {
      let plan = plans.get(resource.id);
      if (!plan) plans.set(resource.id, (plan = { resource, scopes: [], roles: [] }));
      return plan;
    };
    for (const value of new Set(request.scopes)) {
      const resource = SIGN_IN_SCOPES.has(value.toLowerCase()) ? graph : target;
      const permission = this.#scopeOf(resource, value);
      const plan = planOf(resource);
      if (!plan.scopes.some((s) => s.id === permission.id)) plan.scopes.push(permission);
    }
    return [...plans.values()];
  }

  /** Tenant-wide consent's plan: the scopes and app roles asked for, or the app's whole requiredResourceAccess. */
  async #tenantWidePlan(scope: TenantScope, client: ClientApp, input: TenantWideInput): Promise<ResourcePlan[]> {
    const plans = new Map<string, ResourcePlan>();
    const planOf = async (resourceAppId: string) => {
      const resource = await this.#resource(scope, resourceAppId);
      let plan = plans.get(resource.id);
      if (!plan) plans.set(resource.id, (plan = { resource, scopes: [], roles: [] }));
      return plan;
    };
    const addRole = (plan: ResourcePlan, id: string) => {
      const role = plan.resource.appRoles.find((r) => r.id.toLowerCase() === id.toLowerCase() && r.isEnabled && r.allowedMemberTypes.includes('Application'));
      if (!role) throw ConsentErrors.unknownAppRole(id, plan.resource.appId);
      if (!plan.roles.some((r) => r.id === role.id)) plan.roles.push(role);
    };
    const addScope = (plan: ResourcePlan, permission: PermissionScope) => {
      if (!plan.scopes.some((s) => s.id === permission.id)) plan.scopes.push(permission);
    };
    if (!input.scopes && !input.appRoleIds) {
      for (const entry of client.application.requiredResourceAccess) {
        const plan = await planOf(entry.resourceAppId);
        for (const access of entry.resourceAccess) {
          if (access.type === 'Role') {
            addRole(plan, access.id);
            continue;
          }
          const permission = plan.resource.oauth2PermissionScopes.find((s) => s.id.toLowerCase() === access.id.toLowerCase() && s.isEnabled);
          if (!permission) throw ConsentErrors.unknownScope(access.id, plan.resource.appId);
          addScope(plan, permission);
        }
      }
    }
    for (const [resourceAppId, values] of Object.entries(input.scopes ?? {})) {
      const plan = await planOf(resourceAppId);
      for (const value of values) addScope(plan, this.#scopeOf(plan.resource, value));
    }
    for (const [resourceAppId, ids] of Object.entries(input.appRoleIds ?? {})) {
      const plan = await planOf(resourceAppId);
      for (const id of ids) addRole(plan, id);
    }
    return [...plans.values()].filter((plan) => plan.scopes.length + plan.roles.length > 0);
  }

  async #clientFacts(scope: TenantScope, client: ClientApp): Promise<{ facts: ClientFacts; publisher: Awaited<ReturnType<ApplicationsService['publisher']>> }> {
    const publisher = await this.deps.applications.publisher(client);
    return {
      publisher,
      facts: {
        registeredHere: client.homeTenantId === scope.tenantId,
        verifiedPublisher: publisher.verified,
        appRoleAssignmentRequired: client.servicePrincipal?.appRoleAssignmentRequired ?? false,
      },
    };
  }

  /** The delegated scopes of a plan as the rules see them (type and the resource's classification). */
  async #requestedScopes(scope: TenantScope, plans: readonly ResourcePlan[]): Promise<RequestedScope[]> {
    const out: RequestedScope[] = [];
    for (const plan of plans) {
      if (plan.scopes.length === 0) continue;
      const classifications = await this.deps.applications.classifications(scope, plan.resource.id);
      for (const permission of plan.scopes) {
        const classified = classifications.find((c) => c.permissionId.toLowerCase() === permission.id.toLowerCase());
        out.push({ value: permission.value, type: permission.type, classification: classified?.classification ?? null });
      }
    }
    return out;
  }

  /** The user's consent powers: the tenant's setting against the request, and their admin level. */
  async #decide(scope: TenantScope, userId: string, client: ClientApp, plans: readonly ResourcePlan[]): Promise<{ block: UserConsentBlock | null; level: AdminConsentLevel; facts: ClientFacts; publisher: Awaited<ReturnType<ApplicationsService['publisher']>> }> {
    const user = await this.deps.callingUser(scope, userId);
    if (!user?.accountEnabled) throw ConsentErrors.userConsentForbidden();
    const level = adminConsentLevel(user.roleTemplateIds);
    const { facts, publisher } = await this.#clientFacts(scope, client);
    const setting = settingFor(await this.userConsentSetting(scope), user.userType);
    const block = userConsentBlock(setting, facts, await this.#requestedScopes(scope, plans), plans.reduce((n, plan) => n + plan.roles.length, 0));
    return { block, level, facts, publisher };
  }

  #views(plans: readonly ResourcePlan[], adminTexts: boolean): PermissionView[] {
    const views: PermissionView[] = [];
    for (const { resource, scopes, roles } of plans) {
      for (const s of scopes) {
        const admin = adminTexts || s.type === 'Admin' || !s.userConsentDisplayName;
        views.push({
          resourceAppId: resource.appId,
          resourceDisplayName: resource.displayName,
          value: s.value,
          kind: 'delegated',
          displayName: (admin ? s.adminConsentDisplayName : s.userConsentDisplayName) || s.value,
          description: (admin ? s.adminConsentDescription : s.userConsentDescription) || '',
          adminOnly: s.type === 'Admin',
        });
      }
      for (const role of roles) {
        views.push({ resourceAppId: resource.appId, resourceDisplayName: resource.displayName, value: role.value, kind: 'application', displayName: role.displayName || role.value, description: role.description, adminOnly: true });
      }
    }
    return views;
  }

  #appView(scope: TenantScope, client: ClientApp, publisher: Awaited<ReturnType<ApplicationsService['publisher']>>): ConsentPrompt['app'] {
    const { application } = client;
    return {
      appId: application.appId,
      displayName: application.displayName,
      publisherName: publisher.name,
      publisherDomain: publisher.domain,
      verified: publisher.verified,
      registeredHere: client.homeTenantId === scope.tenantId,
      // only web links: a javascript: or data: URL from another tenant's registration never reaches a page
      termsOfServiceUrl: isHttpUrl(application.info.termsOfServiceUrl) ? application.info.termsOfServiceUrl : null,
      privacyStatementUrl: isHttpUrl(application.info.privacyStatementUrl) ? application.info.privacyStatementUrl : null,
      logoUrl: isHttpUrl(application.info.logoUrl) ? application.info.logoUrl : null,
    };
  }

  /**
   * The consent prompt of a sign-in: the app, its publisher, the permissions asked for, and what
   * this user may do about them. An administrator may always consent for themselves and, at their
   * level, for the organization; anyone else as the tenant's user consent setting allows.
   */
  async prompt(scope: TenantScope, request: InteractiveRequest): Promise<ConsentPrompt> {
    const client = await this.#client(scope, request.clientAppId);
    const plans = await this.#interactivePlan(scope, request);
    const { block, level, publisher } = await this.#decide(scope, request.userId, client, plans);
    const admin = level !== 'none';
    return {
      app: this.#appView(scope, client, publisher),
      permissions: this.#views(plans, admin),
      mayConsent: admin || block === null,
      block: admin ? null : block,
      mayConsentForOrganization: adminMayGrant(level, { graphApplicationPermissions: false }),
    };
  }

  /**
   * Accept on the consent prompt: the rules are applied again (nothing the form says is trusted
   * but the choice itself), then a Principal grant for the user, or with `forOrganization` an
   * AllPrincipals grant, records exactly the scopes asked for. Returns the scopes granted per
   * resource appId.
   */
  async consentInteractive(scope: TenantScope, request: InteractiveRequest & { forOrganization: boolean }): Promise<Record<string, string[]>> {
    const client = await this.#client(scope, request.clientAppId);
    const plans = await this.#interactivePlan(scope, request);
    const { block, level } = await this.#decide(scope, request.userId, client, plans);
    if (request.forOrganization) {
      if (!adminMayGrant(level, { graphApplicationPermissions: false })) throw ConsentErrors.adminConsentForbidden();
    } else if (level === 'none' && block !== null) {
      throw ConsentErrors.userConsentForbidden();
    }
    const actor = { actorId: request.userId, actorType: 'user' };
    await this.#record(scope, actor, client, plans, request.forOrganization ? { consentType: 'AllPrincipals', principalId: null } : { consentType: 'Principal', principalId: request.userId });
    return Object.fromEntries(plans.map((plan) => [plan.resource.appId, plan.scopes.map((s) => s.value)]));
  }

  /**
   * Admin consent for everyone (contract seam; H4's Approve, the admin center through
   * grantAdminConsent, /adminconsent): the client's service principal here (created for another
   * tenant's multi-tenant app), AllPrincipals grants merged per resource, app role assignments.
   */
  async grantTenantWide(scope: TenantScope, actor: ConsentActor, input: TenantWideInput): Promise<void> {
    const client = await this.#client(scope, input.clientAppId);
    const plans = await this.#tenantWidePlan(scope, client, input);
    this.#authorizeTenantWide(actor, plans);
    const who = actor.kind === 'system' ? { actorId: null, actorType: 'system' } : actorOf(actor);
    await this.#record(scope, who, client, plans, { consentType: 'AllPrincipals', principalId: null });
  }

  /** `POST /beta/servicePrincipals/{id}/grantAdminConsent`: the app's whole requiredResourceAccess, for everyone. */
  async grantAdminConsentToServicePrincipal(scope: TenantScope, principal: Principal, servicePrincipalId: string): Promise<void> {
    const appId = await this.deps.applications.appIdOfServicePrincipal(scope, servicePrincipalId);
    if (!appId) throw ConsentErrors.servicePrincipalNotFound(servicePrincipalId);
    await this.grantTenantWide(scope, principal, { clientAppId: appId });
  }

  /**
   * /adminconsent's client and redirect URI: an app known here (this tenant's, or another tenant's
   * published multi-tenant app) and exactly one of its registered redirect URIs. Anything else is
   * shown as an error page, never redirected to.
   */
  async adminConsentTarget(scope: TenantScope, clientAppId: string, redirectUri: string): Promise<'ok' | 'unknownApp' | 'badRedirect'> {
    const client = await this.deps.applications.client(scope, clientAppId.toLowerCase());
    if (!client) return 'unknownApp';
    const { web, spa, publicClient } = client.application;
    return [...web.redirectUris, ...spa.redirectUris, ...publicClient.redirectUris].includes(redirectUri) ? 'ok' : 'badRedirect';
  }

  /**
   * What an administrator sees on /adminconsent (the permissions, application permissions
   * included) and whether they may grant it; refuses a non-administrator.
   */
  async adminConsentPrompt(scope: TenantScope, userId: string, input: TenantWideInput): Promise<{ app: ConsentPrompt['app']; permissions: PermissionView[]; mayGrant: boolean }> {
    const client = await this.#client(scope, input.clientAppId);
    const plans = await this.#tenantWidePlan(scope, client, input);
    const user = await this.deps.callingUser(scope, userId);
    const level = user?.accountEnabled ? adminConsentLevel(user.roleTemplateIds) : 'none';
    const publisher = await this.deps.applications.publisher(client);
    return { app: this.#appView(scope, client, publisher), permissions: this.#views(plans, true), mayGrant: adminMayGrant(level, { graphApplicationPermissions: hasGraphRoles(plans) }) };
  }

  /** Accept on /adminconsent: the signed-in administrator (roles read fresh) grants for everyone. */
  async adminConsentBySignedInUser(scope: TenantScope, userId: string, input: TenantWideInput): Promise<void> {
    const client = await this.#client(scope, input.clientAppId);
    const plans = await this.#tenantWidePlan(scope, client, input);
    const user = await this.deps.callingUser(scope, userId);
    const level = user?.accountEnabled ? adminConsentLevel(user.roleTemplateIds) : 'none';
    if (!adminMayGrant(level, { graphApplicationPermissions: hasGraphRoles(plans) })) throw ConsentErrors.adminConsentForbidden();
    await this.#record(scope, { actorId: userId, actorType: 'user' }, client, plans, { consentType: 'AllPrincipals', principalId: null });
  }

  /**
   * Graph callers: a delegated caller needs the operation's scope and an administrator role at a
   * level that covers the permissions; an app needs DelegatedPermissionGrant.ReadWrite.All for
   * delegated scopes and AppRoleAssignment.ReadWrite.All for app roles.
   */
  #authorizeTenantWide(actor: ConsentActor, plans: readonly ResourcePlan[]): void {
    if (actor.kind === 'system') return;
    authorize(actor, 'adminConsent.grant');
    if (actor.kind === 'user') {
      if (!adminMayGrant(adminConsentLevel(actor.roleTemplateIds), { graphApplicationPermissions: hasGraphRoles(plans) })) throw ConsentErrors.adminConsentForbidden();
      return;
    }
    if (actor.kind === 'app') {
      const needsGrants = plans.some((plan) => plan.scopes.length > 0);
      const needsRoles = plans.some((plan) => plan.roles.length > 0);
      if ((needsGrants && !actor.roles.has('DelegatedPermissionGrant.ReadWrite.All')) || (needsRoles && !actor.roles.has('AppRoleAssignment.ReadWrite.All'))) throw ConsentErrors.adminConsentForbidden();
    }
  }

  /** One transaction: the client's service principal here, the grants merged, the role assignments, the audit record. */
  async #record(
    scope: TenantScope,
    actor: { actorId: string | null; actorType: string },
    client: ClientApp,
    plans: readonly ResourcePlan[],
    to: { consentType: 'AllPrincipals' | 'Principal'; principalId: string | null },
  ): Promise<void> {
    try {
      await this.#recordOnce(scope, actor, client, plans, to);
    } catch (error) {
      // two first consents to another tenant's app at once (PostgreSQL): the one that lost the
      // race to create its service principal here runs again and finds it
      if (!uniqueViolation(error)) throw error;
      await this.#recordOnce(scope, actor, client, plans, to);
    }
  }

  async #recordOnce(
    scope: TenantScope,
    actor: { actorId: string | null; actorType: string },
    client: ClientApp,
    plans: readonly ResourcePlan[],
    to: { consentType: 'AllPrincipals' | 'Principal'; principalId: string | null },
  ): Promise<void> {
    const { clock, database, applications } = this.deps;
    const now = clock.now().toISOString();
    try {
      await inTransaction(database, scope, async (tdb) => {
        const sp = await applications.ensureServicePrincipal(tdb, scope, client.application.appId);
        if (!sp.accountEnabled) throw ConsentErrors.servicePrincipalDisabled(client.application.appId);
        for (const plan of plans) {
          if (plan.scopes.length > 0) {
            await grantsRepo.mergePermissionGrant(tdb, { clientId: sp.id, resourceId: plan.resource.id, consentType: to.consentType, principalId: to.principalId, scopes: plan.scopes.map((s) => s.value) }, now);
          }
          for (const role of plan.roles) {
            await grantsRepo.ensureAppRoleAssignment(tdb, { appRoleId: role.id, principalId: sp.id, principalType: 'ServicePrincipal', resourceId: plan.resource.id }, now);
          }
        }
        await recordAudit(tdb, clock, {
          ...actor,
          action: to.consentType === 'AllPrincipals' ? 'Consent to application (admin consent)' : 'Consent to application',
          targetType: 'servicePrincipal',
          targetId: sp.id,
          details: {
            appId: client.application.appId,
            consentType: to.consentType,
            ...(to.principalId ? { principalId: to.principalId } : {}),
            permissions: plans.map((plan) => ({ resourceAppId: plan.resource.appId, scopes: plan.scopes.map((s) => s.value), appRoles: plan.roles.map((r) => r.value) })),
          },
        });
      });
    } finally {
      // this node's cached service principals and app roles see the change at once
      applications.invalidate(scope);
    }
  }
}

/** Microsoft Graph application permissions among the plans: only Global and Privileged Role Administrators grant those. */
function hasGraphRoles(plans: readonly ResourcePlan[]): boolean {
  return plans.some((plan) => plan.resource.appId === GRAPH_APP_ID && plan.roles.length > 0);
}
