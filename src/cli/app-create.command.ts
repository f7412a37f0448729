import { readFile } from 'node:fs/promises';
import type { Container } from '../container.ts';
import { readArgs, required, UsageError } from './args.ts';

/**
 * `tessera app create --tenant T --name N [--redirect-uri U]... [--public] [--secret]
 *  [--certificate FILE]... [--api-permissions "User.Read.All Group.Read.All"] [--delegated "User.Read"]`
 * Registers an app and records an administrator's tenant-wide grant for the permissions it lists.
 * `--certificate` takes a PEM certificate file: its public key becomes a keyCredential, so the app
 * authenticates with a client assertion signed by the certificate's private key (private_key_jwt).
 */
export async function appCreateCommand(container: Container, argv: string[]): Promise<unknown> {
  const args = readArgs('app create', argv, {
    tenant: { type: 'string' },
    name: { type: 'string' },
    'redirect-uri': { type: 'string', multiple: true },
    public: { type: 'boolean' },
    secret: { type: 'boolean' },
    certificate: { type: 'string', multiple: true },
    'api-permissions': { type: 'string' },
    delegated: { type: 'string' },
  });
  required('app create', args, 'tenant', 'name');
  if (args.public && args.secret) throw new UsageError('tessera app create: a --public client cannot have a --secret');
  if (args.public && args.certificate) throw new UsageError('tessera app create: a --public client cannot have a --certificate');
  const certificates: string[] = [];
  for (const file of args.certificate ?? []) {
    try {
      certificates.push(await readFile(file, 'utf8'));
    } catch (error) {
      throw new UsageError(`tessera app create: cannot read the certificate file '${file}': ${(error as Error).message}`);
    }
  }
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
    certificates,
  });
  return { appId: created.appId, clientSecret: created.clientSecret, servicePrincipalId: created.servicePrincipalId, ...(created.keyCredentials.length > 0 ? { keyCredentials: created.keyCredentials } : {}) };
}
