import { DateTime } from 'luxon';
import type { DigestMessageView } from '../chat-port.js';
import { formatDuration } from '../durations.js';
import {
  CANCEL_REASON_LABELS,
  DECLINE_REASON_LABELS,
  STAY_REASON_LABELS,
  type CancelReason,
  type DeclineReason,
  type StayReason,
} from '../outcomes.js';
import {
  OUTCOME_CODES,
  OUTCOME_SHORT_LABELS,
  TIMING_KEYS,
  TIMING_LABELS,
  type CountBy,
  type DigestFigures,
  type GroupFigures,
} from './figures.js';
import type { TimingFigure } from './stats.js';
import { DEMOGRAPHIC_DIMENSIONS, demographicLabel, demographicScope } from './disproportionality.js';
import {
  authorityFailureDetentions,
  cellId,
  protectDigest,
  protectPrevious,
  scopeOf,
  type ChildrenMeasure,
  type ProtectedCounts,
} from './digest-suppression.js';
import { COMPLEMENT, formatRate, groupThousands, SUPPRESSED, SUPPRESSION_THRESHOLD } from './suppression.js';

const HOUR_MS = 3_600_000;

/** Open requests listed by reference in a digest (the count covers all of them). */
export const OPEN_LIST_LIMIT = 10;

export interface DigestViewOptions {
  forceName: string;
  suppressSmallCounts: boolean;
  chart?: DigestMessageView['chart'];
}

const WITHHELD = 'withheld (small numbers)';

function declineLabel(key: string): string {
  return DECLINE_REASON_LABELS[key as DeclineReason] ?? key;
}

function stayLabel(key: string): string {
  return STAY_REASON_LABELS[key as StayReason] ?? CANCEL_REASON_LABELS[key as CancelReason] ?? key;
}

/** Durations past 48 hours read in days and hours ("25 d 20 h"), not "620h 13m". */
export function formatElapsed(ms: number): string {
  if (ms < 48 * HOUR_MS) return formatDuration(ms);
  const hours = Math.round(ms / HOUR_MS);
  const d = Math.floor(hours / 24);
  const h = hours % 24;
  return h === 0 ? `${d} d` : `${d} d ${h} h`;
}

/** How counts print: plainly, or through the digest's protection (docs/suppression.md). */
interface Counts {
  suppress: boolean;
  /** Under suppression, the disproportionality rows could not be protected at all. */
  demographicsWithheld?: boolean;
  /** A count of the group (all, a suite, a local authority) or a digest-wide cell. */
  n(scope: string, measure: string, value: number): string;
  hidden(scope: string, measure: string): boolean;
}

function plainCounts(): Counts {
  return { suppress: false, n: (_s, _m, v) => groupThousands(v), hidden: () => false };
}

function protectedCounts(p: ProtectedCounts): Counts {
  const id = (scope: string, measure: string) => (scope === '' ? measure : cellId(scope, measure));
  return {
    suppress: true,
    demographicsWithheld: p.demographicsWithheld === true,
    n: (scope, measure) => p.text(id(scope, measure)),
    hidden: (scope, measure) => p.hidden(id(scope, measure)),
  };
}

/** "18 detentions": these count detentions, not children (a child held twice counts twice). */
function detentions(count: string): string {
  return `${count} detention${count === '1' ? '' : 's'}`;
}

/**
 * "18 detentions, 15 children" when the figures carry distinct children (older ones do not):
 * a child held twice is two detentions and one child.
 */
function detentionsAndChildren(g: GroupFigures, k: Counts, scope: string, m: ChildrenMeasure): string {
  const value = m === 'detained' ? g.detained : m === 'overnight' ? g.overnight : g.weekend;
  const d = detentions(k.n(scope, m, value));
  if (!g.children) return d;
  const c = k.n(scope, `children:${m}`, g.children[m]);
  return `${d}, ${c} ${c === '1' ? 'child' : 'children'}`;
}

