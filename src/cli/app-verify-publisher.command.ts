import type { Container } from '../container.ts';
import { isGuid } from '../kernel/ids.ts';
import { readArgs, required, UsageError } from './args.ts';

/**
 * `tessera app verify-publisher --tenant T --app-id A --name N --id MPNID` (or `--remove`):
 * marks an app's publisher as verified, which consent prompts show with a badge and which the
 * "verified publishers" user consent setting relies on. There is no partner network to check
 * with, so a server administrator does it by hand; Graph keeps verifiedPublisher read-only.
 */
export async function appVerifyPublisherCommand(container: Container, argv: string[]): Promise<unknown> {
  const args = readArgs('app verify-publisher', argv, {
    tenant: { type: 'string' },
    'app-id': { type: 'string' },
    name: { type: 'string' },
    id: { type: 'string' },
    remove: { type: 'boolean' },
  });
  required('app verify-publisher', args, 'tenant', 'app-id');
  const appId = args['app-id']!.toLowerCase();
  if (!isGuid(appId)) throw new UsageError(`tessera app verify-publisher: --app-id '${args['app-id']}' is not an application (client) id`);
  if (args.remove && (args.name !== undefined || args.id !== undefined)) throw new UsageError('tessera app verify-publisher: --remove takes no --name or --id');
  if (!args.remove) {
    required('app verify-publisher', args, 'name', 'id');
    if (!args.name!.trim() || args.name!.length > 256) throw new UsageError('tessera app verify-publisher: --name must be 1 to 256 characters');
    if (!/^[A-Za-z0-9-]{1,64}$/.test(args.id!)) throw new UsageError('tessera app verify-publisher: --id (the publisher id, e.g. an MPN id) must be 1 to 64 letters, digits or dashes');
  }
  const scope = await container.tenants.resolve(args.tenant!);
  if (!scope) throw new UsageError(`tessera app verify-publisher: no tenant '${args.tenant}' (give its id or a verified domain)`);
  const app = await container.applications.setVerifiedPublisher(scope, appId, args.remove ? null : { displayName: args.name!.trim(), verifiedPublisherId: args.id! });
  return { appId: app.appId, verifiedPublisher: app.verifiedPublisher };
}
