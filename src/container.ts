import type { Config } from './config/config.ts';
import { systemClock, type Clock } from './kernel/clock.ts';
import { createLogger, type Logger } from './kernel/logger.ts';
import { SecretBox } from './kernel/secrets.ts';
import { GroupsService, MembershipService, RolesService, TenantsService, UsersService } from './modules/directory/index.ts';
import { openDatabase, type Database } from './storage/database.ts';
import { migrateToLatest } from './storage/migrate.ts';
import type { TokenVerifier } from './modules/signin/index.ts';
import { ApplicationsService, RegistrationsService, ServicePrincipalsService, ConsentRequestsService, ConsentService, PermissionGrantsService, AppRoleAssignmentsService } from './modules/consent/index.ts';
import { AccountSessionsService, OidcPayloadStore, SignInService, SigningKeysService } from './modules/signin/index.ts';
import { QueueService } from './modules/queue/index.ts';
import { MailService, smtpTransport } from './modules/mail/index.ts';
import { InvitationsService } from './modules/invitations/index.ts';
import { FederationService } from './modules/federation/index.ts';
import { BulkService } from './modules/bulk/index.ts';
// not the oidc/ barrel: it would load oidc-provider, which only `serve` needs (OidcService loads it on first use)
import { OidcService } from './oidc/oidc.service.ts';
import { AccessTokenVerifier } from './oidc/access-token-verifier.ts';

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
  applications: ApplicationsService;
  /** Graph's /applications (app registrations) */
  registrations: RegistrationsService;
  /** Graph's /servicePrincipals (enterprise apps) and their permission classifications */
  servicePrincipals: ServicePrincipalsService;
  /** oauth2PermissionGrants (Graph), the app roles of user tokens, assignment at sign-in, My Account's consented apps */
  grants: PermissionGrantsService;
  /** appRoleAssignments / appRoleAssignedTo (Graph) */
  appRoleAssignments: AppRoleAssignmentsService;
  /** consent: the user consent setting, consent prompts, user and admin consent (issue 16) */
  consent: ConsentService;
  /** the admin consent request workflow: its policy, users' requests, reviewers' decisions, expiry and reminders */
  consentRequests: ConsentRequestsService;
  signingKeys: SigningKeysService;
  oidcPayloads: OidcPayloadStore;
  signIn: SignInService;
  /** ends every sign-in session of a user (My Account's "sign out everywhere") */
  accountSessions: AccountSessionsService;
  /** durable jobs; `tessera serve` runs them (src/jobs) */
  queue: QueueService;
  /** the transactional mail outbox */
  mail: MailService;
  /** the per-tenant OpenID providers */
  oidc: OidcService;
  /** B2B invitations, redemption, guests' home links and the external collaboration policies */
  invitations: InvitationsService;
  /** home sign-in for guests: home discovery, the personal-accounts tenant, identity providers, one-time codes */
  federation: FederationService;
  /** bulk invitations from CSV: uploads, their durable jobs and per-row results */
  bulk: BulkService;
  /** turns a bearer token into a principal: JWTs from the tenant's provider (tests inject their own) */
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
  const database = options.database ?? openDatabase(config.databaseUrl, { logger });
  if (options.migrate !== false) await migrateToLatest(database);
  const secrets = new SecretBox(config.secret);
  const users = new UsersService(database, clock);
  const roles = new RolesService(database, clock);
  const tenants = new TenantsService(database, clock, users, roles);
  const groups = new GroupsService(database, clock);
  const membership = new MembershipService(database);
  const baseUrl = () => config.baseUrl;
  const applications = new ApplicationsService(database, clock, secrets, baseUrl);
  const registrations = new RegistrationsService({ database, clock, secrets, applications });
  const servicePrincipals = new ServicePrincipalsService({ database, clock, applications });
  const grants = new PermissionGrantsService({ database, clock, applications });
  const appRoleAssignments = new AppRoleAssignmentsService({ database, clock, applications });
  const signingKeys = new SigningKeysService(database, clock, secrets);
  const oidcPayloads = new OidcPayloadStore(database, clock);
  const signIn = new SignInService(database, clock, users);
  const accountSessions = new AccountSessionsService(database, clock);
  users.onCredentialRevocation(accountSessions.revokeWithin);
  const queue = new QueueService(database, clock);
  const transport = config.smtpUrl ? smtpTransport(config.smtpUrl) : null;
  const mail = new MailService(database, clock, queue, transport, config.mailFrom, new URL(config.baseUrl).hostname);
  tenants.addProvisioner(signingKeys.provision);
  const invitations = new InvitationsService({ database, clock, secrets, mail, tenants, users, baseUrl, ticketLifetimeDays: config.invitationTicketDays });
  tenants.addProvisioner(applications.provision);
  const federation = new FederationService({
    database, clock, secrets, tenants, users, applications, mail, baseUrl,
    emailOtpAllowed: async (scope) => (await invitations.externalSettings(scope)).emailOtpForGuests,
  });
  // guests' tokens name their home (`idp`), which the invitations module keeps
  const oidc = new OidcService({ config, clock, logger, users, applications, grants, signingKeys, payloads: oidcPayloads, guestHomeIssuer: (scope, guestId) => invitations.guestHomeIssuer(scope, guestId) });
  const consent = new ConsentService({
    database, clock, applications,
    callingUser: (scope, userId) => roles.callingUser(scope, userId),
    userConsentPolicies: (scope) => invitations.policies.permissionGrantPoliciesAssigned(scope),
  });
  const consentRequests = new ConsentRequestsService({ database, clock, mail, queue, applications, users, groups, roles, membership, tenants, baseUrl });
  const bulk = new BulkService({
    database, clock, secrets, queue, groups, roles, users, baseUrl,
    invitations,
    servicePrincipalName: async (scope, appId) => (await applications.servicePrincipal(scope, appId))?.displayName ?? null,
    maxRows: config.bulkInviteMaxRows,
  });
  const tokenVerifier: TokenVerifier = options.tokenVerifier ?? new AccessTokenVerifier(baseUrl, signingKeys, () => clock.now());
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
    applications,
    registrations,
    servicePrincipals,
    grants,
    appRoleAssignments,
    consent,
    consentRequests,
    signingKeys,
    oidcPayloads,
    signIn,
    accountSessions,
    queue,
    mail,
    oidc,
    invitations,
    federation,
    bulk,
    tokenVerifier,
    close: async () => {
      transport?.close?.();
      await database.close();
    },
  };
}
