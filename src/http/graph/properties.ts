/** Every property name a client may `$select`, per entity type. */
export const userProperties = [
  'id', 'userPrincipalName', 'displayName', 'givenName', 'surname', 'mail', 'mailNickname', 'otherMails', 'proxyAddresses',
  'identities', 'businessPhones', 'accountEnabled', 'userType', 'usageLocation', 'jobTitle', 'department', 'companyName',
  'officeLocation', 'mobilePhone', 'preferredLanguage', 'city', 'state', 'country', 'streetAddress', 'postalCode', 'employeeId',
  'externalUserState', 'externalUserStateChangeDateTime', 'creationType', 'createdDateTime',
] as const;

export const groupProperties = [
  'id', 'displayName', 'description', 'mailNickname', 'mailEnabled', 'securityEnabled', 'groupTypes', 'visibility',
  'isAssignableToRole', 'mail', 'createdDateTime',
] as const;

export const directoryRoleProperties = ['id', 'displayName', 'description', 'roleTemplateId'] as const;

/** Relationship collections mix types; any property of any of them may be selected. */
export const directoryObjectProperties = [...new Set<string>([...userProperties, ...groupProperties, ...directoryRoleProperties])];
