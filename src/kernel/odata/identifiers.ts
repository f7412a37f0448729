/** An OData simple identifier: how property names, lambda variables and search properties are spelled. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isIdentifier(text: string): boolean {
  return IDENTIFIER.test(text);
}
