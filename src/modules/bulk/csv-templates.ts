import { BulkErrors } from './bulk.errors.ts';

/**
 * The two CSV layouts a bulk invite accepts (docs/graph-reference.md §1.5, §1.6), as data:
 *
 * - Entra's current template: line 1 `version:v1.0`, line 2 headings `<Label> [propertyName] <Required>`
 *   (columns are found by the property in brackets, in any order; columns without one, and unknown
 *   properties, are ignored, as Entra ignores extra columns), then an examples row that must be deleted.
 * - The May-2016 B2B preview header `Email,DisplayName,InvitationText,...` (Email and DisplayName
 *   required, the others optional, in any order; an unknown column is refused, so a typo is not
 *   silently dropped).
 */
export type TemplateKind = 'current' | 'legacy';

/** What one row asks for, by meaning rather than by column heading. */
export type RowField = 'email' | 'displayName' | 'inviteRedirectUrl' | 'sendEmail' | 'customizedMessageBody' | 'ccEmailAddress' | 'messageLanguage' | 'groups' | 'applications';

export const CURRENT_VERSION_LINE = 'version:v1.0';

/** The current template's properties (matched case-insensitively) and what they hold. */
const CURRENT_COLUMNS: Record<string, { field: RowField; required: boolean }> = {
  inviteeemail: { field: 'email', required: true },
  inviteredirecturl: { field: 'inviteRedirectUrl', required: true },
  sendemail: { field: 'sendEmail', required: false },
  customizedmessagebody: { field: 'customizedMessageBody', required: false },
  // read by some scripts from another revision of the template; harmless to honour
  inviteename: { field: 'displayName', required: false },
};

/** The current template's canonical headings, for messages and the template download. */
export const CURRENT_HEADINGS = [
  'Email address to invite [inviteeEmail] Required',
  'Redirection url [inviteRedirectURL] Required',
  'Send invitation message (true or false) [sendEmail]',
  'Customized invitation message [customizedMessageBody]',
] as const;

/** Entra's examples row: its sample address marks a row the uploader forgot to delete. */
export const EXAMPLE_ROW = ['example@example.com', 'https://myapps.azure.com', 'true', 'Hello! You are invited to collaborate with us.'] as const;
const SAMPLE_ADDRESSES = new Set(['example@example.com']);

const LEGACY_COLUMNS: Record<string, { field: RowField; required: boolean }> = {
  email: { field: 'email', required: true },
  displayname: { field: 'displayName', required: true },
  invitationtext: { field: 'customizedMessageBody', required: false },
  inviteredirecturl: { field: 'inviteRedirectUrl', required: false },
  invitedtoapplications: { field: 'applications', required: false },
  invitedtogroups: { field: 'groups', required: false },
  ccemailaddress: { field: 'ccEmailAddress', required: false },
  language: { field: 'messageLanguage', required: false },
};

const LEGACY_NAMES: Record<RowField, string> = {
  email: 'Email',
  displayName: 'DisplayName',
  customizedMessageBody: 'InvitationText',
  inviteRedirectUrl: 'InviteRedirectUrl',
  applications: 'InvitedToApplications',
  groups: 'InvitedToGroups',
  ccEmailAddress: 'CcEmailAddress',
  messageLanguage: 'Language',
  sendEmail: 'SendEmail',
};

const CURRENT_NAMES: Record<RowField, string> = {
  email: 'inviteeEmail',
  displayName: 'inviteeName',
  inviteRedirectUrl: 'inviteRedirectURL',
  sendEmail: 'sendEmail',
  customizedMessageBody: 'customizedMessageBody',
  ccEmailAddress: 'ccEmailAddress',
  messageLanguage: 'messageLanguage',
  groups: 'groups',
  applications: 'applications',
};

/** How a file's columns map to row fields, and where its data rows begin (0-based record index). */
export interface Layout {
  kind: TemplateKind;
  columns: Map<number, RowField>;
  firstDataRecord: number;
  /** the column's name as the uploader sees it, for row errors */
  columnName(field: RowField): string;
}

/** Recognises the layout from the first records, or refuses the whole file. */
export function recognizeLayout(records: readonly string[][]): Layout {
  const first = (records[0] ?? []).map((cell) => cell.trim());
  const lead = first[0] ?? '';
  if (/^version\s*:/i.test(lead)) {
    const version = lead.replace(/^version\s*:\s*/i, '');
    if (lead.toLowerCase().replace(/\s+/g, '') !== CURRENT_VERSION_LINE) throw BulkErrors.fileUnsupportedVersion(version);
    return currentLayout(records[1] ?? []);
  }
  if (first.some((cell) => cell.toLowerCase() === 'email')) return legacyLayout(first);
  throw BulkErrors.fileUnknownHeader();
}

function currentLayout(headings: readonly string[]): Layout {
  const columns = new Map<number, RowField>();
  const seen = new Set<string>();
  headings.forEach((heading, index) => {
    const property = /\[\s*([A-Za-z]+)\s*\]/.exec(heading)?.[1]?.toLowerCase();
    const spec = property ? CURRENT_COLUMNS[property] : undefined;
    if (!property || !spec) return; // extra columns are ignored
    if (seen.has(property)) throw BulkErrors.fileDuplicateColumn(2, CURRENT_NAMES[spec.field]);
    seen.add(property);
    columns.set(index, spec.field);
  });
  for (const [property, spec] of Object.entries(CURRENT_COLUMNS)) {
    if (spec.required && !seen.has(property)) throw BulkErrors.fileMissingColumn(2, `[${CURRENT_NAMES[spec.field]}]`);
  }
  return { kind: 'current', columns, firstDataRecord: 2, columnName: (field) => CURRENT_NAMES[field] };
}

function legacyLayout(header: readonly string[]): Layout {
  const columns = new Map<number, RowField>();
  const seen = new Set<string>();
  header.forEach((name, index) => {
    const key = name.toLowerCase();
    if (key === '') return; // trailing commas a spreadsheet adds
    const spec = LEGACY_COLUMNS[key];
    if (!spec) throw BulkErrors.fileUnknownColumn(name.slice(0, 64));
    if (seen.has(key)) throw BulkErrors.fileDuplicateColumn(1, LEGACY_NAMES[spec.field]);
    seen.add(key);
    columns.set(index, spec.field);
  });
  for (const [key, spec] of Object.entries(LEGACY_COLUMNS)) {
    if (spec.required && !seen.has(key)) throw BulkErrors.fileMissingColumn(1, LEGACY_NAMES[spec.field]);
  }
  return { kind: 'legacy', columns, firstDataRecord: 1, columnName: (field) => LEGACY_NAMES[field] };
}

export function isSampleAddress(email: string): boolean {
  return SAMPLE_ADDRESSES.has(email.trim().toLowerCase());
}

/** `GET /beta/bulkOperations/templates/invitations`: Entra's current template, examples row included (CRLF, as Excel saves it). */
export function invitationTemplateCsv(): string {
  return [CURRENT_VERSION_LINE, CURRENT_HEADINGS.join(','), EXAMPLE_ROW.join(',')].join('\r\n') + '\r\n';
}
