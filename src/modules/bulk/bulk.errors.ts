import { defineErrors } from '../../kernel/errors.ts';

/**
 * Errors of bulk operations. The `file*` errors refuse a whole upload (nothing is created); the
 * `row*` ones are recorded on one row (its `error.code` is the part after `bulk.`).
 */
export const BulkErrors = defineErrors('bulk', {
  fileEmpty: { kind: 'badRequest', message: () => 'The file is empty. Upload the bulk invite template (CSV) with one row per invitation.' },
  fileTooLarge: { kind: 'badRequest', message: (limit: number) => `The file is larger than the limit of ${limit} bytes (5 MiB).` },
  fileNotUtf8: {
    kind: 'badRequest',
    message: (line: number, hint: string) => `The file is not valid UTF-8 (line ${line}${hint}). Save it as "CSV UTF-8 (comma delimited)" and upload it again.`,
  },
  fileMalformed: { kind: 'badRequest', message: (line: number, why: string) => `The file is not a valid CSV file (line ${line}): ${why}` },
  fileTooManyColumns: { kind: 'badRequest', message: (line: number, limit: number) => `Line ${line} has more than ${limit} columns.` },
  fileCellTooLong: { kind: 'badRequest', message: (line: number, limit: number) => `Line ${line} has a cell longer than ${limit} characters.` },
  fileUnknownHeader: {
    kind: 'badRequest',
    message: () =>
      "The file's header is not a bulk invite template. Line 1 must be 'version:v1.0' and line 2 the template's column headings " +
      "(Email address to invite [inviteeEmail] Required,Redirection url [inviteRedirectURL] Required,...), or line 1 the legacy " +
      'header Email,DisplayName,InvitationText,InviteRedirectUrl,InvitedToApplications,InvitedToGroups,CcEmailAddress,Language.',
  },
  fileUnsupportedVersion: { kind: 'badRequest', message: (version: string) => `The template version '${version}' is not supported; download the current template (version:v1.0).` },
  fileMissingColumn: { kind: 'badRequest', message: (line: number, column: string) => `The header on line ${line} has no '${column}' column, which is required. Do not change the template's first two rows.` },
  fileDuplicateColumn: { kind: 'badRequest', message: (line: number, column: string) => `The header on line ${line} names the column '${column}' more than once.` },
  fileUnknownColumn: {
    kind: 'badRequest',
    message: (column: string) =>
      `The legacy header has an unknown column '${column}'. Its columns are Email,DisplayName,InvitationText,InviteRedirectUrl,InvitedToApplications,InvitedToGroups,CcEmailAddress,Language.`,
  },
  fileExamplesRow: {
    kind: 'badRequest',
    message: (row: number) => `Row ${row} is the template's examples row (example@example.com). Delete the examples row and upload the file again.`,
  },
  fileNoRows: { kind: 'badRequest', message: () => 'The file has no invitations: add one row per invitee below the header.' },
  fileTooManyRows: {
    kind: 'badRequest',
    message: (rows: number, limit: number) => `The file has ${rows} rows; at most ${limit} rows can be uploaded at once. Split it into smaller files. Nothing was invited.`,
  },
  invalidFileName: { kind: 'badRequest', message: (limit: number) => `fileName must be 1 to ${limit} characters without control characters.` },
  unsupportedContentType: { kind: 'badRequest', message: () => 'Send the CSV file as the request body with Content-Type: text/csv.' },

  operationNotFound: { kind: 'notFound', message: (id: string) => `Resource '${id}' does not exist or one of its queried reference-property objects are not present.` },

  rowMissingEmail: { kind: 'badRequest', message: (column: string) => `${column} is required.` },
  rowMissingRedirect: { kind: 'badRequest', message: (column: string) => `${column} is required.` },
  rowTooLong: { kind: 'badRequest', message: (column: string, limit: number) => `${column} is longer than the limit of ${limit} characters.` },
  rowTooManyIds: { kind: 'badRequest', message: (column: string, limit: number) => `${column} lists more than ${limit} ids.` },
  rowInvalidBoolean: { kind: 'badRequest', message: (column: string, value: string) => `${column} must be true or false, not '${value}'.` },
  rowInvalidId: { kind: 'badRequest', message: (column: string, value: string) => `${column}: '${value}' is not an object id (GUID).` },
  rowDuplicate: { kind: 'badRequest', message: (row: number) => `This address was already invited by row ${row} of this file (duplicate of row ${row}).` },
  rowGroupNotFound: { kind: 'notFound', message: (id: string) => `InvitedToGroups: no group '${id}' in this organization.` },
  rowApplicationNotFound: { kind: 'notFound', message: (appId: string) => `InvitedToApplications: no application '${appId}' in this organization (its service principal does not exist).` },
  rowApplicationForbidden: {
    kind: 'forbidden',
    message: () => 'InvitedToApplications: assigning users to applications needs the Global Administrator, Application Administrator or Cloud Application Administrator role.',
  },
  uploaderMayNotInvite: { kind: 'forbidden', message: (why: string) => `The operation stopped: its uploader may no longer invite guests (${why}).` },
  operationAbandoned: { kind: 'internal', message: (why: string) => `The operation could not finish: ${why}` },
});
