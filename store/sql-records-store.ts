import { randomUUID } from 'node:crypto';
import type { ChildIdentity } from '../domain/bed-request.js';
import type { MessageRef } from '../domain/chat-port.js';
import { DETAINED_OUTCOMES, type OutcomeCode } from '../domain/outcomes.js';
import type { Actor, Platform } from '../domain/people.js';
import { childPseudonyms, decryptField, deriveCaseRef, encryptField } from './crypto.js';
import type {
  CaseDetails,
  AuditEvent,
  EarlierDetention,
  NewRequest,
  OpenRequestRow,
  OutcomeRecord,
  RecordsStore,
  RegisteredRequest,
} from './records-store.js';
import type { StoreSecrets } from './secrets.js';
import { toIso, toIsoOrUndefined, type SqlClient, type SqlExecutor } from './sql-client.js';

/** The workflow ID under which store-wide audit events (e.g. the retention purge) are written. */
export const SYSTEM_WORKFLOW_ID = 'system:records-store';

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

const DETAINED_SQL = DETAINED_OUTCOMES.map((o) => {
  if (!/^[a-z_]+$/.test(o)) throw new Error(`Unexpected outcome code ${o}`);
  return `'${o}'`;
}).join(', ');

interface RequestRow {
  workflow_id: string;
  case_ref: string;
  custody_record_number: string;
  custody_suite_id: string;
  local_authority_id: string;
  requested_at: Date | string;
  requesting_officer: Actor;
  child_pseudonym: string;
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
  escalation_level: number;
  overnight: boolean;
  weekend: boolean;
  stay_reason: string | null;
  cancel_reason: string | null;
  decline_reasons: string[];
  actors: Record<string, Actor>;
  certificate_enc: string | null;
}

interface EventRow {
  event_id: string;
  workflow_id: string;
  type: string;
  actor: Actor | null;
  at: Date | string;
  data: Record<string, unknown>;
}

const REQUEST_COLUMNS = `workflow_id, case_ref, custody_record_number, custody_suite_id, local_authority_id,
  requested_at, requesting_officer, child_pseudonym`;

function openRow(r: RequestRow): OpenRequestRow {
  return {
    workflowId: r.workflow_id,
    caseRef: r.case_ref,
    custodyRecordNumber: r.custody_record_number,
    custodySuiteId: r.custody_suite_id,
    localAuthorityId: r.local_authority_id,
    requestedAt: toIso(r.requested_at),
    requestingOfficer: r.requesting_officer,
  };
}

function json(value: unknown): string {
  return JSON.stringify(value);
}

const identityContext = (workflowId: string) => `requests.identity_enc:${workflowId}`;
const detailsContext = (workflowId: string) => `requests.details_enc:${workflowId}`;
const certificateContext = (workflowId: string) => `outcomes.certificate_enc:${workflowId}`;

/**
 * The records store over any SqlClient (PGlite or node-postgres): same SQL on both.
 * Timestamps go in as ISO-8601 strings with an offset and come back as ISO-8601 UTC (`…Z`).
 */
export class SqlRecordsStore implements RecordsStore {
  constructor(
    /** The query layer, for read-only reporting queries (digests, export) outside this interface. */
    readonly sql: SqlClient,
    private readonly secrets: StoreSecrets,
  ) {}

