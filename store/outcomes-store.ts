import type { OutcomeCode } from '../domain/outcomes.js';
import type { Actor } from '../domain/people.js';
import { decryptField, encryptField } from './crypto.js';
import type { StoreSecrets } from './secrets.js';
import { json } from './sql-text.js';
import { toIso, toIsoOrUndefined, type SqlClient } from './sql-client.js';

export interface OutcomeRecord {
  workflowId: string;
  outcome: OutcomeCode;
  chargedAt: string;
  requestedAt: string;
  acknowledgedAt?: string;
  bedOfferedAt?: string;
  /** When the child left custody (transfer), or when the request ended otherwise. */
  endedAt: string;
  leftCustodyAt?: string;
  /**
   * When the child really left the police cells (to court, on bail, released or transferred), for
   * the time held and the flags; absent on outcomes recorded before migration 7, and for a request
   * entered in error (never a detention).
   */
  leftCellsAt?: string;
  /** True when nobody recorded the time: the court sitting, or the time of the click, is taken. */
  leftCellsAssumed?: boolean;
  /** How the child left: court, bailed, released, transfer. */
  leftCellsFor?: string;
  /** A transfer confirmed without an offer in chat (arranged by phone); absent for other outcomes. */
  transferArrangedOutsideChat?: boolean;
  escalationLevel: number;
  overnight: boolean;
  weekend: boolean;
  stayReason?: string;
  cancelReason?: string;
  declineReasons: string[];
  certificate?: string;
  /**
   * The inspector's countersignature of the certificate, where the protocol asked for one
   * (migration 10): `awaiting` when the child left before anyone countersigned. Absent: not asked.
   * Who countersigned is `actors.countersigned`.
   */
  certificateCountersignature?: 'awaiting' | 'countersigned';
  certificateCountersignedAt?: string;
  /** Who did what: actor per step (acknowledged, offered, resolved…). */
  actors: Record<string, Actor>;
}

/** One outcome per request, written once; the s.38(6) certificate is stored encrypted. */
export interface OutcomesStore {
  /** Exactly one outcome per request; a second call with the same workflowId is a no-op. */
  recordOutcome(outcome: OutcomeRecord): Promise<void>;
  getOutcome(workflowId: string): Promise<OutcomeRecord | null>;
}

interface OutcomeRow {
  workflow_id: string;
  outcome: OutcomeCode;
  charged_at: Date | string;
  requested_at: Date | string;
  acknowledged_at: Date | string | null;
  bed_offered_at: Date | string | null;
  ended_at: Date | string;
  left_custody_at: Date | string | null;
  left_cells_at: Date | string | null;
  left_cells_assumed: boolean | null;
  left_cells_for: string | null;
  transfer_arranged_outside_chat: boolean | null;
  escalation_level: number;
  overnight: boolean;
  weekend: boolean;
  stay_reason: string | null;
  cancel_reason: string | null;
  decline_reasons: string[];
  actors: Record<string, Actor>;
  certificate_enc: string | null;
  certificate_countersignature: 'awaiting' | 'countersigned' | null;
  certificate_countersigned_at: Date | string | null;
}

export const certificateContext = (workflowId: string) => `outcomes.certificate_enc:${workflowId}`;

export class SqlOutcomesStore implements OutcomesStore {
  constructor(
    private readonly sql: SqlClient,
    private readonly secrets: StoreSecrets,
  ) {}

