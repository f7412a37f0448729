import { defineErrors } from '../../kernel/errors.ts';

const notFound = (id: string) => `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`;

export const DirectoryErrors = defineErrors('directory', {
  objectNotFound: { kind: 'notFound', message: notFound },
  tenantNotFound: { kind: 'notFound', message: (id: string) => `Tenant '${id}' not found.` },
  duplicateUpn: {
    kind: 'duplicateKey',
    message: (upn: string) => `Another object with the same value for property userPrincipalName already exists: '${upn}'.`,
  },
  duplicateMailNickname: {
    kind: 'duplicateKey',
    message: (nick: string) => `Another object with the same value for property mailNickname already exists: '${nick}'.`,
  },
  duplicateDomain: { kind: 'duplicateKey', message: (domain: string) => `The domain '${domain}' is already in use by a tenant.` },
  invalidUpnDomain: {
    kind: 'badRequest',
    message: (upn: string) =>
      `The domain portion of the userPrincipalName property is invalid: '${upn}'. You must use one of the verified domain names in your organization.`,
  },
  invalidUpn: { kind: 'badRequest', message: (upn: string) => `Invalid value specified for property 'userPrincipalName' of resource 'User': '${upn}'.` },
  invalidPassword: { kind: 'badRequest', message: (why: string) => `The specified password does not comply with password complexity requirements. ${why}` },
  alreadyMember: {
    kind: 'badRequest',
    message: () => "One or more added object references already exist for the following modified properties: 'members'.",
  },
  alreadyOwner: {
    kind: 'badRequest',
    message: () => "One or more added object references already exist for the following modified properties: 'owners'.",
  },
  notMember: { kind: 'notFound', message: (id: string) => `Resource '${id}' does not exist or one of its queried reference-property objects are not present.` },
  memberCycle: { kind: 'badRequest', message: () => 'A group cannot be a member of itself, directly or through nested groups.' },
  unsupportedMemberType: { kind: 'badRequest', message: (type: string) => `Objects of type '${type}' cannot be added to this collection.` },
  invalidReference: {
    kind: 'badRequest',
    message: (value: string) => `Invalid object reference '${value}'. Expected {"@odata.id": "<base>/v1.0/directoryObjects/{id}"}.`,
  },
  tooManyBindings: { kind: 'badRequest', message: () => 'At most 20 objects can be added in one request.' },
  invalidDomain: { kind: 'badRequest', message: (domain: string) => `'${domain}' is not a valid domain name.` },
  lastGlobalAdmin: { kind: 'conflict', message: () => 'The last Global Administrator of a tenant cannot be removed.' },
  meRequiresUser: { kind: 'badRequest', message: () => '/me request is only valid with delegated authentication flow.' },
  readOnlyAfterCreate: { kind: 'badRequest', message: (p: string) => `Property '${p}' can only be set when the object is created.` },
  invalidIdList: { kind: 'badRequest', message: () => "Property 'ids' must be an array of 1 to 1000 ids, and 'types', when given, an array of type names such as 'user' or 'group'." },
  forbidden: { kind: 'forbidden', message: () => 'Insufficient privileges to complete the operation.' },
  /**
   * A tenant keeps at least one enabled Global Administrator, whatever the path (delete, disable,
   * role removal): 409, because the request is valid and only the tenant's current state forbids it
   * (it succeeds once another enabled Global Administrator exists).
   */
  lastEnabledGlobalAdmin: {
    kind: 'conflict',
    message: (outcome: 'deleted' | 'disabled' | 'removed from the Global Administrator role') =>
      `The last enabled Global Administrator of a tenant cannot be ${outcome}. Assign the Global Administrator role to another enabled user first.`,
  },
  /** Deleting one's own account is never valid, whatever the roles (400, not a state conflict). */
  cannotDeleteSelf: { kind: 'badRequest', message: () => 'You cannot delete your own account. Ask another administrator to delete it.' },
});
