import { sql } from 'kysely';
import type { TenantDb } from '../../storage/scoped.ts';
import type { UserRow } from '../../storage/schema.ts';
import { bool, iso, json, toJson } from '../../storage/values.ts';
import type { ObjectIdentity, User } from './user.types.ts';

export interface NewUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  mailNickname: string;
  accountEnabled: boolean;
  userType: 'Member' | 'Guest';
  givenName?: string | null;
  surname?: string | null;
  mail?: string | null;
  otherMails?: string[];
  proxyAddresses?: string[];
  identities?: ObjectIdentity[];
  businessPhones?: string[];
  usageLocation?: string | null;
  jobTitle?: string | null;
  department?: string | null;
  companyName?: string | null;
  officeLocation?: string | null;
  mobilePhone?: string | null;
  preferredLanguage?: string | null;
  city?: string | null;
  state?: string | null;
  country?: string | null;
  streetAddress?: string | null;
  postalCode?: string | null;
  employeeId?: string | null;
  externalUserState?: string | null;
  creationType?: string | null;
}

export interface UserCredential {
  passwordHash: string;
  passwordChangedAt: string;
  forceChangePasswordNextSignIn: boolean;
}

export type UserColumnPatch = Partial<Omit<UserRow, 'tenant_id' | 'id' | 'created_at'>>;

export const usersRepo = Object.freeze({
  async insert(tdb: TenantDb, user: NewUser, now: string): Promise<void> {
    await tdb.insertInto('directory_objects', { id: user.id, object_type: 'user', created_at: now }).execute();
    await tdb
      .insertInto('users', {
        id: user.id,
        user_principal_name: user.userPrincipalName,
        display_name: user.displayName,
        given_name: user.givenName ?? null,
        surname: user.surname ?? null,
        mail: user.mail ?? null,
        mail_nickname: user.mailNickname,
        other_mails: toJson(user.otherMails ?? []),
        proxy_addresses: toJson(user.proxyAddresses ?? []),
        identities: toJson(user.identities ?? []),
        business_phones: toJson(user.businessPhones ?? []),
        account_enabled: user.accountEnabled,
        user_type: user.userType,
        usage_location: user.usageLocation ?? null,
        job_title: user.jobTitle ?? null,
        department: user.department ?? null,
        company_name: user.companyName ?? null,
        office_location: user.officeLocation ?? null,
        mobile_phone: user.mobilePhone ?? null,
        preferred_language: user.preferredLanguage ?? null,
        city: user.city ?? null,
        state: user.state ?? null,
        country: user.country ?? null,
        street_address: user.streetAddress ?? null,
        postal_code: user.postalCode ?? null,
        employee_id: user.employeeId ?? null,
        external_user_state: user.externalUserState ?? null,
        external_user_state_change_at: user.externalUserState ? now : null,
        creation_type: user.creationType ?? null,
        created_at: now,
        updated_at: now,
      })
      .execute();
  },

  async findById(tdb: TenantDb, id: string): Promise<User | undefined> {
    const row = await tdb.selectFrom('users').selectAll().where('users.id', '=', id).executeTakeFirst();
    return row ? toUser(row) : undefined;
  },

  async findByUpn(tdb: TenantDb, upn: string): Promise<User | undefined> {
    const row = await tdb
      .selectFrom('users')
      .selectAll()
      .where(sql<boolean>`lower(user_principal_name) = ${upn.toLowerCase()}`)
      .executeTakeFirst();
    return row ? toUser(row) : undefined;
  },

  async findByIds(tdb: TenantDb, ids: readonly string[]): Promise<User[]> {
    if (ids.length === 0) return [];
    const rows = await tdb.selectFrom('users').selectAll().where('users.id', 'in', [...ids]).execute();
    return rows.map(toUser);
  },

  async upnTaken(tdb: TenantDb, upn: string, exceptId?: string): Promise<boolean> {
    let query = tdb.selectFrom('users').select('users.id').where(sql<boolean>`lower(user_principal_name) = ${upn.toLowerCase()}`);
    if (exceptId) query = query.where('users.id', '!=', exceptId);
    return (await query.executeTakeFirst()) !== undefined;
  },

  async update(tdb: TenantDb, id: string, patch: UserColumnPatch): Promise<void> {
    await tdb.updateTable('users').set(patch as never).where('users.id', '=', id).execute();
  },

  async delete(tdb: TenantDb, id: string): Promise<boolean> {
    const result = await tdb.deleteFrom('directory_objects').where('directory_objects.id', '=', id).where('object_type', '=', 'user').executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  },

  async count(tdb: TenantDb, userType?: 'Member' | 'Guest'): Promise<number> {
    let query = tdb.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n'));
    if (userType) query = query.where('user_type', '=', userType);
    const row = await query.executeTakeFirstOrThrow();
    return Number(row.n);
  },

  /** Sets (or replaces) the user's password, and whether it must be changed at the next sign-in. */
  async setPasswordHash(tdb: TenantDb, userId: string, hash: string, now: string, forceChangeNextSignIn: boolean): Promise<void> {
    const values = { password_hash: hash, password_changed_at: now, force_change_password_next_sign_in: forceChangeNextSignIn };
    await tdb
      .insertInto('user_credentials', { user_id: userId, ...values })
      .onConflict((oc) => oc.columns(['tenant_id', 'user_id']).doUpdateSet(values))
      .execute();
  },

  /** Sets only the "change at next sign-in" flag of an existing credential; false when the user has none. */
  async setForceChangePassword(tdb: TenantDb, userId: string, value: boolean): Promise<boolean> {
    const result = await tdb.updateTable('user_credentials').set({ force_change_password_next_sign_in: value }).where('user_id', '=', userId).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  },

  /**
   * Replaces the password only while it is still `expectedHash` (so a reset that happened in the
   * meantime wins) and clears the "change at next sign-in" flag with it. False when nothing changed.
   */
  async replacePassword(tdb: TenantDb, userId: string, expectedHash: string, hash: string, now: string): Promise<boolean> {
    const result = await tdb
      .updateTable('user_credentials')
      .set({ password_hash: hash, password_changed_at: now, force_change_password_next_sign_in: false })
      .where('user_id', '=', userId)
      .where('password_hash', '=', expectedHash)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  },

  async credential(tdb: TenantDb, userId: string): Promise<UserCredential | undefined> {
    const row = await tdb
      .selectFrom('user_credentials')
      .select(['password_hash', 'password_changed_at', 'force_change_password_next_sign_in'])
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row
      ? { passwordHash: row.password_hash, passwordChangedAt: iso(row.password_changed_at), forceChangePasswordNextSignIn: bool(row.force_change_password_next_sign_in) }
      : undefined;
  },
});

