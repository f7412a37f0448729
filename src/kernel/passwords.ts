import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id with OWASP's second recommended setting (m=19456 KiB, t=2, p=1). The async API runs on
 * libuv's thread pool, so hashing never blocks the event loop.
 */
// algorithm 2 = Argon2id (the package's const enum cannot be imported under verbatimModuleSyntax)
const OWASP = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OWASP);
}

export async function verifyPassword(hashed: string, password: string): Promise<boolean> {
  try {
    return await verify(hashed, password);
  } catch {
    return false;
  }
}

/** Entra's default password policy: 8-256 characters and three of four character classes. */
export function passwordProblem(password: string): string | null {
  if (password.length < 8 || password.length > 256) return 'The password must be between 8 and 256 characters.';
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) {
    return 'The password must contain characters from at least three of: lower case, upper case, digits, symbols.';
  }
  return null;
}
