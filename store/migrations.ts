import type { SqlClient } from './sql-client.js';

/**
 * Labels every request with its child (docs/same-child.md), from the pseudonyms alone: each
 * request starts with its own label, then takes the smallest label of any request it shares a
 * pseudonym with, until nothing changes (one pass per hop of the longest chain). Migration 5 runs
 * it once; frozen here because a shipped migration must not change.
 */
export const RELINK_ALL_CHILDREN_SQL = `
DO $relink$
DECLARE changed bigint;
BEGIN
  LOOP
    WITH by_pseudonym AS (
      SELECT cp.pseudonym, min(r.child_id) AS child_id
      FROM child_pseudonyms cp JOIN requests r ON r.workflow_id = cp.workflow_id
      GROUP BY cp.pseudonym
    ),
    by_request AS (
      SELECT cp.workflow_id, min(p.child_id) AS child_id
      FROM child_pseudonyms cp JOIN by_pseudonym p ON p.pseudonym = cp.pseudonym
      GROUP BY cp.workflow_id
    )
    UPDATE requests r SET child_id = b.child_id FROM by_request b
    WHERE b.workflow_id = r.workflow_id AND b.child_id < r.child_id;
    GET DIAGNOSTICS changed = ROW_COUNT;
    EXIT WHEN changed = 0;
  END LOOP;
END
$relink$;`;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The schema, as an ordered list of migrations. Append new ones; never edit one that has shipped.
 *
 * Data protection: the child's identity and the s.38(6) certificate are stored only as AES-256-GCM
 * ciphertext (`*_enc`); the child is matched by keyed HMAC pseudonyms. Audit and access rows carry
 * no child personal data, so the retention purge never needs to touch them, and the database
 * refuses UPDATE, DELETE and TRUNCATE on both.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
CREATE TABLE requests (
  workflow_id           text PRIMARY KEY,
  case_ref              text NOT NULL,
  custody_record_number text NOT NULL,
  custody_suite_id      text NOT NULL,
  local_authority_id    text NOT NULL,
  route                 text NOT NULL CHECK (route IN ('in_hours', 'out_of_hours')),
  out_of_area           boolean NOT NULL,
  age                   smallint NOT NULL CHECK (age BETWEEN 0 AND 25),
  accommodation         text NOT NULL CHECK (accommodation IN ('non_secure', 'secure')),
  charged_at            timestamptz NOT NULL,
  requested_at          timestamptz NOT NULL,
  next_court_sitting    timestamptz NOT NULL,
  requesting_officer    jsonb NOT NULL,
  -- The pseudonym shown in alerts: PNC-based when a PNC ID was given, else name+DOB-based.
  child_pseudonym       text NOT NULL,
  -- AES-256-GCM ciphertext of the ChildIdentity JSON; NULL once purged.
  identity_enc          text,
  purged_at             timestamptz,
  -- Set in the same transaction as the outcome row: open requests are those where it is NULL.
  outcome_recorded_at   timestamptz,
  created_at            timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX requests_case_ref_key ON requests (case_ref);
CREATE INDEX requests_requested_at_idx ON requests (requested_at);
CREATE INDEX requests_charged_at_idx ON requests (charged_at);
CREATE INDEX requests_suite_requested_idx ON requests (custody_suite_id, requested_at);
CREATE INDEX requests_la_requested_idx ON requests (local_authority_id, requested_at);
CREATE INDEX requests_custody_record_idx ON requests (custody_record_number);
CREATE INDEX requests_open_idx ON requests (requested_at) WHERE outcome_recorded_at IS NULL;
CREATE INDEX requests_unpurged_idx ON requests (requested_at) WHERE identity_enc IS NOT NULL;

-- Every pseudonym a request's child is known by: 'pnc' (HMAC of the PNC ID) and/or 'nd' (HMAC of
-- normalised name + date of birth). charged_at is copied from the request so the repeat-detention
-- lookup is one index range per pseudonym.
CREATE TABLE child_pseudonyms (
  workflow_id text NOT NULL REFERENCES requests (workflow_id),
  kind        text NOT NULL CHECK (kind IN ('pnc', 'nd')),
  pseudonym   text NOT NULL,
  charged_at  timestamptz NOT NULL,
  PRIMARY KEY (workflow_id, kind)
);
CREATE INDEX child_pseudonyms_lookup_idx ON child_pseudonyms (pseudonym, charged_at, workflow_id);