type UserField<K extends keyof User> = { readonly column: keyof UserRow & string; readonly read: (row: UserRow) => User[K] };
const field = <K extends keyof User>(column: keyof UserRow & string, read: (row: UserRow) => User[K]): UserField<K> => ({ column, read });

/**
 * Each Graph property of a user with the one column it is read from. A list page selects only the
 * columns of the properties it returns (`userColumnsFor`); a whole user is every field.
 */
const userFields: { readonly [K in keyof User]: UserField<K> } = {
  id: field('id', (row) => row.id),
  userPrincipalName: field('user_principal_name', (row) => row.user_principal_name),
  displayName: field('display_name', (row) => row.display_name),
  givenName: field('given_name', (row) => row.given_name),
  surname: field('surname', (row) => row.surname),
  mail: field('mail', (row) => row.mail),
  mailNickname: field('mail_nickname', (row) => row.mail_nickname),
  otherMails: field('other_mails', (row) => json<string[]>(row.other_mails, [])),
  proxyAddresses: field('proxy_addresses', (row) => json<string[]>(row.proxy_addresses, [])),
  identities: field('identities', (row) => json<ObjectIdentity[]>(row.identities, [])),
  businessPhones: field('business_phones', (row) => json<string[]>(row.business_phones, [])),
  accountEnabled: field('account_enabled', (row) => bool(row.account_enabled)),
  userType: field('user_type', (row) => row.user_type),
  usageLocation: field('usage_location', (row) => row.usage_location),
  jobTitle: field('job_title', (row) => row.job_title),
  department: field('department', (row) => row.department),
  companyName: field('company_name', (row) => row.company_name),
  officeLocation: field('office_location', (row) => row.office_location),
  mobilePhone: field('mobile_phone', (row) => row.mobile_phone),
  preferredLanguage: field('preferred_language', (row) => row.preferred_language),
  city: field('city', (row) => row.city),
  state: field('state', (row) => row.state),
  country: field('country', (row) => row.country),
  streetAddress: field('street_address', (row) => row.street_address),
  postalCode: field('postal_code', (row) => row.postal_code),
  employeeId: field('employee_id', (row) => row.employee_id),
  externalUserState: field('external_user_state', (row) => row.external_user_state),
  externalUserStateChangeDateTime: field('external_user_state_change_at', (row) => iso(row.external_user_state_change_at, 'nullable')),
  creationType: field('creation_type', (row) => row.creation_type),
  createdDateTime: field('created_at', (row) => iso(row.created_at)),
};

const userFieldNames = Object.keys(userFields) as (keyof User)[];
const fieldByLowerName = new Map(userFieldNames.map((name) => [name.toLowerCase(), name]));

export function toUser(row: UserRow): User {
  const user = {} as Record<keyof User, unknown>;
  for (const name of userFieldNames) user[name] = userFields[name].read(row);
  return user as User;
}

/**
 * The columns that hold the given Graph properties (names compared as Graph does, ignoring case),
 * or null when one of them is not a stored property (then the whole row is read).
 */
export function userColumnsFor(properties: readonly string[]): string[] | null {
  const columns = new Set<string>(['id']);
  for (const property of properties) {
    const name = fieldByLowerName.get(property.toLowerCase());
    if (!name) return null;
    columns.add(userFields[name].column);
  }
  return [...columns];
}

/** Only the properties whose columns the row holds (a list page read with `userColumnsFor`). */
export function toPartialUser(row: Partial<UserRow>): Partial<User> {
  const user: Record<string, unknown> = {};
  for (const name of userFieldNames) {
    const { column, read } = userFields[name];
    if (column in row) user[name] = read(row as UserRow);
  }
  return user as Partial<User>;
}
