import type { SearchExpr, SearchTerm } from './ast.ts';
import { ODATA_LIMITS } from './limits.ts';
import { ODataErrors } from './odata.errors.ts';

const LIMITS = ODATA_LIMITS.search;

type SearchToken = { type: 'clause'; text: string; position: number } | { type: 'and' | 'or'; position: number } | { type: 'end'; position: number };

/**
 * Parses Graph's $search: quoted clauses `"property:term"` or `"term"` joined by AND / OR (AND
 * binds tighter; the words in any case), e.g. `"displayName:john" OR "mail:john"`. Inside a
 * clause `\"` is a quote and `\\` a backslash.
 */
export function parseSearch(text: string): SearchExpr {
  if (text.length > LIMITS.maxLength) throw ODataErrors.tooLong('$search', LIMITS.maxLength, text.length);
  const fail = (problem: string): never => {
    throw ODataErrors.invalidSearch(problem, text);
  };
  const tokens = tokenize(text, fail);
  let index = 0;
  const peek = (): SearchToken => tokens[Math.min(index, tokens.length - 1)]!;

  const clause = (after: string | null): SearchExpr => {
    const token = peek();
    if (token.type !== 'clause') {
      const found = token.type === 'end' ? 'the end' : token.type.toUpperCase();
      return fail(after ? `expected a quoted clause after ${after} but found ${found}` : `expected a quoted clause but found ${found}`);
    }
    index++;
    return term(token.text, fail);
  };
  const and = (after: string | null): SearchExpr => {
    let left = clause(after);
    while (peek().type === 'and') {
      index++;
      left = { kind: 'and', left, right: clause('AND') };
    }
    return left;
  };
  let expr = and(null);
  while (peek().type === 'or') {
    index++;
    expr = { kind: 'or', left: expr, right: and('OR') };
  }
  const rest = peek();
  if (rest.type === 'clause') fail(`expected AND or OR between clauses at position ${rest.position}`);
  return expr;
}

const WORD = /[^\s"]+/y;

function tokenize(text: string, fail: (problem: string) => never): SearchToken[] {
  const tokens: SearchToken[] = [];
  let position = 0;
  let clauses = 0;
  while (position < text.length) {
    const char = text.charAt(position);
    if (/\s/.test(char)) {
      position++;
    } else if (char === '"') {
      const start = position;
      let value = '';
      position++;
      for (;;) {
        if (position >= text.length) fail(`unterminated quoted clause starting at position ${start}`);
        const next = text.charAt(position);
        if (next === '"') break;
        if (next === '\\' && (text.charAt(position + 1) === '"' || text.charAt(position + 1) === '\\')) position++;
        value += text.charAt(position);
        position++;
      }
      position++;
      if (++clauses > LIMITS.maxClauses) throw ODataErrors.tooManyItems('$search', LIMITS.maxClauses, 'clauses');
      tokens.push({ type: 'clause', text: value, position: start });
    } else {
      WORD.lastIndex = position;
      const word = WORD.exec(text)?.[0] ?? char;
      const upper = word.toUpperCase();
      if (upper === 'AND' || upper === 'OR') tokens.push({ type: upper === 'AND' ? 'and' : 'or', position });
      else fail(`'${word}' at position ${position} is not quoted; write each clause in double quotes, e.g. "displayName:john"`);
      position += word.length;
    }
  }
  if (tokens.length === 0) fail('it is empty');
  tokens.push({ type: 'end', position: text.length });
  return tokens;
}

/** `displayName:jo` names a property; text without an identifier before the first ':' is a bare term. */
function term(text: string, fail: (problem: string) => never): SearchTerm {
  const match = /^([A-Za-z_][A-Za-z0-9_]*):(.*)$/s.exec(text);
  const property = match ? match[1]! : null;
  const value = (match ? match[2]! : text).trim();
  if (value === '') fail(`the clause "${text}" has no search term`);
  if (!/[\p{L}\p{N}]/u.test(value)) fail(`the search term '${value}' has no letters or digits`);
  return { kind: 'term', property, term: value };
}
