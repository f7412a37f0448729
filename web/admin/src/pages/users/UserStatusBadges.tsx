import type { User } from '../../graph/types.ts';
import { Badge } from '../../ui/Badge.tsx';

export function UserStatusBadges({ user }: { user: User }) {
  return (
    <span className="badges">
      {user.userType === 'Guest' ? <Badge tone="info">Guest</Badge> : <Badge>Member</Badge>}
      {user.accountEnabled === false && <Badge tone="danger">Disabled</Badge>}
      {user.externalUserState === 'PendingAcceptance' && <Badge tone="warning">Invitation pending</Badge>}
    </span>
  );
}
