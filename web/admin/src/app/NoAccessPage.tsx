import type { SignedInUser } from '../access/loadAccess.ts';
import { SignOutButton } from './SignOutButton.tsx';
import { Standalone } from './Standalone.tsx';

export function NoAccessPage({ user }: { user: SignedInUser }) {
  return (
    <Standalone title="You don't have administrative access to this tenant" testId="no-access">
      <p>
        You're signed in as <strong>{user.displayName || user.userPrincipalName}</strong> ({user.userPrincipalName}).
      </p>
      <p>
        The admin center is for people who hold an administrator role in this directory, such as Global Administrator, User
        Administrator or Groups Administrator. Ask an administrator to assign you a role, or sign out and sign in with another
        account.
      </p>
      <SignOutButton />
    </Standalone>
  );
}
