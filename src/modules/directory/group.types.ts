export interface Group {
  id: string;
  displayName: string;
  description: string | null;
  mailNickname: string;
  mailEnabled: boolean;
  securityEnabled: boolean;
  groupTypes: string[];
  visibility: string | null;
  isAssignableToRole: boolean;
  mail: string | null;
  createdDateTime: string;
}

export const groupDefaultProperties = [
  'id',
  'displayName',
  'description',
  'mailNickname',
  'mailEnabled',
  'securityEnabled',
  'groupTypes',
  'visibility',
  'isAssignableToRole',
  'mail',
  'createdDateTime',
] as const;

/** A directory object as relationship collections (members, memberOf, ...) list it. */
export type DirectoryObject =
  | { type: 'user'; object: import('./user.types.ts').User }
  | { type: 'group'; object: Group }
  | { type: 'directoryRole'; object: import('./role.types.ts').DirectoryRole };
