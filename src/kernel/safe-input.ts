import { defineErrors } from './errors.ts';

/**
 * Prototype-safe input, for every surface that turns client text into objects (Graph JSON, forms,
 * and the CSV and policy bodies to come). `__proto__`, `constructor` and `prototype` are refused
 * as names anywhere in a body: none is a property of anything we accept, and each can reach an
 * object's prototype when code copies or merges the body (`{...}`, `Object.assign`, `out[k] = v`).
 * The walks are iterative, so a deeply nested body is refused for its depth, never a stack overflow.
 */

export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Nesting that no body we accept comes near; the Graph surface applies it to every JSON body. */
export const DEFAULT_MAX_DEPTH = 32;

export const InputErrors = defineErrors('input', {
  prototypeKey: { kind: 'badRequest', message: (key: string, where: string) => `The name '${key}' is not allowed in ${where}.` },
  tooDeep: { kind: 'badRequest', message: (max: number, where: string) => `${capitalize(where)} is nested deeper than the limit of ${max} levels.` },
});

export function isPrototypeKey(name: string): boolean {
  return PROTOTYPE_KEYS.has(name);
}

/** Refuses a prototype key among `names` (a form's fields, a CSV file's header row, ...). */
export function assertSafeKeys(names: Iterable<string>, where: string): void {
  for (const name of names) if (isPrototypeKey(name)) throw InputErrors.prototypeKey(name, where);
}

/**
 * Checks a parsed value (JSON.parse output, a parsed form) at any depth: no prototype key as an
 * own property name, and no deeper nesting than `maxDepth` (the value itself is level 1).
 */
export function assertSafeValue(value: unknown, options: { where: string; maxDepth?: number }): void {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  while (pending.length > 0) {
    const { value: current, depth } = pending.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth > maxDepth) throw InputErrors.tooDeep(maxDepth, options.where);
    if (Array.isArray(current)) {
      for (const item of current) pending.push({ value: item, depth: depth + 1 });
      continue;
    }
    for (const key of Object.keys(current)) {
      if (isPrototypeKey(key)) throw InputErrors.prototypeKey(key, options.where);
      pending.push({ value: (current as Record<string, unknown>)[key], depth: depth + 1 });
    }
  }
}

/**
 * A copy of a JSON-like value in which every object has a null prototype and only own enumerable
 * properties, so nothing inherited can be read from it later. Refuses what `assertSafeValue` refuses.
 */
export function nullPrototypeCopy(value: unknown, options: { where: string; maxDepth?: number }): unknown {
  assertSafeValue(value, options);
  return copy(value);
}

// Depth is bounded by the check above.
function copy(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copy);
  const out: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(value)) out[key] = copy((value as Record<string, unknown>)[key]);
  return out;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** `value[name]` when `value` is a plain object holding `name` itself; never an inherited property. */
export function ownProperty(value: unknown, name: string): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, name)) return undefined;
  return (value as Record<string, unknown>)[name];
}
