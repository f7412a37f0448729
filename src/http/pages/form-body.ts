import { parse } from 'node:querystring';
import { assertSafeKeys } from '../../kernel/safe-input.ts';

/** The largest form body a page accepts: sign-in, consent and profile forms are a few hundred bytes. */
export const PAGE_FORM_BODY_LIMIT = 32 * 1024;

/**
 * The pages' `application/x-www-form-urlencoded` parser: fields into a null-prototype object
 * (repeated names become arrays, as before), with `__proto__`, `constructor` and `prototype`
 * refused as field names (400), so no handler can be handed a prototype through a form.
 */
export function parseFormBody(text: string): Record<string, string | string[]> {
  // node's querystring builds a null-prototype object and never throws on bad percent-encoding.
  const fields = parse(text) as Record<string, string | string[]>;
  assertSafeKeys(Object.keys(fields), 'the form');
  return fields;
}
