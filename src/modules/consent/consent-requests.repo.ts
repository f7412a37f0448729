import { sql } from 'kysely';
import type { TenantDb } from '../../storage/scoped.ts';
import { bool, json, toJson } from '../../storage/values.ts';
import type { AppRequest, AppRequestState, RequestedResource, ReviewerEntry, UserRequest, UserRequestStatus } from './consent-requests.types.ts';

const POLICY_ID = 'default';

/** Timestamps back as Dates (SQLite gives text, pg a Date), with their milliseconds: "made after" compares them. */
const date = (value: unknown): Date => (value instanceof Date ? value : new Date(String(value)));
const maybeDate = (value: unknown): Date | null => (value === null || value === undefined ? null : date(value));

type AppRow = {
  id: string;
  app_id: string;
  app_display_name: string;
  state: AppRequestState;
  permissions: unknown;
  created_at: unknown;
  reviewed_by_id: string | null;
  reviewed_by_name: string | null;
  reviewed_at: unknown;
  justification: string | null;
};

const readApp = (row: AppRow): AppRequest => ({
  id: row.id,
  appId: row.app_id,
  appDisplayName: row.app_display_name,
  state: row.state,
  permissions: json<RequestedResource[]>(row.permissions, []),
  createdAt: date(row.created_at),
  reviewedById: row.reviewed_by_id,
  reviewedByName: row.reviewed_by_name,
  reviewedAt: maybeDate(row.reviewed_at),
  justification: row.justification,
});

type UserRow = {
  id: string;
  app_request_id: string;
  user_id: string;
  reason: string;
  permissions: unknown;
  status: UserRequestStatus;
  created_at: unknown;
  expires_at: unknown;
  completed_at: unknown;
  display_name: string;
  user_principal_name: string;
  mail: string | null;
  preferred_language: string | null;
};

const readUser = (row: UserRow): UserRequest => ({
  id: row.id,
  appRequestId: row.app_request_id,
  userId: row.user_id,
  userDisplayName: row.display_name,
  userPrincipalName: row.user_principal_name,
  mail: row.mail,
  preferredLanguage: row.preferred_language,
  reason: row.reason,
  permissions: json<RequestedResource[]>(row.permissions, []),
  status: row.status,
  createdAt: date(row.created_at),
  expiresAt: date(row.expires_at),
  completedAt: maybeDate(row.completed_at),
});

export interface StoredPolicy {
  isEnabled: boolean;
  notifyReviewers: boolean;
  remindersEnabled: boolean;
  requestDurationInDays: number;
  version: number;
}

export interface AppRequestQuery {
  appId?: string;
  appDisplayName?: string;
  /** only rounds with a user request in this status (`userConsentRequests/any(u:u/status eq '...')`) */
  userStatus?: UserRequestStatus;
  /** only rounds made after this time (a reviewer's `filterByCurrentUser`) */
  createdAfter?: Date;
  orderBy: { field: 'appId' | 'appDisplayName' | 'id'; direction: 'asc' | 'desc' };
  /** keyset: the last row of the previous page */
  after: { sort: string; id: string } | null;
  limit: number;
}

const ORDER_COLUMNS = { appId: 'app_id', appDisplayName: 'app_display_name', id: 'id' } as const;

