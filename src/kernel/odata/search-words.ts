/**
 * $search is tokenized: `"displayName:jo"` matches a value when any word in it starts with `jo`.
 * These characters separate words besides whitespace, so `john.doe@contoso.com` has the words
 * john, doe, contoso, com. Storage applies the same list to column values in SQL, so both sides
 * must use this one definition.
 */
export const SEARCH_SEPARATORS: readonly string[] = ['.', '-', '_', '@', ',', ';', ':', '/', '\\', '(', ')', "'", '"', '&', '+', '#', '!', '?'];

/** The term as storage matches it: separators turned into single spaces, trimmed. */
export function searchWords(term: string): string {
  let words = term;
  for (const separator of SEARCH_SEPARATORS) words = words.replaceAll(separator, ' ');
  return words.replace(/\s+/g, ' ').trim();
}
