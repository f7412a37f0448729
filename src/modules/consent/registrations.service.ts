import type { Clock } from '../../kernel/clock.ts';
import { readBody } from '../../kernel/body.ts';
import { newId } from '../../kernel/ids.ts';
import { randomToken, type SecretBox } from '../../kernel/secrets.ts';
import type { Database } from '../../storage/database.ts';
import { scoped, type TenantDb } from '../../storage/scoped.ts';
import type { TenantScope } from '../../tenancy/scope.ts';
import { recordAudit } from '../audit/index.ts';
import { actorOf, authorize, type ListQuery, type Page, type Principal } from '../directory/index.ts';
import { EMPTY_INFO, UNVERIFIED_PUBLISHER, type Application, type KeyCredential, type PasswordCredential, type RequiredResourceAccess } from './application.types.ts';
import {
  APPLICATION_LIMITS,
  addKeyBodySpec,
  applicationBodySpec,
  entitlementProblems,
  isHttpsUrl,
  isPublicClientRedirectUri,
  keyIdBodySpec,
  passwordCredentialBodySpec,
  readAppRoles,
  readScopes,
} from './application.schemas.ts';
import { applicationCatalog, applicationView, type GraphObject } from './application.views.ts';
import { applicationsRepo, publishedApps } from './applications.repo.ts';
import { ApplicationErrors } from './applications.errors.ts';
import { isAcceptableRedirectUri, type ApplicationsService } from './applications.service.ts';
import { certificateCredential } from './certificates.ts';
import { classificationsRepo } from './classifications.repo.ts';
import { ADMIN_CENTER_APP_ID, FEDERATION_APP_ID, MY_ACCOUNT_APP_ID } from './first-party.ts';
import type { AppRole, PermissionScope } from './graph-permissions.ts';
import { refreshedCopy, servicePrincipalFor } from './service-principal-copy.ts';

/** The server's own apps: provisioned in every tenant and managed by the server, not through Graph. */
const FIRST_PARTY = new Set([ADMIN_CENTER_APP_ID, MY_ACCOUNT_APP_ID, FEDERATION_APP_ID]);

/** `/applications/{id}` or `/applications(appId='...')`. */
export type ApplicationKey = { id: string } | { appId: string };

type Body = Record<string, any>;

/**
 * Graph's `/applications` (graph-reference §8.3): app registrations of this tenant. Creating one
 * also creates its service principal here (as the Entra portal does); changes to its scopes, roles,
 * names and links reach that service principal in the same transaction (service-principal-copy.ts).
 */
export class RegistrationsService {
  constructor(
    private readonly deps: {
      database: Database;
      clock: Clock;
      secrets: SecretBox;
      applications: ApplicationsService;
    },
  ) {}

  async list(scope: TenantScope, principal: Principal, query: ListQuery): Promise<Page<GraphObject>> {
    authorize(principal, 'applications.read');
    const page = await applicationsRepo.listApplications(scoped(this.deps.database, scope), applicationCatalog, query);
    return { ...page, items: page.items.map(applicationView) };
  }

