/** The pages of the External identities section, below `/external-identities`. */
export type ExternalRoute =
  | { page: 'guests' }
  | { page: 'guest'; id: string }
  | { page: 'invite' }
  | { page: 'bulk' }
  | { page: 'bulkOperation'; id: string }
  | { page: 'settings' };

export const EXTERNAL_SECTION = 'external-identities';

const base = `/${EXTERNAL_SECTION}`;
const segment = (id: string) => encodeURIComponent(id);

export const externalPaths = {
  guests: base,
  guest: (id: string) => `${base}/guests/${segment(id)}`,
  invite: `${base}/invite`,
  bulk: `${base}/bulk`,
  bulkOperation: (id: string) => `${base}/bulk/${segment(id)}`,
  settings: `${base}/settings`,
} as const;

/** `parts` are the decoded segments after the section's own; null when no page has that path. */
export function matchExternalRoute(parts: readonly string[]): ExternalRoute | null {
  const [first, id, extra] = parts;
  if (extra !== undefined) return null;
  switch (first) {
    case undefined:
      return { page: 'guests' };
    case 'guests':
      return id === undefined ? { page: 'guests' } : { page: 'guest', id };
    case 'invite':
      return id === undefined ? { page: 'invite' } : null;
    case 'bulk':
      return id === undefined ? { page: 'bulk' } : { page: 'bulkOperation', id };
    case 'settings':
      return id === undefined ? { page: 'settings' } : null;
    default:
      return null;
  }
}
