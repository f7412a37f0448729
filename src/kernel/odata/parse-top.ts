import { ODataErrors } from './odata.errors.ts';

/** Graph's page-size limit for directory collections. */
export const MAX_TOP = 999;

/** Parses $top: a whole number from 1 to 999, written in digits only. */
export function parseTop(text: string): number {
  const value = /^\d{1,4}$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= 1 && value <= MAX_TOP)) throw ODataErrors.invalidTop(text);
  return value;
}
