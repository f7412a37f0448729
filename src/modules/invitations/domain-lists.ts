import type { ExternalCollaborationSettings } from './invitation.types.ts';

/** The domain part of an address, lower-cased (`Alice@Partner.Example` -> `partner.example`). */
export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

/** Whether `domain` is named by a list entry: exactly, or under a `*.example.com` wildcard entry. */
export function listNames(list: readonly string[], domain: string): boolean {
  const name = domain.toLowerCase();
  return list.some((entry) => (entry.startsWith('*.') ? name.endsWith(entry.slice(1)) && name.length > entry.length - 1 : name === entry));
}

/**
 * The tenant's collaboration restrictions (b2bManagementPolicy): with an allow list only the
 * listed domains, with a deny list every domain but the listed ones, with neither every domain.
 * Consumer domains are a separate rule (`isConsumerDomain` + `allowConsumerDomains`).
 */
export function domainAllowed(settings: Pick<ExternalCollaborationSettings, 'allowedDomains' | 'blockedDomains'>, domain: string): boolean {
  if (settings.allowedDomains.length > 0) return listNames(settings.allowedDomains, domain);
  return !listNames(settings.blockedDomains, domain);
}
