import type { Actor } from '../domain/people.js';
import { json } from './sql-text.js';
import { toIso, type SqlExecutor } from './sql-client.js';

/** The workflow ID under which store-wide audit events (e.g. the retention purge) are written. */
export const SYSTEM_WORKFLOW_ID = 'system:records-store';

export interface AuditEvent {
  /** Idempotency key: a retried write with the same ID is a no-op. */
  eventId: string;
  workflowId: string;
  type: string;
  actor?: Actor;
  at: string;
  /** No child personal data here. */
  data: Record<string, unknown>;
}

/** The append-only audit log (the database refuses UPDATE, DELETE and TRUNCATE on it). */
export interface AuditStore {
  appendEvent(event: AuditEvent): Promise<void>;
  listEvents(workflowId: string): Promise<AuditEvent[]>;
}

/** Keys that would carry a child's identity; audit rows are never purged, so they are refused. */
const PERSONAL_KEYS = new Set([
  'givenname',
  'familyname',
  'dateofbirth',
  'dob',
  'pnc',
  'pncid',
  'identity',
  'child',
  'certificate',
]);

function findPersonalKey(value: unknown, depth = 0): string | undefined {
  if (depth > 8 || value === null || typeof value !== 'object') return undefined;
  for (const [k, v] of Object.entries(value)) {
    if (PERSONAL_KEYS.has(k.toLowerCase().replace(/[^a-z]/g, ''))) return k;
    const nested = findPersonalKey(v, depth + 1);
    if (nested) return nested;
  }
  return undefined;
}

interface EventRow {
  event_id: string;
  workflow_id: string;
  type: string;
  actor: Actor | null;
  at: Date | string;
  data: Record<string, unknown>;
}

export class SqlAuditStore implements AuditStore {
  constructor(private readonly sql: SqlExecutor) {}

  async appendEvent(event: AuditEvent): Promise<void> {
    const personal = findPersonalKey(event.data);
    if (personal) {
      throw new Error(
        `Audit event ${event.type} carries "${personal}": audit rows are kept for ever and must hold no child personal data`,
      );
    }
    await this.sql.query(
      `INSERT INTO audit_events (event_id, workflow_id, type, actor, at, data)
       VALUES ($1, $2, $3, $4::text::jsonb, $5::timestamptz, $6::text::jsonb)
       ON CONFLICT (event_id) DO NOTHING`,
      [
        event.eventId,
        event.workflowId,
        event.type,
        event.actor ? json(event.actor) : null,
        event.at,
        json(event.data),
      ],
    );
  }

  async listEvents(workflowId: string): Promise<AuditEvent[]> {
    const rows = await this.sql.query<EventRow>(
      `SELECT event_id, workflow_id, type, actor, at, data FROM audit_events
       WHERE workflow_id = $1 ORDER BY at, seq`,
      [workflowId],
    );
    return rows.map((r) => ({
      eventId: r.event_id,
      workflowId: r.workflow_id,
      type: r.type,
      ...(r.actor ? { actor: r.actor } : {}),
      at: toIso(r.at),
      data: r.data,
    }));
  }
}
