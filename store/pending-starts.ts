import { bedRequestInputSchema, type BedRequestInput } from '../domain/bed-request.js';
import { decryptField, encryptField } from './crypto.js';
import { toIso, toIsoOrUndefined, type SqlClient } from './sql-client.js';

/** A submit kept because Temporal was unreachable, waiting to be started (docs/queued-submits.md). */
export interface PendingStart {
  workflowId: string;
  /** The validated request, decrypted. */
  input: BedRequestInput;
  /** The sergeant's submit time, passed to the workflow unchanged when it is finally started. */
  requestedAt: string;
  attempts: number;
  lastError?: string;
  createdAt: string;
}

/** A row's state without its payload: what a caller may show or log. */
export interface PendingStartStatus {
  workflowId: string;
  state: 'queued' | 'started';
  requestedAt: string;
  attempts: number;
  lastError?: string;
  createdAt: string;
  startedAt?: string;
  /** True while the encrypted request is still held (only until the start). */
  holdsPayload: boolean;
}

export type EnqueueResult =
  /** A new row was written. */
  | { outcome: 'queued'; requestedAt: string }
  /** A row for this workflow ID is already waiting: nothing was added; its submit time wins. */
  | { outcome: 'already_queued'; requestedAt: string }
  /** This workflow ID was queued before and has since been started, so Temporal already has it. */
  | { outcome: 'already_started'; requestedAt: string };

/** The outbox of bed-request starts, kept in the records store's database. */
export interface PendingStartsStore {
  /** Keeps a request to be started later; at most one row per workflow ID, ever. */
  enqueue(entry: { workflowId: string; input: BedRequestInput; requestedAt: string }): Promise<EnqueueResult>;
  /**
   * Requests still waiting, oldest submit first. A row that does not decrypt is skipped and its
   * last_error says so.
   */
  listQueued(limit?: number): Promise<PendingStart[]>;
  /** A failed attempt: counted, with the error (which must not carry personal data). */
  recordFailure(workflowId: string, error: string, at: string): Promise<void>;
  /** The workflow exists now: the encrypted request is deleted, the row is kept as done. */
  markStarted(workflowId: string, at: string): Promise<void>;
  status(workflowId: string): Promise<PendingStartStatus | null>;
}

interface Row {
  workflow_id: string;
  input_enc: string | null;
  requested_at: Date | string;
  attempts: number;
  last_error: string | null;
  created_at: Date | string;
  started_at: Date | string | null;
}

// The AAD binds a ciphertext to its row, as for requests.identity_enc.
const inputContext = (workflowId: string) => `pending_starts.input_enc:${workflowId}`;

/** Longest error text kept: enough to diagnose, short enough never to hold a payload. */
const MAX_ERROR = 500;

export class SqlPendingStartsStore implements PendingStartsStore {
  constructor(
    private readonly sql: SqlClient,
    private readonly dataKey: Buffer,
  ) {}

  async enqueue(entry: {
    workflowId: string;
    input: BedRequestInput;
    requestedAt: string;
  }): Promise<EnqueueResult> {
    const input = bedRequestInputSchema.parse(entry.input);
    const sealed = encryptField(JSON.stringify(input), this.dataKey, inputContext(entry.workflowId));
    // ON CONFLICT DO NOTHING makes two bots (or a double submit) racing on one record write one row.
    const inserted = await this.sql.query<{ requested_at: Date | string }>(
      `INSERT INTO pending_starts (workflow_id, input_enc, requested_at) VALUES ($1, $2, $3)
       ON CONFLICT (workflow_id) DO NOTHING RETURNING requested_at`,
      [entry.workflowId, sealed, entry.requestedAt],
    );
    const mine = inserted[0];
    if (mine) return { outcome: 'queued', requestedAt: toIso(mine.requested_at) };
    const existing = await this.status(entry.workflowId);
    if (!existing) throw new Error(`pending start ${entry.workflowId} vanished during enqueue`);
    return {
      outcome: existing.state === 'queued' ? 'already_queued' : 'already_started',
      requestedAt: existing.requestedAt,
    };
  }

  async listQueued(limit = 50): Promise<PendingStart[]> {
    const rows = await this.sql.query<Row>(
      `SELECT workflow_id, input_enc, requested_at, attempts, last_error, created_at, started_at
         FROM pending_starts WHERE started_at IS NULL ORDER BY requested_at, workflow_id LIMIT $1`,
      [limit],
    );
    const out: PendingStart[] = [];
    for (const r of rows) {
      if (r.input_enc === null) continue;
      let input: BedRequestInput;
      try {
        input = bedRequestInputSchema.parse(
          JSON.parse(decryptField(r.input_enc, this.dataKey, inputContext(r.workflow_id))),
        );
      } catch (err) {
        // One unreadable row (a wrong CONCORDAT_DATA_KEY) must not hold up the others; it stays,
        // with the reason, for an operator.
        await this.sql.query('UPDATE pending_starts SET last_error = $2 WHERE workflow_id = $1', [
          r.workflow_id,
          `unreadable: ${(err as Error).message}`.slice(0, MAX_ERROR),
        ]);
        continue;
      }
      out.push({
        workflowId: r.workflow_id,
        input,
        requestedAt: toIso(r.requested_at),
        attempts: Number(r.attempts),
        ...(r.last_error !== null ? { lastError: r.last_error } : {}),
        createdAt: toIso(r.created_at),
      });
    }
    return out;
  }

  async recordFailure(workflowId: string, error: string, at: string): Promise<void> {
    await this.sql.query(
      `UPDATE pending_starts SET attempts = attempts + 1, last_error = $2, last_attempt_at = $3
        WHERE workflow_id = $1 AND started_at IS NULL`,
      [workflowId, error.slice(0, MAX_ERROR), at],
    );
  }

  async markStarted(workflowId: string, at: string): Promise<void> {
    await this.sql.query(
      `UPDATE pending_starts
          SET input_enc = NULL, started_at = $2, attempts = attempts + 1, last_attempt_at = $2
        WHERE workflow_id = $1 AND started_at IS NULL`,
      [workflowId, at],
    );
  }

  async status(workflowId: string): Promise<PendingStartStatus | null> {
    const rows = await this.sql.query<Row>(
      `SELECT workflow_id, input_enc, requested_at, attempts, last_error, created_at, started_at
         FROM pending_starts WHERE workflow_id = $1`,
      [workflowId],
    );
    const r = rows[0];
    if (!r) return null;
    const startedAt = toIsoOrUndefined(r.started_at);
    return {
      workflowId: r.workflow_id,
      state: startedAt ? 'started' : 'queued',
      requestedAt: toIso(r.requested_at),
      attempts: Number(r.attempts),
      ...(r.last_error !== null ? { lastError: r.last_error } : {}),
      createdAt: toIso(r.created_at),
      ...(startedAt ? { startedAt } : {}),
      holdsPayload: r.input_enc !== null,
    };
  }
}
