import { CommonErrors } from './errors.ts';

/**
 * Field tables for request bodies, in the spirit of Graph's own metadata: each property has a type
 * and says whether a client may set it. `readBody` rejects unknown and read-only properties and
 * wrong types with Graph's wording, so every surface reports bad input the same way.
 */
export type FieldType = 'string' | 'boolean' | 'stringArray' | 'object' | 'objectArray' | 'integer';

export interface FieldSpec {
  type: FieldType;
  /** false for server-managed properties (id, createdDateTime, ...) */
  writable?: boolean;
  nullable?: boolean;
  maxLength?: number;
  /** returns a problem description, or null when the value is acceptable */
  check?: (value: any) => string | null;
}

export type BodySpec = Record<string, FieldSpec>;

export function readBody<T extends Record<string, unknown>>(body: unknown, spec: BodySpec, entity: string, options: { allowAnnotations?: string[] } = {}): Partial<T> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw CommonErrors.invalidBody('The request body must be a JSON object.');
  }
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body)) {
    if (options.allowAnnotations?.includes(name)) {
      out[name] = value;
      continue;
    }
    if (name === '@odata.type') continue;
    const field = spec[name];
    if (!field) throw CommonErrors.invalidBody(`Property '${name}' does not exist as a declared property or extension property of '${entity}'.`);
    if (field.writable === false) throw CommonErrors.invalidBody(`Property '${name}' is read-only and cannot be set.`);
    if (value === null) {
      if (!field.nullable) throw CommonErrors.invalidBody(`Property '${name}' cannot be null.`);
      out[name] = null;
      continue;
    }
    const typeProblem = checkType(field, value);
    if (typeProblem) throw CommonErrors.invalidBody(`Invalid value for property '${name}': ${typeProblem}.`);
    if (field.maxLength !== undefined && typeof value === 'string' && value.length > field.maxLength) {
      throw CommonErrors.invalidBody(`Invalid value for property '${name}': longer than ${field.maxLength} characters.`);
    }
    const problem = field.check?.(value);
    if (problem) throw CommonErrors.invalidBody(`Invalid value for property '${name}': ${problem}.`);
    out[name] = value;
  }
  return out as Partial<T>;
}

function checkType(field: FieldSpec, value: unknown): string | null {
  switch (field.type) {
    case 'string':
      return typeof value === 'string' ? null : 'expected a string';
    case 'boolean':
      return typeof value === 'boolean' ? null : 'expected true or false';
    case 'integer':
      return Number.isInteger(value) ? null : 'expected an integer';
    case 'stringArray':
      return Array.isArray(value) && value.every((v) => typeof v === 'string') ? null : 'expected an array of strings';
    case 'object':
      return typeof value === 'object' && !Array.isArray(value) ? null : 'expected an object';
    case 'objectArray':
      return Array.isArray(value) && value.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v)) ? null : 'expected an array of objects';
  }
}

export function requireFields(body: Record<string, unknown>, names: string[], entity: string): void {
  for (const name of names) {
    if (body[name] === undefined || body[name] === null || body[name] === '') {
      throw CommonErrors.invalidBody(`Property '${name}' is required when creating a ${entity}.`);
    }
  }
}

const EMAIL = /^[A-Za-z0-9._%+'!#^~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;
export function isEmail(value: string): boolean {
  return EMAIL.test(value) && !value.includes('..');
}

export const COUNTRY_CODE = /^[A-Z]{2}$/;
