import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isAppError } from '../../kernel/errors.ts';
import { parseInvitationCsv } from './bulk-csv.ts';
import { firstInvalidUtf8 } from './csv-decode.ts';
import { CURRENT_HEADINGS, invitationTemplateCsv } from './csv-templates.ts';
import { csvCell, formulaSafe } from './results-csv.ts';

const HEADER = `version:v1.0\r\n${CURRENT_HEADINGS.join(',')}\r\n`;
const parse = (text: string | Uint8Array, maxRows = 2000) => parseInvitationCsv(typeof text === 'string' ? Buffer.from(text) : text, { maxRows });

function refused(text: string | Uint8Array, code: string, pattern?: RegExp, maxRows = 2000): void {
  assert.throws(
    () => parse(text, maxRows),
    (error: unknown) => {
      assert.ok(isAppError(error), String(error));
      assert.equal(error.code, `bulk.${code}`, error.message);
      assert.equal(error.kind, 'badRequest');
      if (pattern) assert.match(error.message, pattern);
      return true;
    },
  );
}

describe('bulk invite CSV: the current Entra template', () => {
  test('reads rows by the property in brackets, in any order, ignoring extra columns', () => {
    const file = 'version:v1.0\nNotes,Redirection url [inviteRedirectURL] Required,Email address to invite [inviteeEmail] Required,Send invitation message (true or false) [sendEmail],Customized invitation message [customizedMessageBody]\n' +
      'x,https://app.example/start,alice@partner.example,FALSE,"Hello, Alice"\n';
    const { template, rows } = parse(file);
    assert.equal(template, 'current');
    assert.deepEqual(rows, [
      {
        rowNumber: 3,
        error: null,
        input: {
          email: 'alice@partner.example',
          displayName: null,
          inviteRedirectUrl: 'https://app.example/start',
          sendInvitationMessage: false,
          customizedMessageBody: 'Hello, Alice',
          ccEmailAddress: null,
          messageLanguage: null,
          groupIds: [],
          applicationIds: [],
        },
      },
    ]);
  });

  test('the downloadable template is the current template; its examples row must be deleted', () => {
    const template = invitationTemplateCsv();
    assert.match(template, /^version:v1\.0\r\nEmail address to invite \[inviteeEmail\] Required,Redirection url \[inviteRedirectURL\] Required,/);
    refused(template, 'fileExamplesRow', /Row 3 is the template's examples row.*Delete the examples row/);
    // with the examples row replaced, the same file is accepted
    const own = template.replace(/example@example\.com/, 'bob@partner.example');
    assert.equal(parse(own).rows[0]!.input.email, 'bob@partner.example');
  });

  test('a BOM, CRLF, empty rows and short rows are fine; empty rows are skipped, row numbers stay the spreadsheet\'s', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${HEADER}a@x.example,https://x.example\r\n\r\n,,,\r\nb@x.example,https://x.example\r\n`)]);
    const { rows } = parse(bytes);
    assert.deepEqual(rows.map((r) => [r.rowNumber, r.input.email, r.input.sendInvitationMessage]), [[3, 'a@x.example', true], [6, 'b@x.example', true]]);
  });

  test('sendEmail must be true or false (row error); a missing address fails its row', () => {
    const { rows } = parse(`${HEADER}a@x.example,https://x.example,maybe\r\n,https://x.example,true,hello\r\n`);
    assert.equal(rows[0]!.error?.code, 'rowInvalidBoolean');
    assert.match(rows[0]!.error!.message, /sendEmail must be true or false, not 'maybe'/);
    assert.equal(rows[1]!.error?.code, 'rowMissingEmail');
  });

  test('a cell over its column limit fails its row, naming the column and the limit', () => {
    const { rows } = parse(`${HEADER}a@x.example,https://x.example,true,${'m'.repeat(10_001)}\r\nb@x.example,https://x.example\r\n`);
    assert.equal(rows[0]!.error?.code, 'rowTooLong');
    assert.match(rows[0]!.error!.message, /customizedMessageBody is longer than the limit of 10000 characters/);
    assert.equal(rows[1]!.error, null);
  });

  test('a later duplicate address fails with "duplicate of row N" (case-insensitive)', () => {
    const { rows } = parse(`${HEADER}a@x.example,https://x.example\r\nb@x.example,https://x.example\r\nA@X.example,https://x.example\r\n`);
    assert.equal(rows[0]!.error, null);
    assert.equal(rows[1]!.error, null);
    assert.equal(rows[2]!.error?.code, 'rowDuplicate');
    assert.match(rows[2]!.error!.message, /duplicate of row 3/);
  });

  test('formula cells are text: kept as they are, neither evaluated nor stripped', () => {
    const { rows } = parse(`${HEADER}a@x.example,https://x.example,true,"=HYPERLINK(""http://evil.example"",""x"")"\r\n`);
    assert.equal(rows[0]!.input.customizedMessageBody, '=HYPERLINK("http://evil.example","x")');
  });

  test('a wrong header is refused whole', () => {
    refused('version:v1.0\r\nEmail,Redirect\r\na@x.example,https://x.example\r\n', 'fileMissingColumn', /no '\[inviteeEmail\]' column/);
    refused('version:v1.0\r\n', 'fileMissingColumn');
    refused('version:v2.0\r\nEmail address to invite [inviteeEmail] Required\r\n', 'fileUnsupportedVersion');
    refused('Mail,Name\r\na@x.example,A\r\n', 'fileUnknownHeader');
    refused(`version:v1.0\r\n${CURRENT_HEADINGS.join(',')},Again [inviteeEmail]\r\n`, 'fileDuplicateColumn');
  });
});

