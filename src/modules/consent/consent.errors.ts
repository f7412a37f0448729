import { defineErrors } from '../../kernel/errors.ts';

export const ConsentErrors = defineErrors('consent', {
  invalidRedirectUri: { kind: 'badRequest', message: (uri: string) => `The redirect URI '${uri}' is not an absolute https URL (or http on loopback).` },
  unknownPermission: { kind: 'badRequest', message: (value: string) => `'${value}' is not a Microsoft Graph permission this server knows.` },
  noAppRole: { kind: 'badRequest', message: (value: string) => `Microsoft Graph has no application permission '${value}'.` },
  invalidName: { kind: 'badRequest', message: () => 'An application needs a display name.' },
  appNotFound: { kind: 'notFound', message: (appId: string) => `Application with identifier '${appId}' was not found in the directory.` },
  // consent (consent.service.ts): prompts, admin consent, /adminconsent
  unknownScope: { kind: 'badRequest', message: (value: string, resource: string) => `AADSTS70011: The provided value for the input parameter 'scope' is not valid. The scope ${value} is not valid for the resource '${resource}'.` },
  unknownAppRole: { kind: 'badRequest', message: (id: string, resource: string) => `The resource '${resource}' has no application permission with id '${id}'.` },
  resourceNotFound: { kind: 'badRequest', message: (appId: string) => `AADSTS650052: The app needs access to a service ('${appId}') that your organization has not subscribed to or enabled.` },
  servicePrincipalNotFound: { kind: 'notFound', message: (id: string) => `Resource '${id}' does not exist or one of its queried reference-property objects are not present.` },
  servicePrincipalDisabled: { kind: 'forbidden', message: (appId: string) => `AADSTS7000112: Application '${appId}' is disabled.` },
  adminConsentForbidden: { kind: 'forbidden', message: () => 'Insufficient privileges to grant consent for the organization: this needs a Global Administrator, Privileged Role Administrator, Cloud Application Administrator or Application Administrator (Microsoft Graph application permissions: a Global or Privileged Role Administrator).' },
  userConsentForbidden: { kind: 'forbidden', message: () => 'AADSTS90094: The grant requires admin permission.' },
  notConsentInteraction: { kind: 'badRequest', message: () => 'This sign-in is not asking for consent (any more). Go back to the application and sign in again.' },
});
