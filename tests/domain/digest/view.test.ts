import { describe, expect, it } from 'vitest';
import {
  emptyOutcomeCounts,
  type DigestFigures,
  type GroupFigures,
  type RepeatDetentionFigure,
} from '../../../domain/digest/figures.js';
import { computePeriod } from '../../../domain/digest/period.js';
import { buildDigestView, formatElapsed, renderDigestText } from '../../../domain/digest/view.js';

function group(id: string, name: string, over: Partial<GroupFigures> = {}): GroupFigures {
  const none = { n: 0, medianMs: null, p90Ms: null };
  return {
    id,
    name,
    requests: 12,
    resolved: 10,
    stillOpen: 2,
    outcomes: {
      ...emptyOutcomeCounts(),
      transferred_non_secure: 6,
      detained_no_bed_non_secure: 3,
      released_or_bailed: 1,
    },
    transferred: 6,
    detained: 3,
    overnight: 4,
    weekend: 1,
    repeatDetentions: 1,
    escalationLevels: [
      { key: 0, count: 5 },
      { key: 2, count: 5 },
    ],
    timings: {
      chargeToRequest: { n: 12, medianMs: 25 * 60_000, p90Ms: 70 * 60_000 },
      requestToAcknowledged: { n: 3, medianMs: 10 * 60_000, p90Ms: 20 * 60_000 },
      requestToBedOffered: none,
      requestToLeftCustody: { n: 6, medianMs: 150 * 60_000, p90Ms: 200 * 60_000 },
    },
    declineReasons: [{ key: 'no_non_secure_placement', count: 2 }],
    stayReasons: [{ key: 'no_accommodation_provided', count: 3 }],
    ...over,
  };
}

function child(i: number): RepeatDetentionFigure {
  return {
    childRef: `abcdef${String(i).padStart(4, '0')}`,
    detentions: [
      {
        caseRef: `CN-A${i}`,
        custodyRecordNumber: `NTH/${i}/1`,
        custodySuiteId: 'northampton-cjc',
        localAuthorityId: 'west-northamptonshire',
        chargedAt: '2013-02-18T21:40:00.000Z',
        outcome: 'detained_no_bed_non_secure',
        inPeriod: false,
      },
      {
        caseRef: `CN-B${i}`,
        custodyRecordNumber: `NTH/${i}/2`,
        custodySuiteId: 'northampton-cjc',
        localAuthorityId: 'west-northamptonshire',
        chargedAt: '2013-02-25T22:05:00.000Z',
        outcome: 'detained_no_bed_non_secure',
        inPeriod: true,
      },
    ],
  };
}

function figures(over: Partial<DigestFigures> = {}): DigestFigures {
  return {
    period: computePeriod({ kind: 'weekly', now: '2013-03-04T08:00:00Z', timeZone: 'Europe/London' }),
    generatedAt: '2013-03-04T08:00:00.000Z',
    repeatWindowDays: 365,
    total: group('all', 'All'),
    bySuite: [group('northampton-cjc', 'Northampton Criminal Justice Centre')],
    byLocalAuthority: [group('west-northamptonshire', 'West Northamptonshire Council')],
    repeatDetentions: [child(1)],
    repeatChildren: 1,
    openNow: {
      count: 2,
      oldest: [
        {
          caseRef: 'CN-OPEN1',
          custodyRecordNumber: 'NTH/9',
          custodySuiteId: 'northampton-cjc',
          localAuthorityId: 'west-northamptonshire',
          requestedAt: '2013-03-04T05:00:00.000Z',
        },
      ],
    },
    trend: [],
    names: {
      suites: { 'northampton-cjc': 'Northampton Criminal Justice Centre' },
      localAuthorities: { 'west-northamptonshire': 'West Northamptonshire Council' },
    },
    ...over,
  };
}

