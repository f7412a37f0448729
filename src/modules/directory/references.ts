import { isGuid } from '../../kernel/ids.ts';
import { DirectoryErrors } from './directory.errors.ts';

/**
 * The object id inside an `@odata.id` reference. Graph accepts
 * `https://graph.microsoft.com/v1.0/directoryObjects/{id}` (and /users/{id}, /groups/{id}, ...);
 * the host is not significant, so references written for Microsoft Graph work here unchanged.
 */
export function idFromReference(value: unknown): string {
  if (typeof value !== 'string') throw DirectoryErrors.invalidReference(String(value));
  const match = /\/(?:directoryObjects|users|groups|servicePrincipals|directoryRoles)\/([^/?#]+)\/?$/.exec(value);
  const id = match?.[1] ? decodeOrNull(match[1]) : value;
  if (id === null || !isGuid(id)) throw DirectoryErrors.invalidReference(value);
  return id.toLowerCase();
}

export function referenceFromBody(body: unknown): string {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw DirectoryErrors.invalidReference(JSON.stringify(body) ?? 'undefined');
  const entries = Object.entries(body);
  const ref = entries.find(([key]) => key === '@odata.id');
  if (!ref || entries.length !== 1) throw DirectoryErrors.invalidReference(JSON.stringify(body));
  return idFromReference(ref[1]);
}

/** Malformed percent-encoding (`%E0%A4%A`) is a bad reference, not a URIError (500). */
function decodeOrNull(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
