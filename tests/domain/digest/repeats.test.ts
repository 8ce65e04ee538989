import { describe, expect, it } from 'vitest';
import { findRepeatDetentions, type RepeatCandidate } from '../../../domain/digest/repeats.js';

const DAY = 86_400_000;
function det(id: string, chargedAt: string, pseudonym: string): RepeatCandidate {
  return {
    workflowId: id,
    caseRef: `CN-${id}`,
    custodyRecordNumber: `REC/${id}`,
    custodySuiteId: 'suite-a',
    localAuthorityId: 'la-a',
    chargedAt,
    outcome: 'detained_no_bed_non_secure',
    childPseudonym: pseudonym,
  };
}

describe('findRepeatDetentions', () => {
  const period = { from: '2013-02-18T00:00:00.000Z', to: '2013-02-25T00:00:00.000Z', windowMs: 365 * DAY };

  it('finds the 2013 pattern: the same child held twice a week apart', () => {
    const first = det('a', '2013-02-11T21:40:00.000Z', 'p1');
    const second = det('b', '2013-02-18T22:05:00.000Z', 'p1');
    const other = det('c', '2013-02-19T20:00:00.000Z', 'p2');
    const r = findRepeatDetentions({
      ...period,
      links: [
        { workflowId: 'a', pseudonym: 'p1' },
        { workflowId: 'b', pseudonym: 'p1' },
        { workflowId: 'c', pseudonym: 'p2' },
      ],
      detentions: [second, other, first],
    });
    expect(r.repeatEvents.map((e) => e.workflowId)).toEqual(['b']);
    expect(r.children).toHaveLength(1);
    expect(r.children[0]?.childRef).toBe('p1');
    expect(r.children[0]?.detentions.map((d) => [d.custodyRecordNumber, d.inPeriod])).toEqual([
      ['REC/a', false],
      ['REC/b', true],
    ]);
  });

  it('links a PNC-only night and a name-only night through a request that knew both', () => {
    // x: PNC only (detained); y: PNC and name+DOB (transferred, so not a detention); z: name+DOB only.
    const r = findRepeatDetentions({
      ...period,
      links: [
        { workflowId: 'x', pseudonym: 'pnc1' },
        { workflowId: 'y', pseudonym: 'pnc1' },
        { workflowId: 'y', pseudonym: 'nd1' },
        { workflowId: 'z', pseudonym: 'nd1' },
      ],
      detentions: [det('x', '2012-12-01T20:00:00.000Z', 'pnc1'), det('z', '2013-02-20T20:00:00.000Z', 'nd1')],
    });
    expect(r.repeatEvents.map((e) => e.workflowId)).toEqual(['z']);
  });

  it('ignores a detention outside the window, and counts each later one in the period', () => {
    const r = findRepeatDetentions({
      ...period,
      windowMs: 30 * DAY,
      links: ['old', 'one', 'two'].map((w) => ({ workflowId: w, pseudonym: 'p' })),
      detentions: [
        det('old', '2012-12-01T20:00:00.000Z', 'p'),
        det('one', '2013-02-18T20:00:00.000Z', 'p'),
        det('two', '2013-02-21T20:00:00.000Z', 'p'),
      ],
    });
    expect(r.repeatEvents.map((e) => e.workflowId)).toEqual(['two']);
    expect(r.children[0]?.detentions.map((d) => d.caseRef)).toEqual(['CN-one', 'CN-two']);
  });
});
