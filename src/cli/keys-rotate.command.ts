import type { Container } from '../container.ts';
import { readArgs, required, UsageError } from './args.ts';

/**
 * `tessera keys rotate --tenant T`: new signing keys become active at once; the old ones stay in
 * the tenant's JWKS until tokens they signed have expired, then the purge removes them.
 */
export async function keysRotateCommand(container: Container, argv: string[]): Promise<unknown> {
  const args = readArgs('keys rotate', argv, { tenant: { type: 'string' } });
  required('keys rotate', args, 'tenant');
  const scope = await container.tenants.resolve(args.tenant!);
  if (!scope) throw new UsageError(`tessera keys rotate: no tenant '${args.tenant}' (give its id or a verified domain)`);
  return container.oidc.rotateKeys(scope);
}
