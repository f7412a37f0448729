import type { EntityCatalog, FilterOp, PropertySpec } from '../../kernel/odata/index.ts';

/**
 * What Graph lets clients filter, sort and search on, per property (Graph's "supports $filter
 * (eq, ne, not, ...)" notes and its advanced-query rules: ne, not, endsWith, `eq null` and
 * `/$count` need `ConsistencyLevel: eventual`). Pure data: the OData layer enforces it.
 */
const ADV: FilterOp[] = ['ne', 'not', 'null'];

const text = (column: string, extra: Partial<PropertySpec> = {}): PropertySpec => ({
  column,
  type: 'string',
  filter: { default: ['eq', 'in', 'startswith', 'ge', 'le'], advanced: ADV },
  ...extra,
});

const addressText = (column: string): PropertySpec => ({
  column,
  type: 'string',
  filter: { default: ['eq', 'in', 'startswith', 'ge', 'le'], advanced: [...ADV, 'endswith'] },
  search: true,
});

const emailCollection = (column: string): PropertySpec => ({
  column,
  type: 'stringCollection',
  filter: { default: ['any', 'eq', 'startswith'], advanced: ['endswith', 'count', 'not', 'ne'] },
});

export const userCatalog: EntityCatalog = {
  resource: 'User',
  properties: {
    id: { column: 'id', type: 'guid', filter: { default: ['eq', 'in'], advanced: ['ne', 'not'] } },
    userPrincipalName: { ...addressText('user_principal_name'), orderBy: 'default' },
    displayName: { ...text('display_name'), orderBy: 'default', search: true, filter: { default: ['eq', 'in', 'startswith', 'ge', 'le'], advanced: [...ADV, 'endswith'] } },
    givenName: text('given_name', { search: true, orderBy: 'advanced' }),
    surname: text('surname', { search: true, orderBy: 'advanced' }),
    mail: { ...addressText('mail'), orderBy: 'advanced' },
    mailNickname: text('mail_nickname', { search: true }),
    jobTitle: text('job_title'),
    department: text('department'),
    companyName: text('company_name'),
    officeLocation: text('office_location'),
    city: text('city'),
    state: text('state'),
    country: text('country'),
    postalCode: text('postal_code'),
    employeeId: text('employee_id'),
    usageLocation: text('usage_location'),
    preferredLanguage: text('preferred_language'),
    mobilePhone: text('mobile_phone'),
    accountEnabled: { column: 'account_enabled', type: 'boolean', filter: { default: ['eq'], advanced: ['ne', 'not', 'null'] } },
    userType: { column: 'user_type', type: 'enum', filter: { default: ['eq', 'in', 'null'], advanced: ['ne', 'not'] } },
    externalUserState: { column: 'external_user_state', type: 'enum', filter: { default: ['eq', 'in'], advanced: ['ne', 'not', 'null'] } },
    creationType: { column: 'creation_type', type: 'enum', filter: { default: ['eq', 'in'], advanced: ['ne', 'not', 'null'] } },
    // Graph: "Supports $filter (eq, ne, not, in)"; ge/le as on createdDateTime, so "changed since" works
    externalUserStateChangeDateTime: { column: 'external_user_state_change_at', type: 'datetime', filter: { default: ['eq', 'in', 'ge', 'le', 'gt', 'lt'], advanced: ['ne', 'not', 'null'] } },
    createdDateTime: { column: 'created_at', type: 'datetime', filter: { default: ['ge', 'le', 'gt', 'lt', 'eq', 'in'], advanced: ['ne', 'not', 'null'] }, orderBy: 'advanced' },
    otherMails: emailCollection('other_mails'),
    proxyAddresses: emailCollection('proxy_addresses'),
    identities: {
      column: 'identities',
      type: 'objectCollection',
      fields: { issuer: { key: 'issuer', type: 'string' }, issuerAssignedId: { key: 'issuerAssignedId', type: 'string' }, signInType: { key: 'signInType', type: 'string' } },
      filter: { default: ['any', 'eq'] },
    },
  },
};

export const groupCatalog: EntityCatalog = {
  resource: 'Group',
  properties: {
    id: { column: 'id', type: 'guid', filter: { default: ['eq', 'in'], advanced: ['ne', 'not'] } },
    displayName: { ...text('display_name'), orderBy: 'default', search: true, filter: { default: ['eq', 'in', 'startswith', 'ge', 'le'], advanced: [...ADV, 'endswith'] } },
    description: text('description', { search: true }),
    mailNickname: text('mail_nickname'),
    mail: addressText('mail'),
    mailEnabled: { column: 'mail_enabled', type: 'boolean', filter: { default: ['eq'], advanced: ['ne', 'not'] } },
    securityEnabled: { column: 'security_enabled', type: 'boolean', filter: { default: ['eq'], advanced: ['ne', 'not'] } },
    isAssignableToRole: { column: 'is_assignable_to_role', type: 'boolean', filter: { default: ['eq'], advanced: ['ne', 'not'] } },
    visibility: { column: 'visibility', type: 'enum', filter: { default: ['eq', 'in'], advanced: ['ne', 'not', 'null'] } },
    groupTypes: { column: 'group_types', type: 'stringCollection', filter: { default: ['any', 'eq'], advanced: ['count', 'not'] } },
    createdDateTime: { column: 'created_at', type: 'datetime', filter: { default: ['ge', 'le', 'gt', 'lt', 'eq', 'in'], advanced: ['ne', 'not', 'null'] }, orderBy: 'advanced' },
  },
};
