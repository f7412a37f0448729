import type { TenantDb } from '../../storage/scoped.ts';
import { toJson } from '../../storage/values.ts';

export interface AuditEvent {
  id: string;
  occurredAt: string;
  actorId: string | null;
  actorType: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
}

export const auditRepo = Object.freeze({
  async append(tdb: TenantDb, event: AuditEvent): Promise<void> {
    await tdb
      .insertInto('audit_events', {
        id: event.id,
        occurred_at: event.occurredAt,
        actor_id: event.actorId,
        actor_type: event.actorType,
        action: event.action,
        target_type: event.targetType,
        target_id: event.targetId,
        details: toJson(event.details),
      })
      .execute();
  },

  async list(tdb: TenantDb, limit: number): Promise<AuditEvent[]> {
    const rows = await tdb.selectFrom('audit_events').selectAll().orderBy('occurred_at', 'desc').limit(limit).execute();
    return rows.map((row) => ({
      id: row.id,
      occurredAt: String(row.occurred_at),
      actorId: row.actor_id,
      actorType: row.actor_type,
      action: row.action,
      targetType: row.target_type,
      targetId: row.target_id,
      details: (typeof row.details === 'string' ? JSON.parse(row.details) : row.details) as Record<string, unknown>,
    }));
  },
});