  async get(scope: TenantScope, principal: Principal, key: ApplicationKey): Promise<GraphObject> {
    authorize(principal, 'applications.read');
    return applicationView(await this.#find(scoped(this.deps.database, scope), key));
  }

  async create(scope: TenantScope, principal: Principal, body: unknown): Promise<GraphObject> {
    authorize(principal, 'applications.create');
    const input = readBody<Body>(body, applicationBodySpec, 'microsoft.graph.application');
    if (!input.displayName?.trim()) throw ApplicationErrors.invalid("Property 'displayName' is required when creating an application.");
    const at = this.deps.clock.now();
    const now = at.toISOString();
    const { applications } = this.deps;
    const created = await applications.change(scope, async (tdb) => {
      const identity = await applicationsRepo.tenantIdentity(tdb);
      const blank: Application = {
        id: newId(),
        appId: newId(),
        displayName: '',
        description: null,
        signInAudience: 'AzureADMyOrg',
        info: { ...EMPTY_INFO },
        verifiedPublisher: { ...UNVERIFIED_PUBLISHER },
        publisherDomain: identity?.initialDomain ?? null,
        tags: [],
        web: { redirectUris: [], homePageUrl: null, logoutUrl: null },
        spa: { redirectUris: [] },
        publicClient: { redirectUris: [] },
        isFallbackPublicClient: false,
        identifierUris: [],
        requiredResourceAccess: [],
        api: { oauth2PermissionScopes: [] },
        appRoles: [],
        passwordCredentials: [],
        keyCredentials: [],
        createdDateTime: now,
      };
      const app = await this.#merged(tdb, blank, input, at);
      await applicationsRepo.insertApplication(tdb, app);
      const sp = servicePrincipalFor(app, { tenantId: scope.tenantId, publisherName: identity?.displayName ?? null }, now);
      await applicationsRepo.insertServicePrincipal(tdb, sp);
      await recordAudit(tdb, this.deps.clock, { ...actorOf(principal), action: 'Add application', targetType: 'application', targetId: app.id, details: { appId: app.appId, displayName: app.displayName, signInAudience: app.signInAudience, servicePrincipalId: sp.id } });
      return app;
    });
    return applicationView(created);
  }

  async update(scope: TenantScope, principal: Principal, key: ApplicationKey, body: unknown): Promise<void> {
    authorize(principal, 'applications.update');
    const input = readBody<Body>(body, applicationBodySpec, 'microsoft.graph.application');
    if (input.displayName !== undefined && !input.displayName?.trim()) throw ApplicationErrors.invalid("Property 'displayName' cannot be empty.");
    const at = this.deps.clock.now();
    await this.deps.applications.change(scope, async (tdb) => {
      const current = await this.#find(tdb, key);
      this.#notFirstParty(current);
      const next = await this.#merged(tdb, current, input, at);
      await this.#save(tdb, next);
      await recordAudit(tdb, this.deps.clock, { ...actorOf(principal), action: 'Update application', targetType: 'application', targetId: current.id, details: { appId: current.appId, properties: Object.keys(input) } });
    });
  }

  /** Deletes the registration and its service principal here (grants and assignments go with it); other tenants' service principals of a multi-tenant app stop working. */
  async delete(scope: TenantScope, principal: Principal, key: ApplicationKey): Promise<void> {
    authorize(principal, 'applications.delete');
    await this.deps.applications.change(scope, async (tdb) => {
      const current = await this.#find(tdb, key);
      this.#notFirstParty(current);
      const sp = await applicationsRepo.findServicePrincipalByAppId(tdb, current.appId);
      if (sp) await applicationsRepo.deleteServicePrincipal(tdb, sp.id);
      await applicationsRepo.deleteApplication(tdb, current.id);
      await recordAudit(tdb, this.deps.clock, { ...actorOf(principal), action: 'Delete application', targetType: 'application', targetId: current.id, details: { appId: current.appId, displayName: current.displayName } });
    });
  }

  /** `addPassword`: a new client secret, shown once (secretText); only its keyed hash is kept. */
  async addPassword(scope: TenantScope, principal: Principal, key: ApplicationKey, body: unknown): Promise<Record<string, unknown>> {
    authorize(principal, 'applications.update');
    const input = readBody<Body>(body ?? {}, passwordCredentialBodySpec, 'microsoft.graph.application');
    const requested: Body = input.passwordCredential ?? {};
    const at = this.deps.clock.now();
    const start = requested.startDateTime ? parseDate(requested.startDateTime, 'startDateTime') : at;
    // Graph's default lifetime of a secret is two years
    const end = requested.endDateTime ? parseDate(requested.endDateTime, 'endDateTime') : new Date(start.getTime() + 2 * 365 * 24 * 3600_000);
    if (end.getTime() <= at.getTime() || end.getTime() <= start.getTime()) throw ApplicationErrors.invalid("Invalid value for property 'endDateTime': it must be in the future and after startDateTime.");
    const secret = `${randomToken(3).slice(0, 3)}8Q~${randomToken(28)}`;
    const credential: PasswordCredential = {
      keyId: newId(),
      displayName: requested.displayName ?? null,
      hint: secret.slice(0, 3),
      secretHash: this.deps.secrets.mac(secret),
      startDateTime: isoSeconds(start),
      endDateTime: isoSeconds(end),
    };
    await this.deps.applications.change(scope, async (tdb) => {
      const current = await this.#find(tdb, key);
      this.#notFirstParty(current);
      if (current.passwordCredentials.length >= APPLICATION_LIMITS.passwordCredentials) throw ApplicationErrors.tooManySecrets(APPLICATION_LIMITS.passwordCredentials);
      await applicationsRepo.saveApplication(tdb, { ...current, passwordCredentials: [...current.passwordCredentials, credential] });
      await recordAudit(tdb, this.deps.clock, { ...actorOf(principal), action: 'Add password', targetType: 'application', targetId: current.id, details: { appId: current.appId, keyId: credential.keyId } });
    });
    return { customKeyIdentifier: null, displayName: credential.displayName, endDateTime: credential.endDateTime, hint: credential.hint, keyId: credential.keyId, secretText: secret, startDateTime: credential.startDateTime };
  }

  async removePassword(scope: TenantScope, principal: Principal, key: ApplicationKey, body: unknown): Promise<void> {
    authorize(principal, 'applications.update');
    const { keyId } = readBody<{ keyId: string }>(body, keyIdBodySpec, 'microsoft.graph.application');
    if (!keyId) throw ApplicationErrors.invalid("Property 'keyId' is required.");
    await this.deps.applications.change(scope, async (tdb) => {
      const current = await this.#find(tdb, key);
      this.#notFirstParty(current);
      const kept = current.passwordCredentials.filter((c) => c.keyId !== keyId.toLowerCase());
      if (kept.length === current.passwordCredentials.length) throw ApplicationErrors.passwordNotFound(keyId);
      await applicationsRepo.saveApplication(tdb, { ...current, passwordCredentials: kept });
      await recordAudit(tdb, this.deps.clock, { ...actorOf(principal), action: 'Remove password', targetType: 'application', targetId: current.id, details: { appId: current.appId, keyId } });
    });
  }

  /** `addKey`: a certificate for private_key_jwt (certificates.ts); returns its keyCredential (without the key). */
  async addKey(scope: TenantScope, principal: Principal, key: ApplicationKey, body: unknown): Promise<Record<string, unknown>> {
    authorize(principal, 'applications.update');
    const input = readBody<Body>(body, addKeyBodySpec, 'microsoft.graph.application');
    if (!input.keyCredential) throw ApplicationErrors.invalid("Property 'keyCredential' is required.");
    const credential = this.#certificate(input.keyCredential, this.deps.clock.now());
    await this.deps.applications.change(scope, async (tdb) => {
      const current = await this.#find(tdb, key);
      this.#notFirstParty(current);
      if (current.keyCredentials.length >= APPLICATION_LIMITS.keyCredentials) throw ApplicationErrors.tooManyKeys(APPLICATION_LIMITS.keyCredentials);
      if (current.keyCredentials.some((k) => k.customKeyIdentifier && k.customKeyIdentifier === credential.customKeyIdentifier)) throw ApplicationErrors.invalidCertificate('this certificate is already a credential of the application.');
      await applicationsRepo.saveApplication(tdb, { ...current, keyCredentials: [...current.keyCredentials, credential] });
      await recordAudit(tdb, this.deps.clock, { ...actorOf(principal), action: 'Add key credential', targetType: 'application', targetId: current.id, details: { appId: current.appId, keyId: credential.keyId, thumbprint: credential.customKeyIdentifier } });
    });
    return { customKeyIdentifier: credential.customKeyIdentifier, displayName: credential.displayName, endDateTime: credential.endDateTime, key: null, keyId: credential.keyId, startDateTime: credential.startDateTime, type: credential.type, usage: credential.usage };
  }

  async removeKey(scope: TenantScope, principal: Principal, key: ApplicationKey, body: unknown): Promise<void> {
    authorize(principal, 'applications.update');
    const input = readBody<Body>(body, { ...keyIdBodySpec, proof: addKeyBodySpec.proof! }, 'microsoft.graph.application');
    if (!input.keyId) throw ApplicationErrors.invalid("Property 'keyId' is required.");
    await this.deps.applications.change(scope, async (tdb) => {
      const current = await this.#find(tdb, key);
      this.#notFirstParty(current);
      const kept = current.keyCredentials.filter((k) => k.keyId !== String(input.keyId).toLowerCase());
      if (kept.length === current.keyCredentials.length) throw ApplicationErrors.keyNotFound(input.keyId);
      await applicationsRepo.saveApplication(tdb, { ...current, keyCredentials: kept });
      await recordAudit(tdb, this.deps.clock, { ...actorOf(principal), action: 'Remove key credential', targetType: 'application', targetId: current.id, details: { appId: current.appId, keyId: input.keyId } });
    });
  }

  async #find(tdb: TenantDb, key: ApplicationKey): Promise<Application> {
    const app = 'id' in key ? await applicationsRepo.findApplicationById(tdb, key.id.toLowerCase()) : await applicationsRepo.findApplicationByAppId(tdb, key.appId.toLowerCase());
    if (!app) throw ApplicationErrors.notFound('id' in key ? key.id : key.appId);
    return app;
  }

