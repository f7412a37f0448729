import { Badge } from '../../../ui/Badge.tsx';
import { invitationStateLabel } from '../externalRules.ts';

export function GuestStateBadge({ state }: { state: string | null }) {
  const tone = state === 'Accepted' ? 'success' : state === 'PendingAcceptance' ? 'warning' : 'neutral';
  return <Badge tone={tone}>{invitationStateLabel(state)}</Badge>;
}
