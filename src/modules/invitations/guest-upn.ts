/**
 * A guest's userPrincipalName, as Entra makes it: the invited address with '@' replaced by '_',
 * then `#EXT#@` and the tenant's initial domain (`alice_partner.example#EXT#@contoso.example`).
 * Characters a UPN may not hold are replaced by '_' as well; a local part over the UPN limit is
 * shortened (Entra's limit is 113 characters in all, 64 before the '@').
 */
const UPN_LOCAL_MAX = 64;
const EXT = '#EXT#';

export function guestUpn(email: string, initialDomain: string, suffix = ''): string {
  const local = email.trim().replace('@', '_').replace(/[^A-Za-z0-9'._\-!^~]/g, '_');
  const room = UPN_LOCAL_MAX - EXT.length - suffix.length;
  return `${local.slice(0, room)}${suffix}${EXT}@${initialDomain}`;
}

/** A mailNickname for the guest (Graph requires one): the UPN's local part without '#'. */
export function guestMailNickname(email: string): string {
  return (email.trim().replace('@', '_').replace(/[^A-Za-z0-9._-]/g, '_') || 'guest').slice(0, 64);
}
