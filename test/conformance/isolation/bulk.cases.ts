import assert from 'node:assert/strict';
import { bulkRepo } from '../../../src/modules/bulk/index.ts';
import { scoped } from '../../../src/storage/scoped.ts';
import type { Case, IsolationCaseFile } from './cases.ts';

/** Bulk operations (modules/bulk): tenant B has an operation with a pending and a failed row. */
const NOW = '2026-12-03T11:00:00.000Z';
const OPERATION_B = '0b0b0b0b-0000-4000-8000-00000000b0b0';

const input = (email: string) => ({
  email,
  displayName: null,
  inviteRedirectUrl: 'https://app.example',
  sendInvitationMessage: true,
  customizedMessageBody: null,
  ccEmailAddress: null,
  messageLanguage: null,
  groupIds: [],
  applicationIds: [],
});

const nothing = (value: unknown) => assert.ok(value === undefined || value === false || value === 0 || (Array.isArray(value) && value.length === 0), `leaked: ${JSON.stringify(value)}`);

export const repositories: IsolationCaseFile['repositories'] = { bulkRepo };

export const seed: IsolationCaseFile['seed'] = async (harness, scopeB) => {
  const tdb = scoped(harness.db, scopeB);
  await bulkRepo.insertOperation(tdb, {
    id: OPERATION_B,
    fileName: 'b.csv',
    template: 'current',
    totalRows: 2,
    failedRows: 1,
    createdByKey: 'system',
    createdById: null,
    createdByName: 'B',
    principal: { kind: 'system' },
    defaultRedirectUrl: null,
    jobId: null as unknown as string,
    now: NOW,
  });
  await bulkRepo.insertRows(tdb, OPERATION_B, [
    { rowNumber: 3, input: input('pending@b.example'), error: null },
    { rowNumber: 4, input: input('failed@b.example'), error: { code: 'rowInvalidBoolean', message: 'x' } },
  ], NOW);
  return { bulkOperationId: OPERATION_B };
};

const id = (b: Parameters<Case>[1]) => b.extra.bulkOperationId as string;

export const cases: IsolationCaseFile['cases'] = {
  bulkRepo: {
    insertOperation: async (a, b) => {
      // B's id inserted scoped to A lands in A, next to nothing of B's
      await bulkRepo.insertOperation(a, { id: id(b), fileName: 'a.csv', template: 'legacy', totalRows: 0, failedRows: 0, createdByKey: 'system', createdById: null, createdByName: null, principal: { kind: 'system' }, defaultRedirectUrl: null, jobId: 'j', now: NOW });
    },
    // no operation with B's id in A: the composite foreign key refuses the rows
    insertRows: async (a, b) => bulkRepo.insertRows(a, id(b), [{ rowNumber: 99, input: input('x@a.example'), error: null }], NOW),
    getOperation: async (a, b) => nothing(await bulkRepo.getOperation(a, id(b))),
    listOperations: async (a) => {
      nothing(await bulkRepo.listOperations(a, { limit: 100, after: null, createdByKey: null }));
      nothing(await bulkRepo.listOperations(a, { limit: 100, after: null, createdByKey: 'system' }));
    },
    setStatus: async (a, b) => bulkRepo.setStatus(a, id(b), { status: 'failed', completedAt: NOW, error: { code: 'x', message: 'hijacked' } }),
    addCounts: async (a, b) => bulkRepo.addCounts(a, id(b), { succeeded: 5, failed: 5 }),
    pendingRows: async (a, b) => nothing(await bulkRepo.pendingRows(a, id(b), 100)),
    settleRow: async (a, b) => nothing(await bulkRepo.settleRow(a, id(b), 3, { status: 'succeeded', error: null, userId: 'u', sealedRedeemUrl: null, at: NOW })),
    failPendingRows: async (a, b) => nothing(await bulkRepo.failPendingRows(a, id(b), { code: 'x', message: 'hijacked' }, NOW)),
    rowsPage: async (a, b) => nothing(await bulkRepo.rowsPage(a, id(b), null, 100)),
  },
};
