import { defineErrors } from '../../kernel/errors.ts';

const notFound = (id: string) => `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`;

/** Delegated permission grants and app role assignments (Graph §8.1-§8.2), in Entra's wording where it has one. */
export const GrantsErrors = defineErrors('grants', {
  grantNotFound: { kind: 'notFound', message: notFound },
  assignmentNotFound: { kind: 'notFound', message: notFound },
  objectNotFound: { kind: 'notFound', message: notFound },
  notServicePrincipal: { kind: 'badRequest', message: (property: string, id: string) => `Invalid value specified for property '${property}' of resource 'OAuth2PermissionGrant': '${id}' is not a service principal in this directory.` },
  invalidConsentType: { kind: 'badRequest', message: (value: string) => `Invalid value specified for property 'consentType' of resource 'OAuth2PermissionGrant': '${value}'. Expected 'AllPrincipals' or 'Principal'.` },
  principalRequired: { kind: 'badRequest', message: () => "Property 'principalId' must name a user when 'consentType' is 'Principal'." },
  principalNotAllowed: { kind: 'badRequest', message: () => "Property 'principalId' must be null when 'consentType' is 'AllPrincipals'." },
  principalNotUser: { kind: 'badRequest', message: (id: string) => `Invalid value specified for property 'principalId' of resource 'OAuth2PermissionGrant': '${id}' is not a user in this directory.` },
  unknownScope: { kind: 'badRequest', message: (value: string, resource: string) => `The scope '${value}' is not a delegated permission published by the resource '${resource}'.` },
  emptyScope: { kind: 'badRequest', message: () => "Property 'scope' must name at least one delegated permission." },
  duplicateGrant: { kind: 'conflict', message: () => 'Permission entry already exists.' },
  missingProperty: { kind: 'badRequest', message: (name: string, entity: string) => `Property '${name}' is required when creating a ${entity}.` },
  pathMismatch: { kind: 'badRequest', message: (property: string, id: string) => `The value of property '${property}' must be '${id}', the object this request is addressed to.` },
  invalidPrincipal: { kind: 'badRequest', message: (id: string, type: string) => `Invalid value specified for property 'principalId' of resource 'AppRoleAssignment': '${id}' is not a ${type} in this directory.` },
  invalidResource: { kind: 'badRequest', message: (id: string) => `Invalid value specified for property 'resourceId' of resource 'AppRoleAssignment': '${id}' is not a service principal in this directory.` },
  invalidAppRole: {
    kind: 'badRequest',
    message: (appRoleId: string, memberType: string) => `Permission being assigned was not found on application: the resource has no enabled app role '${appRoleId}' that may be assigned to a ${memberType}.`,
  },
  duplicateAssignment: { kind: 'badRequest', message: () => 'Permission being assigned already exists on the object' },
  graphApplicationPermission: {
    kind: 'forbidden',
    message: () => "Granting Microsoft Graph's application permissions requires a Global Administrator or Privileged Role Administrator.",
  },
  meRequiresUser: { kind: 'badRequest', message: () => '/me request is only valid with delegated authentication flow.' },
  unsupportedFilter: { kind: 'unsupportedQuery', message: (why: string) => `Unsupported query: ${why}` },
});
