import type { Clock } from '../../kernel/clock.ts';
import { AppError, isAppError } from '../../kernel/errors.ts';
import { isGuid, newId } from '../../kernel/ids.ts';
import type { SecretBox } from '../../kernel/secrets.ts';
import { foreignKeyViolation, uniqueViolation } from '../../storage/constraints.ts';
import type { Database } from '../../storage/database.ts';
import { inTransaction, scoped, type TenantDb } from '../../storage/scoped.ts';
import type { TenantScope } from '../../tenancy/scope.ts';
import { recordAudit } from '../audit/index.ts';
import { actorOf, GLOBAL_ADMINISTRATOR, USER_ADMINISTRATOR, type GroupsService, type Principal, type RolesService, type UsersService } from '../directory/index.ts';
import type { Invitation, InvitationInput } from '../invitations/index.ts';
import type { QueueService } from '../queue/index.ts';
import { assignApplication } from './app-assignments.ts';
import { parseInvitationCsv, rowError } from './bulk-csv.ts';
import { BulkErrors } from './bulk.errors.ts';
import { BULK_LIMITS } from './bulk.limits.ts';
import { bulkRepo, rowSavepoints, type PendingRow, type RowOutcome, type StoredOperation } from './bulk.repo.ts';
import type { BulkOperation, BulkRow, OperationPage, RowError, RowPage } from './bulk.types.ts';
import { RESULTS_HEADER, resultsLine } from './results-csv.ts';
import { currentPrincipal, storedPrincipal, uploaderKey, type StoredPrincipal } from './uploader.ts';

/** The job kind that processes an upload's rows. */
export const BULK_INVITATIONS_JOB = 'bulk.invitations';

/**
 * What bulk invites need of the invitations module (b2b-contract.md, H1 and its addendum): the
 * throttle admits an upload once, the authorization check, and one row's invitation made inside the
 * bulk job's own transaction (`bulk`: rows are not throttled one by one), so the guest, its ticket,
 * its mail in the outbox and the row's status commit together or not at all.
 */
export interface BulkInvitationsPort {
  admitBulk(scope: TenantScope, principal: Principal): Promise<void>;
  assertMayInvite(scope: TenantScope, principal: Principal, invitedUserType?: 'Guest' | 'Member'): Promise<void>;
  inviteWithin(tdb: TenantDb, principal: Principal, input: InvitationInput, options: { bulk: true; requestId?: string }): Promise<Invitation>;
}

export interface BulkDependencies {
  database: Database;
  clock: Clock;
  secrets: SecretBox;
  queue: QueueService;
  invitations: BulkInvitationsPort;
  groups: GroupsService;
  roles: RolesService;
  users: UsersService;
  /** the display name of an app's service principal, for `createdBy` */
  servicePrincipalName(scope: TenantScope, appId: string): Promise<string | null>;
  /** the public origin: legacy rows without InviteRedirectUrl go to `{base}/myaccount` */
  baseUrl: () => string;
  /** TESSERA_BULK_INVITE_MAX_ROWS */
  maxRows: number;
}

/** What the job runner (or the CLI, which runs an upload itself) lends the work: its lease on the job. */
export interface BulkLease {
  /** throws `queue.leaseLost` once this claim no longer holds the job: then stop, recording nothing */
  assertLease(): Promise<void>;
}

export interface UploadOptions {
  fileName?: string | null;
  /** for rows without a redirect URL (the CLI's --redirect-url) */
  defaultRedirectUrl?: string | null;
}

/** Roles whose holders see every bulk operation of the tenant; others see their own (redeem URLs are bearer links). */
const SEES_ALL_ROLES: ReadonlySet<string> = new Set([GLOBAL_ADMINISTRATOR, USER_ADMINISTRATOR]);
const SEES_ALL_APP_PERMISSIONS = ['User.ReadWrite.All', 'Directory.ReadWrite.All'];

type StoredRow = Awaited<ReturnType<typeof bulkRepo.rowsPage>>[number];

/** The `requestId` a row's invitation carries into its audit record. */
function requestIdOf(operation: StoredOperation, row: PendingRow): string {
  return `${operation.id}:${row.rowNumber}`;
}