function countList(
  items: Array<CountBy<string | number>>,
  label: (k: string) => string,
  print: (key: string, count: number) => string,
): string {
  const shown = items.filter((i) => i.count > 0);
  if (shown.length === 0) return 'none';
  return shown.map((i) => `${label(String(i.key))} ${print(String(i.key), i.count)}`).join(' · ');
}

function timingText(t: TimingFigure, s: boolean): string {
  if (t.n === 0 || t.medianMs === null || t.p90Ms === null) return 'no cases';
  // With suppression on, n is not printed: it would be one more count to protect.
  if (s)
    return t.n < SUPPRESSION_THRESHOLD
      ? WITHHELD
      : `median ${formatElapsed(t.medianMs)} · p90 ${formatElapsed(t.p90Ms)}`;
  return `median ${formatElapsed(t.medianMs)} · p90 ${formatElapsed(t.p90Ms)} (n ${groupThousands(t.n)})`;
}

/** A rate only when both its counts print, or it gives one back from the other. */
function rateText(scope: string, transferred: number, detained: number, k: Counts): string {
  if (transferred + detained === 0) return 'n/a';
  if (k.suppress && (k.hidden(scope, 'transferred') || k.hidden(scope, 'detained'))) return WITHHELD;
  return formatRate(transferred, transferred + detained, false);
}

/** The lines describing one group (all requests, one suite, or one local authority). */
function groupLines(g: GroupFigures, k: Counts, scope: string): string[] {
  const c = (measure: string, value: number) => k.n(scope, measure, value);
  const decided = g.transferred + g.detained;
  const outcomes = OUTCOME_CODES.filter((code) => g.outcomes[code] > 0).map(
    (code) => `${OUTCOME_SHORT_LABELS[code]} ${c(`outcome:${code}`, g.outcomes[code])}`,
  );
  const levels = g.escalationLevels
    .filter((l) => l.count > 0)
    .map((l) => `${l.key === 0 ? 'none' : `level ${l.key}`} ${c(`level:${l.key}`, l.count)}`);
  const rate = rateText(scope, g.transferred, g.detained, k);
  return [
    `Requests: ${c('requests', g.requests)} · outcome recorded ${c('resolved', g.resolved)} · still open ${c('stillOpen', g.stillOpen)}`,
    `Outcomes: ${outcomes.length ? outcomes.join(' · ') : 'none yet'}`,
    `Transfer rate: ${rate}` +
      (!k.suppress && decided > 0
        ? ` (${groupThousands(g.transferred)} transferred of ${groupThousands(decided)} where the duty applied)`
        : ''),
    `Held overnight: ${detentionsAndChildren(g, k, scope, 'overnight')} · at a weekend: ${detentionsAndChildren(g, k, scope, 'weekend')} · repeat detentions: ${c('repeat', g.repeatDetentions)}`,
    `Escalation level reached: ${levels.length ? levels.join(' · ') : 'no outcomes yet'}`,
    ...TIMING_KEYS.map((key) => `${TIMING_LABELS[key]}: ${timingText(g.timings[key], k.suppress)}`),
    `Decline reasons: ${countList(g.declineReasons, declineLabel, (key, n) => c(`decline:${key}`, n))}`,
    `Why the child stayed (s.38(6) impracticable, or the authority provided nothing): ${countList(g.stayReasons, stayLabel, (key, n) => c(`stay:${key}`, n))}`,
  ];
}

/**
 * One line per local authority: the detentions where the child stayed because the authority
 * provided no accommodation, the stays `authorityFailureOf` (domain/outcomes.ts) flags as an
 * authority failure. Under the 2017 Concordat (principle 6) the authority repays the force for
 * such a detention, so these are the lines a finance lead needs. Suppression protects the line
 * with the stay reasons it adds up.
 */
