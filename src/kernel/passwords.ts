import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id with OWASP's second recommended setting (m=19456 KiB, t=2, p=1). The async API runs on
 * libuv's thread pool, so hashing never blocks the event loop.
 */
// algorithm 2 = Argon2id (the package's const enum cannot be imported under verbatimModuleSyntax)
const OWASP = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/**
 * The argon2id primitive every password goes through, as one object: the side-channel tests
 * watch `verify` to prove that the password step does the same work for accounts that don't exist.
 */
export const argon2id = {
  hash: (password: string): Promise<string> => hash(password, OWASP),
  verify: (hashed: string, password: string): Promise<boolean> => verify(hashed, password),
};

export function hashPassword(password: string): Promise<string> {
  return argon2id.hash(password);
}

export async function verifyPassword(hashed: string, password: string): Promise<boolean> {
  try {
    return await argon2id.verify(hashed, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * The hash of a random password nobody knows, with the same parameters as every real one:
 * computed once, on first use (a failure is not cached, the next caller tries again).
 */
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= argon2id.hash(randomBytes(32).toString('base64url')).catch((error: unknown) => {
    dummyHash = undefined;
    throw error;
  });
  return dummyHash;
}

/**
 * The password step for an account that does not exist or has no password: the same argon2
 * verification a real account gets, against the dummy hash, so the time it takes does not tell
 * whether the account exists. Always false.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  await verifyPassword(await dummyPasswordHash(), password);
  return false;
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
