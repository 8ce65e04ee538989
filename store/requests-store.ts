import type { Accommodation, ChildIdentity } from '../domain/bed-request.js';
import type { EthnicityCode, SexCode } from '../domain/demographics.js';
import type { Actor } from '../domain/people.js';
import type { Route } from '../domain/request-view.js';
import { childPseudonyms, decryptField, deriveCaseRef, encryptField } from './crypto.js';
import { linkSameChild, lockSameChild } from './same-child.js';
import type { StoreSecrets } from './secrets.js';
import { json } from './sql-text.js';
import { toIso, type SqlClient, type SqlExecutor } from './sql-client.js';

/** A new request, as the workflow's first activity registers it. */
export interface NewRequest {
  workflowId: string;
  /**
   * Optional: the store derives the opaque reference from the workflow ID (an HMAC, `CN-` plus 6
   * base32 characters), stable under retry. Give one only to override that (tests, imports).
   * The reference actually stored is the one `registerRequest` returns.
   */
  caseRef?: string;
  custodyRecordNumber: string;
  custodySuiteId: string;
  localAuthorityId: string;
  route: Route;
  outOfArea: boolean;
  age: number;
  accommodation: Accommodation;
  chargedAt: string;
  requestedAt: string;
  nextCourtSitting: string;
  requestingOfficer: Actor;
  /** Stored encrypted; never logged. */
  identity: ChildIdentity;
  /** Stored encrypted; shown only through "View details". */
  details?: CaseDetails;
  /**
   * Officer-recorded self-defined ethnicity and sex, as codes (migration 9): counted only in
   * aggregate, never read back for a card, a message or "View details" (docs/demographics.md).
   */
  ethnicity?: EthnicityCode | undefined;
  sex?: SexCode | undefined;
}

/** What a responder needs to place the child. Personal: encrypted at rest, purged with the identity. */
export interface CaseDetails {
  bailRefusalGround: string;
  needsAndRisks: string;
  seriousHarmJustification?: string;
}

export interface RegisteredRequest {
  workflowId: string;
  caseRef: string;
  /** The keyed HMAC pseudonym the child is matched by (PNC-based when a PNC ID is known). */
  childPseudonym: string;
}

export interface OpenRequestRow {
  workflowId: string;
  caseRef: string;
  custodyRecordNumber: string;
  custodySuiteId: string;
  localAuthorityId: string;
  requestedAt: string;
  requestingOfficer: Actor;
}

/** Requests: registration (with the child's pseudonyms and link), lookups, the open list. */
export interface RequestsStore {
  /** Registers the request and computes the child's pseudonyms. Idempotent by workflowId. */
  registerRequest(request: NewRequest): Promise<RegisteredRequest>;
  getRequest(workflowId: string): Promise<(RegisteredRequest & OpenRequestRow) | null>;
  /** Decrypts the child's identity (for "View details" only); null when purged or unknown. */
  getIdentity(workflowId: string): Promise<ChildIdentity | null>;
  /** Decrypts the case details (for "View details" only); null when purged, absent or unknown. */
  getCaseDetails(workflowId: string): Promise<CaseDetails | null>;
  /** Requests with no outcome yet (App Home, digests). */
  listOpenRequests(): Promise<OpenRequestRow[]>;
}

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

const identityContext = (workflowId: string) => `requests.identity_enc:${workflowId}`;
const detailsContext = (workflowId: string) => `requests.details_enc:${workflowId}`;

export class SqlRequestsStore implements RequestsStore {
  constructor(
    private readonly sql: SqlClient,
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
      await lockSameChild(tx);
      const existing = await this.findRegistered(tx, request.workflowId);
      if (existing) return existing;
      for (const caseRef of candidates) {
        const inserted = await tx.query(
          `INSERT INTO requests (workflow_id, case_ref, custody_record_number, custody_suite_id,
             local_authority_id, route, out_of_area, age, accommodation, charged_at, requested_at,
             next_court_sitting, requesting_officer, child_pseudonym, identity_enc, details_enc,
             ethnicity, sex)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::timestamptz, $11::timestamptz,
             $12::timestamptz, $13::text::jsonb, $14, $15, $16, $17, $18)
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
            request.ethnicity ?? null,
            request.sex ?? null,
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
          await linkSameChild(tx, request.workflowId);
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

  async listOpenRequests(): Promise<OpenRequestRow[]> {
    const rows = await this.sql.query<RequestRow>(
      `SELECT ${REQUEST_COLUMNS} FROM requests WHERE outcome_recorded_at IS NULL
       ORDER BY requested_at, workflow_id`,
    );
    return rows.map(openRow);
  }
}
