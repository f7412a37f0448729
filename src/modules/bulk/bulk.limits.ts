/**
 * Every limit of a bulk upload, as data (DESIGN §10): what a file may hold before it is refused
 * whole, and what each cell may hold before its row fails. Over a file limit is a 4xx naming the
 * limit; over a cell limit fails that row only, with a message naming the column and the limit.
 */
export const BULK_LIMITS = {
  /** the request body (and the CLI's file): 5 MiB */
  maxFileBytes: 5 * 1024 * 1024,
  /** data rows per file unless TESSERA_BULK_INVITE_MAX_ROWS says otherwise (the 2016 preview's limit) */
  defaultMaxRows: 2000,
  /** TESSERA_BULK_INVITE_MAX_ROWS may not go above this: one operation stays one durable job of bounded size */
  maxRowsCeiling: 50_000,
  /** columns in any line; Entra's template has four, the legacy one eight */
  maxColumns: 64,
  /** characters in one cell before the file is refused (far above every per-column limit below) */
  maxCellCharacters: 20_000,
  /** `?fileName=` shown in lists */
  maxFileNameCharacters: 256,
  /** rows processed, and committed, per transaction by the job */
  rowsPerBatch: 100,
} as const;

/** Per-column limits of one row: characters, or entries for the id lists. */
export const BULK_FIELD_LIMITS = {
  email: 256,
  displayName: 256,
  inviteRedirectUrl: 2048,
  customizedMessageBody: 10_000,
  ccEmailAddress: 256,
  language: 16,
  /** group object ids in InvitedToGroups */
  groups: 50,
  /** app ids in InvitedToApplications */
  applications: 50,
} as const;
