import { defineErrors } from '../../kernel/errors.ts';

/**
 * Graph's errors for application registrations and service principals (graph-reference §8.3-§8.4).
 * Bad input is a 400 with nothing changed; ids of another tenant are "does not exist" like any other.
 */
export const ApplicationErrors = defineErrors('applications', {
  notFound: { kind: 'notFound', message: (id: string) => `Resource '${id}' does not exist or one of its queried reference-property objects are not present.` },
  invalid: { kind: 'badRequest', message: (problem: string) => problem },
  signInAudience: {
    kind: 'badRequest',
    message: (value: string) =>
      `Invalid value '${value}' for property 'signInAudience': this server supports AzureADMyOrg and AzureADMultipleOrgs only (there are no personal Microsoft accounts here, so AzureADandPersonalMicrosoftAccount and PersonalMicrosoftAccount cannot be honoured).`,
  },
  firstParty: { kind: 'badRequest', message: (appId: string) => `Application '${appId}' is part of this server (a first-party app) and cannot be changed or removed through Graph.` },
  servicePrincipalExists: { kind: 'conflict', message: (appId: string) => `A service principal for application '${appId}' already exists in this directory.` },
  unknownApplication: { kind: 'badRequest', message: (appId: string) => `The appId '${appId}' of the application does not reference a valid application object (not registered here, and not a multi-tenant app of another organization).` },
  tooManySecrets: { kind: 'badRequest', message: (limit: number) => `An application can have at most ${limit} client secrets.` },
  tooManyKeys: { kind: 'badRequest', message: (limit: number) => `An application can have at most ${limit} key credentials.` },
  passwordNotFound: { kind: 'notFound', message: (keyId: string) => `No password credential found with keyId '${keyId}'.` },
  keyNotFound: { kind: 'notFound', message: (keyId: string) => `No key credential found with keyId '${keyId}'.` },
  invalidCertificate: { kind: 'badRequest', message: (problem: string) => `Invalid keyCredential: ${problem}` },
  classificationExists: { kind: 'conflict', message: (permissionId: string) => `The permission '${permissionId}' already has a classification on this service principal.` },
  classificationNotFound: { kind: 'notFound', message: (id: string) => `Resource '${id}' does not exist or one of its queried reference-property objects are not present.` },
  unknownDelegatedPermission: { kind: 'badRequest', message: (id: string) => `Permission '${id}' is not a delegated permission (oauth2PermissionScope) of this service principal.` },
});