function principleSixLines(f: DigestFigures, k: Counts): string[] {
  return [
    ...f.byLocalAuthority.map(
      (g) =>
        `${g.name}: ${detentions(k.n(scopeOf('la', g.id), 'authorityFailure', authorityFailureDetentions(g)))}`,
    ),
    `All local authorities: ${detentions(k.n('all', 'authorityFailure', authorityFailureDetentions(f.total)))}`,
  ];
}

/**
 * Disproportionality (docs/demographics.md): all requests by the top-level group of the child's
 * officer-recorded self-defined ethnicity, and by sex. Groups only, never a child: no case list,
 * no per-suite split, and under suppression every count goes through the digest's protection,
 * linked to the totals it adds up to.
 */
function demographicLines(f: DigestFigures, k: Counts): string[] {
  if (!f.demographics) return [];
  const lines = [
    'Requests in each group, and how many were transferred, held in police detention after charge, and held overnight. Ethnicity is the child’s self-defined ethnicity as the officer recorded it, in its top-level group; “not recorded” means the form’s field was left empty.',
  ];
  if (k.demographicsWithheld) {
    lines.push(`${WITHHELD}: the groups are too small to show without giving away other counts.`);
    return lines;
  }
  for (const dimension of DEMOGRAPHIC_DIMENSIONS) {
    const heading = dimension === 'ethnicGroup' ? 'Ethnicity' : 'Sex';
    for (const row of f.demographics[dimension]) {
      const scope = demographicScope(dimension, row.key);
      const c = (m: string, v: number) => k.n(scope, m, v);
      lines.push(
        `${heading}, ${demographicLabel(dimension, row.key)}: requests ${c('requests', row.requests)} · transferred ${c('transferred', row.transferred)} · held in police detention ${c('detained', row.detained)} · held overnight ${c('overnight', row.overnight)} · transfer rate ${rateText(scope, row.transferred, row.detained, k)}`,
      );
    }
  }
  return lines;
}

/** "↑ 4", "↓ 2", "no change". */
function change(now: number, before: number, unit = ''): string {
  const d = now - before;
  if (d === 0) return 'no change';
  return `${d > 0 ? '↑' : '↓'} ${groupThousands(Math.abs(d))}${unit}`;
}

/**
 * Each summary figure beside the previous period's. A change is printed only when both counts
 * are (under suppression, one withheld count and the change would give it back).
 */
function comparisonLines(now: GroupFigures, before: GroupFigures, k: Counts, p: Counts): string[] {
  const scopePrev = 'previous';
  const countLine = (label: string, measure: string, a: number, b: number) => {
    const shownNow = k.n('all', measure, a);
    const shownBefore = p.n(scopePrev, measure, b);
    const both = !k.hidden('all', measure) && !p.hidden(scopePrev, measure);
    return `${label}: ${shownNow} (previous ${shownBefore}${both ? `, ${change(a, b)}` : ''})`;
  };
  const lines = [
    countLine('Requests', 'requests', now.requests, before.requests),
    countLine('Transferred', 'transferred', now.transferred, before.transferred),
    countLine('Held in police detention (detentions)', 'detained', now.detained, before.detained),
  ];
  if (now.children && before.children) {
    lines.push(
      countLine(
        'Held in police detention (children)',
        'children:detained',
        now.children.detained,
        before.children.detained,
      ),
    );
  }
  lines.push(countLine('Held overnight (detentions)', 'overnight', now.overnight, before.overnight));
  if (now.children && before.children) {
    lines.push(
      countLine(
        'Held overnight (children)',
        'children:overnight',
        now.children.overnight,
        before.children.overnight,
      ),
    );
  }
  lines.push(
    countLine('Held at a weekend (detentions)', 'weekend', now.weekend, before.weekend),
    countLine('Repeat detentions', 'repeat', now.repeatDetentions, before.repeatDetentions),
  );
  const rate = (g: GroupFigures) =>
    g.transferred + g.detained === 0
      ? null
      : Math.round((g.transferred / (g.transferred + g.detained)) * 100);
  const rateNow = rateText('all', now.transferred, now.detained, k);
  const ratePrev = rateText(scopePrev, before.transferred, before.detained, p);
  const rn = rate(now);
  const rb = rate(before);
  lines.push(
    `Transfer rate: ${rateNow} (previous ${ratePrev}${rn !== null && rb !== null && /%$/.test(rateNow) && /%$/.test(ratePrev) ? `, ${change(rn, rb, ' points')}` : ''})`,
  );
  for (const key of TIMING_KEYS) {
    const a = now.timings[key];
    const b = before.timings[key];
    const med = (t: TimingFigure) =>
      t.medianMs === null
        ? 'no cases'
        : k.suppress && t.n < SUPPRESSION_THRESHOLD
          ? WITHHELD
          : formatElapsed(t.medianMs);
    const ma = med(a);
    const mb = med(b);
    const both = a.medianMs !== null && b.medianMs !== null && ma !== WITHHELD && mb !== WITHHELD;
    const diff =
      both && a.medianMs !== null && b.medianMs !== null
        ? a.medianMs === b.medianMs
          ? ', no change'
          : `, ${a.medianMs > b.medianMs ? '↑' : '↓'} ${formatElapsed(Math.abs(a.medianMs - b.medianMs))}`
        : '';
    lines.push(`${TIMING_LABELS[key]}, median: ${ma} (previous ${mb}${diff})`);
  }
  return lines;
}

