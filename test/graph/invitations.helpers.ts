import { inTransaction } from '../../src/storage/scoped.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import type { Principal } from '../../src/modules/directory/index.ts';
import type { Harness } from '../helpers/server.ts';

/**
 * Shared by the invitation tests: users with directory roles (and their tokens), a manual clock,
 * and a small MIME reader for mail received by the real SMTP server (test/helpers/smtp.ts).
 */
export const ROLE = {
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  userAdministrator: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  guestInviter: '95e79109-95c0-4d8e-aee3-d01accf2d47b',
  helpdeskAdministrator: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  privilegedRoleAdministrator: 'e8611ab8-c189-46e8-94e1-60213ab1f814',
  directoryReaders: '88d8e3e3-8f55-4a1e-953a-9b9898b8876b',
  globalReader: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
} as const;

export class ManualClock {
  #now: number;
  constructor(start = Date.now()) {
    this.#now = start;
  }
  now(): Date {
    return new Date(this.#now);
  }
  advance(ms: number): void {
    this.#now += ms;
  }
}

let counter = 0;

/** A user of the harness tenant with the given type and directory roles, and a delegated token with `scopes`. */
export async function userWithRoles(
  h: Harness,
  options: { userType?: 'Member' | 'Guest'; roles?: string[]; scopes?: string[]; name?: string } = {},
): Promise<{ id: string; upn: string; token: string }> {
  const scope = tenantScope(h.tenant.id);
  const system: Principal = { kind: 'system', tenantId: h.tenant.id };
  const alias = `${options.name ?? 'user'}${++counter}`;
  const upn = `${alias}@${h.tenant.domain}`;
  const user = await h.container.users.createMember(scope, system, {
    userPrincipalName: upn,
    displayName: options.name ?? alias,
    mailNickname: alias,
    accountEnabled: true,
    mail: upn,
    userType: options.userType ?? 'Member',
    password: 'Str0ng-Passw0rd!',
  });
  for (const role of options.roles ?? []) {
    await inTransaction(h.container.database, scope, (tdb) => h.container.roles.assignByTemplate(tdb, system, role, user.id));
  }
  const token = h.tokens.user(h.tenant.id, user.id, options.scopes ?? ['User.Invite.All', 'User.Read']);
  return { id: user.id, upn, token };
}

/** An app-only token with these application permissions (and, optionally, directory roles on its service principal). */
export function appToken(h: Harness, roles: string[]): string {
  return h.tokens.app(h.tenant.id, roles);
}

export interface DecodedMail {
  subject: string;
  headers: Record<string, string>;
  text: string;
  html: string;
}

/** Reads a raw RFC 5322 message as nodemailer writes it (multipart/alternative, quoted-printable or base64 parts). */
export function decodeMail(raw: string): DecodedMail {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  const headers = parseHeaders(head ?? '');
  const body = rest.join('\r\n\r\n');
  const parts: { type: string; content: string }[] = [];
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(headers['content-type'] ?? '')?.[1];
  if (boundary) {
    for (const chunk of body.split(`--${boundary}`)) {
      const [partHead, ...partBody] = chunk.replace(/^\r?\n/, '').split(/\r?\n\r?\n/);
      const partHeaders = parseHeaders(partHead ?? '');
      if (!partHeaders['content-type']) continue;
      parts.push({ type: partHeaders['content-type'], content: decodeBody(partBody.join('\r\n\r\n'), partHeaders['content-transfer-encoding']) });
    }
  } else {
    parts.push({ type: headers['content-type'] ?? 'text/plain', content: decodeBody(body, headers['content-transfer-encoding']) });
  }
  return {
    subject: decodeWords(headers.subject ?? ''),
    headers,
    text: parts.find((p) => p.type.startsWith('text/plain'))?.content ?? '',
    html: parts.find((p) => p.type.startsWith('text/html'))?.content ?? '',
  };
}

function parseHeaders(block: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) out[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return out;
}

function decodeBody(body: string, encoding: string | undefined): string {
  const text = body.replace(/\r?\n$/, '');
  if (encoding?.toLowerCase() === 'base64') return Buffer.from(text.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding?.toLowerCase() === 'quoted-printable') {
    const bytes = text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return text;
}

function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QB])\?([^?]*)\?=/gi, (_, _charset: string, kind: string, data: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (__, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8'),
    );
}
