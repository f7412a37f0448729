/**
 * The second writer of test/e2e/sqlite-two-writers.test.ts: a process of its own that writes to
 * the same SQLite file as the test's server, through the same services the CLI uses. Each write
 * reads before it writes (the mailNickname/UPN check), the pattern that cannot upgrade a deferred
 * transaction once another connection has written.
 *
 * Usage: node --import tsx sqlite-two-writers.writer.ts <databaseFile> <tenantId> <prefix> <groups> <users>
 * Prints `ready` once it can write, then one JSON line `{ created: string[], failures: string[] }`;
 * exits 0 only without failures.
 */
import { createContainer } from '../../src/container.ts';
import { createLogger } from '../../src/kernel/logger.ts';
import { userCreateCommand } from '../../src/cli/user-create.command.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { testConfig } from '../helpers/server.ts';

const [file, tenantId, prefix, groupCount, userCount] = process.argv.slice(2);
if (!file || !tenantId || !prefix) throw new Error('usage: sqlite-two-writers.writer.ts <databaseFile> <tenantId> <prefix> <groups> <users>');

const container = await createContainer({ ...testConfig(), databaseUrl: file }, { migrate: false, logger: createLogger('silent') });
const scope = tenantScope(tenantId);
const system = { kind: 'system' as const, tenantId };
const created: string[] = [];
const failures: string[] = [];
process.stdout.write('ready\n');
try {
  const tenant = await container.tenants.get(scope);
  const domain = tenant!.initialDomain;
  for (let i = 0; i < Number(groupCount); i++) {
    const nickname = `${prefix}g${i}`;
    try {
      await container.groups.create(scope, system, { displayName: nickname, mailNickname: nickname, mailEnabled: false, securityEnabled: true });
      created.push(nickname);
    } catch (error) {
      failures.push(`group ${nickname}: ${(error as Error).message}`);
    }
    // A user now and then: the CLI's own command, with its argon2 hash before the transaction.
    if (i % Math.max(1, Math.floor(Number(groupCount) / Math.max(1, Number(userCount)))) === 0 && created.filter((c) => c.includes('@')).length < Number(userCount)) {
      const upn = `${prefix}u${i}@${domain}`;
      try {
        await userCreateCommand(container, ['--tenant', tenantId, '--upn', upn, '--password', 'Writer-Passw0rd!']);
        created.push(upn);
      } catch (error) {
        failures.push(`user ${upn}: ${(error as Error).message}`);
      }
    }
  }
} finally {
  await container.close();
}
process.stdout.write(`${JSON.stringify({ created, failures })}\n`);
process.exitCode = failures.length === 0 ? 0 : 1;
