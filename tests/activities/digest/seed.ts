/**
 * A deterministic seed of a few hundred bed requests over 2026, for the digest, export and purge
 * tests: two configured custody suites and one retired one, three local authorities, repeat
 * children (including one known by PNC on one night, by name on another, bridged by a night that
 * had both), overnight and weekend cases, and requests on both DST days (29 March, 25 October).
 *
 * The seed is a plain list: tests compute their expectations from it in plain TypeScript, never
 * through the SQL under test.
 */
import { readFileSync } from 'node:fs';
import type { ChildIdentity } from '../../../domain/bed-request.js';
import type { DeclineReason, OutcomeCode, StayReason } from '../../../domain/outcomes.js';
import type { Protocol } from '../../../domain/protocol.js';
import { parseProtocol } from '../../../runtime/config.js';
import type { NewRequest, OutcomeRecord, RecordsStore } from '../../../store/records-store.js';
import { prng } from '../../support/prng.js';

export interface SeedChild {
  /** Ground truth: which child this is (never stored). */
  index: number;
  pncId: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  /** How the child is identified on each request: by PNC, by name+DOB, or both. */
  identifiedBy: 'pnc' | 'nd' | 'both';
}

export interface SeedRequest {
  request: NewRequest;
  child: SeedChild;
  outcome?: OutcomeRecord;
}

export const SUITES = ['northampton-cjc', 'weekley-wood', 'retired-suite'] as const;
export const LAS = ['west-northamptonshire', 'north-northamptonshire', 'milton-keynes'] as const;

const GIVEN = ['Aaron', 'Bethany', 'Callum', 'Demi', 'Ellis', 'Farah', 'Grace', 'Harvey', 'Isla', 'Jayden'];
const FAMILY = ['Adebayo', 'Brennan', 'Chowdhury', 'Dawson', 'Evans', 'Fitzgerald', 'Gallagher', 'Hughes'];

const MIN = 60_000;
const HOUR = 60 * MIN;

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function pick<T>(rand: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rand() * xs.length)] as T;
}

function identityOf(child: SeedChild, by: SeedChild['identifiedBy']): ChildIdentity {
  if (by === 'pnc') return { pncId: child.pncId };
  if (by === 'nd') {
    return { givenName: child.givenName, familyName: child.familyName, dateOfBirth: child.dateOfBirth };
  }
  return {
    pncId: child.pncId,
    givenName: child.givenName,
    familyName: child.familyName,
    dateOfBirth: child.dateOfBirth,
  };
}

const OUTCOME_WEIGHTS: Array<[OutcomeCode, number]> = [
  ['transferred_non_secure', 30],
  ['transferred_secure', 8],
  ['detained_no_bed_non_secure', 25],
  ['detained_no_secure_bed', 8],
  ['detained_impracticable', 6],
  ['released_or_bailed', 10],
  ['court_before_transfer', 8],
  ['cancelled_in_error', 5],
];

function weighted(rand: () => number): OutcomeCode {
  const total = OUTCOME_WEIGHTS.reduce((a, [, w]) => a + w, 0);
  let r = rand() * total;
  for (const [code, w] of OUTCOME_WEIGHTS) {
    r -= w;
    if (r < 0) return code;
  }
  return 'transferred_non_secure';
}

const DETAINED: readonly OutcomeCode[] = [
  'detained_no_bed_non_secure',
  'detained_no_secure_bed',
  'detained_impracticable',
  'court_before_transfer',
];
const DECLINES: readonly DeclineReason[] = [
  'no_secure_bed',
  'no_non_secure_placement',
  'not_our_child',
  'insufficient_information',
  'other',
];

export function makeChildren(count: number): SeedChild[] {
  return Array.from({ length: count }, (_, i) => ({
    index: i,
    pncId: `${String(10 + (i % 13)).padStart(2, '0')}/${100000 + i * 7}${'ABCDEFGHJK'[i % 10] ?? 'A'}`,
    givenName: `${GIVEN[i % GIVEN.length] ?? 'Alex'}${i}`,
    familyName: FAMILY[i % FAMILY.length] ?? 'Smith',
    dateOfBirth: `20${String(9 + (i % 5)).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 10}`,
    identifiedBy: i % 10 === 7 ? 'nd' : i % 3 === 0 ? 'both' : 'pnc',
  }));
}

