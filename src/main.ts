import './cli/production-env.ts'; // first: before anything that may load React
import { ConfigError, loadConfig } from './config/config.ts';
import type { Container } from './container.ts';
import { isAppError } from './kernel/errors.ts';
import { ExitStatus, UsageError } from './cli/args.ts';

const USAGE = `Usage: tessera <command>

  serve                      run the server (default)
  migrate                    apply database migrations
  tenant create --name N --domain D [--country CC] [--admin-email E --admin-password P]
  user create --tenant T --upn U --password P [--display-name N] [--usage-location CC]
  app create --tenant T --name N [--redirect-uri U]... [--public] [--secret]
             [--certificate FILE]... [--api-permissions "User.Read.All ..."] [--delegated "User.Read ..."]
  app verify-publisher --tenant T --app-id A (--name N --id PUBLISHER-ID | --remove)
                             mark (or unmark) an app's publisher as verified
  keys rotate --tenant T       new signing keys; old ones stay published until their tokens expire
  invite --tenant T --csv FILE [--redirect-url URL]
                             bulk invitation from a CSV file (Entra's template or the 2016 columns)

Settings come from TESSERA_* environment variables (see README).`;

type Command = (container: Container, argv: string[]) => Promise<unknown>;

// Each command is loaded only when it runs (its own chunk in dist/), so a CLI command does not
// pay for the HTTP server, the pages or the OpenID provider.
const commands: Record<string, () => Promise<Command>> = {
  migrate: async () => {
    const { migrateCommand } = await import('./cli/migrate.command.ts');
    return (c) => migrateCommand(c);
  },
  'tenant create': async () => (await import('./cli/tenant-create.command.ts')).tenantCreateCommand,
  'user create': async () => (await import('./cli/user-create.command.ts')).userCreateCommand,
  'app create': async () => (await import('./cli/app-create.command.ts')).appCreateCommand,
  'app verify-publisher': async () => (await import('./cli/app-verify-publisher.command.ts')).appVerifyPublisherCommand,
  'keys rotate': async () => (await import('./cli/keys-rotate.command.ts')).keysRotateCommand,
  invite: async () => (await import('./cli/invite.command.ts')).inviteCommand,
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
    // the server's modules load while the container opens the database and migrates
    const [{ createContainer }, { serveCommand }] = await Promise.all([import('./container.ts'), import('./cli/serve.command.ts')]);
    const container = await createContainer(config);
    await serveCommand(container);
    return -1; // keep running
  }
  const name = second && commands[`${first} ${second}`] ? `${first} ${second}` : first;
  const load = commands[name];
  if (!load) throw new UsageError(`Unknown command '${argv.join(' ')}'. Run 'tessera --help' for the list.`);
  const [{ createContainer }, command] = await Promise.all([import('./container.ts'), load()]);
  // `migrate` reports what it applies, so it must not find the work already done by the container.
  const container = await createContainer({ ...config, logLevel: 'warn' }, { migrate: name !== 'migrate' });
  try {
    const result = await command(container, name === first ? [second, ...rest].filter((a): a is string => a !== undefined) : rest);
    const exit = result instanceof ExitStatus ? result : null;
    process.stdout.write(`${JSON.stringify(exit ? exit.result : result)}\n`);
    return exit ? exit.code : 0;
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
