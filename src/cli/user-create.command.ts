import type { Container } from '../container.ts';
import { tenantScope } from '../tenancy/scope.ts';
import { readArgs, required, UsageError } from './args.ts';

/** `tessera user create --tenant T --upn U --password P [--display-name N] [--usage-location CC]` */
export async function userCreateCommand(container: Container, argv: string[]): Promise<unknown> {
  const args = readArgs('user create', argv, {
    tenant: { type: 'string' },
    upn: { type: 'string' },
    password: { type: 'string' },
    'display-name': { type: 'string' },
    'usage-location': { type: 'string' },
  });
  required('user create', args, 'tenant', 'upn', 'password');
  const scope = await container.tenants.resolve(args.tenant!);
  if (!scope) throw new UsageError(`tessera user create: no tenant '${args.tenant}' (give its id or a verified domain)`);
  const upn = args.upn!;
  const alias = upn.includes('@') ? upn.slice(0, upn.indexOf('@')) : upn;
  const user = await container.users.createMember(tenantScope(scope.tenantId), { kind: 'system', tenantId: scope.tenantId }, {
    userPrincipalName: upn,
    displayName: args['display-name'] ?? alias,
    mailNickname: alias.replace(/[^A-Za-z0-9._-]/g, '') || 'user',
    accountEnabled: true,
    usageLocation: args['usage-location']?.toUpperCase() ?? null,
    password: args.password!,
    forceChangePasswordNextSignIn: false, // the operator chose this password
  });
  return { id: user.id, userPrincipalName: user.userPrincipalName };
}
