import type { BulkStatus } from '../../../graph/bulkOperations.ts';
import { Badge } from '../../../ui/Badge.tsx';
import { bulkStatusLabel } from '../externalRules.ts';

const tones = { notStarted: 'neutral', running: 'info', completed: 'success', failed: 'danger' } as const;

export function BulkStatusBadge({ status }: { status: BulkStatus }) {
  return <Badge tone={tones[status] ?? 'neutral'}>{bulkStatusLabel(status)}</Badge>;
}
