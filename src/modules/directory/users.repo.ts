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

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    userPrincipalName: row.user_principal_name,
    displayName: row.display_name,
    givenName: row.given_name,
    surname: row.surname,
    mail: row.mail,
    mailNickname: row.mail_nickname,
    otherMails: json<string[]>(row.other_mails, []),
    proxyAddresses: json<string[]>(row.proxy_addresses, []),
    identities: json<ObjectIdentity[]>(row.identities, []),
    businessPhones: json<string[]>(row.business_phones, []),
    accountEnabled: bool(row.account_enabled),
    userType: row.user_type,
    usageLocation: row.usage_location,
    jobTitle: row.job_title,
    department: row.department,
    companyName: row.company_name,
    officeLocation: row.office_location,
    mobilePhone: row.mobile_phone,
    preferredLanguage: row.preferred_language,
    city: row.city,
    state: row.state,
    country: row.country,
    streetAddress: row.street_address,
    postalCode: row.postal_code,
    employeeId: row.employee_id,
    externalUserState: row.external_user_state,
    externalUserStateChangeDateTime: iso(row.external_user_state_change_at, 'nullable'),
    creationType: row.creation_type,
    createdDateTime: iso(row.created_at),
  };
}
