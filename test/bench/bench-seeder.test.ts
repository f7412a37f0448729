import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { BENCH_DOMAIN } from '../../bench/lib/environment.ts';
import { benchUser, benchUserId } from '../../bench/lib/population.ts';
import { seedUsers, setPasswords } from '../../bench/lib/seeder.ts';
import { hashPassword } from '../../src/kernel/passwords.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { testDialects } from '../helpers/databases.ts';
import { createHarness, type Harness } from '../helpers/server.ts';

/**
 * The bench seeder generates users inside the database (SQL) from the same lists as benchUser()
 * (TypeScript), which the load generator uses to ask for them: the two must agree row for row, the
 * schema must end as the migrations made it (the seeder drops and re-creates the secondary indexes),
 * and Tessera must read the rows as its own.
 */
const COUNT = 2_000;
const SAMPLE = [0, 1, 39, 40, 41, 279, 1_999, 1_234];

for (const dialect of testDialects) {
  describe(`bench seeder (${dialect})`, () => {
    let h: Harness;
    let indexesBefore: string[];

    /** the definitions of the indexes of `users` and of the foreign keys of `users` and `directory_objects` */
    const indexes = async () => {
      const rows =
        dialect === 'sqlite'
          ? await sql<{ d: string }>`select sql as d from sqlite_master where tbl_name in ('users', 'directory_objects') and sql is not null order by name`.execute(h.container.database.db)
          : await sql<{ d: string }>`select indexdef as d from pg_indexes where schemaname = current_schema() and tablename = 'users'
              union all select conname || ' ' || pg_get_constraintdef(oid) from pg_constraint where contype = 'f' and conrelid in ('users'::regclass, 'directory_objects'::regclass)
              order by 1`.execute(h.container.database.db);
      return rows.rows.map((r) => r.d);
    };

    before(async () => {
      h = await createHarness(dialect);
      indexesBefore = await indexes();
      const report = await seedUsers(dialect, h.db.url, h.tenant.id, BENCH_DOMAIN, COUNT);
      assert.equal(report.users, COUNT);
    });
    after(() => h?.close());

    test('every seeded row is exactly benchUser(i)', async () => {
      const ids = SAMPLE.map(benchUserId);
      const rows = await sql<Record<string, unknown>>`select * from users where tenant_id = ${h.tenant.id} and id in (${sql.join(ids)})`.execute(h.container.database.db);
      assert.equal(rows.rows.length, SAMPLE.length);
      for (const i of SAMPLE) {
        const expected = benchUser(i, BENCH_DOMAIN);
        const row = rows.rows.find((r) => r.id === expected.id);
        assert.deepEqual(
          {
            id: row?.id,
            userPrincipalName: row?.user_principal_name,
            mail: row?.mail,
            mailNickname: row?.mail_nickname,
            displayName: row?.display_name,
            givenName: row?.given_name,
            surname: row?.surname,
            jobTitle: row?.job_title,
            department: row?.department,
          },
          expected,
          `user ${i}`,
        );
      }
      const count = await sql<{ n: number }>`select count(*) as n from users where tenant_id = ${h.tenant.id} and id like ${'b0000000-%'}`.execute(h.container.database.db);
      assert.equal(Number(count.rows[0]!.n), COUNT);
      const objects = await sql<{ n: number }>`select count(*) as n from directory_objects where tenant_id = ${h.tenant.id} and object_type = 'user' and id like ${'b0000000-%'}`.execute(h.container.database.db);
      assert.equal(Number(objects.rows[0]!.n), COUNT);
    });

    test('the secondary indexes and foreign keys are back exactly as the migrations made them', async () => {
      assert.ok(indexesBefore.length >= 3, 'users has its UPN, display name and mail indexes');
      assert.deepEqual(await indexes(), indexesBefore);
      if (dialect === 'sqlite') assert.equal((await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(h.container.database.db)).rows[0]?.foreign_keys, 1);
    });

    test('rows that break a foreign key fail the seeding instead of being left behind unchecked', async () => {
      const other = await createHarness(dialect);
      try {
        await assert.rejects(seedUsers(dialect, other.db.url, 'no-such-tenant', BENCH_DOMAIN, 10), /foreign key|violates|broke/i);
      } finally {
        await other.close();
      }
    });

    test('Tessera reads the seeded users as its own, and a seeded user with a password can sign in', async () => {
      const scope = tenantScope(h.tenant.id);
      const user = await h.container.users.find(scope, benchUser(1_234, BENCH_DOMAIN).userPrincipalName.toUpperCase());
      assert.equal(user?.id, benchUserId(1_234));
      assert.equal(user?.accountEnabled, true);
      assert.deepEqual(user?.businessPhones, []);
      assert.equal(user?.userType, 'Member');
      await setPasswords(dialect, h.db.url, h.tenant.id, [7], await hashPassword('Bench-Passw0rd!'));
      const username = benchUser(7, BENCH_DOMAIN).userPrincipalName;
      assert.equal((await h.container.signIn.attempt(scope, { username, password: 'Bench-Passw0rd!', source: '127.0.0.1' })).outcome, 'ok');
      assert.equal((await h.container.signIn.attempt(scope, { username, password: 'wrong-Passw0rd!', source: '127.0.0.1' })).outcome, 'badPassword');
      assert.equal((await h.container.signIn.attempt(scope, { username: benchUser(8, BENCH_DOMAIN).userPrincipalName, password: 'Bench-Passw0rd!', source: '127.0.0.1' })).outcome, 'badPassword', 'users without a password cannot sign in');
      const page = await h.app.inject({ method: 'GET', url: `/v1.0/users?$filter=${encodeURIComponent(`mail eq '${benchUser(7, BENCH_DOMAIN).mail}'`)}`, headers: { authorization: `Bearer ${h.tenant.adminToken}` } });
      assert.equal(page.statusCode, 200, page.body);
      assert.deepEqual((page.json() as { value: { id: string }[] }).value.map((u) => u.id), [benchUserId(7)]);
    });
  });
}