/** Thrown inside a row's savepoint when another claim settled the row first: undo this row's work. */
class SkipRow extends Error {}

/**
 * Bulk invitations from CSV (issue 15 item 8). An upload is validated whole (a refused file creates
 * nothing), then the operation, every row and one job are written in one transaction. The job
 * settles rows in file order, a batch of rows per transaction, each row under a savepoint: its
 * invitation (guest, ticket, outbox mail), its group and app assignments and its status commit
 * together, or the row alone is undone and fails with its error. A node that dies mid-batch loses
 * only the uncommitted batch; whoever resumes the job finds those rows still pending, so every
 * row is invited exactly once.
 */
export class BulkService {
  constructor(private readonly deps: BulkDependencies) {}

  async upload(scope: TenantScope, principal: Principal, file: Uint8Array, options: UploadOptions = {}): Promise<BulkOperation> {
    const fileName = readFileName(options.fileName);
    // authorization before the file is looked at: a caller who may not invite learns nothing from it
    await this.deps.invitations.assertMayInvite(scope, principal);
    const parsed = parseInvitationCsv(file, { maxRows: this.deps.maxRows });
    // the upload is one call to the invitation throttle, however many rows it has
    await this.deps.invitations.admitBulk(scope, principal);
    const creator = await this.#creator(scope, principal);
    const id = newId();
    const now = this.deps.clock.now().toISOString();
    const failed = parsed.rows.filter((row) => row.error !== null).length;
    const operation = await inTransaction(this.deps.database, scope, async (tdb) => {
      const jobId = await this.deps.queue.enqueue(tdb, BULK_INVITATIONS_JOB, { operationId: id });
      await bulkRepo.insertOperation(tdb, {
        id,
        fileName,
        template: parsed.template,
        totalRows: parsed.rows.length,
        failedRows: failed,
        createdByKey: uploaderKey(principal),
        createdById: creator.id,
        createdByName: creator.displayName,
        principal: storedPrincipal(principal),
        defaultRedirectUrl: options.defaultRedirectUrl ?? null,
        jobId,
        now,
      });
      await bulkRepo.insertRows(tdb, id, parsed.rows, now);
      await recordAudit(tdb, this.deps.clock, {
        ...actorOf(principal),
        action: 'Bulk invite users',
        targetType: 'bulkOperation',
        targetId: id,
        details: { fileName, template: parsed.template, totalRows: parsed.rows.length, refusedRows: failed },
      });
      return publicOperation((await bulkRepo.getOperation(tdb, id))!);
    });
    // committed: this node's job runner starts on it at once
    this.deps.queue.nudge();
    return operation;
  }

