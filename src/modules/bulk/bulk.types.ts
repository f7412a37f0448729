import type { TemplateKind } from './csv-templates.ts';

/** What one data row of a bulk invite asks for, whichever template it came in. */
export interface BulkRowInput {
  email: string;
  displayName: string | null;
  inviteRedirectUrl: string | null;
  sendInvitationMessage: boolean;
  customizedMessageBody: string | null;
  ccEmailAddress: string | null;
  messageLanguage: string | null;
  /** legacy InvitedToGroups: the guest becomes a member of each */
  groupIds: string[];
  /** legacy InvitedToApplications: the guest is assigned to each app (default role) */
  applicationIds: string[];
}

export interface RowError {
  code: string;
  message: string;
}

/** A data row as the parser leaves it: either ready to invite, or already failed (bad cell, duplicate). */
export interface ParsedRow {
  /** the row as a spreadsheet numbers it (line 1 is the first line of the file) */
  rowNumber: number;
  input: BulkRowInput;
  error: RowError | null;
}

export interface ParsedFile {
  template: TemplateKind;
  rows: ParsedRow[];
}

export type BulkOperationStatus = 'notStarted' | 'running' | 'completed' | 'failed';
export type BulkRowStatus = 'pending' | 'succeeded' | 'failed';

/** The contract's bulk operation resource (b2b-contract.md, H3). */
export interface BulkOperation {
  id: string;
  kind: 'invitations';
  status: BulkOperationStatus;
  fileName: string | null;
  template: TemplateKind;
  totalRows: number;
  processedRows: number;
  succeededRows: number;
  failedRows: number;
  createdDateTime: string;
  startedDateTime: string | null;
  completedDateTime: string | null;
  createdBy: { id: string | null; displayName: string | null };
  /** why the operation failed as a whole (its uploader lost the right to invite, the job gave up) */
  error: RowError | null;
}

export interface BulkRow {
  rowNumber: number;
  email: string;
  displayName: string | null;
  status: BulkRowStatus;
  error: RowError | null;
  userId: string | null;
  inviteRedeemUrl: string | null;
}

/** What a row of a results page is ordered and paged by. */
export interface RowPage {
  rows: BulkRow[];
  /** the last row number of this page when there are more */
  nextAfter: number | null;
}

export interface OperationPage {
  operations: BulkOperation[];
  nextAfter: { createdDateTime: string; id: string } | null;
}
