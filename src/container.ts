import type { Config } from './config/config.ts';
import { systemClock, type Clock } from './kernel/clock.ts';
import { createLogger, type Logger } from './kernel/logger.ts';
import { SecretBox } from './kernel/secrets.ts';
import { AppError } from './kernel/errors.ts';
import { GroupsService, MembershipService, RolesService, TenantsService, UsersService } from './modules/directory/index.ts';
import { openDatabase, type Database } from './storage/database.ts';
import { migrateToLatest } from './storage/migrate.ts';
import type { TokenVerifier } from './http/graph/token-verifier.ts';

/**
 * The composition root: every service is built here, once, from configuration. No module keeps
 * globals, so tests build as many independent containers as they like.
 */
export interface Container {
  config: Config;
  logger: Logger;
  clock: Clock;
  database: Database;
  secrets: SecretBox;
  tenants: TenantsService;
  users: UsersService;
  groups: GroupsService;
  roles: RolesService;
  membership: MembershipService;
  /** turns a bearer token into a principal; the sign-in module supplies the real one */
  tokenVerifier: TokenVerifier;
  close(): Promise<void>;
}

export interface ContainerOptions {
  clock?: Clock;
  logger?: Logger;
  database?: Database;
  tokenVerifier?: TokenVerifier;
  migrate?: boolean;
}

export async function createContainer(config: Config, options: ContainerOptions = {}): Promise<Container> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const clock = options.clock ?? systemClock;
  const database = options.database ?? openDatabase(config.databaseUrl);
  if (options.migrate !== false) await migrateToLatest(database);
  const secrets = new SecretBox(config.secret);
  const users = new UsersService(database, clock);
  const roles = new RolesService(database, clock);
  const tenants = new TenantsService(database, clock, users, roles);
  const groups = new GroupsService(database, clock);
  const membership = new MembershipService(database);
  const tokenVerifier: TokenVerifier = options.tokenVerifier ?? {
    async verify() {
      throw new AppError('unauthenticated', 'graph.noVerifier', 'Access token validation failure.');
    },
  };
  return {
    config,
    logger,
    clock,
    database,
    secrets,
    tenants,
    users,
    groups,
    roles,
    membership,
    tokenVerifier,
    close: () => database.close(),
  };
}
