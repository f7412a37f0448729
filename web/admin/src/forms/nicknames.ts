/**
 * A mailNickname suggested from a name or an alias, as the Entra portal does: only characters that
 * are safe in an e-mail alias, accents folded away ("Zoë Ünal" → "ZoeUnal").
 */
export function suggestMailNickname(source: string): string {
  return source
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]/g, '')
    .replace(/^\.+|\.+$/g, '')
    .slice(0, 64);
}
