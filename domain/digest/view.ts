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
import { formatCount, formatRate, isSuppressed } from './suppression.js';

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

function countList(items: Array<CountBy<string | number>>, label: (k: string) => string, s: boolean): string {
  const shown = items.filter((i) => i.count > 0);
  if (shown.length === 0) return 'none';
  return shown.map((i) => `${label(String(i.key))} ${formatCount(i.count, s)}`).join(' · ');
}

function timingText(t: TimingFigure, s: boolean): string {
  if (t.n === 0 || t.medianMs === null || t.p90Ms === null) return 'no cases';
  if (isSuppressed(t.n, s)) return `${WITHHELD} (n ${formatCount(t.n, s)})`;
  return `median ${formatDuration(t.medianMs)} · p90 ${formatDuration(t.p90Ms)} (n ${formatCount(t.n, s)})`;
}

/** The lines describing one group (all requests, one suite, or one local authority). */
export function groupLines(g: GroupFigures, s: boolean): string[] {
  const c = (n: number) => formatCount(n, s);
  const decided = g.transferred + g.detained;
  const outcomes = OUTCOME_CODES.filter((code) => g.outcomes[code] > 0).map(
    (code) => `${OUTCOME_SHORT_LABELS[code]} ${c(g.outcomes[code])}`,
  );
  const levels = g.escalationLevels
    .filter((l) => l.count > 0)
    .map((l) => `${l.key === 0 ? 'none' : `level ${l.key}`} ${c(l.count)}`);
  return [
    `Requests: ${c(g.requests)} · outcome recorded ${c(g.resolved)} · still open ${c(g.stillOpen)}`,
    `Outcomes: ${outcomes.length ? outcomes.join(' · ') : 'none yet'}`,
    `Transfer rate: ${formatRate(g.transferred, decided, s)}` +
      (decided > 0 ? ` (${c(g.transferred)} transferred of ${c(decided)} where the duty applied)` : ''),
    `Held overnight: ${c(g.overnight)} · at a weekend: ${c(g.weekend)} · repeat detentions: ${c(g.repeatDetentions)}`,
    `Escalation level reached: ${levels.length ? levels.join(' · ') : 'no outcomes yet'}`,
    ...TIMING_KEYS.map((k) => `${TIMING_LABELS[k]}: ${timingText(g.timings[k], s)}`),
    `Decline reasons: ${countList(g.declineReasons, declineLabel, s)}`,
    `s.38(6) reasons (child stayed): ${countList(g.stayReasons, stayLabel, s)}`,
  ];
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
 * record number. With suppression on, counts of 1–4 show "<5" and lists of cases are withheld.
 */
export function buildDigestView(f: DigestFigures, o: DigestViewOptions): DigestMessageView {
  const s = o.suppressSmallCounts;
  const c = (n: number) => formatCount(n, s);
  const zone = f.period.timeZone;
  const kindWord = { daily: 'Daily', weekly: 'Weekly', range: 'Concordat' }[f.period.kind];
  const t = f.total;
  const sections: Array<{ heading: string; lines: string[] }> = [];

  sections.push({
    heading: 'Summary',
    lines: [
      `Children charged and refused bail, with a bed request: ${c(t.requests)}`,
      `Transferred to local authority accommodation: ${c(t.transferred)} · held in police detention: ${c(t.detained)} · transfer rate ${formatRate(t.transferred, t.transferred + t.detained, s)}`,
      `Held overnight: ${c(t.overnight)} · held at a weekend: ${c(t.weekend)}`,
      `Repeat detentions (same child within ${f.repeatWindowDays} days): ${c(t.repeatDetentions)}`,
      `Requests open now (made at any time): ${c(f.openNow.count)}`,
      ...(s
        ? ['Small-count suppression is on: counts of 1 to 4 show as "<5"; case lists are withheld.']
        : []),
    ],
  });
  sections.push({ heading: 'All requests', lines: groupLines(t, s) });
  for (const g of f.bySuite) sections.push({ heading: `Custody suite: ${g.name}`, lines: groupLines(g, s) });
  for (const g of f.byLocalAuthority) {
    sections.push({ heading: `Local authority: ${g.name}`, lines: groupLines(g, s) });
  }

  const repeatLines: string[] = [];
  if (f.repeatChildren === 0) {
    repeatLines.push('None in this period.');
  } else if (s) {
    repeatLines.push(
      `Children detained again: ${c(f.repeatChildren)}. References are withheld while suppression is on.`,
    );
  } else {
    repeatLines.push(`Children detained again: ${c(f.repeatChildren)}.`);
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

  const openLines = [`Open now: ${c(f.openNow.count)}`];
  if (!s) {
    const generated = DateTime.fromISO(f.generatedAt);
    for (const r of f.openNow.oldest.slice(0, OPEN_LIST_LIMIT)) {
      const open = generated.diff(DateTime.fromISO(r.requestedAt)).toMillis();
      openLines.push(
        `${r.caseRef} · record ${r.custodyRecordNumber} · ${name(f.names.suites, r.custodySuiteId)} · ${name(f.names.localAuthorities, r.localAuthorityId)} · open ${formatDuration(Math.max(0, open))}`,
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
