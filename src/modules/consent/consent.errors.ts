import { defineErrors } from '../../kernel/errors.ts';

export const ConsentErrors = defineErrors('consent', {
  invalidRedirectUri: { kind: 'badRequest', message: (uri: string) => `The redirect URI '${uri}' is not an absolute https URL (or http on loopback).` },
  unknownPermission: { kind: 'badRequest', message: (value: string) => `'${value}' is not a Microsoft Graph permission this server knows.` },
  noAppRole: { kind: 'badRequest', message: (value: string) => `Microsoft Graph has no application permission '${value}'.` },
  invalidName: { kind: 'badRequest', message: () => 'An application needs a display name.' },
  appNotFound: { kind: 'notFound', message: (appId: string) => `Application with identifier '${appId}' was not found in the directory.` },
});
