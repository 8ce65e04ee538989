import { describe, expect, it } from 'vitest';
import { digest, MESSAGE_BLOCKS_MAX, SECTION_TEXT_MAX } from '../../../../bots/slack/blocks/digest.js';
import { esc, type Block } from '../../../../bots/slack/blocks/kit.js';
import type { DigestMessageView } from '../../../../domain/chat-port.js';
import {
  emptyOutcomeCounts,
  REPEAT_LIST_LIMIT,
  type DigestFigures,
  type GroupFigures,
  type RepeatDetentionFigure,
} from '../../../../domain/digest/figures.js';
import { computePeriod, previousPeriod } from '../../../../domain/digest/period.js';
import { buildDigestView } from '../../../../domain/digest/view.js';

function group(id: string): GroupFigures {
  const none = { n: 0, medianMs: null, p90Ms: null };
  return {
    id,
    name: `Group ${id}`,
    requests: 120,
    resolved: 110,
    stillOpen: 10,
    outcomes: { ...emptyOutcomeCounts(), transferred_non_secure: 60, detained_no_bed_non_secure: 50 },
    transferred: 60,
    detained: 50,
    overnight: 40,
    weekend: 20,
    children: { detained: 38, overnight: 33, weekend: 18 },
    enteredInError: 2,
    repeatDetentions: 45,
    escalationLevels: [{ key: 0, count: 110 }],
    timings: {
      chargeToRequest: none,
      requestToAcknowledged: none,
      requestToBedOffered: none,
      requestToLeftCustody: none,
    },
    declineReasons: [],
    stayReasons: [{ key: 'no_accommodation_provided', count: 30 }],
  };
}

function child(i: number): RepeatDetentionFigure {
  return {
    childRef: `c${String(i).padStart(9, '0')}`,
    detentions: Array.from({ length: 4 }, (_, j) => ({
      caseRef: `CN-${i}-${j}`,
      custodyRecordNumber: `NTH/${i}/${j}/2026`,
      custodySuiteId: 'northampton-cjc',
      localAuthorityId: 'west-northamptonshire',
      chargedAt: `2026-03-${String(10 + j).padStart(2, '0')}T21:40:00.000Z`,
      outcome: 'detained_no_bed_non_secure' as const,
      inPeriod: j > 0,
    })),
  };
}

function view(children: number, localAuthorities = 3): DigestMessageView {
  const period = computePeriod({ kind: 'weekly', now: '2026-03-30T07:00:00Z', timeZone: 'Europe/London' });
  const f: DigestFigures = {
    period,
    previous: { period: previousPeriod(period), total: group('all') },
    generatedAt: '2026-03-30T07:00:00.000Z',
    repeatWindowDays: 365,
    total: group('all'),
    bySuite: [group('northampton-cjc')],
    byLocalAuthority: Array.from({ length: localAuthorities }, (_, i) => group(`la${i}`)),
    repeatDetentions: Array.from({ length: Math.min(children, REPEAT_LIST_LIMIT) }, (_, i) => child(i)),
    repeatChildren: children,
    openNow: { count: 0, oldest: [] },
    trend: [],
    names: { suites: { 'northampton-cjc': 'Northampton CJC' }, localAuthorities: {} },
  };
  return buildDigestView(f, { forceName: 'Northamptonshire Police', suppressSmallCounts: false });
}

function sectionTexts(blocks: Block[]): string[] {
  return blocks.flatMap((b) => (b.type === 'section' && b.text ? [b.text.text] : []));
}

/** Block Kit's limits for a message, as Slack documents them. */
function expectWithinBlockKit(blocks: Block[]) {
  expect(blocks.length).toBeLessThanOrEqual(MESSAGE_BLOCKS_MAX);
  for (const b of blocks) {
    if (b.type === 'section') expect(b.text?.text.length ?? 0).toBeLessThanOrEqual(SECTION_TEXT_MAX);
    if (b.type === 'header') expect(b.text.text.length).toBeLessThanOrEqual(150);
    if (b.type === 'context') expect(b.elements.length).toBeLessThanOrEqual(10);
  }
}

describe('the Slack digest', () => {
  it('with 40 repeat children: within Block Kit limits, every line whole, the "…and N more" kept', () => {
    const v = view(40);
    const message = digest(v);
    expectWithinBlockKit(message.blocks);
    const texts = sectionTexts(message.blocks);
    const published = texts.flatMap((t) => t.split('\n'));
    // Every line of the view is in the message once, whole and in order; only headings are added.
    expect(published.filter((l) => !l.startsWith('*'))).toEqual(v.sections.flatMap((s) => s.lines).map(esc));
    expect(published).toContain('…and 10 more children: the Concordat export lists every request.');
    // The comparison, the principle-6 lines and the children beside detentions are all there.
    expect(texts.some((t) => t.startsWith('*Compared with the previous week'))).toBe(true);
    expect(published).toContain('Group la2: 30 detentions');
    expect(published.some((l) => l.includes('50 detentions, 38 children'))).toBe(true);
    // The repeat list needed more than one block, and says it continues.
    expect(
      texts.filter((t) => t.startsWith('*Repeat detentions (window 365 days) (continued)*')).length,
    ).toBeGreaterThan(0);
    expect(texts.some((t) => t.length > 2000)).toBe(true); // blocks are filled, not one line each
  });

  it('packs sections together rather than pass 50 blocks, still breaking only between lines', () => {
    const v = view(40, 60);
    const message = digest(v);
    expectWithinBlockKit(message.blocks);
    const published = sectionTexts(message.blocks).flatMap((t) => t.split('\n'));
    const lines = v.sections.flatMap((s) => s.lines).map(esc);
    const shown = lines.filter((l) => published.includes(l));
    // Whatever is shown is whole; whatever is not is said to be left out.
    expect(shown.length).toBeGreaterThan(0);
    for (const l of published) {
      if (l === '' || l.startsWith('*')) continue;
      expect(lines).toContain(l);
    }
    const omitted = message.blocks.find((b) => b.type === 'context');
    if (shown.length < lines.length)
      expect(JSON.stringify(omitted)).toMatch(/did not fit in one Slack message/);
  });

  it('breaks a single over-long line at its separators, not mid-word', () => {
    const long = Array.from({ length: 300 }, (_, i) => `item ${i} (detail)`).join(' · ');
    const message = digest({ title: 'T', sections: [{ heading: 'H', lines: [long] }] });
    expectWithinBlockKit(message.blocks);
    const pieces = sectionTexts(message.blocks).flatMap((t) => t.split('\n').slice(1));
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) expect(p).toMatch(/^(… )?item \d+ \(detail\)( · item \d+ \(detail\))*$/);
  });
});
