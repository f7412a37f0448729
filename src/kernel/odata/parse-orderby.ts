import type { OrderByItem } from './ast.ts';
import { isIdentifier } from './identifiers.ts';
import { ODATA_LIMITS } from './limits.ts';
import { ODataErrors } from './odata.errors.ts';

const LIMITS = ODATA_LIMITS.orderBy;

/** Parses $orderby: `displayName`, `displayName desc, userPrincipalName asc` (directions in any case). */
export function parseOrderBy(text: string): OrderByItem[] {
  if (text.length > LIMITS.maxLength) throw ODataErrors.tooLong('$orderby', LIMITS.maxLength, text.length);
  if (text.trim() === '') throw ODataErrors.invalidOrderBy('it is empty', text);
  const parts = text.split(',');
  if (parts.length > LIMITS.maxItems) throw ODataErrors.tooManyItems('$orderby', LIMITS.maxItems, 'items');
  const items: OrderByItem[] = [];
  for (const [index, raw] of parts.entries()) {
    const words = raw.trim().split(/\s+/);
    const [property = '', direction = 'asc', ...extra] = words;
    if (property === '') throw ODataErrors.invalidOrderBy(`item ${index + 1} is empty`, text);
    if (!isIdentifier(property)) throw ODataErrors.invalidOrderBy(`'${property}' is not a property name`, text);
    const lower = direction.toLowerCase();
    if (lower !== 'asc' && lower !== 'desc') throw ODataErrors.invalidOrderBy(`'${direction}' is not a direction (expected asc or desc)`, text);
    if (extra.length > 0) throw ODataErrors.invalidOrderBy(`unexpected '${extra.join(' ')}' after '${property} ${direction}'`, text);
    if (items.some((item) => item.property.toLowerCase() === property.toLowerCase())) {
      throw ODataErrors.invalidOrderBy(`'${property}' is listed more than once`, text);
    }
    items.push({ property, direction: lower });
  }
  return items;
}
