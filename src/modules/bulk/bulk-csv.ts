import { parse } from 'csv-parse/sync';
import { isGuid } from '../../kernel/ids.ts';
import { AppError } from '../../kernel/errors.ts';
import { BulkErrors } from './bulk.errors.ts';
import { BULK_FIELD_LIMITS, BULK_LIMITS } from './bulk.limits.ts';
import type { BulkRowInput, ParsedFile, ParsedRow, RowError } from './bulk.types.ts';
import { decodeCsv } from './csv-decode.ts';
import { isSampleAddress, recognizeLayout, type Layout, type RowField } from './csv-templates.ts';

/**
 * Reads an uploaded bulk invite file. Whatever makes the file as a whole unusable (not UTF-8, not
 * CSV, a header that is not a template, the examples row left in, more rows than allowed) throws,
 * and the upload creates nothing. What is wrong with one row (a cell over its limit, `sendEmail`
 * not true/false, an address already on an earlier row) fails that row only; the invitation
 * rules themselves (address syntax, domains, redirect URL) are the invitations service's, per row.
 *
 * Cells are text, whatever they start with: a leading `=`, `+`, `-`, `@` is neither evaluated nor
 * stripped here; the results CSV escapes such cells (results-csv.ts).
 */
export function parseInvitationCsv(bytes: Uint8Array, options: { maxRows: number }): ParsedFile {
  if (bytes.length > BULK_LIMITS.maxFileBytes) throw BulkErrors.fileTooLarge(BULK_LIMITS.maxFileBytes);
  const text = decodeCsv(bytes);
  if (text.trim() === '') throw BulkErrors.fileEmpty();
  const records = readRecords(text);
  const layout = recognizeLayout(records);

  const rows: ParsedRow[] = [];
  for (let index = layout.firstDataRecord; index < records.length; index++) {
    const record = records[index]!;
    if (record.every((cell) => cell.trim() === '')) continue; // empty rows are skipped
    rows.push(readRow(layout, record, index + 1));
  }
  const sample = layout.kind === 'current' ? rows.find((row) => isSampleAddress(row.input.email)) : undefined;
  if (sample) throw BulkErrors.fileExamplesRow(sample.rowNumber);
  if (rows.length === 0) throw BulkErrors.fileNoRows();
  if (rows.length > options.maxRows) throw BulkErrors.fileTooManyRows(rows.length, options.maxRows);
  markDuplicates(rows);
  return { template: layout.kind, rows };
}

function readRecords(text: string): string[][] {
  let records: string[][];
  try {
    // relax_column_count: short rows (a spreadsheet drops trailing empty cells) and the one-cell
    // version line are normal; relax_quotes: a quote inside an unquoted cell (O"Brien) is a character
    records = parse(text, { relax_column_count: true, relax_quotes: true, skip_empty_lines: false, bom: false });
  } catch (error) {
    const { code, lines, records, message } = error as { code?: string; lines?: number; records?: number; message?: string };
    // an unclosed quote is found at the end of the file: name the row where it opened
    if (code === 'CSV_QUOTE_NOT_CLOSED' && typeof records === 'number') throw BulkErrors.fileMalformed(records + 1, 'a quoted cell is opened but never closed.');
    throw BulkErrors.fileMalformed(lines ?? 1, (message ?? 'unreadable').slice(0, 200));
  }
  records.forEach((record, index) => {
    if (record.length > BULK_LIMITS.maxColumns) throw BulkErrors.fileTooManyColumns(index + 1, BULK_LIMITS.maxColumns);
    if (record.some((cell) => cell.length > BULK_LIMITS.maxCellCharacters)) throw BulkErrors.fileCellTooLong(index + 1, BULK_LIMITS.maxCellCharacters);
  });
  return records;
}

function readRow(layout: Layout, record: readonly string[], rowNumber: number): ParsedRow {
  const cells = new Map<RowField, string>();
  for (const [index, field] of layout.columns) cells.set(field, (record[index] ?? '').trim());
  const text = (field: RowField) => cells.get(field) ?? '';
  const input: BulkRowInput = {
    email: text('email'),
    displayName: text('displayName') || null,
    inviteRedirectUrl: text('inviteRedirectUrl') || null,
    sendInvitationMessage: true,
    customizedMessageBody: text('customizedMessageBody') || null,
    ccEmailAddress: text('ccEmailAddress') || null,
    messageLanguage: text('messageLanguage') || null,
    groupIds: [],
    applicationIds: [],
  };
  const fail = (error: AppError): ParsedRow => ({ rowNumber, input, error: rowError(error) });
  if (input.email === '') return fail(BulkErrors.rowMissingEmail(layout.columnName('email')));

  const lengths: [RowField, string | null, number][] = [
    ['email', input.email, BULK_FIELD_LIMITS.email],
    ['displayName', input.displayName, BULK_FIELD_LIMITS.displayName],
    ['inviteRedirectUrl', input.inviteRedirectUrl, BULK_FIELD_LIMITS.inviteRedirectUrl],
    ['customizedMessageBody', input.customizedMessageBody, BULK_FIELD_LIMITS.customizedMessageBody],
    ['ccEmailAddress', input.ccEmailAddress, BULK_FIELD_LIMITS.ccEmailAddress],
    ['messageLanguage', input.messageLanguage, BULK_FIELD_LIMITS.language],
  ];
  for (const [field, value, limit] of lengths) {
    if (value !== null && value.length > limit) {
      if (field === 'email') input.email = input.email.slice(0, limit);
      return fail(BulkErrors.rowTooLong(layout.columnName(field), limit));
    }
  }

  const send = text('sendEmail').toLowerCase();
  if (send === 'false') input.sendInvitationMessage = false;
  else if (send !== '' && send !== 'true') return fail(BulkErrors.rowInvalidBoolean(layout.columnName('sendEmail'), text('sendEmail').slice(0, 32)));

  for (const [field, limit, target] of [
    ['groups', BULK_FIELD_LIMITS.groups, input.groupIds],
    ['applications', BULK_FIELD_LIMITS.applications, input.applicationIds],
  ] as const) {
    // "group object ids separated by spaces or semicolons" (commas too, as people type them)
    const ids = text(field).split(/[\s;,]+/).filter(Boolean);
    if (ids.length > limit) return fail(BulkErrors.rowTooManyIds(layout.columnName(field), limit));
    for (const id of ids) {
      const shown = id.slice(0, 64);
      if (!isGuid(id)) return fail(BulkErrors.rowInvalidId(layout.columnName(field), shown));
      const normal = id.toLowerCase();
      if (!target.includes(normal)) target.push(normal);
    }
  }
  return { rowNumber, input, error: null };
}

/** A later row with an address an earlier row already has fails; the first one is invited. */
function markDuplicates(rows: ParsedRow[]): void {
  const firstRow = new Map<string, number>();
  for (const row of rows) {
    const key = row.input.email.toLowerCase();
    if (key === '') continue;
    const first = firstRow.get(key);
    if (first === undefined) firstRow.set(key, row.rowNumber);
    else if (!row.error) row.error = rowError(BulkErrors.rowDuplicate(first));
  }
}

/** How a row records an AppError: the code without its module prefix, and the message. */
export function rowError(error: AppError): RowError {
  return { code: error.code.slice(error.code.indexOf('.') + 1), message: error.message };
}
