import { isEmail } from '../../kernel/body.ts';
import type { Clock } from '../../kernel/clock.ts';
import { newId } from '../../kernel/ids.ts';
import type { Database } from '../../storage/database.ts';
import { uniqueViolation } from '../../storage/constraints.ts';
import { inTransaction, scoped, type TenantDb } from '../../storage/scoped.ts';
import type { TenantScope } from '../../tenancy/scope.ts';
import { recordAudit } from '../audit/index.ts';
import {
  actorOf,
  authorize,
  GLOBAL_ADMINISTRATOR,
  roleTemplate,
  type GroupsService,
  type MembershipService,
  type Principal,
  type RolesService,
  type TenantsService,
  type User,
  type UsersService,
} from '../directory/index.ts';
import type { MailService } from '../mail/index.ts';
import type { QueueService } from '../queue/index.ts';
import { applicationsRepo } from './applications.repo.ts';
import type { ApplicationsService } from './applications.service.ts';
import { adminConsentLevel, adminMayGrant } from './consent-rules.ts';
import { ConsentErrors } from './consent.errors.ts';
import { outcomeMail, reviewerMail, type Outcome } from './consent-request-mail.ts';
import { ConsentRequestErrors } from './consent-requests.errors.ts';
import { appRequestFilter, userRequestFilter } from './consent-requests.filters.ts';
import { consentRequestsRepo as repo, type StoredPolicy } from './consent-requests.repo.ts';
import { parseReviewerQuery, readDecisionBody, readPolicyBody, readReason } from './consent-requests.schemas.ts';
import type { AppRequest, ConsentRequestPolicy, Decision, Recipient, RequestedResource, ReviewerEntry, UserRequest } from './consent-requests.types.ts';
import { appRequestView, approvalView, policyView, userRequestView } from './consent-requests.views.ts';
import type { FilterExpr } from '../../kernel/odata/index.ts';
import { GRAPH_APP_ID } from './graph-permissions.ts';
import { grantsRepo } from './grants.repo.ts';

/** Durable jobs of the workflow (src/jobs/handlers.ts runs them): a user request's expiry and its half-way reminder. */
export const CONSENT_REQUEST_EXPIRY_JOB = 'consentRequests.expire';
export const CONSENT_REQUEST_REMINDER_JOB = 'consentRequests.remind';

/** Entra's defaults in a tenant that never changed the policy: off, 30 days, nobody to review. */
const DEFAULT_POLICY: StoredPolicy = { isEnabled: false, notifyReviewers: false, remindersEnabled: false, requestDurationInDays: 30, version: 0 };

const DAY_MS = 24 * 60 * 60 * 1000;

export interface ConsentRequestsDependencies {
  database: Database;
  clock: Clock;
  mail: MailService;
  queue: QueueService;
  applications: ApplicationsService;
  users: UsersService;
  groups: GroupsService;
  roles: RolesService;
  membership: MembershipService;
  tenants: TenantsService;
  baseUrl: () => string;
}

/** A page of a collection: its items and the keyset of the next page (null on the last). */
export interface RequestPage {
  items: Record<string, unknown>[];
  next: { sort: string; id: string } | null;
}

export interface AppRequestListQuery {
  filter?: FilterExpr;
  orderBy?: { property: string; direction: 'asc' | 'desc' };
  top: number;
  after: { sort: string; id: string } | null;
}

/** What the "Approval required" page needs for a user and an app. */
export interface ApprovalState {
  enabled: boolean;
  blocked: boolean;
  /** the user's request for this app still waiting for a review, if any */
  open: { reason: string; createdDateTime: string } | null;
}

const mergePermissions = (a: readonly RequestedResource[], b: readonly RequestedResource[]): RequestedResource[] => {
  const out = new Map<string, RequestedResource>();
  for (const entry of [...a, ...b]) {
    const key = entry.resourceAppId.toLowerCase();
    const current = out.get(key) ?? { resourceAppId: key, scopes: [], appRoles: [] };
    for (const scope of entry.scopes) if (!current.scopes.includes(scope)) current.scopes.push(scope);
    for (const role of entry.appRoles) if (!current.appRoles.some((r) => r.id === role.id)) current.appRoles.push(role);
    out.set(key, current);
  }
  return [...out.values()];
};

