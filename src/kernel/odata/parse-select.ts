import { isIdentifier } from './identifiers.ts';
import { ODATA_LIMITS } from './limits.ts';
import { ODataErrors } from './odata.errors.ts';

const LIMITS = ODATA_LIMITS.select;

/**
 * Parses $select into property names as written (the caller matches them, case-insensitively,
 * against the entity). A name listed twice is kept once, as OData allows repeats.
 */
export function parseSelect(text: string): string[] {
  if (text.length > LIMITS.maxLength) throw ODataErrors.tooLong('$select', LIMITS.maxLength, text.length);
  if (text.trim() === '') throw ODataErrors.invalidSelect('it is empty', text);
  const items = text.split(',');
  if (items.length > LIMITS.maxItems) throw ODataErrors.tooManyItems('$select', LIMITS.maxItems, 'items');
  const names: string[] = [];
  for (const [index, raw] of items.entries()) {
    const name = raw.trim();
    if (name === '') throw ODataErrors.invalidSelect(`item ${index + 1} is empty`, text);
    if (!isIdentifier(name)) throw ODataErrors.invalidSelect(`'${name}' is not a property name`, text);
    if (!names.some((seen) => seen.toLowerCase() === name.toLowerCase())) names.push(name);
  }
  return names;
}