  async get(scope: TenantScope, principal: Principal, id: string): Promise<BulkOperation> {
    return publicOperation(await this.#readable(scope, principal, id));
  }

  /** Newest first; a caller who does not see every operation lists their own. */
  async list(scope: TenantScope, principal: Principal, page: { top: number; after: { createdAt: string; id: string } | null }): Promise<OperationPage> {
    await this.deps.invitations.assertMayInvite(scope, principal);
    const operations = await bulkRepo.listOperations(scoped(this.deps.database, scope), {
      limit: page.top + 1,
      after: page.after,
      createdByKey: seesAll(principal) ? null : uploaderKey(principal),
    });
    const items = operations.slice(0, page.top);
    const last = items[items.length - 1];
    return { operations: items.map(publicOperation), nextAfter: operations.length > page.top && last ? { createdDateTime: last.createdAt, id: last.id } : null };
  }

  /** A page of an operation's rows in file order, with each invitation's redeem URL. */
  async rows(scope: TenantScope, principal: Principal, id: string, page: { top: number; after: number | null }): Promise<RowPage> {
    const operation = await this.#readable(scope, principal, id);
    const rows = await bulkRepo.rowsPage(scoped(this.deps.database, scope), operation.id, page.after, page.top + 1);
    const items = rows.slice(0, page.top).map((row) => this.#publicRow(row));
    return { rows: items, nextAfter: rows.length > page.top ? (items[items.length - 1]?.rowNumber ?? null) : null };
  }

  /**
   * The results as CSV (results-csv.ts), read a page at a time. Authorization and the lookup happen
   * before the first chunk, so a refusal is an error, not a broken download.
   */
  async results(scope: TenantScope, principal: Principal, id: string): Promise<AsyncIterable<string>> {
    const operation = await this.#readable(scope, principal, id);
    const tdb = scoped(this.deps.database, scope);
    const publicRow = (row: StoredRow) => this.#publicRow(row);
    return (async function* () {
      yield `${RESULTS_HEADER.join(',')}\r\n`;
      let after: number | null = null;
      for (;;) {
        const rows = await bulkRepo.rowsPage(tdb, operation.id, after, 500);
        if (rows.length === 0) return;
        yield rows.map((row) => `${resultsLine(publicRow(row))}\r\n`).join('');
        after = rows[rows.length - 1]!.rowNumber;
      }
    })();
  }

  /** The durable job that runs an operation (the CLI claims it to run the rows itself). */
  async jobOf(scope: TenantScope, operationId: string): Promise<string | null> {
    return (await bulkRepo.getOperation(scoped(this.deps.database, scope), operationId))?.jobId ?? null;
  }

  /** The job's work (also the CLI's): settles every pending row, then completes the operation. */
  async run(scope: TenantScope, operationId: string, lease: BulkLease, onProgress?: (operation: BulkOperation) => void): Promise<BulkOperation | null> {
    const { database, clock } = this.deps;
    const operation = await bulkRepo.getOperation(scoped(database, scope), operationId);
    if (!operation) return null; // deleted with its tenant
    if (operation.status === 'completed' || operation.status === 'failed') return publicOperation(operation);

    // the uploader acts as they are now: a role removed since the upload applies to every row left
    const principal = await currentPrincipal(scope.tenantId, operation.principal as StoredPrincipal, {
      callingUser: (userId) => this.deps.roles.callingUser(scope, userId),
      servicePrincipalRoles: (spId) => this.deps.roles.templateIdsOf(scope, spId),
    });
    let refusal = 'refused' in principal ? principal.refused : null;
    if (!('refused' in principal)) {
      try {
        await this.deps.invitations.assertMayInvite(scope, principal);
      } catch (error) {
        if (!isAppError(error) || error.kind !== 'forbidden') throw error;
        refusal = error.message;
      }
    }
    if (refusal !== null || 'refused' in principal) {
      await lease.assertLease();
      return this.#stop(scope, operation.id, rowError(BulkErrors.uploaderMayNotInvite(refusal ?? 'refused')));
    }
    if (operation.status === 'notStarted') {
      await lease.assertLease();
      await bulkRepo.setStatus(scoped(database, scope), operation.id, { status: 'running', startedAt: clock.now().toISOString() });
    }

    for (;;) {
      // a claim that lost its lease (it stalled; another node took the job over) stops here
      await lease.assertLease();
      const done = await this.#runBatch(scope, principal, operation);
      // the batch's mails are committed: delivery starts while the next batch is invited
      if (!done) this.deps.queue.nudge();
      if (onProgress || done) {
        const current = publicOperation((await bulkRepo.getOperation(scoped(database, scope), operation.id))!);
        onProgress?.(current);
        if (done) return current;
      }
    }
  }

  /** One batch of rows in one transaction, each row under a savepoint; true when no row was left. */
  #runBatch(scope: TenantScope, principal: Principal, operation: StoredOperation): Promise<boolean> {
    const { database, clock } = this.deps;
    return inTransaction(database, scope, async (tdb) => {
      const batch = await bulkRepo.pendingRows(tdb, operation.id, BULK_LIMITS.rowsPerBatch);
      if (batch.length === 0) {
        await bulkRepo.setStatus(tdb, operation.id, { status: 'completed', completedAt: clock.now().toISOString() });
        return true;
      }
      const counts = { succeeded: 0, failed: 0 };
      for (const row of batch) {
        const outcome = await this.#settle(tdb, principal, operation, row);
        if (outcome) counts[outcome]++;
      }
      await bulkRepo.addCounts(tdb, operation.id, counts);
      return false;
    });
  }

  /** The job gave up for good (its last attempt failed): the rows left fail with the reason, and the operation too. */
  async abandon(scope: TenantScope, operationId: string, why: string): Promise<void> {
    const operation = await bulkRepo.getOperation(scoped(this.deps.database, scope), operationId);
    if (!operation || operation.status === 'completed' || operation.status === 'failed') return;
    await this.#stop(scope, operationId, rowError(BulkErrors.operationAbandoned(why.slice(0, 500))));
  }

  /** One row: its work and its status under a savepoint; returns what it came to, or null when another claim settled it. */
  async #settle(tdb: TenantDb, principal: Principal, operation: StoredOperation, row: PendingRow): Promise<'succeeded' | 'failed' | null> {
    const at = this.deps.clock.now().toISOString();
    await rowSavepoints.begin(tdb);
    let outcome: RowOutcome;
    try {
      const invitation = await this.#inviteRow(tdb, principal, operation, row);
      outcome = {
        status: 'succeeded',
        error: null,
        userId: invitation.invitedUser.id,
        sealedRedeemUrl: invitation.inviteRedeemUrl ? this.deps.secrets.seal(invitation.inviteRedeemUrl) : null,
        at,
      };
      if (!(await bulkRepo.settleRow(tdb, operation.id, row.rowNumber, outcome))) throw new SkipRow();
      await rowSavepoints.release(tdb);
      return 'succeeded';
    } catch (error) {
      await rowSavepoints.rollback(tdb);
      if (error instanceof SkipRow) return null;
      const failure = rowFailure(error);
      if (!failure) throw error; // the database, or a bug: the batch is retried, this row with it
      outcome = { status: 'failed', error: failure, userId: null, sealedRedeemUrl: null, at };
      return (await bulkRepo.settleRow(tdb, operation.id, row.rowNumber, outcome)) ? 'failed' : null;
    }
  }