/**
 * Builds the seed: `count` ordinary requests charged between 5 January and 15 November 2026
 * (children 0–29 come back often; the rest rarely), plus hand-placed cases on the DST days and the
 * PNC/name bridge. About one in ten has no outcome yet.
 */
export function buildSeed(count = 360, seed = 20260329): SeedRequest[] {
  const rand = prng(seed);
  const children = makeChildren(200);
  const start = Date.parse('2026-01-05T00:00:00Z');
  const end = Date.parse('2026-11-15T00:00:00Z');
  const out: SeedRequest[] = [];

  const add = (
    i: number,
    chargedMs: number,
    child: SeedChild,
    opts: {
      by?: SeedChild['identifiedBy'];
      outcome?: OutcomeCode | null;
      suite?: string;
      la?: string;
    } = {},
  ) => {
    const suite = opts.suite ?? pick(rand, rand() < 0.04 ? SUITES : SUITES.slice(0, 2));
    const la = opts.la ?? pick(rand, LAS);
    const requestedMs = chargedMs + Math.round((5 + rand() * 85) * MIN);
    const workflowId = `bed-request:SEED:${String(i).padStart(4, '0')}`;
    const request: NewRequest = {
      workflowId,
      custodyRecordNumber: `CR/${26}/${String(10000 + i)}`,
      custodySuiteId: suite,
      localAuthorityId: la,
      route: rand() < 0.6 ? 'out_of_hours' : 'in_hours',
      outOfArea: rand() < 0.15,
      age: 12 + Math.floor(rand() * 6),
      accommodation: rand() < 0.2 ? 'secure' : 'non_secure',
      chargedAt: iso(chargedMs),
      requestedAt: iso(requestedMs),
      nextCourtSitting: iso(chargedMs + 14 * HOUR),
      requestingOfficer: { platform: 'slack', userId: 'U0SERGEANT', displayName: 'Sgt Example' },
      identity: identityOf(child, opts.by ?? child.identifiedBy),
    };
    const code = opts.outcome === undefined ? (rand() < 0.1 ? null : weighted(rand)) : opts.outcome;
    if (code === null) {
      out.push({ request, child });
      return;
    }
    const ack = rand() < 0.85 ? requestedMs + Math.round((2 + rand() * 120) * MIN) : undefined;
    const transferred = code === 'transferred_non_secure' || code === 'transferred_secure';
    const offered =
      transferred || (ack !== undefined && rand() < 0.3)
        ? (ack ?? requestedMs) + Math.round(rand() * 240 * MIN)
        : undefined;
    const left = transferred ? (offered ?? requestedMs) + Math.round((20 + rand() * 100) * MIN) : undefined;
    const endedMs = left ?? requestedMs + Math.round((2 + rand() * 14) * HOUR);
    const declines: string[] = [];
    const nDeclines = rand() < 0.35 ? 1 + Math.floor(rand() * 2) : 0;
    for (let d = 0; d < nDeclines; d++) declines.push(pick(rand, DECLINES));
    const stayReason: StayReason | undefined = DETAINED.includes(code)
      ? code === 'detained_no_secure_bed'
        ? 'no_secure_bed_serious_harm'
        : code === 'detained_impracticable'
          ? pick(rand, ['impracticable_extreme_weather', 'impracticable_other'] as const)
          : 'no_accommodation_provided'
      : undefined;
    const outcome: OutcomeRecord = {
      workflowId,
      outcome: code,
      chargedAt: request.chargedAt,
      requestedAt: request.requestedAt,
      ...(ack !== undefined ? { acknowledgedAt: iso(ack) } : {}),
      ...(offered !== undefined ? { bedOfferedAt: iso(offered) } : {}),
      endedAt: iso(endedMs),
      ...(left !== undefined ? { leftCustodyAt: iso(left) } : {}),
      escalationLevel: Math.floor(rand() * 4),
      overnight: rand() < 0.4,
      weekend: rand() < 0.15,
      ...(stayReason
        ? { stayReason, certificate: `Certificate for ${child.givenName} ${child.familyName}` }
        : {}),
      ...(code === 'released_or_bailed' ? { cancelReason: 'bailed' } : {}),
      ...(code === 'cancelled_in_error' ? { cancelReason: 'entered_in_error' } : {}),
      declineReasons: declines,
      actors: { resolved: { platform: 'slack', userId: 'U0SERGEANT' } },
    };
    out.push({ request, child, outcome });
  };

  for (let i = 0; i < count; i++) {
    const chargedMs = start + Math.floor(rand() * (end - start));
    const child = rand() < 0.45 ? (children[Math.floor(rand() * 30)] as SeedChild) : pick(rand, children);
    add(i, chargedMs, child);
  }

  // Both DST days, with charges either side of the change.
  const dst = [
    '2026-03-28T23:30:00Z', // 23:30 GMT Saturday
    '2026-03-29T00:30:00Z', // 00:30 GMT Sunday, just before the clocks go forward
    '2026-03-29T01:30:00Z', // 02:30 BST, just after
    '2026-03-29T22:45:00Z', // 23:45 BST Sunday
    '2026-03-29T23:15:00Z', // 00:15 BST Monday: the next day
    '2026-10-24T22:30:00Z', // 23:30 BST Saturday
    '2026-10-24T23:30:00Z', // 00:30 BST Sunday 25 October
    '2026-10-25T00:30:00Z', // 01:30 BST (first time round)
    '2026-10-25T01:30:00Z', // 01:30 GMT (second time round)
    '2026-10-25T23:30:00Z', // 23:30 GMT Sunday
    '2026-10-26T00:10:00Z', // 00:10 GMT Monday: the next day
  ];
  dst.forEach((t, k) => {
    add(count + k, Date.parse(t), children[30 + k] as SeedChild, {
      outcome: k % 3 === 0 ? 'transferred_non_secure' : 'detained_no_bed_non_secure',
    });
  });

  // The 2013 pattern, in March 2026: one child held two weeks running. The bridge: the first
  // night knew only the PNC ID, the second both, the third only the name and date of birth.
  const bridge = children[199] as SeedChild;
  add(count + 20, Date.parse('2026-03-09T21:40:00Z'), bridge, {
    by: 'pnc',
    outcome: 'detained_no_bed_non_secure',
    suite: 'northampton-cjc',
    la: 'west-northamptonshire',
  });
  add(count + 21, Date.parse('2026-03-16T20:05:00Z'), bridge, {
    by: 'both',
    outcome: 'transferred_non_secure',
    suite: 'northampton-cjc',
    la: 'west-northamptonshire',
  });
  add(count + 22, Date.parse('2026-03-25T22:15:00Z'), bridge, {
    by: 'nd',
    outcome: 'detained_no_bed_non_secure',
    suite: 'weekley-wood',
    la: 'west-northamptonshire',
  });
  return out;
}

/** Registers every request and records every outcome. Returns the case references the store gave. */
export async function seedStore(
  store: RecordsStore,
  seed: readonly SeedRequest[],
): Promise<Map<string, string>> {
  const refs = new Map<string, string>();
  for (const s of seed) {
    const reg = await store.registerRequest(s.request);
    refs.set(s.request.workflowId, reg.caseRef);
    if (s.outcome) await store.recordOutcome(s.outcome);
  }
  return refs;
}

/** The example protocol, as the digests are configured in tests. */
export function testProtocol(overrides: Partial<Protocol['digest']> = {}): Protocol {
  const p = parseProtocol(readFileSync('config/concordat.example.yaml', 'utf8'), 'example');
  return { ...p, digest: { ...p.digest, ...overrides } };
}

/** Every plain identity string in the seed, to prove none of them leaks. */
export function plainIdentities(seed: readonly SeedRequest[]): string[] {
  const out = new Set<string>();
  for (const s of seed) {
    out.add(s.child.pncId);
    out.add(s.child.givenName);
    out.add(s.child.dateOfBirth);
  }
  return [...out];
}
