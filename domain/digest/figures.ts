import { DETAINED_OUTCOMES, outcomeCodeSchema, type OutcomeCode } from '../outcomes.js';
import type { DigestPeriod } from './period.js';
import type { TimingFigure } from './stats.js';

/**
 * The figures of one digest, as plain JSON (they travel through workflow history). A digest
 * counts the requests whose child was charged in the period (a cohort), and what became of them.
 */

export const TIMING_KEYS = [
  'chargeToRequest',
  'requestToAcknowledged',
  'requestToBedOffered',
  'requestToLeftCustody',
] as const;
export type TimingKey = (typeof TIMING_KEYS)[number];

export const TIMING_LABELS: Record<TimingKey, string> = {
  chargeToRequest: 'Charge → request',
  requestToAcknowledged: 'Request → acknowledged',
  requestToBedOffered: 'Request → bed offered',
  requestToLeftCustody: 'Request → child left custody',
};

export const TRANSFERRED_OUTCOMES: readonly OutcomeCode[] = ['transferred_non_secure', 'transferred_secure'];
export const OUTCOME_CODES: readonly OutcomeCode[] = outcomeCodeSchema.options;
export { DETAINED_OUTCOMES };

/** Short outcome names for digest lines (the long ones are in OUTCOME_LABELS). */
export const OUTCOME_SHORT_LABELS: Record<OutcomeCode, string> = {
  transferred_non_secure: 'transferred (non-secure)',
  transferred_secure: 'transferred (secure)',
  detained_no_bed_non_secure: 'held: no non-secure bed',
  detained_no_secure_bed: 'held: no secure bed',
  detained_impracticable: 'held: impracticable',
  released_or_bailed: 'released or bailed',
  court_before_transfer: 'court before transfer',
  cancelled_in_error: 'cancelled in error',
};

export interface CountBy<K extends string | number = string> {
  key: K;
  count: number;
}

/** The figures of one group: everything, one custody suite, or one local authority. */
export interface GroupFigures {
  /** Suite or local authority ID; "all" for the total. */
  id: string;
  name: string;
  /** Requests whose child was charged in the period. */
  requests: number;
  /** Of those, how many have an outcome recorded. */
  resolved: number;
  /** Of those, how many are still open when the digest is made. */
  stillOpen: number;
  outcomes: Record<OutcomeCode, number>;
  transferred: number;
  /** Stayed in police detention after charge (DETAINED_OUTCOMES). */
  detained: number;
  overnight: number;
  weekend: number;
  /**
   * Distinct children (the same-child linker's, docs/same-child.md) behind `detained`,
   * `overnight` and `weekend`: a child held twice counts twice in those, once here. Absent in
   * figures made before it was counted.
   */
  children?: { detained: number; overnight: number; weekend: number };
  /**
   * Requests cancelled as entered in error: never real requests, so left out of every other
   * count and timing here, and counted on their own. Absent in older figures.
   */
  enteredInError?: number;
  /** Detentions in the period that were the child's second or later in the repeat window. */
  repeatDetentions: number;
  /** Highest escalation level reached, over resolved requests (0 = never escalated). */
  escalationLevels: Array<CountBy<number>>;
  timings: Record<TimingKey, TimingFigure>;
  /** Requests declined at least once for the reason, by coded reason. */
  declineReasons: Array<CountBy>;
  /** Why the child stayed, by coded reason: s.38(6) impracticability, or the authority's failure (principle 4). */
  stayReasons: Array<CountBy>;
}

export interface RepeatDetentionFigure {
  /** Shortened keyed pseudonym: never the identity. */
  childRef: string;
  /** This child's post-charge detentions: those in the period, and those in the window before. Oldest first. */
  detentions: Array<{
    caseRef: string;
    custodyRecordNumber: string;
    custodySuiteId: string;
    localAuthorityId: string;
    chargedAt: string;
    outcome: OutcomeCode;
    inPeriod: boolean;
  }>;
}

export const REPEAT_LIST_LIMIT = 30;

export interface OpenRequestItem {
  caseRef: string;
  custodyRecordNumber: string;
  custodySuiteId: string;
  localAuthorityId: string;
  requestedAt: string;
}

export interface TrendPoint {
  /** Local Monday, YYYY-MM-DD. */
  weekStart: string;
  requests: number;
  /** Children held in police detention after charge (DETAINED_OUTCOMES), by week of charge. */
  detained: number;
  /**
   * Transferred to local authority accommodation, by week of charge. Optional until the store's
   * weekly trend query returns it; the chart stacks it on the held bars when present.
   */
  transferred?: number;
}

/**
 * The requests of one ethnic group or one sex group (docs/demographics.md), counted as the
 * "all" group counts them: entered in error left out; transferred and held in police detention by
 * outcome; held overnight whatever the outcome.
 */
export interface DemographicFigure {
  /** An EthnicGroup or a SexGroup (domain/demographics.ts). */
  key: string;
  requests: number;
  transferred: number;
  detained: number;
  overnight: number;
}

export interface DigestFigures {
  period: DigestPeriod;
  generatedAt: string;
  repeatWindowDays: number;
  total: GroupFigures;
  bySuite: GroupFigures[];
  byLocalAuthority: GroupFigures[];
  /**
   * Children detained again in the period, with their detentions: the first REPEAT_LIST_LIMIT by
   * the time of their first repeat (the digest travels through workflow history and chat, so it
   * stays small; the export lists every request). `repeatChildren` counts them all.
   */
  repeatDetentions: RepeatDetentionFigure[];
  repeatChildren: number;
  /** Every request open at generatedAt, whenever it was made: the count, and the oldest few. */
  openNow: { count: number; oldest: OpenRequestItem[] };
  trend: TrendPoint[];
  /**
   * The period of the same length just before this one, for the comparison (↑/↓): its totals
   * only. Absent in older figures.
   */
  previous?: { period: DigestPeriod; total: GroupFigures };
  /**
   * Disproportionality: the period's requests by the child's officer-recorded self-defined
   * ethnicity (its top-level group) and by sex, every group listed (zeros too). Each adds up to
   * the total. Absent in older figures.
   */
  demographics?: { ethnicGroup: DemographicFigure[]; sex: DemographicFigure[] };
  /** Display names of the suites and local authorities named above, from the protocol. */
  names: { suites: Record<string, string>; localAuthorities: Record<string, string> };
}

export function emptyOutcomeCounts(): Record<OutcomeCode, number> {
  return Object.fromEntries(OUTCOME_CODES.map((c) => [c, 0])) as Record<OutcomeCode, number>;
}

/**
 * A keyed pseudonym shortened for display: its first 10 characters, exactly as the repeat-detention
 * alert shows it (activities/records CHILD_REF_LENGTH), so a lead can match a digest line to an alert.
 */
export const CHILD_REF_LENGTH = 10;
export function shortChildRef(pseudonym: string): string {
  return pseudonym.slice(0, CHILD_REF_LENGTH);
}
