/**
 * Bulk invitations from CSV (issue 15 item 8): upload validation, the durable bulk operation and
 * its job, per-row results and the results CSV. Rows are invited through the invitations module.
 */
export { BulkService, BULK_INVITATIONS_JOB, publicOperation, type BulkDependencies, type BulkInvitationsPort, type BulkLease, type UploadOptions } from './bulk.service.ts';
export type { BulkOperation, BulkOperationStatus, BulkRow, BulkRowStatus, OperationPage, RowPage, RowError } from './bulk.types.ts';
export { BulkErrors } from './bulk.errors.ts';
export { BULK_LIMITS, BULK_FIELD_LIMITS } from './bulk.limits.ts';
export { invitationTemplateCsv } from './csv-templates.ts';
export { parseInvitationCsv } from './bulk-csv.ts';
export { formulaSafe, csvCell } from './results-csv.ts';
export { bulkRepo } from './bulk.repo.ts';
