import type { en } from './en.ts';

/** Every message key, as defined by the English reference catalog. */
export type MessageKey = keyof typeof en;

/** A translation: one string for every key of the English catalog, no more, no fewer. */
export type Catalog = { readonly [K in MessageKey]: string };

/** The `{name}` placeholders of a message, e.g. `'Request ID: {id}'` -> `'id'`. */
type Placeholders<S extends string> = S extends `${string}{${infer Name}}${infer Rest}` ? Name | Placeholders<Rest> : never;

export type MessageParams<K extends MessageKey> = { readonly [P in Placeholders<(typeof en)[K]>]: string | number };

/** Keys of messages without placeholders, which `t()` takes with no parameters. */
export type PlainMessageKey = { [K in MessageKey]: [Placeholders<(typeof en)[K]>] extends [never] ? K : never }[MessageKey];

/**
 * Looks up a message in the request's language. Messages with placeholders require their
 * parameters (`t('error.requestId', { id })`); messages without take none. The result is plain
 * text: JSX escapes it when rendered, so parameters may hold anything.
 */
export type Translate = <K extends MessageKey>(
  key: K,
  ...params: [Placeholders<(typeof en)[K]>] extends [never] ? [] : [MessageParams<K>]
) => string;
