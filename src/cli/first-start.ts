import { randomBytes } from 'node:crypto';
import type { Container } from '../container.ts';

/**
 * On an empty database, `serve` creates the first tenant and its Global Administrator, so a fresh
 * `npm start` leads straight to a working admin center. Credentials come from TESSERA_ADMIN_EMAIL /
 * TESSERA_ADMIN_PASSWORD, or are generated and printed once.
 */
export async function ensureFirstTenant(container: Container): Promise<{ tenantId: string; email: string; password: string | null } | null> {
  if ((await container.tenants.listIds()).length > 0) return null;
  const { admin } = container.config;
  const email = admin.email ?? 'admin@tessera.local';
  const domain = email.slice(email.indexOf('@') + 1);
  const password = admin.password ?? generatePassword();
  const { tenant } = await container.tenants.create({ displayName: admin.tenantName, domain, admin: { email, password } });
  return { tenantId: tenant.id, email, password: admin.password ? null : password };
}

/** 20 random characters plus one of each class, so it always meets the password policy. */
function generatePassword(): string {
  return `${randomBytes(15).toString('base64url')}aA1!`;
}