  async registerRequest(request: NewRequest): Promise<RegisteredRequest> {
    const pseudonyms = childPseudonyms(request.identity, this.secrets.pseudonymKey);
    const primary = pseudonyms[0];
    if (!primary) {
      throw new Error('The child identity needs a PNC ID, or a given name, family name and date of birth');
    }
    const identityEnc = encryptField(
      json(request.identity),
      this.secrets.dataKey,
      identityContext(request.workflowId),
    );
    const detailsEnc = request.details
      ? encryptField(json(request.details), this.secrets.dataKey, detailsContext(request.workflowId))
      : null;
    // Candidate references: the caller's (if any), then the derived one, lengthened only if it
    // collides with another request's. Deterministic, so a retry lands on the same one.
    const candidates = [
      ...(request.caseRef ? [request.caseRef] : []),
      ...[6, 8, 10, 13].map((n) => deriveCaseRef(request.workflowId, this.secrets.pseudonymKey, n)),
    ];
    return this.sql.transaction(async (tx) => {
      const existing = await this.findRegistered(tx, request.workflowId);
      if (existing) return existing;
      for (const caseRef of candidates) {
        const inserted = await tx.query(
          `INSERT INTO requests (workflow_id, case_ref, custody_record_number, custody_suite_id,
             local_authority_id, route, out_of_area, age, accommodation, charged_at, requested_at,
             next_court_sitting, requesting_officer, child_pseudonym, identity_enc, details_enc)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::timestamptz, $11::timestamptz,
             $12::timestamptz, $13::text::jsonb, $14, $15, $16)
           ON CONFLICT DO NOTHING
           RETURNING workflow_id`,
          [
            request.workflowId,
            caseRef,
            request.custodyRecordNumber,
            request.custodySuiteId,
            request.localAuthorityId,
            request.route,
            request.outOfArea,
            request.age,
            request.accommodation,
            request.chargedAt,
            request.requestedAt,
            request.nextCourtSitting,
            json(request.requestingOfficer),
            primary.pseudonym,
            identityEnc,
            detailsEnc,
          ],
        );
        if (inserted.length > 0) {
          for (const p of pseudonyms) {
            await tx.query(
              `INSERT INTO child_pseudonyms (workflow_id, kind, pseudonym, charged_at)
               VALUES ($1, $2, $3, $4::timestamptz) ON CONFLICT DO NOTHING`,
              [request.workflowId, p.kind, p.pseudonym, request.chargedAt],
            );
          }
          return { workflowId: request.workflowId, caseRef, childPseudonym: primary.pseudonym };
        }
        // Nothing inserted: either a concurrent registration of this request won (return it),
        // or the reference belongs to another request (try the next candidate).
        const raced = await this.findRegistered(tx, request.workflowId);
        if (raced) return raced;
      }
      throw new Error(`Could not allocate a case reference for ${request.workflowId}`);
    });
  }

  private async findRegistered(db: SqlExecutor, workflowId: string): Promise<RegisteredRequest | null> {
    const rows = await db.query<{ workflow_id: string; case_ref: string; child_pseudonym: string }>(
      'SELECT workflow_id, case_ref, child_pseudonym FROM requests WHERE workflow_id = $1',
      [workflowId],
    );
    const r = rows[0];
    return r ? { workflowId: r.workflow_id, caseRef: r.case_ref, childPseudonym: r.child_pseudonym } : null;
  }

  async getRequest(workflowId: string): Promise<(RegisteredRequest & OpenRequestRow) | null> {
    const rows = await this.sql.query<RequestRow>(
      `SELECT ${REQUEST_COLUMNS} FROM requests WHERE workflow_id = $1`,
      [workflowId],
    );
    const r = rows[0];
    return r ? { ...openRow(r), childPseudonym: r.child_pseudonym } : null;
  }

  async getIdentity(workflowId: string): Promise<ChildIdentity | null> {
    const rows = await this.sql.query<{ identity_enc: string | null }>(
      'SELECT identity_enc FROM requests WHERE workflow_id = $1',
      [workflowId],
    );
    const sealed = rows[0]?.identity_enc;
    if (!sealed) return null;
    return JSON.parse(
      decryptField(sealed, this.secrets.dataKey, identityContext(workflowId)),
    ) as ChildIdentity;
  }

  async getCaseDetails(workflowId: string): Promise<CaseDetails | null> {
    const rows = await this.sql.query<{ details_enc: string | null }>(
      'SELECT details_enc FROM requests WHERE workflow_id = $1',
      [workflowId],
    );
    const sealed = rows[0]?.details_enc;
    if (!sealed) return null;
    return JSON.parse(decryptField(sealed, this.secrets.dataKey, detailsContext(workflowId))) as CaseDetails;
  }

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

