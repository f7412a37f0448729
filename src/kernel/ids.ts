import { randomUUID } from 'node:crypto';

/** Entra object ids are lower-case GUIDs. */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function newId(): string {
  return randomUUID();
}

export function isGuid(value: unknown): value is string {
  return typeof value === 'string' && GUID.test(value);
}

export type Brand<T, B extends string> = T & { readonly __brand: B };
