import { ConfigError, loadConfig } from './config/config.ts';
import { createContainer, type Container } from './container.ts';
import { isAppError } from './kernel/errors.ts';
import { UsageError } from './cli/args.ts';
import { migrateCommand } from './cli/migrate.command.ts';
import { serveCommand } from './cli/serve.command.ts';
import { tenantCreateCommand } from './cli/tenant-create.command.ts';
import { userCreateCommand } from './cli/user-create.command.ts';
import { appCreateCommand } from './cli/app-create.command.ts';
import { keysRotateCommand } from './cli/keys-rotate.command.ts';

const USAGE = `Usage: tessera <command>

  serve                      run the server (default)
  migrate                    apply database migrations
  tenant create --name N --domain D [--country CC] [--admin-email E --admin-password P]
  user create --tenant T --upn U --password P [--display-name N] [--usage-location CC]
  app create --tenant T --name N [--redirect-uri U]... [--public] [--secret]
             [--api-permissions "User.Read.All ..."] [--delegated "User.Read ..."]
  keys rotate --tenant T       new signing keys; old ones stay published until their tokens expire

Settings come from TESSERA_* environment variables (see README).`;

type Command = (container: Container, argv: string[]) => Promise<unknown>;

const commands: Record<string, Command> = {
  migrate: (c) => migrateCommand(c),
  'tenant create': tenantCreateCommand,
  'user create': userCreateCommand,
  'app create': appCreateCommand,
  'keys rotate': keysRotateCommand,
};

/** Process entry: picks the command, builds the container, prints JSON results or a one-line error. */
async function main(argv: string[]): Promise<number> {
  const [first = 'serve', second, ...rest] = argv;
  if (first === '--help' || first === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const config = loadConfig(process.env);
  if (first === 'serve') {
    const container = await createContainer(config);
    await serveCommand(container);
    return -1; // keep running
  }
  const name = second && commands[`${first} ${second}`] ? `${first} ${second}` : first;
  const command = commands[name];
  if (!command) throw new UsageError(`Unknown command '${argv.join(' ')}'. Run 'tessera --help' for the list.`);
  // `migrate` reports what it applies, so it must not find the work already done by the container.
  const container = await createContainer({ ...config, logLevel: 'warn' }, { migrate: name !== 'migrate' });
  try {
    const result = await command(container, name === first ? [second, ...rest].filter((a): a is string => a !== undefined) : rest);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  } finally {
    await container.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    if (isAppError(error) && error.kind === 'unavailable') {
      // The operator's own database: name the driver's reason; 75 (EX_TEMPFAIL) tells scripts to retry later.
      process.stderr.write(`The database cannot be reached: ${error.cause instanceof Error ? error.cause.message : error.message}\n`);
      process.exitCode = 75;
    } else if (error instanceof UsageError || error instanceof ConfigError || isAppError(error)) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
      process.exitCode = 1;
    }
  },
);