  #notFirstParty(app: Application): void {
    if (FIRST_PARTY.has(app.appId)) throw ApplicationErrors.firstParty(app.appId);
  }

  /** The registration and its service principal here, whose copies follow it. */
  async #save(tdb: TenantDb, app: Application): Promise<void> {
    await applicationsRepo.saveApplication(tdb, app);
    const sp = await applicationsRepo.findServicePrincipalByAppId(tdb, app.appId);
    if (!sp) return;
    await applicationsRepo.saveServicePrincipal(tdb, refreshedCopy(sp, app));
    await classificationsRepo.deleteMissing(tdb, sp.id, app.api.oauth2PermissionScopes.map((s) => s.id));
  }

  /** `current` with the body's properties applied, every rule of Graph's checked (nothing is written on a problem). */
  async #merged(tdb: TenantDb, current: Application, input: Body, at: Date): Promise<Application> {
    const next: Application = structuredClone(current);
    if (input.displayName !== undefined) next.displayName = input.displayName.trim();
    if (input.description !== undefined) next.description = input.description;
    if (input.signInAudience !== undefined) {
      if (input.signInAudience !== 'AzureADMyOrg' && input.signInAudience !== 'AzureADMultipleOrgs') throw ApplicationErrors.signInAudience(input.signInAudience);
      next.signInAudience = input.signInAudience;
    }
    if (input.web !== undefined) {
      const web: Body = input.web ?? {};
      if (web.redirectUris !== undefined) next.web.redirectUris = uris(web.redirectUris, 'web.redirectUris', isAcceptableRedirectUri);
      if (web.homePageUrl !== undefined) next.web.homePageUrl = optionalUrl(web.homePageUrl, 'web.homePageUrl', isAcceptableRedirectUri);
      if (web.logoutUrl !== undefined) next.web.logoutUrl = optionalUrl(web.logoutUrl, 'web.logoutUrl', isAcceptableRedirectUri);
    }
    if (input.spa?.redirectUris !== undefined) next.spa.redirectUris = uris(input.spa.redirectUris, 'spa.redirectUris', isAcceptableRedirectUri);
    if (input.publicClient?.redirectUris !== undefined) next.publicClient.redirectUris = uris(input.publicClient.redirectUris, 'publicClient.redirectUris', (u) => isPublicClientRedirectUri(u, isAcceptableRedirectUri));
    if (input.isFallbackPublicClient !== undefined) next.isFallbackPublicClient = input.isFallbackPublicClient ?? false;
    nativeProblem(next);
    if (input.info !== undefined) {
      const info: Body = input.info ?? {};
      for (const name of ['termsOfServiceUrl', 'privacyStatementUrl', 'marketingUrl', 'supportUrl'] as const) {
        if (info[name] !== undefined) next.info[name] = optionalUrl(info[name], `info.${name}`, isHttpsUrl);
      }
    }
    if (input.tags !== undefined) next.tags = [...new Set<string>(input.tags)];
    if (input.api?.oauth2PermissionScopes !== undefined || input.appRoles !== undefined) {
      const scopes: PermissionScope[] = input.api?.oauth2PermissionScopes !== undefined ? readScopes(input.api.oauth2PermissionScopes) : next.api.oauth2PermissionScopes;
      const roles: AppRole[] = input.appRoles !== undefined ? readAppRoles(input.appRoles) : next.appRoles;
      const problem = entitlementProblems(scopes, roles, { scopes: current.api.oauth2PermissionScopes, roles: current.appRoles });
      if (problem) throw ApplicationErrors.invalid(`Invalid api.oauth2PermissionScopes or appRoles: ${problem}.`);
      next.api.oauth2PermissionScopes = scopes;
      next.appRoles = roles;
    }
    if (input.identifierUris !== undefined) next.identifierUris = await this.#identifierUris(tdb, next, input.identifierUris);
    if (input.requiredResourceAccess !== undefined) next.requiredResourceAccess = await this.#requiredResourceAccess(tdb, next, input.requiredResourceAccess);
    if (input.keyCredentials !== undefined) next.keyCredentials = this.#keyCredentials(current.keyCredentials, input.keyCredentials, at);
    return next;
  }

  /** `api://{appId}` (with an optional path), or https on one of the tenant's verified domains; one URI names one app. */
  async #identifierUris(tdb: TenantDb, app: Application, values: string[]): Promise<string[]> {
    const domains = await applicationsRepo.verifiedDomains(tdb);
    const taken = await applicationsRepo.identifierUrisOfOthers(tdb, app.id);
    const out: string[] = [];
    for (const value of values) {
      const lower = value.toLowerCase();
      const own = lower === `api://${app.appId}` || lower.startsWith(`api://${app.appId}/`);
      let onDomain = false;
      if (!own) {
        try {
          const url = new URL(value);
          onDomain = url.protocol === 'https:' && !url.hash && !url.search && domains.some((d) => url.hostname === d || url.hostname.endsWith(`.${d}`));
        } catch {
          onDomain = false;
        }
      }
      if (!own && !onDomain) {
        throw ApplicationErrors.invalid(`Invalid value '${value}' for property 'identifierUris': use api://${app.appId}, or an https URI on a verified domain of this organization (${domains.join(', ') || 'none verified'}).`);
      }
      if (taken.has(lower)) throw ApplicationErrors.invalid(`Another application in this organization already uses the identifier URI '${value}'.`);
      if (!out.some((u) => u.toLowerCase() === lower)) out.push(value);
    }
    return out;
  }

  /** Every resource is Microsoft Graph, this app, or an app known here; every id exists on it with the right kind. */
  async #requiredResourceAccess(tdb: TenantDb, app: Application, entries: Body[]): Promise<RequiredResourceAccess[]> {
    const out: RequiredResourceAccess[] = [];
    for (const entry of entries) {
      const resourceAppId = String(entry.resourceAppId ?? '').toLowerCase();
      if (!resourceAppId) throw ApplicationErrors.invalid("Every requiredResourceAccess entry needs a resourceAppId.");
      if (out.some((o) => o.resourceAppId === resourceAppId)) throw ApplicationErrors.invalid(`The resourceAppId '${resourceAppId}' appears more than once in requiredResourceAccess.`);
      const resource = await this.#resource(tdb, app, resourceAppId);
      if (!resource) throw ApplicationErrors.invalid(`The resource '${resourceAppId}' in requiredResourceAccess is neither Microsoft Graph nor an application known in this organization.`);
      const access: RequiredResourceAccess['resourceAccess'] = [];
      for (const item of (entry.resourceAccess ?? []) as Body[]) {
        const id = String(item.id ?? '').toLowerCase();
        const type = item.type as 'Scope' | 'Role' | undefined;
        if (!id || !type) throw ApplicationErrors.invalid('Every resourceAccess entry needs an id and a type (Scope or Role).');
        const exists = type === 'Scope' ? resource.scopes.some((s) => s.id === id) : resource.roles.some((r) => r.id === id && r.allowedMemberTypes.includes('Application'));
        if (!exists) throw ApplicationErrors.invalid(`The resource '${resourceAppId}' has no ${type === 'Scope' ? 'delegated permission' : 'application permission'} with id '${id}'.`);
        if (!access.some((a) => a.id === id && a.type === type)) access.push({ id, type });
      }
      out.push({ resourceAppId, resourceAccess: access });
    }
    return out;
  }

  async #resource(tdb: TenantDb, app: Application, resourceAppId: string): Promise<{ scopes: PermissionScope[]; roles: AppRole[] } | undefined> {
    if (resourceAppId === app.appId) return { scopes: app.api.oauth2PermissionScopes, roles: app.appRoles };
    const sp = await applicationsRepo.findServicePrincipalByAppId(tdb, resourceAppId);
    if (sp) return { scopes: sp.oauth2PermissionScopes, roles: sp.appRoles };
    const own = await applicationsRepo.findApplicationByAppId(tdb, resourceAppId);
    if (own) return { scopes: own.api.oauth2PermissionScopes, roles: own.appRoles };
    const published = await publishedApps.registration(tdb, resourceAppId);
    return published ? { scopes: published.application.api.oauth2PermissionScopes, roles: published.application.appRoles } : undefined;
  }

  /**
   * PATCH `keyCredentials` replaces the collection, as in Graph: entries that name an existing
   * keyId without a key keep that credential (GET shows keys as null); new ones carry a certificate.
   */
  #keyCredentials(current: readonly KeyCredential[], entries: Body[], at: Date): KeyCredential[] {
    const out: KeyCredential[] = [];
    for (const entry of entries) {
      const existing = entry.keyId ? current.find((k) => k.keyId === String(entry.keyId).toLowerCase()) : undefined;
      if (existing && !entry.key) {
        out.push(entry.displayName !== undefined ? { ...existing, displayName: entry.displayName } : existing);
        continue;
      }
      out.push(this.#certificate(entry, at));
    }
    const thumbprints = out.map((k) => k.customKeyIdentifier).filter(Boolean);
    if (new Set(thumbprints).size !== thumbprints.length) throw ApplicationErrors.invalidCertificate('the same certificate appears more than once.');
    return out;
  }

  #certificate(entry: Body, at: Date): KeyCredential {
    if (entry.type !== 'AsymmetricX509Cert') throw ApplicationErrors.invalidCertificate("type must be 'AsymmetricX509Cert'.");
    if (entry.usage !== 'Verify') throw ApplicationErrors.invalidCertificate("usage must be 'Verify' (certificates here verify client assertions).");
    if (!entry.key) throw ApplicationErrors.invalidCertificate('key (the base64 DER certificate) is required.');
    return certificateCredential({ key: entry.key, displayName: entry.displayName ?? null, keyId: entry.keyId ?? null }, at);
  }
}

