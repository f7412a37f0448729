import type { AppError } from '../../kernel/errors.ts';
import { uniqueViolation } from '../../storage/constraints.ts';
import { DirectoryErrors } from './directory.errors.ts';

/**
 * Which "already exists" error a unique violation on a link table stands for. Adds check for an
 * existing link before inserting, but two adds of the same link at once (two nodes, or two
 * connections of one pool) both pass that check and the later insert hits the primary key; the
 * client must then get the 400 a sequential duplicate gets, not a 500. Keyed by table name, which
 * prefixes both the PostgreSQL constraint (`group_members_pk`) and SQLite's message
 * (`group_members.tenant_id, ...`).
 */
const linkTables: [prefix: string, error: () => AppError][] = [
  ['group_members', () => DirectoryErrors.alreadyMember()],
  ['group_owners', () => DirectoryErrors.alreadyOwner()],
  ['directory_role_members', () => DirectoryErrors.alreadyMember()],
];

/** The duplicate-link error for `error`, or null when it is not a unique violation on a link table. */
export function duplicateLink(error: unknown): AppError | null {
  const constraint = uniqueViolation(error);
  if (!constraint) return null;
  const entry = linkTables.find(([prefix]) => constraint.startsWith(prefix));
  return entry ? entry[1]() : null;
}
