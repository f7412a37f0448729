import { ODataErrors } from './odata.errors.ts';

/** A token of $filter text. `position` is the 0-based offset of its first character (as Microsoft.OData reports it). */
export type Token =
  | { readonly type: 'identifier'; readonly value: string; readonly position: number }
  | { readonly type: 'string'; readonly value: string; readonly position: number }
  | { readonly type: 'number'; readonly value: number; readonly raw: string; readonly position: number }
  | { readonly type: 'guid'; readonly value: string; readonly position: number }
  | { readonly type: 'datetime'; readonly value: string; readonly position: number }
  /** the `$count` path segment; no other `$` name is valid in $filter */
  | { readonly type: 'count'; readonly position: number }
  | { readonly type: 'punctuation'; readonly value: '(' | ')' | ',' | '/' | ':'; readonly position: number }
  | { readonly type: 'end'; readonly position: number };

const WHITESPACE = /[ \t\r\n]/;
const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/y;
const IDENTIFIER_CHAR = /[A-Za-z0-9_]/;
// A literal must end where a word ends, so `...b900x` is one bad word rather than a GUID and an identifier.
const GUID = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![A-Za-z0-9_-])/y;
const DATE_PREFIX = /\d{4}-\d{2}-\d{2}/y;
const DATETIME = /(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,7})?)?(Z|[+-](\d{2}):(\d{2}))(?![A-Za-z0-9_:.+-])/y;
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// What a mistyped literal extends over, so the error can quote all of it.
const LITERAL_RUN = /[A-Za-z0-9_.:+-]+/y;

/** Splits $filter text into tokens; the last one is always `end`. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  function fail(problem: string, hint?: string): never {
    throw ODataErrors.syntax(problem, position, text, hint);
  }
  function matchAt(pattern: RegExp): RegExpExecArray | null {
    pattern.lastIndex = position;
    return pattern.exec(text);
  }
  function badLiteral(what: string, hint?: string): never {
    fail(`'${matchAt(LITERAL_RUN)?.[0]}' is not a valid ${what}`, hint);
  }

  while (position < text.length) {
    const char = text.charAt(position);
    if (WHITESPACE.test(char)) {
      position++;
      continue;
    }
    if (char === '(' || char === ')' || char === ',' || char === '/' || char === ':') {
      tokens.push({ type: 'punctuation', value: char, position });
      position++;
      continue;
    }
    if (char === "'") {
      const { value, end } = readString(text, position);
      tokens.push({ type: 'string', value, position });
      position = end;
      continue;
    }
    const guid = matchAt(GUID);
    if (guid) {
      tokens.push({ type: 'guid', value: guid[0].toLowerCase(), position });
      position += guid[0].length;
      continue;
    }
    if (matchAt(DATE_PREFIX)) {
      const datetime = matchAt(DATETIME);
      if (!datetime || !isRealDateTime(datetime)) {
        badLiteral('DateTimeOffset literal', 'Write a date and time with a zone, such as 2021-01-01T00:00:00Z.');
      }
      tokens.push({ type: 'datetime', value: datetime[0], position });
      position += datetime[0].length;
      continue;
    }
    const number = matchAt(NUMBER);
    if (number) {
      const next = text.charAt(position + number[0].length);
      if (IDENTIFIER_CHAR.test(next) || next === '-') badLiteral('number or GUID literal');
      tokens.push({ type: 'number', value: Number(number[0]), raw: number[0], position });
      position += number[0].length;
      continue;
    }
    const identifier = matchAt(IDENTIFIER);
    if (identifier) {
      // `abcdef12-...` that failed the GUID pattern above: report the whole word, not the dash.
      if (text.charAt(position + identifier[0].length) === '-') badLiteral('identifier or GUID literal');
      tokens.push({ type: 'identifier', value: identifier[0], position });
      position += identifier[0].length;
      continue;
    }
    if (char === '$') {
      IDENTIFIER.lastIndex = position + 1;
      const name = IDENTIFIER.exec(text)?.[0];
      if (name !== 'count') fail(`'$${name ?? ''}' is not valid`, "The only '$' segment supported is '$count'.");
      tokens.push({ type: 'count', position });
      position += '$count'.length;
      continue;
    }
    fail(`character '${char}' is not valid`);
  }
  tokens.push({ type: 'end', position: text.length });
  return tokens;
}

/** Reads a single-quoted string starting at `start`; `''` inside stands for one quote. */
function readString(text: string, start: number): { value: string; end: number } {
  let value = '';
  let position = start + 1;
  while (position < text.length) {
    const char = text.charAt(position);
    if (char === "'") {
      if (text.charAt(position + 1) !== "'") return { value, end: position + 1 };
      value += "'";
      position += 2;
      continue;
    }
    value += char;
    position++;
  }
  throw ODataErrors.syntax('unterminated string literal', start, text);
}

/** Rejects well-shaped but impossible values such as month 13 or 25:00. */
function isRealDateTime(match: RegExpExecArray): boolean {
  const [, year, month, day, hour, minute, second, , offsetHour, offsetMinute] = match.map((part) => (part === undefined ? 0 : Number(part)));
  const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  return (
    month! >= 1 &&
    month! <= 12 &&
    day! >= 1 &&
    day! <= daysInMonth &&
    hour! <= 23 &&
    minute! <= 59 &&
    second! <= 59 &&
    offsetHour! <= 14 &&
    offsetMinute! <= 59
  );
}