describe('buildDigestView', () => {
  it('says every figure in plain lines, by suite and by local authority', () => {
    const view = buildDigestView(figures(), {
      forceName: 'Northamptonshire Police',
      suppressSmallCounts: false,
    });
    expect(view.title).toBe('Weekly digest, Mon 25 Feb – Sun 3 Mar 2013: Northamptonshire Police');
    expect(view.sections.map((s) => s.heading)).toEqual([
      'Summary',
      'All requests',
      'Custody suite: Northampton Criminal Justice Centre',
      'Local authority: West Northamptonshire Council',
      'Local authority did not provide accommodation (Concordat principle 6: repayment)',
      'Repeat detentions (window 365 days)',
      'Requests still open',
    ]);
    expect(view.sections[1]?.lines).toEqual([
      'Requests: 12 · outcome recorded 10 · still open 2',
      'Outcomes: transferred (non-secure) 6 · held: no non-secure bed 3 · released or bailed 1',
      'Transfer rate: 67% (6 transferred of 9 where the duty applied)',
      'Held overnight: 4 detentions · at a weekend: 1 detention · repeat detentions: 1',
      'Escalation level reached: none 5 · level 2 5',
      'Charge → request: median 25m · p90 1h 10m (n 12)',
      'Request → acknowledged: median 10m · p90 20m (n 3)',
      'Request → bed offered: no cases',
      'Request → child left custody: median 2h 30m · p90 3h 20m (n 6)',
      'Decline reasons: No non-secure placement available 2',
      'Why the child stayed (s.38(6) impracticable, or the authority provided nothing): Local authority provided no accommodation 3',
    ]);
    const text = renderDigestText(view);
    expect(text).toContain(
      'abcdef0001: 2 detentions: NTH/1/1 (CN-A1, Northampton Criminal Justice Centre, 18 Feb 2013 21:40, held: no non-secure bed, earlier); NTH/1/2',
    );
    expect(text).toContain(
      'CN-OPEN1 · record NTH/9 · Northampton Criminal Justice Centre · West Northamptonshire Council · open 3h',
    );
    expect(text).toContain('…and 1 more.');
  });

  it('distinct children beside detentions, entered in error on a line of its own, principle 6 per authority', () => {
    const children = { detained: 2, overnight: 3, weekend: 1 };
    const f = figures({
      total: group('all', 'All', { children, enteredInError: 2 }),
      bySuite: [group('northampton-cjc', 'Northampton Criminal Justice Centre', { children })],
      byLocalAuthority: [
        group('west-northamptonshire', 'West Northamptonshire Council', { children }),
        group('north-northamptonshire', 'North Northamptonshire Council', {
          stayReasons: [{ key: 'no_secure_bed_serious_harm', count: 1 }],
        }),
      ],
    });
    const view = buildDigestView(f, { forceName: 'X', suppressSmallCounts: false });
    const summary = view.sections.find((s) => s.heading === 'Summary')?.lines ?? [];
    expect(summary).toContain(
      'Held overnight: 4 detentions, 3 children · held at a weekend: 1 detention, 1 child',
    );
    expect(summary[1]).toContain('held in police detention: 3 detentions, 2 children');
    expect(summary).toContain(
      'Requests cancelled as entered in error: 2 (not real requests: left out of every other count and timing in this digest)',
    );
    expect(view.sections[1]?.lines[3]).toBe(
      'Held overnight: 4 detentions, 3 children · at a weekend: 1 detention, 1 child · repeat detentions: 1',
    );
    // West: 3 detentions for "LA provided no accommodation"; North: none (its one stay was another reason).
    expect(view.sections.find((s) => s.heading.startsWith('Local authority did not provide'))?.lines).toEqual(
      [
        'West Northamptonshire Council: 3 detentions',
        'North Northamptonshire Council: 0 detentions',
        'All local authorities: 3 detentions',
      ],
    );
  });

  it('compares each summary figure with the previous period of the same length', () => {
    const previous = {
      period: computePeriod({ kind: 'weekly', now: '2013-02-25T08:00:00Z', timeZone: 'Europe/London' }),
      total: group('all', 'All', {
        requests: 9,
        transferred: 6,
        detained: 3,
        overnight: 6,
        weekend: 1,
        repeatDetentions: 0,
        children: { detained: 3, overnight: 5, weekend: 1 },
        timings: {
          chargeToRequest: { n: 9, medianMs: 40 * 60_000, p90Ms: 70 * 60_000 },
          requestToAcknowledged: { n: 3, medianMs: 10 * 60_000, p90Ms: 20 * 60_000 },
          requestToBedOffered: { n: 2, medianMs: 60 * 60_000, p90Ms: 60 * 60_000 },
          requestToLeftCustody: { n: 6, medianMs: 150 * 60_000, p90Ms: 200 * 60_000 },
        },
      }),
    };
    const f = figures({
      total: group('all', 'All', { children: { detained: 2, overnight: 3, weekend: 1 } }),
      previous,
    });
    const view = buildDigestView(f, { forceName: 'X', suppressSmallCounts: false });
    const section = view.sections.find((s) => s.heading.startsWith('Compared with'));
    expect(section?.heading).toBe('Compared with the previous week (Mon 18 – Sun 24 Feb 2013)');
    // By hand: now 12 requests, 6 transferred, 3 held (2 children), 4 overnight (3 children),
    // 1 weekend, 1 repeat, rate 6/9 = 67%; before 9, 6, 3 (3), 6 (5), 1, 0, rate 6/9 = 67%.
    expect(section?.lines).toEqual([
      'Requests: 12 (previous 9, ↑ 3)',
      'Transferred: 6 (previous 6, no change)',
      'Held in police detention (detentions): 3 (previous 3, no change)',
      'Held in police detention (children): 2 (previous 3, ↓ 1)',
      'Held overnight (detentions): 4 (previous 6, ↓ 2)',
      'Held overnight (children): 3 (previous 5, ↓ 2)',
      'Held at a weekend (detentions): 1 (previous 1, no change)',
      'Repeat detentions: 1 (previous 0, ↑ 1)',
      'Transfer rate: 67% (previous 67%, no change)',
      'Charge → request, median: 25m (previous 40m, ↓ 15m)',
      'Request → acknowledged, median: 10m (previous 10m, no change)',
      'Request → bed offered, median: no cases (previous 1h)',
      'Request → child left custody, median: 2h 30m (previous 2h 30m, no change)',
    ]);

    // Suppressed: a change is printed only beside two printed counts.
    const s = buildDigestView(f, { forceName: 'X', suppressSmallCounts: true });
    const lines = s.sections.find((x) => x.heading.startsWith('Compared with'))?.lines ?? [];
    expect(lines.length).toBe(13);
    for (const l of lines) {
      const m = /^[^:]+: (\S+) \(previous (\S+?)(?:, (.*))?\)$/.exec(l);
      if (!m || l.includes('median') || l.startsWith('Transfer rate')) continue;
      const shownBoth = /^\d/.test(m[1] ?? '') && /^\d/.test(m[2] ?? '');
      expect(m[3] !== undefined, l).toBe(shownBoth);
      for (const v of [m[1], m[2]]) expect(['1', '2', '3', '4'], l).not.toContain(v);
    }
    expect(lines).toContain('Requests: [c] (previous 9)');
  });

  it('shows long durations in days and hours', () => {
    expect(formatElapsed(47 * 3_600_000)).toBe('47h');
    expect(formatElapsed((620 * 60 + 13) * 60_000)).toBe('25 d 20 h');
    expect(formatElapsed(72 * 3_600_000)).toBe('3 d');
    const view = buildDigestView(figures({ generatedAt: '2013-03-30T01:13:00.000Z' }), {
      forceName: 'X',
      suppressSmallCounts: false,
    });
    expect(renderDigestText(view)).toContain('open 25 d 20 h');
  });

  it('lists at most the children it was given, and says how many more there are', () => {
    const listed = Array.from({ length: 30 }, (_, i) => child(i));
    const view = buildDigestView(figures({ repeatDetentions: listed, repeatChildren: 45 }), {
      forceName: 'X',
      suppressSmallCounts: false,
    });
    const lines = view.sections.find((s) => s.heading.startsWith('Repeat'))?.lines ?? [];
    expect(lines[0]).toBe('Children detained again: 45.');
    expect(lines).toHaveLength(32);
    expect(lines.at(-1)).toBe('…and 15 more children: the Concordat export lists every request.');
  });

  it('with suppression: "<5", withheld timings and rates, and no references', () => {
    const view = buildDigestView(figures(), { forceName: 'X', suppressSmallCounts: true });
    const text = renderDigestText(view);
    // The 2 still open is "<5"; with one suite and one authority, 12 and 10 would give it back.
    expect(view.sections[1]?.lines[0]).toBe('Requests: [c] · outcome recorded [c] · still open <5');
    expect(text).toContain('Request → acknowledged: withheld (small numbers)\n');
    expect(text).toContain('Charge → request: median 25m · p90 1h 10m\n');
    expect(text).toContain('Transfer rate: withheld (small numbers)');
    expect(text).toContain('Children detained again: <5. References are withheld while suppression is on.');
    expect(text).not.toContain('CN-');
    expect(text).not.toContain('abcdef');
  });
});