  async #inviteRow(tdb: TenantDb, principal: Principal, operation: StoredOperation, row: PendingRow): Promise<Invitation> {
    const invitation = await this.deps.invitations.inviteWithin(tdb, principal, this.#invitationInput(operation, row), { bulk: true, requestId: requestIdOf(operation, row) });
    await this.#addAssignments(tdb, principal, row, invitation.invitedUser.id);
    return invitation;
  }

  /** The row as Graph's invitation; a row without a redirect URL takes the upload's default (legacy rows: My Account). */
  #invitationInput(operation: StoredOperation, row: PendingRow): InvitationInput {
    const input = row.input;
    const redirect = input.inviteRedirectUrl ?? operation.defaultRedirectUrl ?? (operation.template === 'legacy' ? `${this.deps.baseUrl()}/myaccount` : null);
    if (redirect === null) throw BulkErrors.rowMissingRedirect(operation.template === 'legacy' ? 'InviteRedirectUrl' : 'inviteRedirectURL');
    return {
      invitedUserEmailAddress: input.email,
      inviteRedirectUrl: redirect,
      invitedUserDisplayName: input.displayName,
      invitedUserType: 'Guest',
      sendInvitationMessage: input.sendInvitationMessage,
      invitedUserMessageInfo: {
        customizedMessageBody: input.customizedMessageBody,
        messageLanguage: input.messageLanguage,
        ccRecipients: input.ccEmailAddress ? [{ emailAddress: { address: input.ccEmailAddress } }] : [],
      },
    };
  }

  /** Legacy InvitedToGroups and InvitedToApplications, in the caller's transaction. */
  async #addAssignments(tdb: TenantDb, principal: Principal, row: PendingRow, userId: string): Promise<void> {
    for (const groupId of row.input.groupIds) {
      try {
        await this.deps.groups.addMemberWithin(tdb, principal, groupId, userId);
      } catch (error) {
        // a re-invited guest may be a member already: that is what the row asks for
        if (isAppError(error) && error.code === 'directory.alreadyMember') continue;
        if (isAppError(error) && error.kind === 'notFound') throw BulkErrors.rowGroupNotFound(groupId);
        throw error;
      }
    }
    for (const appId of row.input.applicationIds) await assignApplication(tdb, this.deps.clock, principal, appId, userId);
  }

  async #stop(scope: TenantScope, operationId: string, error: RowError): Promise<BulkOperation> {
    return inTransaction(this.deps.database, scope, async (tdb) => {
      const at = this.deps.clock.now().toISOString();
      const failed = await bulkRepo.failPendingRows(tdb, operationId, error, at);
      await bulkRepo.addCounts(tdb, operationId, { succeeded: 0, failed });
      await bulkRepo.setStatus(tdb, operationId, { status: 'failed', completedAt: at, error });
      await recordAudit(tdb, this.deps.clock, { actorId: null, actorType: 'system', action: 'Bulk invite users stopped', targetType: 'bulkOperation', targetId: operationId, details: { ...error, failedRows: failed } });
      return publicOperation((await bulkRepo.getOperation(tdb, operationId))!);
    });
  }

  /** The operation, when it exists and this caller may read it (404 otherwise, as for any object they may not see). */
  async #readable(scope: TenantScope, principal: Principal, id: string): Promise<StoredOperation> {
    await this.deps.invitations.assertMayInvite(scope, principal);
    const operation = isGuid(id) ? await bulkRepo.getOperation(scoped(this.deps.database, scope), id.toLowerCase()) : undefined;
    if (!operation || (!seesAll(principal) && operation.createdByKey !== uploaderKey(principal))) throw BulkErrors.operationNotFound(id);
    return operation;
  }

  #publicRow(row: StoredRow): BulkRow {
    const { sealedRedeemUrl, ...rest } = row;
    return { ...rest, inviteRedeemUrl: sealedRedeemUrl ? this.deps.secrets.open(sealedRedeemUrl) : null };
  }

  async #creator(scope: TenantScope, principal: Principal): Promise<{ id: string | null; displayName: string | null }> {
    switch (principal.kind) {
      case 'user':
        return { id: principal.userId, displayName: (await this.deps.users.find(scope, principal.userId))?.displayName ?? null };
      case 'app':
        return { id: principal.servicePrincipalId ?? principal.appId, displayName: (await this.deps.servicePrincipalName(scope, principal.appId)) ?? principal.appId };
      case 'system':
        return { id: null, displayName: 'tessera invite (CLI)' };
    }
  }
}

