/**
 * Names the unique index or constraint a failed write collided with, on either dialect, so a
 * service can turn a lost race into the same "already exists" error its pre-check gives.
 */
export function uniqueViolation(error: unknown): string | null {
  if (!error || typeof error !== 'object') return null;
  const e = error as { code?: string; constraint?: string; message?: string };
  if (e.code === '23505') return e.constraint ?? 'unique';
  if (e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    const match = /index '([^']+)'/.exec(e.message ?? '') ?? /failed: (\S+)/.exec(e.message ?? '');
    return match?.[1] ?? 'unique';
  }
  return null;
}

export function foreignKeyViolation(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as { code?: string };
  return e.code === '23503' || e.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}