/** The admin consent request policy, its reviewers and the requests of one tenant. */
export const consentRequestsRepo = Object.freeze({
  async policy(tdb: TenantDb): Promise<StoredPolicy | undefined> {
    const row = await tdb.selectFrom('admin_consent_request_policies').selectAll().where('id', '=', POLICY_ID).executeTakeFirst();
    return row
      ? {
          isEnabled: bool(row.is_enabled),
          notifyReviewers: bool(row.notify_reviewers),
          remindersEnabled: bool(row.reminders_enabled),
          requestDurationInDays: Number(row.request_duration_days),
          version: Number(row.version),
        }
      : undefined;
  },

  async savePolicy(tdb: TenantDb, policy: StoredPolicy, now: string): Promise<void> {
    const values = {
      is_enabled: policy.isEnabled,
      notify_reviewers: policy.notifyReviewers,
      reminders_enabled: policy.remindersEnabled,
      request_duration_days: policy.requestDurationInDays,
      version: policy.version,
      updated_at: now,
    };
    await tdb
      .insertInto('admin_consent_request_policies', { id: POLICY_ID, ...values })
      .onConflict((oc) => oc.columns(['tenant_id', 'id']).doUpdateSet(values))
      .execute();
  },

  async reviewers(tdb: TenantDb): Promise<ReviewerEntry[]> {
    const rows = await tdb.selectFrom('admin_consent_reviewers').selectAll().orderBy('position').execute();
    return rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      targetId: row.target_id,
      query: row.query,
      queryType: 'MicrosoftGraph' as const,
      queryRoot: row.query_root,
      addedAt: date(row.added_at),
    }));
  },

  /**
   * Makes the stored reviewers exactly `entries`: an entry naming the same user, group or role as
   * a stored one keeps its row (and so the time it was first added); the others are removed or added.
   */
  async replaceReviewers(tdb: TenantDb, entries: readonly Omit<ReviewerEntry, 'addedAt'>[], now: string): Promise<void> {
    const stored = await this.reviewers(tdb);
    const key = (e: { kind: string; targetId: string }) => `${e.kind}:${e.targetId}`;
    const wanted = new Map(entries.map((e, position) => [key(e), { entry: e, position }]));
    for (const old of stored) {
      const next = wanted.get(key(old));
      if (!next) {
        await tdb.deleteFrom('admin_consent_reviewers').where('id', '=', old.id).execute();
        continue;
      }
      await tdb
        .updateTable('admin_consent_reviewers')
        .set({ query: next.entry.query, query_root: next.entry.queryRoot, position: next.position })
        .where('id', '=', old.id)
        .execute();
      wanted.delete(key(old));
    }
    for (const { entry, position } of wanted.values()) {
      await tdb
        .insertInto('admin_consent_reviewers', {
          id: entry.id,
          kind: entry.kind,
          target_id: entry.targetId,
          query: entry.query,
          query_type: entry.queryType,
          query_root: entry.queryRoot,
          position,
          added_at: now,
        })
        .execute();
    }
  },

  async openAppRequest(tdb: TenantDb, appId: string): Promise<AppRequest | undefined> {
    const row = await tdb.selectFrom('app_consent_requests').selectAll().where('app_id', '=', appId).where('state', '=', 'pending').executeTakeFirst();
    return row ? readApp(row as AppRow) : undefined;
  },

  /** The app's latest decided round (approved, denied, blocked), if any. */
  async latestDecision(tdb: TenantDb, appId: string): Promise<AppRequest | undefined> {
    const row = await tdb
      .selectFrom('app_consent_requests')
      .selectAll()
      .where('app_id', '=', appId)
      .where('state', 'in', ['approved', 'denied', 'blocked'])
      .orderBy('reviewed_at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    return row ? readApp(row as AppRow) : undefined;
  },

  async appRequest(tdb: TenantDb, id: string): Promise<AppRequest | undefined> {
    const row = await tdb.selectFrom('app_consent_requests').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? readApp(row as AppRow) : undefined;
  },

  /**
   * Writes to a pending round, which also takes its row lock on PostgreSQL: a decision or an expiry
   * of the same round waits for this transaction, and one that got there first makes this return
   * false (the round is no longer open). SQLite serializes writers anyway.
   */
  async updateOpen(tdb: TenantDb, id: string, permissions: RequestedResource[], now: string): Promise<boolean> {
    const result = await tdb
      .updateTable('app_consent_requests')
      .set({ permissions: toJson(permissions), updated_at: now })
      .where('id', '=', id)
      .where('state', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  },

  async insertAppRequest(tdb: TenantDb, request: { id: string; appId: string; appDisplayName: string; permissions: RequestedResource[] }, now: string): Promise<void> {
    await tdb
      .insertInto('app_consent_requests', {
        id: request.id,
        app_id: request.appId,
        app_display_name: request.appDisplayName,
        state: 'pending',
        permissions: toJson(request.permissions),
        created_at: now,
        updated_at: now,
        reviewed_by_id: null,
        reviewed_by_name: null,
        reviewed_at: null,
        justification: null,
      })
      .execute();
  },

  async userRequestOf(tdb: TenantDb, appRequestId: string, userId: string): Promise<UserRequest | undefined> {
    const row = await userRequestsWithUsers(tdb).where('user_consent_requests.app_request_id', '=', appRequestId).where('user_consent_requests.user_id', '=', userId).executeTakeFirst();
    return row ? readUser(row as UserRow) : undefined;
  },

  async insertUserRequest(
    tdb: TenantDb,
    request: { id: string; appRequestId: string; userId: string; reason: string; permissions: RequestedResource[]; expiresAt: string },
    now: string,
  ): Promise<void> {
    await tdb
      .insertInto('user_consent_requests', {
        id: request.id,
        app_request_id: request.appRequestId,
        user_id: request.userId,
        reason: request.reason,
        permissions: toJson(request.permissions),
        status: 'InProgress',
        created_at: now,
        expires_at: request.expiresAt,
        completed_at: null,
        reminded_at: null,
      })
      .execute();
  },

  async removeUserRequest(tdb: TenantDb, id: string): Promise<void> {
    await tdb.deleteFrom('user_consent_requests').where('id', '=', id).execute();
  },

  /** A second submit by the same user: the new reason and permissions (the expiry stays). */
  async updateUserRequest(tdb: TenantDb, id: string, reason: string, permissions: RequestedResource[]): Promise<boolean> {
    const result = await tdb
      .updateTable('user_consent_requests')
      .set({ reason, permissions: toJson(permissions) })
      .where('id', '=', id)
      .where('status', '=', 'InProgress')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  },

  async userRequest(tdb: TenantDb, appRequestId: string, id: string): Promise<UserRequest | undefined> {
    const row = await userRequestsWithUsers(tdb).where('user_consent_requests.app_request_id', '=', appRequestId).where('user_consent_requests.id', '=', id).executeTakeFirst();
    return row ? readUser(row as UserRow) : undefined;
  },

  async userRequestById(tdb: TenantDb, id: string): Promise<UserRequest | undefined> {
    const row = await userRequestsWithUsers(tdb).where('user_consent_requests.id', '=', id).executeTakeFirst();
    return row ? readUser(row as UserRow) : undefined;
  },

  /** A round's user requests in id order, after `after`, optionally in one status. */
  async userRequests(tdb: TenantDb, appRequestId: string, options: { status?: UserRequestStatus; after?: string | null; limit?: number } = {}): Promise<UserRequest[]> {
    let query = userRequestsWithUsers(tdb).where('user_consent_requests.app_request_id', '=', appRequestId);
    if (options.status) query = query.where('user_consent_requests.status', '=', options.status);
    if (options.after) query = query.where('user_consent_requests.id', '>', options.after);
    query = query.orderBy('user_consent_requests.id');
    if (options.limit !== undefined) query = query.limit(options.limit);
    return (await query.execute()).map((row) => readUser(row as UserRow));
  },

  async listAppRequests(tdb: TenantDb, query: AppRequestQuery): Promise<AppRequest[]> {
    const column = ORDER_COLUMNS[query.orderBy.field];
    let select = tdb.selectFrom('app_consent_requests').selectAll();
    if (query.appId !== undefined) select = select.where('app_id', '=', query.appId);
    if (query.appDisplayName !== undefined) select = select.where('app_display_name', '=', query.appDisplayName);
    if (query.createdAfter) select = select.where('created_at', '>', query.createdAfter.toISOString());
    if (query.userStatus) {
      const status = query.userStatus;
      select = select.where(({ exists, selectFrom }) =>
        exists(
          selectFrom('user_consent_requests as u')
            .select(sql`1`.as('one'))
            .whereRef('u.tenant_id', '=', 'app_consent_requests.tenant_id')
            .whereRef('u.app_request_id', '=', 'app_consent_requests.id')
            .where('u.status', '=', status),
        ),
      );
    }
    if (query.after) {
      const { sort, id } = query.after;
      const op = query.orderBy.direction === 'asc' ? '>' : '<';
      select = select.where((eb) => eb.or([eb(column, op, sort), eb.and([eb(column, '=', sort), eb('id', '>', id)])]));
    }
    const rows = await select.orderBy(column, query.orderBy.direction).orderBy('id').limit(query.limit).execute();
    return rows.map((row) => readApp(row as AppRow));
  },

  /** Decides a pending round: one conditional UPDATE, so of two decisions at once exactly one changes the row. */
  async decide(tdb: TenantDb, id: string, decision: { state: 'approved' | 'denied' | 'blocked'; reviewerId: string; reviewerName: string; justification: string | null }, now: string): Promise<boolean> {
    const result = await tdb
      .updateTable('app_consent_requests')
      .set({ state: decision.state, reviewed_by_id: decision.reviewerId, reviewed_by_name: decision.reviewerName, reviewed_at: now, justification: decision.justification, updated_at: now })
      .where('id', '=', id)
      .where('state', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  },

  /** Completes a round's user requests still in progress and not expired at `now`; returns them. */
  async completeUserRequests(tdb: TenantDb, appRequestId: string, now: string): Promise<UserRequest[]> {
    const open = (await this.userRequests(tdb, appRequestId, { status: 'InProgress' })).filter((r) => r.expiresAt.getTime() > Date.parse(now));
    if (open.length === 0) return [];
    await tdb
      .updateTable('user_consent_requests')
      .set({ status: 'Completed', completed_at: now })
      .where('app_request_id', '=', appRequestId)
      .where('id', 'in', open.map((r) => r.id))
      .where('status', '=', 'InProgress')
      .execute();
    return open;
  },

  /** Expires one user request when it is still in progress and its time is up. */
  async expireUserRequest(tdb: TenantDb, id: string, now: string): Promise<boolean> {
    const result = await tdb
      .updateTable('user_consent_requests')
      .set({ status: 'Expired', completed_at: now })
      .where('id', '=', id)
      .where('status', '=', 'InProgress')
      .where('expires_at', '<=', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  },

  /** Every user request of the round that is in progress but past its time: expired now. */
  async expireOverdue(tdb: TenantDb, appRequestId: string, now: string): Promise<void> {
    await tdb
      .updateTable('user_consent_requests')
      .set({ status: 'Expired', completed_at: now })
      .where('app_request_id', '=', appRequestId)
      .where('status', '=', 'InProgress')
      .where('expires_at', '<=', now)
      .execute();
  },

  /** Closes a pending round none of whose user requests is still in progress (all expired). */
  async closeIfEmpty(tdb: TenantDb, appRequestId: string, now: string): Promise<boolean> {
    // the round's row first (its lock on PostgreSQL), then the count: a user joining meanwhile is seen
    if (!(await this.touchOpen(tdb, appRequestId, now))) return false;
    const open = await tdb.selectFrom('user_consent_requests').select('id').where('app_request_id', '=', appRequestId).where('status', '=', 'InProgress').executeTakeFirst();
    if (open) return false;
    const result = await tdb.updateTable('app_consent_requests').set({ state: 'expired', updated_at: now }).where('id', '=', appRequestId).where('state', '=', 'pending').executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  },

  async touchOpen(tdb: TenantDb, id: string, now: string): Promise<boolean> {
    const result = await tdb.updateTable('app_consent_requests').set({ updated_at: now }).where('id', '=', id).where('state', '=', 'pending').executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  },

  /** Marks the reminder of a user request as sent, once; false when it was sent or the request is no longer in progress. */
  async markReminded(tdb: TenantDb, id: string, now: string): Promise<boolean> {
    const result = await tdb
      .updateTable('user_consent_requests')
      .set({ reminded_at: now })
      .where('id', '=', id)
      .where('status', '=', 'InProgress')
      .where('reminded_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  },
});

/** User requests with their requester's name and address (users of the same tenant). */
function userRequestsWithUsers(tdb: TenantDb) {
  return tdb
    .selectFrom('user_consent_requests')
    .innerJoin('users as p', (join) => join.onRef('p.tenant_id', '=', 'user_consent_requests.tenant_id').onRef('p.id', '=', 'user_consent_requests.user_id'))
    .select([
      'user_consent_requests.id',
      'user_consent_requests.app_request_id',
      'user_consent_requests.user_id',
      'user_consent_requests.reason',
      'user_consent_requests.permissions',
      'user_consent_requests.status',
      'user_consent_requests.created_at',
      'user_consent_requests.expires_at',
      'user_consent_requests.completed_at',
      'p.display_name',
      'p.user_principal_name',
      'p.mail',
      'p.preferred_language',
    ]);
}
