/**
 * Reference for the sign-in benchmark: the raw argon2 verify rate. The same @node-rs/argon2
 * `verify` Tessera calls, on a hash made with Tessera's own parameters (src/kernel/passwords.ts),
 * run `concurrency` at a time on libuv's default thread pool, in a process pinned to the server core
 * like Tessera. A sign-in flow verifies one password, so this rate is the ceiling of flows/s.
 * It also times one hash for the CLI benchmark (`tessera user create` pays one).
 */
import { verify } from '@node-rs/argon2';
import { hashPassword } from '../../src/kernel/passwords.ts';
import { announce, serveRequests } from '../lib/ipc-child.ts';
import type { LoadResult } from '../lib/load.ts';
import { summarize } from '../lib/stats.ts';

async function verifyLoop(message: Record<string, unknown>): Promise<LoadResult> {
  const hash = String(message.hash);
  const password = String(message.password);
  const concurrency = Number(message.concurrency);
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  const started = performance.now();
  const end = started + Number(message.seconds) * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const begun = performance.now();
        if (await verify(hash, password)) {
          ok++;
          latencies.push(performance.now() - begun);
        } else failed++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { ok, failed, seconds, rps: ok / seconds, latency: summarize(latencies), statusCodes: { verified: ok, ...(failed ? { mismatched: failed } : {}) } };
}

/** Median wall time of one hash with Tessera's own hashPassword (what `tessera user create` pays once). */
async function hashTime(message: Record<string, unknown>): Promise<{ medianMs: number; samplesMs: number[] }> {
  await hashPassword('warm-up-Passw0rd!');
  const samplesMs: number[] = [];
  for (let i = 0; i < Number(message.repeats ?? 3); i++) {
    const begun = performance.now();
    await hashPassword(`Sample-Passw0rd-${i}!`);
    samplesMs.push(performance.now() - begun);
  }
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return { medianMs: sorted[Math.floor(sorted.length / 2)]!, samplesMs };
}

serveRequests({ verify: verifyLoop, hash: hashTime });
announce({ type: 'ready' });
