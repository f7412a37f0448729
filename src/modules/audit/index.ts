import { newId } from '../../kernel/ids.ts';
import type { Clock } from '../../kernel/clock.ts';
import type { TenantDb } from '../../storage/scoped.ts';
import { auditRepo } from './audit.repo.ts';

export type { AuditEvent } from './audit.repo.ts';
export { auditRepo };

/**
 * Appends an audit event inside the caller's transaction, so the record and the change it
 * describes are written together or not at all.
 */
export function recordAudit(
  tdb: TenantDb,
  clock: Clock,
  entry: { actorId: string | null; actorType: string; action: string; targetType?: string; targetId?: string; details?: Record<string, unknown> },
): Promise<void> {
  return auditRepo.append(tdb, {
    id: newId(),
    occurredAt: clock.now().toISOString(),
    actorId: entry.actorId,
    actorType: entry.actorType,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    details: entry.details ?? {},
  });
}
