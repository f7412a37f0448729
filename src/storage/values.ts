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
  if (typeof value === 'string') {
    // most collections are empty: a page of users has several per row (a new array, as JSON.parse gives)
    if (value === '[]') return [] as T;
    return JSON.parse(value) as T;
  }
  return value as T;
}

export function toJson(value: unknown): string {
  return JSON.stringify(value);
}

/** `YYYY-MM-DDTHH:MM:SS.mmmZ`, the form Date#toISOString gives for years 0-9999 */
const MILLISECOND_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function iso(value: unknown): string;
export function iso(value: unknown, nullable: 'nullable'): string | null;
export function iso(value: unknown, nullable?: 'nullable'): string | null {
  if (value === null || value === undefined) {
    if (nullable) return null;
    throw new Error('timestamp is null');
  }
  // What Tessera writes (Date#toISOString) is read back as is on SQLite: only the milliseconds go,
  // without parsing a Date (a page of users reads one or two per row).
  if (typeof value === 'string' && value.length === 24 && MILLISECOND_ISO.test(value)) return `${value.slice(0, 19)}Z`;
  const date = value instanceof Date ? value : new Date(String(value));
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
