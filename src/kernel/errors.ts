/**
 * One closed error taxonomy for the whole server. Domain code throws AppError with a *kind*
 * (what went wrong, in transport-neutral terms) and a stable *code* (which rule failed);
 * each surface (Graph JSON, OAuth, HTML pages, CLI) renders kinds in exactly one place.
 * Nothing below `http/` ever chooses an HTTP status.
 */
export const errorKinds = [
  'badRequest', // the input is malformed or breaks a rule
  'unsupportedQuery', // a query option is well-formed but not supported here
  'notFound', // the addressed object does not exist (in this tenant)
  'duplicateKey', // a unique value (UPN, mailNickname, ...) is already taken
  'conflict', // the object is in a state that forbids the change
  'forbidden', // the principal may not do this
  'unauthenticated', // no valid credentials
  'throttled', // too many requests
  'unavailable', // a dependency (the database) cannot be reached right now; the same request may succeed later
  'internal', // a bug or an outage; never shown to clients in detail
] as const;
export type ErrorKind = (typeof errorKinds)[number];

export class AppError extends Error {
  readonly kind: ErrorKind;
  readonly code: string;
  /** false for anything whose message must not leave the process */
  readonly expose: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor(kind: ErrorKind, code: string, message: string, options: { expose?: boolean; details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.kind = kind;
    this.code = code;
    this.expose = options.expose ?? kind !== 'internal';
    this.details = options.details;
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

type ErrorSpec = { kind: ErrorKind; message: (...args: any[]) => string };
type ErrorFactories<T extends Record<string, ErrorSpec>> = {
  readonly [K in keyof T]: (...args: Parameters<T[K]['message']>) => AppError;
};

/**
 * A module's table of errors: `defineErrors('directory', { userNotFound: { kind: 'notFound', message: (id) => ... } })`
 * gives `DirectoryErrors.userNotFound(id)`, an AppError whose code is `directory.userNotFound`.
 */
export function defineErrors<T extends Record<string, ErrorSpec>>(namespace: string, table: T): ErrorFactories<T> {
  const factories: Record<string, (...args: unknown[]) => AppError> = {};
  for (const [name, spec] of Object.entries(table)) {
    factories[name] = (...args: unknown[]) => new AppError(spec.kind, `${namespace}.${name}`, spec.message(...args));
  }
  return factories as ErrorFactories<T>;
}

/** Errors that belong to no module: generic input validation. */
export const CommonErrors = defineErrors('common', {
  invalidBody: { kind: 'badRequest', message: (why: string) => why },
  invalidId: {
    kind: 'badRequest',
    message: (value: string) => `Invalid object identifier '${value}'.`,
  },
  internal: { kind: 'internal', message: () => 'An internal error occurred.' },
});