  async recordOutcome(outcome: OutcomeRecord): Promise<void> {
    const certificateEnc =
      outcome.certificate === undefined
        ? null
        : encryptField(outcome.certificate, this.secrets.dataKey, certificateContext(outcome.workflowId));
    await this.sql.transaction(async (tx) => {
      const inserted = await tx.query(
        `INSERT INTO outcomes (workflow_id, outcome, custody_suite_id, local_authority_id, charged_at,
           requested_at, acknowledged_at, bed_offered_at, ended_at, left_custody_at, escalation_level,
           overnight, weekend, stay_reason, cancel_reason, decline_reasons, actors, certificate_enc)
         SELECT r.workflow_id, $2, r.custody_suite_id, r.local_authority_id, $3::timestamptz,
           $4::timestamptz, $5::timestamptz, $6::timestamptz, $7::timestamptz, $8::timestamptz, $9,
           $10, $11, $12, $13, $14::text::jsonb, $15::text::jsonb, $16
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
        ],
      );
      if (inserted.length > 0) {
        await tx.query(
          'UPDATE requests SET outcome_recorded_at = now() WHERE workflow_id = $1 AND outcome_recorded_at IS NULL',
          [outcome.workflowId],
        );
        return;
      }
      if (!(await this.findRegistered(tx, outcome.workflowId))) {
        throw new Error(`No request ${outcome.workflowId} is registered: register it before its outcome`);
      }
      // Already recorded: a retry, or a second attempt. The first outcome stands.
    });
  }

  async getOutcome(workflowId: string): Promise<OutcomeRecord | null> {
    const rows = await this.sql.query<OutcomeRow>(
      `SELECT workflow_id, outcome, charged_at, requested_at, acknowledged_at, bed_offered_at, ended_at,
         left_custody_at, escalation_level, overnight, weekend, stay_reason, cancel_reason,
         decline_reasons, actors, certificate_enc
       FROM outcomes WHERE workflow_id = $1`,
      [workflowId],
    );
    const r = rows[0];
    if (!r) return null;
    const acknowledgedAt = toIsoOrUndefined(r.acknowledged_at);
    const bedOfferedAt = toIsoOrUndefined(r.bed_offered_at);
    const leftCustodyAt = toIsoOrUndefined(r.left_custody_at);
    return {
      workflowId: r.workflow_id,
      outcome: r.outcome,
      chargedAt: toIso(r.charged_at),
      requestedAt: toIso(r.requested_at),
      ...(acknowledgedAt ? { acknowledgedAt } : {}),
      ...(bedOfferedAt ? { bedOfferedAt } : {}),
      endedAt: toIso(r.ended_at),
      ...(leftCustodyAt ? { leftCustodyAt } : {}),
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
      actors: r.actors,
    };
  }

  /**
   * The child is every pseudonym linked to this request's, transitively: a request that knew both
   * the PNC ID and the name+DOB joins the two, so a night identified only by PNC and a night
   * identified only by name+DOB are the same child once any night carried both.
   */
  async earlierDetentions(args: {
    workflowId: string;
    since: string;
    before: string;
  }): Promise<EarlierDetention[]> {
    const rows = await this.sql.query<{
      workflow_id: string;
      case_ref: string;
      custody_record_number: string;
      custody_suite_id: string;
      local_authority_id: string;
      charged_at: Date | string;
      outcome: OutcomeCode;
    }>(
      `WITH RECURSIVE linked (pseudonym) AS (
         SELECT pseudonym FROM child_pseudonyms WHERE workflow_id = $1
         UNION
         SELECT other.pseudonym
         FROM linked
         JOIN child_pseudonyms same ON same.pseudonym = linked.pseudonym
         JOIN child_pseudonyms other ON other.workflow_id = same.workflow_id
       ),
       candidates AS (
         SELECT DISTINCT cp.workflow_id
         FROM linked JOIN child_pseudonyms cp ON cp.pseudonym = linked.pseudonym
         WHERE cp.charged_at >= $2::timestamptz AND cp.charged_at < $3::timestamptz
           AND cp.workflow_id <> $1
       )
       SELECT r.workflow_id, r.case_ref, r.custody_record_number, r.custody_suite_id,
         r.local_authority_id, r.charged_at, o.outcome
       FROM candidates c
       JOIN requests r ON r.workflow_id = c.workflow_id
       JOIN outcomes o ON o.workflow_id = c.workflow_id
       WHERE o.outcome IN (${DETAINED_SQL})
       ORDER BY r.charged_at, r.workflow_id`,
      [args.workflowId, args.since, args.before],
      { prepare: 'concordat_earlier_detentions_v1' },
    );
    return rows.map((r) => ({
      workflowId: r.workflow_id,
      caseRef: r.case_ref,
      custodyRecordNumber: r.custody_record_number,
      custodySuiteId: r.custody_suite_id,
      localAuthorityId: r.local_authority_id,
      chargedAt: toIso(r.charged_at),
      outcome: r.outcome,
    }));
  }

  async getDelivery(workflowId: string, step: string, destinationKey: string): Promise<MessageRef | null> {
    const rows = await this.sql.query<{ platform: Platform; conversation_id: string; message_id: string }>(
      `SELECT platform, conversation_id, message_id FROM chat_deliveries
       WHERE workflow_id = $1 AND step = $2 AND destination_key = $3`,
      [workflowId, step, destinationKey],
    );
    const r = rows[0];
    return r ? { platform: r.platform, conversationId: r.conversation_id, messageId: r.message_id } : null;
  }

  async saveDelivery(
    workflowId: string,
    step: string,
    destinationKey: string,
    ref: MessageRef,
  ): Promise<void> {
    await this.sql.query(
      `INSERT INTO chat_deliveries (workflow_id, step, destination_key, platform, conversation_id, message_id)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (workflow_id, step, destination_key) DO UPDATE SET
         platform = EXCLUDED.platform, conversation_id = EXCLUDED.conversation_id,
         message_id = EXCLUDED.message_id, updated_at = now()`,
      [workflowId, step, destinationKey, ref.platform, ref.conversationId, ref.messageId],
    );
  }

  async listDeliveries(
    workflowId: string,
  ): Promise<Array<{ step: string; destinationKey: string; ref: MessageRef }>> {
    const rows = await this.sql.query<{
      step: string;
      destination_key: string;
      platform: Platform;
      conversation_id: string;
      message_id: string;
    }>(
      `SELECT step, destination_key, platform, conversation_id, message_id FROM chat_deliveries
       WHERE workflow_id = $1 ORDER BY created_at, step, destination_key`,
      [workflowId],
    );
    return rows.map((r) => ({
      step: r.step,
      destinationKey: r.destination_key,
      ref: { platform: r.platform, conversationId: r.conversation_id, messageId: r.message_id },
    }));
  }

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

  async listOpenRequests(): Promise<OpenRequestRow[]> {
    const rows = await this.sql.query<RequestRow>(
      `SELECT ${REQUEST_COLUMNS} FROM requests WHERE outcome_recorded_at IS NULL
       ORDER BY requested_at, workflow_id`,
    );
    return rows.map(openRow);
  }

  async saveConversationReference(
    platform: Platform,
    key: string,
    reference: Record<string, unknown>,
  ): Promise<void> {
    await this.sql.query(
      `INSERT INTO conversation_references (platform, key, reference) VALUES ($1, $2, $3::text::jsonb)
       ON CONFLICT (platform, key) DO UPDATE SET reference = EXCLUDED.reference, updated_at = now()`,
      [platform, key, json(reference)],
    );
  }

  async getConversationReference(platform: Platform, key: string): Promise<Record<string, unknown> | null> {
    const rows = await this.sql.query<{ reference: Record<string, unknown> }>(
      'SELECT reference FROM conversation_references WHERE platform = $1 AND key = $2',
      [platform, key],
    );
    return rows[0]?.reference ?? null;
  }

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

  close(): Promise<void> {
    return this.sql.close();
  }
}
