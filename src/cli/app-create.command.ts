import type { Container } from '../container.ts';
import { readArgs, required, UsageError } from './args.ts';

/**
 * `tessera app create --tenant T --name N [--redirect-uri U]... [--public] [--secret]
 *  [--api-permissions "User.Read.All Group.Read.All"] [--delegated "User.Read"]`
 * Registers an app and records an administrator's tenant-wide grant for the permissions it lists.
 */
export async function appCreateCommand(container: Container, argv: string[]): Promise<unknown> {
  const args = readArgs('app create', argv, {
    tenant: { type: 'string' },
    name: { type: 'string' },
    'redirect-uri': { type: 'string', multiple: true },
    public: { type: 'boolean' },
    secret: { type: 'boolean' },
    'api-permissions': { type: 'string' },
    delegated: { type: 'string' },
  });
  required('app create', args, 'tenant', 'name');
  if (args.public && args.secret) throw new UsageError('tessera app create: a --public client cannot have a --secret');
  const scope = await container.tenants.resolve(args.tenant!);
  if (!scope) throw new UsageError(`tessera app create: no tenant '${args.tenant}' (give its id or a verified domain)`);
  const words = (value: string | undefined) => (value ?? '').split(/[\s,]+/).filter(Boolean);
  const created = await container.applications.create(scope, {
    displayName: args.name!,
    redirectUris: args['redirect-uri'] ?? [],
    isPublic: args.public ?? false,
    withSecret: args.secret ?? false,
    applicationPermissions: words(args['api-permissions']),
    delegatedPermissions: words(args.delegated),
  });
  return { appId: created.appId, clientSecret: created.clientSecret, servicePrincipalId: created.servicePrincipalId };
}
