import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, testDialects, type TestDatabase } from '../helpers/databases.ts';

/**
 * DESIGN §3 as a test over the migrated schema: every tenant-owned table starts with tenant_id,
 * has a primary key that starts with tenant_id, and every foreign key carries tenant_id to
 * tenant_id (or to tenants.id). A table added without these fails here.
 */
const GLOBAL_TABLES = new Set(['tenants', 'kysely_migration', 'kysely_migration_lock']);

interface TableShape {
  name: string;
  columns: string[];
  primaryKey: string[];
  foreignKeys: { table: string; from: string[]; to: string[] }[];
}

async function shapes(database: TestDatabase): Promise<TableShape[]> {
  const { db } = database;
  const tables = await db.introspection.getTables();
  const out: TableShape[] = [];
  for (const table of tables) {
    if (database.dialect === 'sqlite') {
      const info = await sql<{ name: string; pk: number }>`select name, pk from pragma_table_info(${table.name}) order by cid`.execute(db);
      const fks = await sql<{ id: number; table: string; from: string; to: string }>`select id, "table", "from", "to" from pragma_foreign_key_list(${table.name}) order by id, seq`.execute(db);
      const grouped = new Map<number, { table: string; from: string[]; to: string[] }>();
      for (const fk of fks.rows) {
        const entry = grouped.get(fk.id) ?? { table: fk.table, from: [], to: [] };
        entry.from.push(fk.from);
        entry.to.push(fk.to);
        grouped.set(fk.id, entry);
      }
      out.push({
        name: table.name,
        columns: info.rows.map((c) => c.name),
        primaryKey: info.rows.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name),
        foreignKeys: [...grouped.values()],
      });
    } else {
      const pk = await sql<{ column_name: string }>`
        select kcu.column_name from information_schema.table_constraints tc
        join information_schema.key_column_usage kcu on kcu.constraint_name = tc.constraint_name and kcu.table_schema = tc.table_schema
        where tc.table_name = ${table.name} and tc.constraint_type = 'PRIMARY KEY' and tc.table_schema = current_schema()
        order by kcu.ordinal_position`.execute(db);
      const fks = await sql<{ name: string; from_col: string; to_table: string; to_col: string }>`
        select c.conname as name, a.attname as from_col, cl.relname as to_table, af.attname as to_col
        from pg_constraint c
        join lateral unnest(c.conkey, c.confkey) with ordinality as k(from_num, to_num, ord) on true
        join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.from_num
        join pg_attribute af on af.attrelid = c.confrelid and af.attnum = k.to_num
        join pg_class cl on cl.oid = c.confrelid
        where c.contype = 'f' and c.conrelid = (quote_ident(current_schema()) || '.' || quote_ident(${table.name}))::regclass
        order by c.conname, k.ord`.execute(db);
      const grouped = new Map<string, { table: string; from: string[]; to: string[] }>();
      for (const fk of fks.rows) {
        const entry = grouped.get(fk.name) ?? { table: fk.to_table, from: [], to: [] };
        entry.from.push(fk.from_col);
        entry.to.push(fk.to_col);
        grouped.set(fk.name, entry);
      }
      out.push({ name: table.name, columns: table.columns.map((c) => c.name), primaryKey: pk.rows.map((r) => r.column_name), foreignKeys: [...grouped.values()] });
    }
  }
  return out;
}

for (const dialect of testDialects) {
  describe(`schema invariants (${dialect})`, () => {
    let database: TestDatabase;
    let tables: TableShape[];
    before(async () => {
      database = await createTestDatabase(dialect);
      tables = (await shapes(database)).filter((t) => !GLOBAL_TABLES.has(t.name));
    });
    after(() => database.close());

    test('the migrated schema has tenant-owned tables to check', () => {
      assert.ok(tables.length >= 10, `found only ${tables.length} tables`);
      assert.ok(tables.some((t) => t.name === 'users'));
    });

    test('every tenant-owned table starts with tenant_id', () => {
      const offenders = tables.filter((t) => t.columns[0] !== 'tenant_id').map((t) => t.name);
      assert.deepEqual(offenders, []);
    });

    test('every tenant-owned primary key starts with tenant_id', () => {
      const offenders = tables.filter((t) => t.primaryKey[0] !== 'tenant_id' || t.primaryKey.length < 2).map((t) => `${t.name}(${t.primaryKey.join(',')})`);
      assert.deepEqual(offenders, []);
    });

    test('every foreign key carries tenant_id into the referenced row', () => {
      const offenders: string[] = [];
      for (const table of tables) {
        for (const fk of table.foreignKeys) {
          const at = fk.from.indexOf('tenant_id');
          const ok = at >= 0 && (fk.table === 'tenants' ? fk.to[at] === 'id' && fk.from.length === 1 : fk.to[at] === 'tenant_id');
          if (!ok) offenders.push(`${table.name}(${fk.from.join(',')}) -> ${fk.table}(${fk.to.join(',')})`);
        }
      }
      assert.deepEqual(offenders, []);
    });

    test('every tenant-owned table is tied to a tenant by a foreign key', () => {
      const offenders = tables.filter((t) => t.foreignKeys.length === 0).map((t) => t.name);
      assert.deepEqual(offenders, []);
    });
  });
}