describe('bulk invite CSV: the legacy May-2016 columns', () => {
  const LEGACY = 'Email,DisplayName,InvitationText,InviteRedirectUrl,InvitedToApplications,InvitedToGroups,CcEmailAddress,Language\n';
  const G1 = '0a1b2c3d-0000-4000-8000-000000000001';
  const G2 = '0a1b2c3d-0000-4000-8000-000000000002';

  test('reads every column; groups and apps are ids separated by spaces or semicolons', () => {
    const { template, rows } = parse(`${LEGACY}carol@partner.example,Carol,Welcome,https://app.example,${G1},${G1.toUpperCase()}; ${G2},boss@partner.example,nl\n`);
    assert.equal(template, 'legacy');
    assert.deepEqual(rows[0]!.input, {
      email: 'carol@partner.example',
      displayName: 'Carol',
      inviteRedirectUrl: 'https://app.example',
      sendInvitationMessage: true,
      customizedMessageBody: 'Welcome',
      ccEmailAddress: 'boss@partner.example',
      messageLanguage: 'nl',
      groupIds: [G1, G2],
      applicationIds: [G1],
    });
    assert.equal(rows[0]!.rowNumber, 2);
  });

  test('only Email and DisplayName are required, in any order; an unknown column is refused', () => {
    assert.equal(parse('DisplayName,Email\nDan,dan@partner.example\n').rows[0]!.input.displayName, 'Dan');
    refused('Email,DisplayName,Groups\na@x.example,A,x\n', 'fileUnknownColumn', /unknown column 'Groups'/);
    refused('Email,InvitationText\na@x.example,hi\n', 'fileMissingColumn', /DisplayName/);
  });

  test('a group id that is not a GUID fails its row', () => {
    const { rows } = parse('Email,DisplayName,InvitedToGroups\na@x.example,A,not-a-guid\n');
    assert.equal(rows[0]!.error?.code, 'rowInvalidId');
    assert.match(rows[0]!.error!.message, /InvitedToGroups: 'not-a-guid' is not an object id/);
  });
});

describe('bulk invite CSV: whole-file refusals', () => {
  test('invalid UTF-8 is refused naming the line; UTF-16 is named as such', () => {
    const bytes = Buffer.concat([Buffer.from('Email,DisplayName\na@x.example,A\nb@x.example,'), Buffer.from([0xe9, 0x74, 0xe9]), Buffer.from('\n')]);
    refused(bytes, 'fileNotUtf8', /line 3/);
    refused(Buffer.from('\ufeffEmail,DisplayName\n', 'utf16le'), 'fileNotUtf8', /UTF-16/);
    // overlong encodings and surrogates are not UTF-8 either
    assert.equal(firstInvalidUtf8(Uint8Array.from([0x41, 0xc0, 0x80])), 1);
    assert.equal(firstInvalidUtf8(Uint8Array.from([0xed, 0xa0, 0x80])), 0);
    assert.equal(firstInvalidUtf8(Buffer.from('zoë ✓ 𝄞')), Buffer.byteLength('zoë ✓ 𝄞'));
  });

  test('more rows than the limit are refused whole (2,000 pass, 2,001 do not)', () => {
    const rows = (n: number) => HEADER + Array.from({ length: n }, (_, i) => `u${i}@x.example,https://x.example`).join('\r\n');
    assert.equal(parse(rows(2000)).rows.length, 2000);
    refused(rows(2001), 'fileTooManyRows', /2001 rows; at most 2000/);
    refused(rows(4), 'fileTooManyRows', /at most 3/, 3);
  });

  test('empty files, files without rows, unclosed quotes, too many columns, huge cells', () => {
    refused('', 'fileEmpty');
    refused('   \r\n', 'fileEmpty');
    refused(HEADER, 'fileNoRows');
    refused(`${HEADER}\r\n,,\r\n`, 'fileNoRows');
    refused(`${HEADER}"a@x.example,https://x.example\r\n`, 'fileMalformed', /line 3/);
    refused(`${HEADER}${'a,'.repeat(70)}\r\n`, 'fileTooManyColumns');
    refused(`${HEADER}a@x.example,${'x'.repeat(20_001)}\r\n`, 'fileCellTooLong');
    refused(Buffer.alloc(5 * 1024 * 1024 + 1, 0x61), 'fileTooLarge');
  });

  test('prototype-ish headings and cells are plain text', () => {
    const { rows } = parse('Email,DisplayName\n__proto__@x.example,constructor\n');
    assert.equal(rows[0]!.input.displayName, 'constructor');
    assert.equal(Object.getPrototypeOf(rows[0]!.input), Object.prototype);
  });
});

describe('results CSV cells', () => {
  test('cells a spreadsheet would run as formulas get a leading apostrophe, then RFC 4180 quoting', () => {
    for (const cell of ['=1+2', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) assert.equal(formulaSafe(cell), `'${cell}`);
    assert.equal(formulaSafe('alice@x.example'), 'alice@x.example');
    assert.equal(csvCell('=HYPERLINK("http://evil.example","x")'), `"'=HYPERLINK(""http://evil.example"",""x"")"`);
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell(null), '');
    assert.equal(csvCell(3), '3');
  });
});