function local(iso: string, zone: string): string {
  return DateTime.fromISO(iso, { zone }).toFormat('d LLL yyyy HH:mm');
}

function name(map: Record<string, string>, id: string): string {
  return map[id] ?? id;
}

/**
 * The digest as a chat message: a title, sections of plain lines, and the trend chart. It names no
 * child: children appear only by shortened keyed pseudonym, requests by case reference and custody
 * record number. With suppression on, counts go through the digest's cell suppression
 * (docs/suppression.md) and lists of cases are withheld.
 */
export function buildDigestView(f: DigestFigures, o: DigestViewOptions): DigestMessageView {
  const s = o.suppressSmallCounts;
  const k = s ? protectedCounts(protectDigest(f)) : plainCounts();
  const all = (measure: string, value: number) => k.n('all', measure, value);
  const digestWide = (measure: string, value: number) => k.n('', measure, value);
  const zone = f.period.timeZone;
  const kindWord = { daily: 'Daily', weekly: 'Weekly', range: 'Concordat' }[f.period.kind];
  const t = f.total;
  const sections: Array<{ heading: string; lines: string[] }> = [];

  sections.push({
    heading: 'Summary',
    lines: [
      `Children charged and refused bail, with a bed request: ${all('requests', t.requests)}`,
      `Transferred to local authority accommodation: ${all('transferred', t.transferred)} · held in police detention: ${detentionsAndChildren(t, k, 'all', 'detained')} · transfer rate ${rateText('all', t.transferred, t.detained, k)}`,
      `Held overnight: ${detentionsAndChildren(t, k, 'all', 'overnight')} · held at a weekend: ${detentionsAndChildren(t, k, 'all', 'weekend')}`,
      `Repeat detentions (same child within ${f.repeatWindowDays} days): ${all('repeat', t.repeatDetentions)}`,
      `Requests open now (made at any time): ${digestWide('openNow', f.openNow.count)}`,
      ...(t.enteredInError !== undefined
        ? [
            `Requests cancelled as entered in error: ${digestWide('enteredInError', t.enteredInError)} (not real requests: left out of every other count and timing in this digest)`,
          ]
        : []),
      ...(s
        ? [
            `Small-count suppression is on: counts of 1 to 4 show as "${SUPPRESSED}", and "${COMPLEMENT}" marks a count withheld so that no "${SUPPRESSED}" can be worked out from the others; rates and timings resting on them are withheld, and so are case lists.`,
          ]
        : []),
    ],
  });
  if (f.previous) {
    sections.push({
      heading: `Compared with the previous ${kindWord === 'Daily' ? 'day' : kindWord === 'Weekly' ? 'week' : 'period'} (${f.previous.period.label})`,
      lines: comparisonLines(
        t,
        f.previous.total,
        k,
        s ? protectedCounts(protectPrevious(f.previous.total)) : plainCounts(),
      ),
    });
  }
  sections.push({ heading: 'All requests', lines: groupLines(t, k, 'all') });
  for (const g of f.bySuite) {
    sections.push({ heading: `Custody suite: ${g.name}`, lines: groupLines(g, k, scopeOf('suite', g.id)) });
  }
  for (const g of f.byLocalAuthority) {
    sections.push({ heading: `Local authority: ${g.name}`, lines: groupLines(g, k, scopeOf('la', g.id)) });
  }

  sections.push({
    heading: 'Local authority did not provide accommodation (Concordat principle 6: repayment)',
    lines: principleSixLines(f, k),
  });
  if (f.demographics) {
    sections.push({
      heading: 'Disproportionality: requests by ethnicity and by sex',
      lines: demographicLines(f, k),
    });
  }

  const repeatLines: string[] = [];
  const repeatChildren = digestWide('repeatChildren', f.repeatChildren);
  if (f.repeatChildren === 0) {
    repeatLines.push('None in this period.');
  } else if (s) {
    repeatLines.push(
      `Children detained again: ${repeatChildren}. References are withheld while suppression is on.`,
    );
  } else {
    repeatLines.push(`Children detained again: ${repeatChildren}.`);
    for (const r of f.repeatDetentions) {
      const parts = r.detentions.map(
        (d) =>
          `${d.custodyRecordNumber} (${d.caseRef}, ${name(f.names.suites, d.custodySuiteId)}, ${local(d.chargedAt, zone)}, ${OUTCOME_SHORT_LABELS[d.outcome]}${d.inPeriod ? '' : ', earlier'})`,
      );
      repeatLines.push(`${r.childRef}: ${r.detentions.length} detentions: ${parts.join('; ')}`);
    }
    if (f.repeatChildren > f.repeatDetentions.length) {
      repeatLines.push(
        `…and ${f.repeatChildren - f.repeatDetentions.length} more children: the Concordat export lists every request.`,
      );
    }
  }
  sections.push({ heading: `Repeat detentions (window ${f.repeatWindowDays} days)`, lines: repeatLines });

  const openLines = [`Open now: ${digestWide('openNow', f.openNow.count)}`];
  if (!s) {
    const generated = DateTime.fromISO(f.generatedAt);
    for (const r of f.openNow.oldest.slice(0, OPEN_LIST_LIMIT)) {
      const open = generated.diff(DateTime.fromISO(r.requestedAt)).toMillis();
      openLines.push(
        `${r.caseRef} · record ${r.custodyRecordNumber} · ${name(f.names.suites, r.custodySuiteId)} · ${name(f.names.localAuthorities, r.localAuthorityId)} · open ${formatElapsed(Math.max(0, open))}`,
      );
    }
    if (f.openNow.count > f.openNow.oldest.length) {
      openLines.push(`…and ${f.openNow.count - f.openNow.oldest.length} more.`);
    }
  }
  sections.push({ heading: 'Requests still open', lines: openLines });

  return {
    title: `${kindWord} digest, ${f.period.label}: ${o.forceName}`,
    sections,
    ...(o.chart ? { chart: o.chart } : {}),
  };
}

/** The digest as plain text (the CLI and logs). */
export function renderDigestText(view: DigestMessageView): string {
  const out = [view.title, '='.repeat(Math.min(view.title.length, 100)), ''];
  for (const section of view.sections) {
    out.push(section.heading, ...section.lines.map((l) => `  ${l}`), '');
  }
  if (view.chart) out.push(`Chart: ${view.chart.filename} (${view.chart.altText})`);
  return out.join('\n').trimEnd() + '\n';
}