CREATE TABLE outcomes (
  workflow_id         text PRIMARY KEY REFERENCES requests (workflow_id),
  outcome             text NOT NULL CHECK (outcome IN (
                        'transferred_non_secure', 'transferred_secure', 'detained_no_bed_non_secure',
                        'detained_no_secure_bed', 'detained_impracticable', 'released_or_bailed',
                        'court_before_transfer', 'cancelled_in_error')),
  -- Copied from the request, so digests group and range-scan outcomes without a join.
  custody_suite_id    text NOT NULL,
  local_authority_id  text NOT NULL,
  charged_at          timestamptz NOT NULL,
  requested_at        timestamptz NOT NULL,
  acknowledged_at     timestamptz,
  bed_offered_at      timestamptz,
  ended_at            timestamptz NOT NULL,
  left_custody_at     timestamptz,
  escalation_level    integer NOT NULL CHECK (escalation_level >= 0),
  overnight           boolean NOT NULL,
  weekend             boolean NOT NULL,
  stay_reason         text,
  cancel_reason       text,
  decline_reasons     jsonb NOT NULL DEFAULT '[]'::jsonb,
  actors              jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- AES-256-GCM ciphertext of the s.38(6) certificate text; NULL once purged.
  certificate_enc     text,
  recorded_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outcomes_charged_at_idx ON outcomes (charged_at);
CREATE INDEX outcomes_suite_charged_idx ON outcomes (custody_suite_id, charged_at);
CREATE INDEX outcomes_la_charged_idx ON outcomes (local_authority_id, charged_at);
CREATE INDEX outcomes_outcome_charged_idx ON outcomes (outcome, charged_at);

CREATE TABLE audit_events (
  event_id    text PRIMARY KEY,
  seq         bigint GENERATED ALWAYS AS IDENTITY,
  workflow_id text NOT NULL,
  type        text NOT NULL,
  actor       jsonb,
  at          timestamptz NOT NULL,
  data        jsonb NOT NULL DEFAULT '{}'::jsonb,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_events_workflow_idx ON audit_events (workflow_id, at, seq);
CREATE INDEX audit_events_type_at_idx ON audit_events (type, at);

CREATE TABLE access_log (
  workflow_id    text NOT NULL,
  actor_platform text NOT NULL,
  actor_user_id  text NOT NULL,
  actor          jsonb NOT NULL,
  at             timestamptz NOT NULL,
  purpose        text NOT NULL,
  recorded_at    timestamptz NOT NULL DEFAULT now(),
  -- A retried "view details" write carries the same actor, time and purpose: one row.
  PRIMARY KEY (workflow_id, actor_platform, actor_user_id, at, purpose)
);
CREATE INDEX access_log_at_idx ON access_log (at);

CREATE TABLE chat_deliveries (
  workflow_id      text NOT NULL,
  step             text NOT NULL,
  destination_key  text NOT NULL,
  platform         text NOT NULL CHECK (platform IN ('slack', 'teams')),
  conversation_id  text NOT NULL,
  message_id       text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workflow_id, step, destination_key)
);

CREATE TABLE conversation_references (
  platform   text NOT NULL CHECK (platform IN ('slack', 'teams')),
  key        text NOT NULL,
  reference  jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (platform, key)
);

CREATE FUNCTION concordat_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$fn$;

CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION concordat_refuse_change();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION concordat_refuse_change();
CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log
  FOR EACH ROW EXECUTE FUNCTION concordat_refuse_change();
CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log
  FOR EACH STATEMENT EXECUTE FUNCTION concordat_refuse_change();
`,
  },
  {
    version: 2,
    name: 'digest covering indexes',
    // Digests and the Concordat export read ranges by time of charge. These let each pass read an
    // index only: the period's requests, the window's detentions, and the window's pseudonyms
    // (for repeat detentions). See bench/digest-bench.ts for the figures.
    sql: `
CREATE INDEX requests_charged_cover_idx ON requests (charged_at)
  INCLUDE (workflow_id, custody_suite_id, local_authority_id, requested_at);
CREATE INDEX outcomes_detained_charged_idx ON outcomes (charged_at) INCLUDE (workflow_id)
  WHERE outcome IN ('detained_no_bed_non_secure', 'detained_no_secure_bed', 'detained_impracticable',
                    'court_before_transfer');
-- Led by kind, so the repeat-detention lookup (pseudonym, then time) never prefers it.
CREATE INDEX child_pseudonyms_kind_charged_idx ON child_pseudonyms (kind, charged_at)
  INCLUDE (workflow_id, pseudonym);
`,
  },
  {
    version: 3,
    name: 'encrypted case details',
    // What a responder needs to place the child (needs and risks, the bail-refusal ground, the
    // serious-harm justification): personal, so encrypted, shown only through "View details",
    // and cleared by the retention purge with the identity.
    sql: `ALTER TABLE requests ADD COLUMN details_enc text;`,
  },
  {
    version: 4,
    name: 'pending starts outbox',
    // Submits made while Temporal was unreachable, kept until the bots' drainer starts them (see
    // docs/queued-submits.md). The request carries the child's identity, so it is stored only as
    // ciphertext and cleared once the workflow has started; the row stays as a record of the wait.
    sql: `
CREATE TABLE pending_starts (
  workflow_id     text PRIMARY KEY,
  -- AES-256-GCM ciphertext of the validated BedRequestInput JSON; NULL once started.
  input_enc       text,
  -- The sergeant's submit: the workflow is started with it, so the ladder counts from then.
  requested_at    timestamptz NOT NULL,
  attempts        integer NOT NULL DEFAULT 0,
  last_error      text,
  last_attempt_at timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  started_at      timestamptz,
  CHECK ((started_at IS NULL) = (input_enc IS NOT NULL))
);
CREATE INDEX pending_starts_queued_idx ON pending_starts (created_at) WHERE started_at IS NULL;
`,
  },
  {
    version: 5,
    name: 'same-child links',
    // Every request's child, as one number per connected component of requests and pseudonyms
    // (docs/same-child.md): new requests start alone (the default) and store/same-child.ts joins
    // them to the requests they share a pseudonym with. Existing rows are labelled here.
    sql: `
CREATE SEQUENCE child_id_seq AS bigint;
ALTER TABLE requests ADD COLUMN child_id bigint NOT NULL DEFAULT nextval('child_id_seq');
${RELINK_ALL_CHILDREN_SQL}
CREATE INDEX requests_child_charged_idx ON requests (child_id, charged_at);
`,
  },
  {
    version: 6,
    name: 'same-child covering index',
    // The digest's repeat children read the window's requests with their child: an index-only
    // range scan instead of a pass over every request (bench/digest-bench.ts).
    sql: `CREATE INDEX requests_charged_child_idx ON requests (charged_at) INCLUDE (workflow_id, child_id);`,
  },
  {
    version: 7,
    name: 'when the child left the cells',
    // A stay no longer ends the request (docs/legal-rules.md, "Held in custody, bed still
    // sought"): the outcome records when the child really left the police cells (to court, on
    // bail, or on a transfer) and whether nobody recorded it, so the request ended at the court
    // sitting plus the grace period and the time is assumed. Older rows keep NULL.
    sql: `
ALTER TABLE outcomes ADD COLUMN left_cells_at timestamptz;
ALTER TABLE outcomes ADD COLUMN left_cells_assumed boolean;
`,
  },
  {
    version: 8,
    name: 'how the child left the cells',
    // With migration 7: how the child left (court, bail, release, transfer), and whether a
    // transfer was arranged outside chat (by phone) and only confirmed in Concordat.
    sql: `
ALTER TABLE outcomes ADD COLUMN left_cells_for text;
ALTER TABLE outcomes ADD COLUMN transfer_arranged_outside_chat boolean;
`,
  },
  {
    version: 9,
    name: 'ethnicity and sex codes',
    // Officer-recorded self-defined ethnicity (the 18+1 codes) and sex (CJS gender type code), for
    // aggregate disproportionality figures only (docs/demographics.md): special category data,
    // optional, stored as codes (NULL: not recorded), never on a card. The lists are frozen here.
    sql: `
ALTER TABLE requests ADD COLUMN ethnicity text CHECK (ethnicity IN (
  'W1', 'W2', 'W3', 'W9', 'M1', 'M2', 'M3', 'M9', 'A1', 'A2', 'A3', 'A4', 'A9',
  'B1', 'B2', 'B9', 'O2', 'O9', 'NS'));
ALTER TABLE requests ADD COLUMN sex text CHECK (sex IN ('0', '1', '2', '9'));
`,
  },
  {
    version: 10,
    name: 'certificate countersignature',
    // An inspector's countersignature of the s.38(6) certificate, where the force's protocol asks
    // for one (docs/legal-rules.md, "Countersignature by an inspector"; not a requirement of the
    // law): 'countersigned' or 'awaiting' (the child left before anyone countersigned), and when.
    // NULL: not asked for, or no certificate. Who countersigned is in actors.countersigned.
    sql: `
ALTER TABLE outcomes ADD COLUMN certificate_countersignature text
  CHECK (certificate_countersignature IN ('awaiting', 'countersigned'));
ALTER TABLE outcomes ADD COLUMN certificate_countersigned_at timestamptz;
`,
  },
];

const LEDGER = `
CREATE TABLE IF NOT EXISTS schema_migrations (
  version    integer PRIMARY KEY,
  name       text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

/**
 * Applies the migrations not yet recorded in schema_migrations, in order, in one transaction.
 * A transaction-scoped advisory lock (keyed by the current schema) makes two processes opening a
 * fresh database at once safe: the second waits, then finds everything applied.
 * Returns the versions applied by this call.
 */
export async function runMigrations(
  client: SqlClient,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  checkOrder(migrations);
  return client.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('concordat.migrations:' || current_schema()))`);
    await tx.exec(LEDGER);
    const rows = await tx.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((r) => Number(r.version)));
    const done: number[] = [];
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      done.push(m.version);
    }
    return done;
  });
}

function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`Migration "${m.name}" has version ${m.version}; expected ${i + 1} (in order, from 1)`);
    }
  });
}
