import { isIdentifier } from './identifiers.ts';
import { ODataErrors } from './odata.errors.ts';

/**
 * Parses $select into property names as written (the caller matches them, case-insensitively,
 * against the entity). A name listed twice is kept once, as OData allows repeats.
 */
export function parseSelect(text: string): string[] {
  if (text.trim() === '') throw ODataErrors.invalidSelect('it is empty', text);
  const names: string[] = [];
  for (const [index, raw] of text.split(',').entries()) {
    const name = raw.trim();
    if (name === '') throw ODataErrors.invalidSelect(`item ${index + 1} is empty`, text);
    if (!isIdentifier(name)) throw ODataErrors.invalidSelect(`'${name}' is not a property name`, text);
    if (!names.some((seen) => seen.toLowerCase() === name.toLowerCase())) names.push(name);
  }
  return names;
}