function seesAll(principal: Principal): boolean {
  switch (principal.kind) {
    case 'system':
      return true;
    case 'app':
      return SEES_ALL_APP_PERMISSIONS.some((permission) => principal.roles.has(permission));
    case 'user':
      return [...principal.roleTemplateIds].some((id) => SEES_ALL_ROLES.has(id));
  }
}

/** What a row records for an error, or null when the error is not the row's (the database, a bug). */
function rowFailure(error: unknown): RowError | null {
  if (isAppError(error)) {
    if (error.kind === 'unavailable' || error.kind === 'internal') return null;
    if (error.code === 'directory.forbidden') return { code: 'forbidden', message: error.message };
    return rowError(error);
  }
  // a concurrent writer took the address first (two uploads, or an upload and a single invite, at once)
  if (uniqueViolation(error) || foreignKeyViolation(error)) return rowError(new AppError('conflict', 'bulk.rowConflict', 'The directory changed while this row was invited (another request wrote the same object). Invite this address again.'));
  return null;
}

function readFileName(value: string | null | undefined): string | null {
  if (value === undefined || value === null) return null;
  // eslint-disable-next-line no-control-regex
  if (value.length === 0 || value.length > BULK_LIMITS.maxFileNameCharacters || /[\u0000-\u001f\u007f]/.test(value)) throw BulkErrors.invalidFileName(BULK_LIMITS.maxFileNameCharacters);
  return value;
}

/** The contract's shape: what an API caller sees of an operation. */
export function publicOperation(operation: StoredOperation): BulkOperation {
  return {
    id: operation.id,
    kind: operation.kind,
    status: operation.status,
    fileName: operation.fileName,
    template: operation.template,
    totalRows: operation.totalRows,
    processedRows: operation.processedRows,
    succeededRows: operation.succeededRows,
    failedRows: operation.failedRows,
    createdDateTime: operation.createdDateTime,
    startedDateTime: operation.startedDateTime,
    completedDateTime: operation.completedDateTime,
    createdBy: operation.createdBy,
    error: operation.error,
  };
}
