import { DIRECTORY_ROLE_TYPE, type DirectoryObject, GROUP_TYPE, USER_TYPE } from '../graph/types.ts';
import { paths } from '../router/routes.ts';

/** How a member of a mixed collection (members, memberOf) is named, labelled and linked. */
export function objectName(object: DirectoryObject): string {
  return object.displayName || object.userPrincipalName || object.mail || object.id;
}

export function objectKind(object: DirectoryObject): string {
  switch (object['@odata.type']) {
    case USER_TYPE:
      return 'User';
    case GROUP_TYPE:
      return 'Group';
    case DIRECTORY_ROLE_TYPE:
      return 'Directory role';
    default:
      return object['@odata.type']?.replace('#microsoft.graph.', '') ?? 'Object';
  }
}

export function objectPath(object: DirectoryObject): string | null {
  switch (object['@odata.type']) {
    case USER_TYPE:
      return paths.user(object.id);
    case GROUP_TYPE:
      return paths.group(object.id);
    case DIRECTORY_ROLE_TYPE:
      return paths.role(object.id);
    default:
      return null;
  }
}

/** The line under the name: a user's sign-in name, a group's or role's description. */
export function objectDetail(object: DirectoryObject): string {
  return object.userPrincipalName || object.mail || object.description || '';
}
