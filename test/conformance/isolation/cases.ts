import { readdir } from 'node:fs/promises';
import type { TenantDb } from '../../../src/storage/scoped.ts';
import type { TenantScope } from '../../../src/tenancy/scope.ts';
import type { Harness } from '../../helpers/server.ts';

/** Tenant B's objects that every isolation case may aim at (created once per dialect). */
export interface Fixture {
  jobId: string;
  mailId: string;
  userId: string;
  groupId: string;
  nestedGroupId: string;
  roleId: string;
  upn: string;
  nickname: string;
  graphSpId: string;
  appId: string;
  kid: string;
  /** B's user's stored password hash, so a conditional write scoped to A gets the right expectation */
  passwordHash: string;
  /** what each case file's `seed` returned, merged */
  extra: Record<string, any>;
}

/** One case: called scoped to tenant A with B's ids; it must find nothing and change nothing of B's. */
export type Case = (a: TenantDb, b: Fixture) => Promise<void>;

/**
 * A module's contribution to the two-tenant isolation suite: its repositories (every method must
 * have a case), the cases, and the rows of tenant B they aim at.
 */
export interface IsolationCaseFile {
  repositories: Record<string, object>;
  cases: Record<string, Record<string, Case>>;
  seed?: (harness: Harness, scopeB: TenantScope, b: Fixture) => Promise<Record<string, unknown>>;
}

/** Every `*.cases.ts` file in this folder, in name order. */
export async function loadIsolationCaseFiles(): Promise<IsolationCaseFile[]> {
  const names = (await readdir(new URL('.', import.meta.url))).filter((n) => n.endsWith('.cases.ts')).sort();
  return Promise.all(names.map(async (n) => (await import(new URL(n, import.meta.url).href)) as IsolationCaseFile));
}
