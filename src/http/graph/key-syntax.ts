/**
 * OData addresses an entity by an alternate key in parentheses: Graph clients write
 * `/directoryRoles(roleTemplateId='62e90394-...')`. Fastify's router cannot match quotes and
 * parentheses inside a segment, so the URL is rewritten once, before routing, to the plain
 * segment form `/directoryRoles/roleTemplateId=62e90394-...` that the routes declare.
 */
const ALTERNATE_KEY = /^(\/(?:v1\.0|beta)\/[A-Za-z]+)\(([A-Za-z]+)=(?:'|%27)([^'%]*)(?:'|%27)\)/;

export function rewriteAlternateKeys(url: string): string {
  const match = ALTERNATE_KEY.exec(url);
  if (!match) return url;
  const [whole, collection, key, value] = match;
  return `${collection}/${key}=${value}${url.slice(whole.length)}`;
}