  async recordOutcome(outcome: OutcomeRecord): Promise<void> {
    const certificateEnc =
      outcome.certificate === undefined
        ? null
        : encryptField(outcome.certificate, this.secrets.dataKey, certificateContext(outcome.workflowId));
    await this.sql.transaction(async (tx) => {
      const inserted = await tx.query(
        `INSERT INTO outcomes (workflow_id, outcome, custody_suite_id, local_authority_id, charged_at,
           requested_at, acknowledged_at, bed_offered_at, ended_at, left_custody_at, escalation_level,
           overnight, weekend, stay_reason, cancel_reason, decline_reasons, actors, certificate_enc,
           left_cells_at, left_cells_assumed, left_cells_for, transfer_arranged_outside_chat,
           certificate_countersignature, certificate_countersigned_at)
         SELECT r.workflow_id, $2, r.custody_suite_id, r.local_authority_id, $3::timestamptz,
           $4::timestamptz, $5::timestamptz, $6::timestamptz, $7::timestamptz, $8::timestamptz, $9,
           $10, $11, $12, $13, $14::text::jsonb, $15::text::jsonb, $16,
           $17::timestamptz, $18::boolean, $19, $20::boolean, $21, $22::timestamptz
         FROM requests r WHERE r.workflow_id = $1
         ON CONFLICT (workflow_id) DO NOTHING
         RETURNING workflow_id`,
        [
          outcome.workflowId,
          outcome.outcome,
          outcome.chargedAt,
          outcome.requestedAt,
          outcome.acknowledgedAt ?? null,
          outcome.bedOfferedAt ?? null,
          outcome.endedAt,
          outcome.leftCustodyAt ?? null,
          outcome.escalationLevel,
          outcome.overnight,
          outcome.weekend,
          outcome.stayReason ?? null,
          outcome.cancelReason ?? null,
          json(outcome.declineReasons),
          json(outcome.actors),
          certificateEnc,
          outcome.leftCellsAt ?? null,
          outcome.leftCellsAssumed ?? null,
          outcome.leftCellsFor ?? null,
          outcome.transferArrangedOutsideChat ?? null,
          outcome.certificateCountersignature ?? null,
          outcome.certificateCountersignedAt ?? null,
        ],
      );
      if (inserted.length > 0) {
        await tx.query(
          'UPDATE requests SET outcome_recorded_at = now() WHERE workflow_id = $1 AND outcome_recorded_at IS NULL',
          [outcome.workflowId],
        );
        return;
      }
      const registered = await tx.query('SELECT 1 FROM requests WHERE workflow_id = $1', [
        outcome.workflowId,
      ]);
      if (registered.length === 0) {
        throw new Error(`No request ${outcome.workflowId} is registered: register it before its outcome`);
      }
      // Already recorded: a retry, or a second attempt. The first outcome stands.
    });
  }

  async getOutcome(workflowId: string): Promise<OutcomeRecord | null> {
    const rows = await this.sql.query<OutcomeRow>(
      `SELECT workflow_id, outcome, charged_at, requested_at, acknowledged_at, bed_offered_at, ended_at,
         left_custody_at, escalation_level, overnight, weekend, stay_reason, cancel_reason,
         decline_reasons, actors, certificate_enc, left_cells_at, left_cells_assumed, left_cells_for,
         transfer_arranged_outside_chat, certificate_countersignature, certificate_countersigned_at
       FROM outcomes WHERE workflow_id = $1`,
      [workflowId],
    );
    const r = rows[0];
    if (!r) return null;
    const acknowledgedAt = toIsoOrUndefined(r.acknowledged_at);
    const bedOfferedAt = toIsoOrUndefined(r.bed_offered_at);
    const leftCustodyAt = toIsoOrUndefined(r.left_custody_at);
    const leftCellsAt = toIsoOrUndefined(r.left_cells_at);
    const countersignedAt = toIsoOrUndefined(r.certificate_countersigned_at);
    return {
      workflowId: r.workflow_id,
      outcome: r.outcome,
      chargedAt: toIso(r.charged_at),
      requestedAt: toIso(r.requested_at),
      ...(acknowledgedAt ? { acknowledgedAt } : {}),
      ...(bedOfferedAt ? { bedOfferedAt } : {}),
      endedAt: toIso(r.ended_at),
      ...(leftCustodyAt ? { leftCustodyAt } : {}),
      ...(leftCellsAt ? { leftCellsAt } : {}),
      ...(r.left_cells_assumed !== null ? { leftCellsAssumed: r.left_cells_assumed } : {}),
      ...(r.left_cells_for !== null ? { leftCellsFor: r.left_cells_for } : {}),
      ...(r.transfer_arranged_outside_chat !== null
        ? { transferArrangedOutsideChat: r.transfer_arranged_outside_chat }
        : {}),
      escalationLevel: Number(r.escalation_level),
      overnight: r.overnight,
      weekend: r.weekend,
      ...(r.stay_reason !== null ? { stayReason: r.stay_reason } : {}),
      ...(r.cancel_reason !== null ? { cancelReason: r.cancel_reason } : {}),
      declineReasons: r.decline_reasons,
      ...(r.certificate_enc !== null
        ? {
            certificate: decryptField(
              r.certificate_enc,
              this.secrets.dataKey,
              certificateContext(workflowId),
            ),
          }
        : {}),
      ...(r.certificate_countersignature !== null
        ? { certificateCountersignature: r.certificate_countersignature }
        : {}),
      ...(countersignedAt ? { certificateCountersignedAt: countersignedAt } : {}),
      actors: r.actors,
    };
  }
}