const permissionValues = (permissions: readonly RequestedResource[]) => [...new Set(permissions.flatMap((p) => [...p.scopes, ...p.appRoles.map((r) => r.value)]))];

/**
 * The admin consent request workflow (issue 16 item 6; graph-reference §7): the tenant's
 * adminConsentRequestPolicy, users' requests from the "Approval required" page (one round per app,
 * one request per user per round), reviewers' decisions (approve grants tenant-wide consent, deny,
 * block disables the app here), and the durable expiry and reminder jobs. Mail goes through the
 * outbox in the transaction that causes it.
 */
export class ConsentRequestsService {
  constructor(private readonly deps: ConsentRequestsDependencies) {}

  #tdb(scope: TenantScope): TenantDb {
    return scoped(this.deps.database, scope);
  }

  async #policy(scope: TenantScope): Promise<ConsentRequestPolicy> {
    const tdb = this.#tdb(scope);
    const stored = (await repo.policy(tdb)) ?? DEFAULT_POLICY;
    return { ...stored, reviewers: await repo.reviewers(tdb) };
  }

  /** Whether users who may not consent can ask for approval (H3's consent page asks). */
  async isEnabled(scope: TenantScope): Promise<boolean> {
    return (await repo.policy(this.#tdb(scope)))?.isEnabled ?? false;
  }

  /** Whether reviewers blocked the app: its latest decision is Block and its service principal here is still disabled. */
  async isBlocked(scope: TenantScope, appId: string): Promise<boolean> {
    const id = appId.toLowerCase();
    const sp = await this.deps.applications.servicePrincipal(scope, id);
    if (!sp || sp.accountEnabled) return false;
    return (await repo.latestDecision(this.#tdb(scope), id))?.state === 'blocked';
  }

  // ---- the policy ------------------------------------------------------------------------------

  async policy(scope: TenantScope, principal: Principal): Promise<Record<string, unknown>> {
    authorize(principal, 'policies.consentRequest.read');
    return policyView(await this.#policy(scope));
  }

  /**
   * PUT /policies/adminConsentRequestPolicy: the properties given replace the stored ones (those
   * left out keep their values); `version` goes up by one. Every reviewer must exist here; turning
   * the workflow on needs a reviewer and, for a signed-in caller, the Global Administrator role.
   */
  async updatePolicy(scope: TenantScope, principal: Principal, body: unknown): Promise<void> {
    authorize(principal, 'policies.consentRequest.update');
    const input = readPolicyBody(body);
    const current = await this.#policy(scope);
    let reviewers: Omit<ReviewerEntry, 'addedAt'>[] = current.reviewers;
    if (input.reviewers) {
      const seen = new Set<string>();
      reviewers = [];
      for (const entry of input.reviewers) {
        const { kind, targetId } = parseReviewerQuery(entry.query);
        const key = `${kind}:${targetId}`;
        if (seen.has(key)) throw ConsentRequestErrors.duplicateReviewer(entry.query);
        seen.add(key);
        await this.#assertReviewerExists(scope, kind, targetId, entry.query);
        reviewers.push({ id: newId(), kind, targetId, query: entry.query, queryType: 'MicrosoftGraph', queryRoot: entry.queryRoot });
      }
    }
    const next: StoredPolicy = {
      isEnabled: input.isEnabled ?? current.isEnabled,
      notifyReviewers: input.notifyReviewers ?? current.notifyReviewers,
      remindersEnabled: input.remindersEnabled ?? current.remindersEnabled,
      requestDurationInDays: input.requestDurationInDays ?? current.requestDurationInDays,
      version: current.version + 1,
    };
    if (next.isEnabled && reviewers.length === 0) throw ConsentRequestErrors.reviewersRequired();
    // Entra: only a Global Administrator turns the workflow on (an app needs Policy.ReadWrite.ConsentRequest, granted by one)
    if (next.isEnabled && !current.isEnabled && principal.kind === 'user' && !principal.roleTemplateIds.has(GLOBAL_ADMINISTRATOR)) {
      throw ConsentRequestErrors.globalAdministratorRequired();
    }
    const now = this.deps.clock.now().toISOString();
    await inTransaction(this.deps.database, scope, async (tdb) => {
      await repo.savePolicy(tdb, next, now);
      if (input.reviewers) await repo.replaceReviewers(tdb, reviewers, now);
      await recordAudit(tdb, this.deps.clock, {
        ...actorOf(principal),
        action: 'Update admin consent request policy',
        targetType: 'policy',
        targetId: 'adminConsentRequestPolicy',
        details: { ...next, reviewers: reviewers.map((r) => r.query) },
      });
    });
  }

  async #assertReviewerExists(scope: TenantScope, kind: ReviewerEntry['kind'], targetId: string, query: string): Promise<void> {
    const system: Principal = { kind: 'system', tenantId: scope.tenantId };
    if (kind === 'user') {
      if (!(await this.deps.users.find(scope, targetId))) throw ConsentRequestErrors.invalidReviewer(query, `no user '${targetId}' exists in this organization`);
      return;
    }
    if (kind === 'group') {
      try {
        await this.deps.groups.get(scope, system, targetId);
      } catch {
        throw ConsentRequestErrors.invalidReviewer(query, `no group '${targetId}' exists in this organization`);
      }
      return;
    }
    if (!roleTemplate(targetId)) throw ConsentRequestErrors.invalidReviewer(query, `'${targetId}' is not a directory role template`);
  }

  // ---- reviewers -------------------------------------------------------------------------------

  /**
   * Since when the user is a reviewer: the earliest time one of the policy's entries naming them
   * was added (their own entry, a group they are in, directly or not, or a role they hold). For a
   * group or role entry the entry's time counts, not when the user joined the group or got the role.
   */
  async #reviewerSince(scope: TenantScope, userId: string, roleTemplateIds: ReadonlySet<string>): Promise<Date | null> {
    const entries = await repo.reviewers(this.#tdb(scope));
    if (entries.length === 0) return null;
    const groups = entries.some((e) => e.kind === 'group') ? new Set((await this.deps.membership.groupIdsOf(scope, userId)).map((id) => id.toLowerCase())) : new Set<string>();
    const roles = new Set([...roleTemplateIds].map((id) => id.toLowerCase()));
    let since: Date | null = null;
    for (const entry of entries) {
      const names = entry.kind === 'user' ? entry.targetId === userId.toLowerCase() : entry.kind === 'group' ? groups.has(entry.targetId) : roles.has(entry.targetId);
      if (names && (!since || entry.addedAt < since)) since = entry.addedAt;
    }
    return since;
  }

  async #principalReviewerSince(scope: TenantScope, principal: Principal): Promise<Date | null> {
    return principal.kind === 'user' ? this.#reviewerSince(scope, principal.userId, principal.roleTemplateIds) : null;
  }

  /** The users the policy names as reviewers of a round made at `madeAt` (entries added before it), who can be mailed. */
  async #reviewerRecipients(scope: TenantScope, entries: readonly ReviewerEntry[], madeAt: Date): Promise<Recipient[]> {
    const system: Principal = { kind: 'system', tenantId: scope.tenantId };
    const users = new Map<string, User>();
    for (const entry of entries) {
      if (entry.addedAt >= madeAt) continue;
      try {
        if (entry.kind === 'user') {
          const user = await this.deps.users.find(scope, entry.targetId);
          if (user) users.set(user.id, user);
        } else {
          const members = entry.kind === 'group' ? await this.deps.groups.transitiveMembers(scope, system, entry.targetId) : await this.deps.roles.membersByTemplate(scope, system, entry.targetId);
          for (const member of members) if (member.type === 'user') users.set(member.object.id, member.object);
        }
      } catch {
        // a group deleted since it was named reviews nothing
      }
    }
    return [...users.values()].filter((user) => user.accountEnabled).flatMap((user) => {
      const mail = recipientOf(user);
      return mail ? [mail] : [];
    });
  }

  // ---- requests from the "Approval required" page ----------------------------------------------

  /** What the "Approval required" page needs to know for the user and the app: whether requests are possible, and the user's waiting request. */
  async approvalState(scope: TenantScope, userId: string, clientAppId: string): Promise<ApprovalState> {
    const appId = clientAppId.toLowerCase();
    const tdb = this.#tdb(scope);
    const enabled = await this.isEnabled(scope);
    const blocked = await this.isBlocked(scope, appId);
    const round = await repo.openAppRequest(tdb, appId);
    const mine = round ? await repo.userRequestOf(tdb, round.id, userId) : undefined;
    const open = mine?.status === 'InProgress' && mine.expiresAt > this.deps.clock.now() ? { reason: mine.reason, createdDateTime: mine.createdAt.toISOString() } : null;
    return { enabled, blocked, open };
  }

  /**
   * "Request approval": creates the app's round or joins the open one, and records the user's
   * request (a second submit while it waits updates its reason and permissions). The round asks
   * for the delegated scopes the sign-in was missing and the application permissions the app's
   * registration lists (what approving grants). Reviewers are mailed when the policy says so.
   */
  async submit(scope: TenantScope, input: { userId: string; clientAppId: string; permissions: readonly RequestedResource[]; reason: unknown }): Promise<void> {
    const reason = readReason(input.reason);
    const appId = input.clientAppId.toLowerCase();
    const policy = await this.#policy(scope);
    if (!policy.isEnabled) throw ConsentRequestErrors.notEnabled();
    const client = await this.deps.applications.client(scope, appId);
    if (!client) throw ConsentErrors.appNotFound(appId);
    if (await this.isBlocked(scope, appId)) throw ConsentRequestErrors.appBlocked(client.application.displayName);
    const requested = await this.#validated(scope, input.permissions);
    const permissions = mergePermissions(requested, await this.#applicationPermissions(scope, client.application.requiredResourceAccess));
    if (permissions.every((p) => p.scopes.length + p.appRoles.length === 0)) throw ConsentRequestErrors.nothingRequested();
    const user = await this.deps.users.find(scope, input.userId);
    if (!user?.accountEnabled) throw ConsentRequestErrors.requesterNotFound(input.userId);
    const organization = (await this.deps.tenants.get(scope))?.displayName ?? '';
    const madeAt = this.deps.clock.now();
    const recipients = policy.notifyReviewers ? await this.#reviewerRecipients(scope, policy.reviewers, madeAt) : [];
    const attempt = () =>
      inTransaction(this.deps.database, scope, async (tdb) => {
        const now = this.deps.clock.now();
        const nowText = now.toISOString();
        let round = await repo.openAppRequest(tdb, appId);
        if (round && !(await repo.updateOpen(tdb, round.id, mergePermissions(round.permissions, permissions), nowText))) round = undefined;
        const roundId = round?.id ?? newId();
        if (!round) await repo.insertAppRequest(tdb, { id: roundId, appId, appDisplayName: client.application.displayName, permissions }, nowText);
        const existing = await repo.userRequestOf(tdb, roundId, user.id);
        if (existing?.status === 'InProgress' && existing.expiresAt > now) {
          await repo.updateUserRequest(tdb, existing.id, reason, mergePermissions(existing.permissions, permissions));
          await recordAudit(tdb, this.deps.clock, { actorId: user.id, actorType: 'user', action: 'Update admin consent request', targetType: 'appConsentRequest', targetId: roundId, details: { appId, reason } });
          return;
        }
        // an earlier request of this user that expired in a round still open for others: it goes, a new one takes its place
        if (existing) await repo.removeUserRequest(tdb, existing.id);
        const id = newId();
        const expiresAt = new Date(now.getTime() + policy.requestDurationInDays * DAY_MS);
        await repo.insertUserRequest(tdb, { id, appRequestId: roundId, userId: user.id, reason, permissions, expiresAt: expiresAt.toISOString() }, nowText);
        await this.deps.queue.enqueue(tdb, CONSENT_REQUEST_EXPIRY_JOB, { userRequestId: id }, { runAfter: expiresAt });
        await this.deps.queue.enqueue(tdb, CONSENT_REQUEST_REMINDER_JOB, { userRequestId: id }, { runAfter: new Date(now.getTime() + (policy.requestDurationInDays * DAY_MS) / 2) });
        for (const to of recipients) {
          await this.deps.mail.send(
            tdb,
            reviewerMail({ to, kind: 'new', requester: user.displayName, appDisplayName: client.application.displayName, organization, reason, permissions: permissionValues(permissions), expiresAt, reviewUrl: this.#reviewUrl() }),
          );
        }
        await recordAudit(tdb, this.deps.clock, { actorId: user.id, actorType: 'user', action: 'Request admin consent', targetType: 'appConsentRequest', targetId: roundId, details: { appId, reason, permissions } });
      });
    try {
      await attempt();
    } catch (error) {
      // two first requests for one app at once: one opened the round, the other joins it
      if (!uniqueViolation(error)) throw error;
      await attempt();
    }
    this.deps.queue.nudge();
  }

  #reviewUrl(): string {
    return `${this.deps.baseUrl()}/admin/consent-requests`;
  }

  /** The requested scopes, as the resource defines them (unknown resources and values are refused). */
  async #validated(scope: TenantScope, permissions: readonly RequestedResource[]): Promise<RequestedResource[]> {
    const out: RequestedResource[] = [];
    for (const entry of permissions) {
      const resource = await this.deps.applications.cachedServicePrincipal(scope, entry.resourceAppId.toLowerCase());
      if (!resource) throw ConsentErrors.appNotFound(entry.resourceAppId);
      const scopes = entry.scopes.map((value) => {
        const found = resource.oauth2PermissionScopes.find((s) => s.isEnabled && s.value.toLowerCase() === value.toLowerCase());
        if (!found) throw ConsentErrors.unknownScope(value, resource.appId);
        return found.value;
      });
      out.push({ resourceAppId: resource.appId.toLowerCase(), scopes, appRoles: [] });
    }
    return out;
  }

  /** The application permissions an app's registration lists (requiredResourceAccess entries of type Role). */
  async #applicationPermissions(scope: TenantScope, access: readonly { resourceAppId: string; resourceAccess: { id: string; type: 'Scope' | 'Role' }[] }[]): Promise<RequestedResource[]> {
    const out: RequestedResource[] = [];
    for (const entry of access) {
      const ids = entry.resourceAccess.filter((a) => a.type === 'Role').map((a) => a.id.toLowerCase());
      if (ids.length === 0) continue;
      const resource = await this.deps.applications.cachedServicePrincipal(scope, entry.resourceAppId.toLowerCase());
      if (!resource) continue;
      const appRoles = resource.appRoles.filter((r) => ids.includes(r.id.toLowerCase()) && r.isEnabled).map((r) => ({ id: r.id, value: r.value }));
      if (appRoles.length > 0) out.push({ resourceAppId: resource.appId.toLowerCase(), scopes: [], appRoles });
    }
    return out;
  }

  // ---- Graph reads -----------------------------------------------------------------------------

  /**
   * `/identityGovernance/appConsent/appConsentRequests` (and, with `reviewer`, its
   * `filterByCurrentUser(on='reviewer')`, which requires a $filter and lists only rounds the caller
   * may review: made after they became a reviewer).
   */
  async listAppRequests(scope: TenantScope, principal: Principal, query: AppRequestListQuery, options: { reviewer: boolean }): Promise<RequestPage> {
    authorize(principal, options.reviewer ? 'consentRequests.readAssigned' : 'consentRequests.read');
    if (options.reviewer && !query.filter) throw ConsentRequestErrors.filterRequired();
    const filter = appRequestFilter(query.filter);
    let createdAfter: Date | undefined;
    if (options.reviewer) {
      const since = await this.#principalReviewerSince(scope, principal);
      if (!since) return { items: [], next: null };
      createdAfter = since;
    }
    const field = orderField(query.orderBy?.property);
    const direction = query.orderBy?.direction ?? 'asc';
    const rows = await repo.listAppRequests(this.#tdb(scope), {
      ...filter,
      ...(createdAfter ? { createdAfter } : {}),
      orderBy: { field, direction },
      after: query.after,
      limit: query.top + 1,
    });
    const page = rows.slice(0, query.top);
    const last = page[page.length - 1];
    const sortOf = (row: AppRequest) => (field === 'appId' ? row.appId : field === 'appDisplayName' ? row.appDisplayName : row.id);
    return { items: page.map(appRequestView), next: rows.length > query.top && last ? { sort: sortOf(last), id: last.id } : null };
  }

  async #round(scope: TenantScope, id: string): Promise<AppRequest> {
    const round = await repo.appRequest(this.#tdb(scope), id);
    if (!round) throw ConsentRequestErrors.requestNotFound(id);
    return round;
  }

  async getAppRequest(scope: TenantScope, principal: Principal, id: string): Promise<Record<string, unknown>> {
    authorize(principal, 'consentRequests.read');
    return appRequestView(await this.#round(scope, id));
  }

  /**
   * `.../appConsentRequests/{id}/userConsentRequests` (with `reviewer`, its filterByCurrentUser:
   * the requests of a round the caller may review, none otherwise). `$expand=approval` adds each
   * request's approval with its stage.
   */
  async listUserRequests(
    scope: TenantScope,
    principal: Principal,
    roundId: string,
    query: { filter?: FilterExpr; top: number; after: string | null; expandApproval: boolean },
    options: { reviewer: boolean },
  ): Promise<RequestPage> {
    authorize(principal, options.reviewer ? 'consentRequests.readAssigned' : 'consentRequests.read');
    const filter = userRequestFilter(query.filter);
    const round = await this.#round(scope, roundId);
    const since = await this.#principalReviewerSince(scope, principal);
    const assignedToMe = since !== null && since < round.createdAt;
    if (options.reviewer && !assignedToMe) return { items: [], next: null };
    const rows = await repo.userRequests(this.#tdb(scope), round.id, { ...filter, after: query.after, limit: query.top + 1 });
    const page = rows.slice(0, query.top);
    const last = page[page.length - 1];
    return {
      items: page.map((request) => userRequestView(round, request, { assignedToMe, expandApproval: query.expandApproval })),
      next: rows.length > query.top && last ? { sort: last.id, id: last.id } : null,
    };
  }

  async getUserRequest(scope: TenantScope, principal: Principal, roundId: string, id: string, options: { expandApproval: boolean }): Promise<Record<string, unknown>> {
    authorize(principal, 'consentRequests.read');
    const { round, request, assignedToMe } = await this.#userRequest(scope, principal, roundId, id);
    return userRequestView(round, request, { assignedToMe, expandApproval: options.expandApproval });
  }

  /** `.../userConsentRequests/{id}/approval` */
  async getApproval(scope: TenantScope, principal: Principal, roundId: string, id: string): Promise<Record<string, unknown>> {
    authorize(principal, 'consentRequests.read');
    const { round, request, assignedToMe } = await this.#userRequest(scope, principal, roundId, id);
    return approvalView(round, request, assignedToMe);
  }

  async #userRequest(scope: TenantScope, principal: Principal, roundId: string, id: string): Promise<{ round: AppRequest; request: UserRequest; assignedToMe: boolean }> {
    const round = await this.#round(scope, roundId);
    const request = await repo.userRequest(this.#tdb(scope), round.id, id);
    if (!request) throw ConsentRequestErrors.requestNotFound(id);
    const since = await this.#principalReviewerSince(scope, principal);
    return { round, request, assignedToMe: since !== null && since < round.createdAt };
  }

  // ---- decisions -------------------------------------------------------------------------------

  /**
   * Approve, deny or block a round (Tessera's beta extensions; Graph has no API for this, §7.4).
   * Only a reviewer named before the round was made may decide; approving grants tenant-wide
   * consent, so it also needs an administrator role that may (and a Global or Privileged Role
   * Administrator when Microsoft Graph application permissions are included). The decision is one
   * conditional update in the transaction that grants (or blocks) and mails every requester: of
   * two decisions at once exactly one wins, the other gets 409 and changes nothing. A round whose
   * requests have all expired is not decided (409), and nothing is granted.
   */
  async decide(scope: TenantScope, principal: Principal, roundId: string, decision: Decision, body: unknown): Promise<void> {
    authorize(principal, 'consentRequests.decide');
    if (principal.kind !== 'user') throw ConsentRequestErrors.notReviewer();
    const justification = readDecisionBody(body, decision !== 'approve');
    const round = await this.#round(scope, roundId);
    const since = await this.#principalReviewerSince(scope, principal);
    if (!since || since >= round.createdAt) throw ConsentRequestErrors.notReviewer();
    if (round.state !== 'pending') throw ConsentRequestErrors.alreadyDecided(round.id);
    const resources = new Map<string, string>();
    if (decision === 'approve') {
      const graphRoles = round.permissions.some((p) => p.resourceAppId === GRAPH_APP_ID && p.appRoles.length > 0);
      const level = adminConsentLevel(principal.roleTemplateIds);
      if (!adminMayGrant(level, { graphApplicationPermissions: graphRoles })) {
        throw level !== 'none' && graphRoles ? ConsentRequestErrors.globalAdministratorForAppPermissions() : ConsentRequestErrors.adminConsentNotAllowed();
      }
      for (const entry of round.permissions) {
        const resource = await this.deps.applications.cachedServicePrincipal(scope, entry.resourceAppId);
        if (!resource) throw ConsentErrors.appNotFound(entry.resourceAppId);
        resources.set(entry.resourceAppId, resource.id);
      }
    }
    const reviewer = await this.deps.users.find(scope, principal.userId);
    const organization = (await this.deps.tenants.get(scope))?.displayName ?? '';
    const state = decision === 'approve' ? 'approved' : decision === 'deny' ? 'denied' : 'blocked';
    const outcome: Outcome = state;
    try {
      await inTransaction(this.deps.database, scope, async (tdb) => {
        const now = this.deps.clock.now().toISOString();
        if (!(await repo.decide(tdb, round.id, { state, reviewerId: principal.userId, reviewerName: reviewer?.displayName ?? '', justification }, now))) {
          throw ConsentRequestErrors.alreadyDecided(round.id);
        }
        const completed = await repo.completeUserRequests(tdb, round.id, now);
        if (completed.length === 0) throw ConsentRequestErrors.expired(round.id);
        if (decision !== 'deny') {
          const sp = await this.deps.applications.ensureServicePrincipal(tdb, scope, round.appId);
          if (decision === 'block') {
            await applicationsRepo.setServicePrincipalEnabled(tdb, round.appId, false);
          } else {
            if (!sp.accountEnabled) throw ConsentErrors.servicePrincipalDisabled(round.appId);
            for (const entry of round.permissions) {
              const resourceId = resources.get(entry.resourceAppId)!;
              if (entry.scopes.length > 0) {
                await grantsRepo.mergePermissionGrant(tdb, { clientId: sp.id, resourceId, consentType: 'AllPrincipals', principalId: null, scopes: entry.scopes }, now);
              }
              for (const role of entry.appRoles) {
                await grantsRepo.ensureAppRoleAssignment(tdb, { appRoleId: role.id, principalId: sp.id, principalType: 'ServicePrincipal', resourceId }, now);
              }
            }
          }
        }
        for (const request of completed) {
          const to = recipientOfRequest(request);
          if (to) await this.deps.mail.send(tdb, outcomeMail({ to, outcome, appDisplayName: round.appDisplayName, organization, justification }));
        }
        await recordAudit(tdb, this.deps.clock, {
          ...actorOf(principal),
          action: decision === 'approve' ? 'Approve admin consent request' : decision === 'deny' ? 'Deny admin consent request' : 'Block admin consent request',
          targetType: 'appConsentRequest',
          targetId: round.id,
          details: { appId: round.appId, justification, requesters: completed.map((r) => r.userId), ...(decision === 'approve' ? { permissions: round.permissions } : {}) },
        });
      });
    } finally {
      // approve and block change the app's service principal and grants: this node sees them at once
      if (decision !== 'deny') this.deps.applications.invalidate(scope);
    }
    this.deps.queue.nudge();
  }

  // ---- jobs ------------------------------------------------------------------------------------

  /** The expiry job: the request, still waiting at its time, expires and its requester is told; a round left with none open closes. */
  async expire(scope: TenantScope, userRequestId: string): Promise<void> {
    const request = await repo.userRequestById(this.#tdb(scope), userRequestId);
    if (!request || request.status !== 'InProgress') return;
    const round = await this.#round(scope, request.appRequestId);
    const organization = (await this.deps.tenants.get(scope))?.displayName ?? '';
    await inTransaction(this.deps.database, scope, async (tdb) => {
      const now = this.deps.clock.now().toISOString();
      if (!(await repo.expireUserRequest(tdb, request.id, now))) return;
      const to = recipientOfRequest(request);
      if (to) await this.deps.mail.send(tdb, outcomeMail({ to, outcome: 'expired', appDisplayName: round.appDisplayName, organization, justification: null }));
      await repo.closeIfEmpty(tdb, round.id, now);
      await recordAudit(tdb, this.deps.clock, { actorId: null, actorType: 'system', action: 'Expire admin consent request', targetType: 'appConsentRequest', targetId: round.id, details: { userId: request.userId } });
    });
    this.deps.queue.nudge();
  }

  /** The reminder job, half-way: when reminders are on and the request still waits, its reviewers are mailed once. */
  async remind(scope: TenantScope, userRequestId: string): Promise<void> {
    const request = await repo.userRequestById(this.#tdb(scope), userRequestId);
    if (!request || request.status !== 'InProgress') return;
    const policy = await this.#policy(scope);
    if (!policy.remindersEnabled) return;
    const round = await this.#round(scope, request.appRequestId);
    if (round.state !== 'pending') return;
    const recipients = await this.#reviewerRecipients(scope, policy.reviewers, round.createdAt);
    const organization = (await this.deps.tenants.get(scope))?.displayName ?? '';
    await inTransaction(this.deps.database, scope, async (tdb) => {
      if (!(await repo.markReminded(tdb, request.id, this.deps.clock.now().toISOString()))) return;
      for (const to of recipients) {
        await this.deps.mail.send(
          tdb,
          reviewerMail({ to, kind: 'reminder', requester: request.userDisplayName, appDisplayName: round.appDisplayName, organization, reason: request.reason, permissions: permissionValues(request.permissions), expiresAt: request.expiresAt, reviewUrl: this.#reviewUrl() }),
        );
      }
    });
    this.deps.queue.nudge();
  }
}

function orderField(property: string | undefined): 'appId' | 'appDisplayName' | 'id' {
  if (property === undefined) return 'id';
  const lower = property.toLowerCase();
  if (lower === 'appid') return 'appId';
  if (lower === 'appdisplayname') return 'appDisplayName';
  throw ConsentRequestErrors.unsupportedOrderBy(property);
}

/** Where mail to a user goes: their mail, else a sign-in name that is an address. */
function recipientOf(user: Pick<User, 'mail' | 'userPrincipalName' | 'displayName' | 'preferredLanguage'>): Recipient | null {
  const mail = user.mail && isEmail(user.mail) ? user.mail : isEmail(user.userPrincipalName) ? user.userPrincipalName : null;
  return mail ? { mail, displayName: user.displayName, preferredLanguage: user.preferredLanguage } : null;
}

function recipientOfRequest(request: UserRequest): Recipient | null {
  return recipientOf({ mail: request.mail, userPrincipalName: request.userPrincipalName, displayName: request.userDisplayName, preferredLanguage: request.preferredLanguage });
}
