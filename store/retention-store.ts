import { randomUUID } from 'node:crypto';
import type { Actor } from '../domain/people.js';
import { SYSTEM_WORKFLOW_ID } from './audit-store.js';
import { json } from './sql-text.js';
import type { SqlClient } from './sql-client.js';

/** The retention purge: personal fields go, pseudonyms, links and outcomes stay for the statistics. */
export interface RetentionStore {
  /** Removes personal fields of requests requested before `before`; pseudonyms and outcomes stay. */
  purgePersonalData(before: string, actor: Actor): Promise<{ purged: number }>;
}

export class SqlRetentionStore implements RetentionStore {
  constructor(private readonly sql: SqlClient) {}

  async purgePersonalData(before: string, actor: Actor): Promise<{ purged: number }> {
    return this.sql.transaction(async (tx) => {
      const rows = await tx.query<{ purged: number }>(
        `WITH purged_identity AS (
           UPDATE requests SET identity_enc = NULL, details_enc = NULL, purged_at = now()
           WHERE requested_at < $1::timestamptz AND (identity_enc IS NOT NULL OR details_enc IS NOT NULL)
           RETURNING workflow_id
         ),
         purged_certificate AS (
           UPDATE outcomes o SET certificate_enc = NULL
           FROM requests r
           WHERE r.workflow_id = o.workflow_id AND r.requested_at < $1::timestamptz
             AND o.certificate_enc IS NOT NULL
           RETURNING o.workflow_id
         )
         SELECT count(*)::int AS purged FROM (
           SELECT workflow_id FROM purged_identity UNION SELECT workflow_id FROM purged_certificate
         ) AS u`,
        [before],
      );
      const purged = Number(rows[0]?.purged ?? 0);
      await tx.query(
        `INSERT INTO audit_events (event_id, workflow_id, type, actor, at, data)
         VALUES ($1, $2, 'retention_purge', $3::text::jsonb, now(), $4::text::jsonb)`,
        [`retention_purge:${randomUUID()}`, SYSTEM_WORKFLOW_ID, json(actor), json({ before, purged })],
      );
      return { purged };
    });
  }
}
