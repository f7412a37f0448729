/**
 * How many cases each property-based test tries: a bounded number under `npm test` (each fuzz
 * file stays within a few seconds), many more under `npm run fuzz` (FUZZ_RUNS). FUZZ_SEED replays
 * a failing run that fast-check reported.
 */
export function fuzzRuns(bounded: number): number {
  const requested = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(requested) && requested > 0 ? requested : bounded;
}

export function fuzzOptions(bounded: number): { numRuns: number; seed?: number; endOnFailure: true } {
  const seed = Number(process.env.FUZZ_SEED);
  return { numRuns: fuzzRuns(bounded), endOnFailure: true, ...(Number.isInteger(seed) ? { seed } : {}) };
}

/** An error that a Graph client may see as a 4xx: an AppError of a client kind. */
export function isClientError(error: unknown): boolean {
  const kind = (error as { kind?: unknown; name?: unknown } | null)?.kind;
  return (error as { name?: unknown } | null)?.name === 'AppError' && (kind === 'badRequest' || kind === 'unsupportedQuery');
}
