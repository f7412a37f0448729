/**
 * `npm run bench`: Tessera's hot paths measured against a reference measured in the same run on
 * the same machine and data, so the ratio means something whatever the machine's speed.
 *
 *  - Graph user lookup: `GET /v1.0/users?$filter=userPrincipalName eq '…'` through the whole stack
 *    (auth hook, OData parse and validation, tenant-scoped SQL, Graph JSON) vs. the same indexed
 *    lookup as one prepared better-sqlite3 statement.
 *  - Graph page: `GET /v1.0/users?$top=100&$select=id,displayName` vs. the raw 100-row select.
 *
 * Results go to bench/results/latest.json and the table in BENCHMARKS.md.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { createHarness } from '../test/helpers/server.ts';
import { tenantScope } from '../src/tenancy/scope.ts';
import { usersRepo } from '../src/modules/directory/users.repo.ts';
import { inTransaction } from '../src/storage/scoped.ts';

const USERS = Number(process.env.BENCH_USERS ?? 10_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);

async function measure(name: string, fn: () => Promise<unknown> | unknown): Promise<{ name: string; opsPerSecond: number; meanMicros: number }> {
  for (let i = 0; i < 200; i++) await fn(); // warm-up
  let ops = 0;
  const start = performance.now();
  const end = start + SECONDS * 1000;
  while (performance.now() < end) {
    await fn();
    ops++;
  }
  const elapsed = performance.now() - start;
  return { name, opsPerSecond: Math.round((ops / elapsed) * 1000), meanMicros: Math.round((elapsed / ops) * 1000) };
}

const h = await createHarness('sqlite');
const scope = tenantScope(h.tenant.id);
const now = new Date().toISOString();
await inTransaction(h.db, scope, async (tdb) => {
  for (let i = 0; i < USERS; i++) {
    const alias = `bench${i}`;
    await usersRepo.insert(tdb, { id: crypto.randomUUID(), userPrincipalName: `${alias}@${h.tenant.domain}`, displayName: `Bench User ${i}`, mailNickname: alias, accountEnabled: true, userType: 'Member' }, now);
  }
});
const require = createRequire(import.meta.url);
const Sqlite = require('better-sqlite3') as typeof import('better-sqlite3');
const raw = new Sqlite(h.db.url, { readonly: true });
const lookup = raw.prepare('select * from users where tenant_id = ? and lower(user_principal_name) = ?');
const page = raw.prepare('select id, display_name from users where tenant_id = ? order by id limit 100');
const target = `bench${Math.floor(USERS / 2)}@${h.tenant.domain}`;
const headers = { authorization: `Bearer ${h.tenant.adminToken}` };

const rows = [];
const lookupTessera = await measure('Graph user lookup by UPN ($filter)', async () => {
  const response = await h.app.inject({ method: 'GET', url: `/v1.0/users?$filter=userPrincipalName eq '${target}'`, headers });
  if (response.statusCode !== 200) throw new Error(response.body);
});
const lookupRef = await measure('reference: prepared SQLite point lookup', () => lookup.get(h.tenant.id, target));
rows.push({ benchmark: 'user lookup by UPN', tessera: lookupTessera, reference: lookupRef });
const pageTessera = await measure('Graph page of 100 users', async () => {
  const response = await h.app.inject({ method: 'GET', url: '/v1.0/users?$top=100&$select=id,displayName', headers });
  if (response.statusCode !== 200) throw new Error(response.body);
});
const pageRef = await measure('reference: raw 100-row select', () => page.all(h.tenant.id));
rows.push({ benchmark: 'page of 100 users', tessera: pageTessera, reference: pageRef });
raw.close();
await h.close();

const result = { date: new Date().toISOString(), node: process.version, users: USERS, seconds: SECONDS, rows };
writeFileSync(new URL('./results/latest.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
const table = [
  '| Benchmark | Tessera (ops/s, mean µs) | Reference (ops/s, mean µs) | Tessera / reference |',
  '|---|---|---|---|',
  ...rows.map((r) => `| ${r.benchmark} (${USERS} users, SQLite) | ${r.tessera.opsPerSecond} ops/s, ${r.tessera.meanMicros} µs | ${r.reference.name.replace('reference: ', '')}: ${r.reference.opsPerSecond} ops/s, ${r.reference.meanMicros} µs | ${(r.tessera.opsPerSecond / r.reference.opsPerSecond).toFixed(3)} |`),
].join('\n');
writeFileSync(
  new URL('../BENCHMARKS.md', import.meta.url),
  `# Benchmarks\n\nMeasured by \`npm run bench\` on ${result.date} (${result.node}), one process, in-process requests (app.inject).\nEach row compares Tessera's full Graph path with a reference measured in the same run on the same data.\n\n${table}\n`,
);
console.log(table);
