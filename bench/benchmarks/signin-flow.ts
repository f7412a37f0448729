import { hashPassword } from '../../src/kernel/passwords.ts';
import { type Benchmark, DIALECT_LABEL, measurement, ratioTarget } from '../lib/benchmark.ts';
import { REDIRECT_URI, SIGN_IN_PASSWORD } from '../lib/environment.ts';
import type { LoadResult } from '../lib/load.ts';
import { assertClean, compare, measureWindow, rateFigure, referenceFigure, round, windowDetails } from '../lib/measure.ts';
import { startReference } from '../lib/references.ts';

/**
 * Password sign-in flows through the real pages, as a browser drives them with cookies:
 * authorize -> sign-in name -> password -> code -> token (public client with PKCE), against the raw
 * argon2id verify rate with Tessera's parameters at the same concurrency. Each flow verifies one
 * password, so the reference is the ceiling.
 */
export const signInFlow: Benchmark = {
  name: 'signin-flow',
  title: 'Password sign-in flows through the real pages vs raw argon2 verify',
  target: ratioTarget(0.8),
  async run(env, { settings, load, log }) {
    const users = await env.signInUsers();
    const server = await env.server();
    const concurrency = settings.signInConcurrency;
    const job = (seconds: number) => ({
      base: server.base,
      tenant: env.fixture.tenantId,
      clientId: env.fixture.web.appId,
      redirectUri: REDIRECT_URI,
      scope: 'openid profile User.Read',
      users,
      concurrency,
      seconds,
    });
    log(`  Tessera sign-in flows through the pages, ${concurrency} at a time`);
    const tessera = await measureWindow({ pid: server.pid, quietUrl: `${server.base}/healthz`, loadPid: load.pid, backendPids: env.database.backendPids }, () => load.signIn(job(settings.seconds)), () => load.signIn(job(settings.warmupSeconds)));
    assertClean('Tessera sign-in flows', tessera);

    const hash = await hashPassword(SIGN_IN_PASSWORD);
    const reference = env.track(await startReference(env.place, 'argon2-reference', {}));
    try {
      const verify = (seconds: number) => reference.child.request<LoadResult>({ type: 'verify', hash, password: SIGN_IN_PASSWORD, concurrency, seconds });
      log(`  raw argon2id verify, ${concurrency} at a time`);
      const ref = await measureWindow({ pid: reference.pid }, () => verify(settings.seconds), () => verify(settings.warmupSeconds));
      assertClean('argon2 verify', ref);
      const { ratio, basis, note } = compare(tessera, ref);
      return [
        measurement({
          benchmark: this.name,
          label: `Password sign-in flows through the pages (${DIALECT_LABEL[env.dialect]})`,
          dialect: env.dialect,
          figure: rateFigure(tessera, 'flows/s', 'flow'),
          reference: referenceFigure(`raw argon2id verify (${argon2Parameters(hash)})`, ref, 'verifies/s', 'verify'),
          ratio,
          target: ratioTarget(0.8),
          values: { ratio },
          ...(note ? { note } : {}),
          details: {
            concurrency,
            flow: 'authorize -> sign-in name -> password -> code -> token (public client, PKCE), a new cookie jar per flow',
            ratioBasis: basis,
            ratioPerServerCpuSecond: round(tessera.perCpuSecond / ref.perCpuSecond),
            tessera: windowDetails(tessera),
            reference: windowDetails(ref),
          },
        }),
      ];
    } finally {
      await reference.stop();
    }
  },
};

/** "m=19456,t=2,p=1" from a PHC string, so the label says what was really measured. */
function argon2Parameters(hash: string): string {
  return /\$(m=\d+,t=\d+,p=\d+)\$/.exec(hash)?.[1] ?? 'Tessera\'s parameters';
}