function uris(values: string[], property: string, acceptable: (uri: string) => boolean): string[] {
  for (const value of values) if (!acceptable(value)) throw ApplicationErrors.invalid(`Invalid value '${value}' for property '${property}': not an acceptable redirect URI (absolute https, http on localhost${property.startsWith('publicClient') ? ', or a custom scheme of a native app' : ''}; no fragment).`);
  return [...new Set(values)];
}

/**
 * An app with a native redirect URI (a custom scheme) is a native client to the OpenID provider,
 * where https on a loopback host cannot be a redirect URI (nothing can claim it): refused together.
 */
function nativeProblem(app: Application): void {
  const all = [...app.web.redirectUris, ...app.spa.redirectUris, ...app.publicClient.redirectUris];
  if (!all.some((uri) => !/^https?:/i.test(uri))) return;
  const loopback = all.find((uri) => {
    const url = new URL(uri);
    return url.protocol === 'https:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  });
  if (loopback) throw ApplicationErrors.invalid(`Invalid redirect URIs: '${loopback}' (https on a loopback host) cannot be used together with a native app's custom-scheme redirect URI; use http://localhost for loopback redirects.`);
}

function optionalUrl(value: string | null, property: string, acceptable: (uri: string) => boolean): string | null {
  if (value === null || value === '') return null;
  if (!acceptable(value)) throw ApplicationErrors.invalid(`Invalid value '${value}' for property '${property}': expected an absolute https URL.`);
  return value;
}

function parseDate(value: string, property: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(value)) throw ApplicationErrors.invalid(`Invalid value '${value}' for property '${property}': expected an ISO 8601 date and time.`);
  return date;
}

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
