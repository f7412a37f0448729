import type { Benchmark } from './lib/benchmark.ts';
import { bulkInvite } from './benchmarks/bulk-invite.ts';
import { graphFilter } from './benchmarks/graph-filter.ts';
import { graphUser } from './benchmarks/graph-user.ts';
import { memory } from './benchmarks/memory.ts';
import { seed } from './benchmarks/seed.ts';
import { signInFlow } from './benchmarks/signin-flow.ts';
import { startup } from './benchmarks/startup.ts';
import { tokenKeepAlive } from './benchmarks/token-keepalive.ts';
import { tokenTls } from './benchmarks/token-tls.ts';

/**
 * Every benchmark, in the order a run takes them (and the order of the table). Seeding comes first
 * because the Graph benchmarks read the seeded users; the Graph benchmarks come before the token and
 * sign-in ones, so the RSS peak sampled during them is that of a server that has only served Graph;
 * memory comes last because it reads those peaks. A new benchmark is a file in bench/benchmarks/
 * and a line here.
 */
export const registry: readonly Benchmark[] = [seed, startup, graphUser, graphFilter, tokenKeepAlive, tokenTls, signInFlow, bulkInvite, memory];
