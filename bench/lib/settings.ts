import type { Dialect } from './benchmark.ts';

/**
 * Every knob of `npm run bench`, read once from BENCH_* variables. The defaults are issue 14's
 * full run (1,000,000 users, 10-second measurements, both dialects) and fit in 20 minutes on the
 * 2-core development machine; BENCH_QUICK=1 is a smoke run of about two minutes.
 */
export interface Settings {
  quick: boolean;
  /** length of one measurement window */
  seconds: number;
  /** load before each window, not counted */
  warmupSeconds: number;
  /** users the bench seeder writes (issue 14: 1,000,000) */
  users: number;
  /** keep-alive connections (or concurrent TLS loops) of the load generator */
  connections: number;
  /** concurrent sign-in flows, and concurrent argon2 verifies in the reference */
  signInConcurrency: number;
  /** how long an idle server settles before its idle RSS is read */
  settleSeconds: number;
  /** repetitions of the start-up and CLI timings (the median is reported) */
  repeats: number;
  /** PostgreSQL server; the runner creates and drops `pgDatabase` on it */
  databaseUrl: string;
  pgDatabase: string;
  dialects: Dialect[];
  /** pin servers to core 0 and the load generator to core 1 with taskset, when there are two cores and taskset exists */
  pin: boolean;
  /** TESSERA_ACCESS_TOKEN_ALG of the Tessera under test, and the reference's access-token alg */
  accessTokenAlg: 'ES256' | 'RS256' | 'EdDSA';
}

function number(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got '${raw}'`);
  return value;
}

export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const quick = env.BENCH_QUICK === '1' || env.BENCH_QUICK === 'true';
  const dialects = (env.BENCH_DIALECTS ?? 'sqlite,postgres').split(',').map((d) => d.trim()).filter(Boolean);
  for (const d of dialects) if (d !== 'sqlite' && d !== 'postgres') throw new Error(`BENCH_DIALECTS: unknown dialect '${d}' (sqlite, postgres)`);
  const alg = env.BENCH_ACCESS_TOKEN_ALG ?? 'ES256';
  if (alg !== 'ES256' && alg !== 'RS256' && alg !== 'EdDSA') throw new Error(`BENCH_ACCESS_TOKEN_ALG must be ES256, RS256 or EdDSA, got '${alg}'`);
  const pgDatabase = env.BENCH_PG_DATABASE ?? 'tessera_bench';
  if (!/^[a-z_][a-z0-9_]*$/.test(pgDatabase)) throw new Error(`BENCH_PG_DATABASE must be a plain lower-case identifier, got '${pgDatabase}'`);
  return {
    quick,
    seconds: number(env, 'BENCH_SECONDS', quick ? 2 : 10),
    warmupSeconds: number(env, 'BENCH_WARMUP', quick ? 0.5 : 3),
    users: Math.round(number(env, 'BENCH_USERS', quick ? 20_000 : 1_000_000)),
    connections: Math.round(number(env, 'BENCH_CONNECTIONS', 10)),
    signInConcurrency: Math.round(number(env, 'BENCH_SIGNIN_CONCURRENCY', 4)),
    settleSeconds: number(env, 'BENCH_SETTLE', quick ? 1 : 5),
    repeats: Math.round(number(env, 'BENCH_REPEATS', quick ? 1 : 3)),
    databaseUrl: env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    pgDatabase,
    dialects: dialects as Dialect[],
    pin: env.BENCH_PIN !== '0',
    accessTokenAlg: alg,
  };
}
