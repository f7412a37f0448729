import { CommonErrors } from './errors.ts';
import { assertSafeValue, InputErrors, isPrototypeKey, nullPrototypeCopy } from './safe-input.ts';

/**
 * Field tables for request bodies, in the spirit of Graph's own metadata: each property has a type,
 * says whether a client may set it, and carries its limits as data. `readBody` rejects unknown and
 * read-only properties, wrong types and values over a limit with Graph's wording, so every surface
 * reports bad input the same way.
 */
export type FieldType = 'string' | 'boolean' | 'stringArray' | 'object' | 'objectArray' | 'integer';

export interface FieldSpec {
  type: FieldType;
  /** false for server-managed properties (id, createdDateTime, ...) */
  writable?: boolean;
  nullable?: boolean;
  /** strings: the most characters (UTF-16 code units) */
  maxLength?: number;
  /** stringArray / objectArray: the most entries */
  maxItems?: number;
  /** stringArray: the most characters of one entry */
  itemMaxLength?: number;
  /** object / objectArray: the properties of the object (of each entry), read like the body itself */
  fields?: BodySpec;
  /** object / objectArray with `fields`: the Graph type name, for messages (`microsoft.graph.passwordProfile`) */
  typeName?: string;
  /** returns a problem description, or null when the value is acceptable */
  check?: (value: any) => string | null;
}

export type BodySpec = Record<string, FieldSpec>;

/**
 * Reads a request body against its field table into a new null-prototype object holding only the
 * body's own properties (nested objects likewise), so services never see an inherited field.
 * `__proto__`, `constructor` and `prototype` are refused wherever they appear.
 */
export function readBody<T extends Record<string, unknown>>(body: unknown, spec: BodySpec, entity: string, options: { allowAnnotations?: string[] } = {}): Partial<T> {
  return readObject(body, spec, entity, '', options.allowAnnotations ?? []) as Partial<T>;
}

function readObject(body: unknown, spec: BodySpec, entity: string, path: string, allowAnnotations: readonly string[]): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw CommonErrors.invalidBody(path === '' ? 'The request body must be a JSON object.' : `Invalid value for property '${path}': expected an object.`);
  }
  const out: Record<string, unknown> = Object.create(null);
  for (const name of Object.keys(body)) {
    const value: unknown = (body as Record<string, unknown>)[name];
    if (isPrototypeKey(name)) throw InputErrors.prototypeKey(name, 'the request body');
    if (allowAnnotations.includes(name)) {
      // e.g. `members@odata.bind`: a list of strings the service reads itself; checked, kept as sent
      assertSafeValue(value, { where: 'the request body' });
      out[name] = value;
      continue;
    }
    if (name === '@odata.type') continue;
    // own entries only: a name such as 'toString' must not find Object.prototype's
    const field = Object.hasOwn(spec, name) ? spec[name] : undefined;
    const label = `${path}${name}`;
    if (!field) throw CommonErrors.invalidBody(`Property '${label}' does not exist as a declared property or extension property of '${entity}'.`);
    if (field.writable === false) throw CommonErrors.invalidBody(`Property '${label}' is read-only and cannot be set.`);
    if (value === null) {
      if (!field.nullable) throw CommonErrors.invalidBody(`Property '${label}' cannot be null.`);
      out[name] = null;
      continue;
    }
    const typeProblem = checkType(field, value);
    if (typeProblem) throw CommonErrors.invalidBody(`Invalid value for property '${label}': ${typeProblem}.`);
    const limitProblem = checkLimits(field, value);
    if (limitProblem) throw CommonErrors.invalidBody(`Invalid value for property '${label}': ${limitProblem}.`);
    const read = readValue(field, value, label);
    const problem = field.check?.(read);
    if (problem) throw CommonErrors.invalidBody(`Invalid value for property '${label}': ${problem}.`);
    out[name] = read;
  }
  return out;
}

/** A copy of an already type-checked value; objects are read through their own field tables. */
function readValue(field: FieldSpec, value: unknown, label: string): unknown {
  switch (field.type) {
    case 'stringArray':
      return [...(value as string[])];
    case 'object':
      return field.fields ? readObject(value, field.fields, field.typeName ?? label, `${label}.`, []) : nullPrototypeCopy(value, { where: 'the request body' });
    case 'objectArray':
      return (value as unknown[]).map((item, index) =>
        field.fields ? readObject(item, field.fields, field.typeName ?? label, `${label}[${index}].`, []) : nullPrototypeCopy(item, { where: 'the request body' }),
      );
    default:
      return value;
  }
}

function checkLimits(field: FieldSpec, value: unknown): string | null {
  if (field.maxLength !== undefined && typeof value === 'string' && value.length > field.maxLength) {
    return `longer than the limit of ${field.maxLength} characters`;
  }
  if (Array.isArray(value)) {
    if (field.maxItems !== undefined && value.length > field.maxItems) {
      return `it has ${value.length} entries; the limit is ${field.maxItems} ${field.maxItems === 1 ? 'entry' : 'entries'}`;
    }
    const { itemMaxLength } = field;
    if (itemMaxLength !== undefined && value.some((item) => typeof item === 'string' && item.length > itemMaxLength)) {
      return `an entry is longer than the limit of ${itemMaxLength} characters`;
    }
  }
  return null;
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
