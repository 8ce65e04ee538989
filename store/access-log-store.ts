import type { Actor } from '../domain/people.js';
import { json } from './sql-text.js';
import { toIso, type SqlExecutor } from './sql-client.js';

export interface AccessEntry {
  workflowId: string;
  actor: Actor;
  at: string;
  purpose: string;
}

/** Who saw a child's details, when and why: append-only, like the audit log. */
export interface AccessLogStore {
  logAccess(entry: AccessEntry): Promise<void>;
  listAccess(workflowId: string): Promise<Array<Omit<AccessEntry, 'workflowId'>>>;
}

export class SqlAccessLogStore implements AccessLogStore {
  constructor(private readonly sql: SqlExecutor) {}

  async logAccess(entry: { workflowId: string; actor: Actor; at: string; purpose: string }): Promise<void> {
    await this.sql.query(
      `INSERT INTO access_log (workflow_id, actor_platform, actor_user_id, actor, at, purpose)
       VALUES ($1, $2, $3, $4::text::jsonb, $5::timestamptz, $6)
       ON CONFLICT DO NOTHING`,
      [
        entry.workflowId,
        entry.actor.platform,
        entry.actor.userId,
        json(entry.actor),
        entry.at,
        entry.purpose,
      ],
    );
  }

  async listAccess(workflowId: string): Promise<Array<{ actor: Actor; at: string; purpose: string }>> {
    const rows = await this.sql.query<{ actor: Actor; at: Date | string; purpose: string }>(
      'SELECT actor, at, purpose FROM access_log WHERE workflow_id = $1 ORDER BY at, recorded_at',
      [workflowId],
    );
    return rows.map((r) => ({ actor: r.actor, at: toIso(r.at), purpose: r.purpose }));
  }
}
