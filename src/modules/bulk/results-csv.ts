import type { BulkRow } from './bulk.types.ts';

/**
 * The results download. Every cell a spreadsheet could take for a formula (one that starts with
 * `=`, `+`, `-`, `@`, a tab or a carriage return: OWASP's CSV injection list) gets a leading `'`,
 * so an invitee's display name like `=HYPERLINK(...)` shows as text in Excel or LibreOffice and is
 * never evaluated. Then RFC 4180 quoting: cells with a comma, quote or line break are quoted.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function formulaSafe(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = formulaSafe(String(value));
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const RESULTS_HEADER = ['Row', 'Email address to invite', 'Display name', 'Status', 'Error code', 'Error message', 'User id', 'Invite redeem url'] as const;

export function resultsLine(row: BulkRow): string {
  return [row.rowNumber, row.email, row.displayName, row.status, row.error?.code ?? null, row.error?.message ?? null, row.userId, row.inviteRedeemUrl].map(csvCell).join(',');
}
