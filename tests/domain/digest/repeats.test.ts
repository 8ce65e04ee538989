import { describe, expect, it } from 'vitest';
import { findRepeatDetentions, type RepeatCandidate } from '../../../domain/digest/repeats.js';

const DAY = 86_400_000;
function det(id: string, chargedAt: string, suite = 'suite-a'): RepeatCandidate {
  return {
    workflowId: id,
    chargedMs: Date.parse(chargedAt),
    custodySuiteId: suite,
    localAuthorityId: 'la-a',
  };
}
const ids = (xs: Array<{ workflowId: string }>) => xs.map((x) => x.workflowId);

describe('findRepeatDetentions', () => {
  const period = { from: '2013-02-18T00:00:00.000Z', to: '2013-02-25T00:00:00.000Z', windowMs: 365 * DAY };

  it('finds the 2013 pattern: the same child held twice a week apart', () => {
    const r = findRepeatDetentions({
      ...period,
      links: [
        { workflowId: 'a', pseudonym: 'p1' },
        { workflowId: 'b', pseudonym: 'p1' },
        { workflowId: 'c', pseudonym: 'p2' },
      ],
      detentions: [
        det('b', '2013-02-18T22:05:00.000Z', 'suite-b'),
        det('c', '2013-02-19T20:00:00.000Z'),
        det('a', '2013-02-11T21:40:00.000Z'),
      ],
    });
    expect(ids(r.repeatEvents)).toEqual(['b']);
    expect(r.repeatEvents[0]?.custodySuiteId).toBe('suite-b');
    expect(r.children).toHaveLength(1);
    expect(r.children[0]?.detentions.map((d) => [d.workflowId, d.inPeriod])).toEqual([
      ['a', false],
      ['b', true],
    ]);
    expect(r.children[0]?.firstRepeatMs).toBe(Date.parse('2013-02-18T22:05:00.000Z'));
  });

  it('joins detentions through any shared key (a name-only night bridged to its PNC)', () => {
    // x: PNC only; z: name+DOB only, whose key list carries the PNC it was bridged to.
    const r = findRepeatDetentions({
      ...period,
      links: [
        { workflowId: 'x', pseudonym: 'pnc1' },
        { workflowId: 'z', pseudonym: 'nd1' },
        { workflowId: 'z', pseudonym: 'pnc1' },
      ],
      detentions: [det('x', '2012-12-01T20:00:00.000Z'), det('z', '2013-02-20T20:00:00.000Z')],
    });
    expect(ids(r.repeatEvents)).toEqual(['z']);
  });

  it('ignores a detention outside the window, and counts each later one in the period', () => {
    const r = findRepeatDetentions({
      ...period,
      windowMs: 30 * DAY,
      links: ['old', 'one', 'two'].map((w) => ({ workflowId: w, pseudonym: 'p' })),
      detentions: [
        det('old', '2012-12-01T20:00:00.000Z'),
        det('one', '2013-02-18T20:00:00.000Z'),
        det('two', '2013-02-21T20:00:00.000Z'),
      ],
    });
    expect(ids(r.repeatEvents)).toEqual(['two']);
    expect(ids(r.children[0]?.detentions ?? [])).toEqual(['one', 'two']);
  });

  it('orders children by their first repeat in the period', () => {
    const r = findRepeatDetentions({
      ...period,
      links: ['a1', 'a2', 'b1', 'b2'].map((w) => ({ workflowId: w, pseudonym: w.slice(0, 1) })),
      detentions: [
        det('a1', '2013-02-10T20:00:00.000Z'),
        det('a2', '2013-02-22T20:00:00.000Z'),
        det('b1', '2013-02-11T20:00:00.000Z'),
        det('b2', '2013-02-19T20:00:00.000Z'),
      ],
    });
    expect(r.children.map((c) => ids(c.detentions))).toEqual([
      ['b1', 'b2'],
      ['a1', 'a2'],
    ]);
  });
});
