import type { FilterExpr, Literal, Operand } from '../../kernel/odata/index.ts';
import { ConsentRequestErrors } from './consent-requests.errors.ts';
import type { UserRequestStatus } from './consent-requests.types.ts';

/**
 * The `$filter`s Graph documents on app consent requests (graph-reference §7.2-§7.3), read from a
 * parsed tree: `eq` on appId and appDisplayName, `userConsentRequests/any(u:u/status eq '...')`,
 * joined by `and`; on user consent requests, `status eq '...'`. Anything else is refused with 400.
 */
export interface AppRequestFilter {
  appId?: string;
  appDisplayName?: string;
  userStatus?: UserRequestStatus;
}

const STATUSES: readonly UserRequestStatus[] = ['InProgress', 'Completed', 'Expired'];

function stringLiteral(operand: Operand, what: string): string {
  if (operand.kind !== 'literal') throw ConsentRequestErrors.unsupportedFilter(`${what} must be compared with a literal`);
  const value: Literal = operand.value;
  if (value.kind === 'string' || value.kind === 'guid') return value.value;
  throw ConsentRequestErrors.unsupportedFilter(`${what} is compared with a string`);
}

function status(value: string): UserRequestStatus {
  const match = STATUSES.find((s) => s.toLowerCase() === value.toLowerCase());
  if (!match) throw ConsentRequestErrors.unsupportedFilter(`'${value}' is not a status of a user consent request (${STATUSES.join(', ')})`);
  return match;
}

function setOnce<K extends keyof AppRequestFilter>(filter: AppRequestFilter, key: K, value: AppRequestFilter[K]): void {
  if (filter[key] !== undefined) throw ConsentRequestErrors.unsupportedFilter(`'${key}' is filtered on more than once`);
  filter[key] = value;
}

export function appRequestFilter(expr: FilterExpr | undefined): AppRequestFilter {
  const filter: AppRequestFilter = {};
  if (!expr) return filter;
  const visit = (node: FilterExpr): void => {
    if (node.kind === 'and') {
      visit(node.left);
      visit(node.right);
      return;
    }
    if (node.kind === 'compare' && node.operator === 'eq' && node.left.kind === 'property') {
      const name = node.left.name.toLowerCase();
      if (name === 'appid') return setOnce(filter, 'appId', stringLiteral(node.right, 'appId').toLowerCase());
      if (name === 'appdisplayname') return setOnce(filter, 'appDisplayName', stringLiteral(node.right, 'appDisplayName'));
      throw ConsentRequestErrors.unsupportedFilter(`filtering on '${node.left.name}' is not supported`);
    }
    if (node.kind === 'lambda' && node.quantifier === 'any' && node.collection.toLowerCase() === 'userconsentrequests') {
      const predicate = node.predicate;
      if (
        predicate.kind === 'compare' &&
        predicate.operator === 'eq' &&
        predicate.left.kind === 'variable' &&
        predicate.left.name === node.variable &&
        predicate.left.field?.toLowerCase() === 'status'
      ) {
        return setOnce(filter, 'userStatus', status(stringLiteral(predicate.right, 'status')));
      }
      throw ConsentRequestErrors.unsupportedFilter("only userConsentRequests/any(u:u/status eq '...') is supported");
    }
    throw ConsentRequestErrors.unsupportedFilter("use eq on appId or appDisplayName, or userConsentRequests/any(u:u/status eq '...'), joined by and");
  };
  visit(expr);
  return filter;
}

export function userRequestFilter(expr: FilterExpr | undefined): { status?: UserRequestStatus } {
  if (!expr) return {};
  if (expr.kind === 'compare' && expr.operator === 'eq' && expr.left.kind === 'property' && expr.left.name.toLowerCase() === 'status') {
    return { status: status(stringLiteral(expr.right, 'status')) };
  }
  throw ConsentRequestErrors.unsupportedFilter("only status eq '...' is supported on userConsentRequests");
}
