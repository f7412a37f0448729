import type { Container } from '../container.ts';
import { readArgs, required } from './args.ts';

/** `tessera tenant create --name N --domain D [--country CC] [--admin-email E --admin-password P]` */
export async function tenantCreateCommand(container: Container, argv: string[]): Promise<unknown> {
  const args = readArgs('tenant create', argv, {
    name: { type: 'string' },
    domain: { type: 'string' },
    country: { type: 'string' },
    cloud: { type: 'string' },
    'admin-email': { type: 'string' },
    'admin-password': { type: 'string' },
  });
  required('tenant create', args, 'name', 'domain');
  if (Boolean(args['admin-email']) !== Boolean(args['admin-password'])) {
    required('tenant create', args, 'admin-email', 'admin-password');
  }
  const { tenant, adminUserId } = await container.tenants.create({
    displayName: args.name!,
    domain: args.domain!,
    countryLetterCode: args.country ?? null,
    cloudType: (args.cloud as 'commercial' | undefined) ?? 'commercial',
    ...(args['admin-email'] ? { admin: { email: args['admin-email'], password: args['admin-password']! } } : {}),
  });
  return { tenantId: tenant.id, initialDomain: tenant.initialDomain, adminUserId };
}
