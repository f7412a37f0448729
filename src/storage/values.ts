/**
 * Reading values back is where SQLite and PostgreSQL differ: SQLite returns 0/1, text JSON and text
 * timestamps; pg returns booleans, parsed jsonb and Date objects. Repositories read every such
 * column through these helpers, so the difference stays inside storage/.
 */
export function bool(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 't';
}

export function json<T>(value: unknown, fallback: T): T {
  if (value === null || value === undefined) return fallback;
  if (typeof value === 'string') return JSON.parse(value) as T;
  return value as T;
}

export function toJson(value: unknown): string {
  return JSON.stringify(value);
}

export function iso(value: unknown): string;
export function iso(value: unknown, nullable: 'nullable'): string | null;
export function iso(value: unknown, nullable?: 'nullable'): string | null {
  if (value === null || value === undefined) {
    if (nullable) return null;
    throw new Error('timestamp is null');
  }
  const date = value instanceof Date ? value : new Date(String(value));
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
