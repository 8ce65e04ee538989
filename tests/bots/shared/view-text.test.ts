import { describe, expect, it } from 'vitest';
import {
  ageText,
  eventText,
  formatTime,
  outOfAreaLine,
  statusLabel,
  timeLeftText,
  timelineLines,
  warningLines,
} from '../../../bots/shared/view-text.js';
import { sampleView } from './fixtures.js';

describe('view text', () => {
  it('formats times in Europe/London with the date, across GMT and BST', () => {
    expect(formatTime('2013-02-18T21:40:00Z')).toBe('Mon 18 Feb 2013, 21:40');
    expect(formatTime('2024-07-01T21:40:00Z')).toBe('Mon 1 Jul 2024, 22:40');
    expect(formatTime('2024-07-01T22:40:00+01:00')).toBe('Mon 1 Jul 2024, 22:40');
    expect(formatTime('nonsense')).toBe('nonsense');
  });

  it('says how long a request has been open, and how long it took once closed', () => {
    const v = sampleView();
    expect(ageText(v, '2013-02-18T23:55:00Z')).toBe('open for 2h 10m');
    const closed = sampleView({
      status: 'resolved',
      outcome: { code: 'transferred_non_secure', at: '2013-02-19T00:50:00Z', by: v.requestingOfficer },
    });
    expect(ageText(closed, '2013-02-20T00:00:00Z')).toBe('closed after 3h 5m');
    expect(statusLabel(closed)).toBe('Closed: Transferred to non-secure accommodation');
    expect(statusLabel(v)).toMatch(/acknowledge/);
  });

  it('flags out of area and the age-12 secure warning', () => {
    const v = sampleView({
      outOfArea: true,
      age: 12,
      accommodation: 'secure',
      warnings: ['secure_under_13_needs_secretary_of_state', 'out_of_area'],
    });
    expect(outOfAreaLine(v)).toMatch(/Out of area/);
    expect(outOfAreaLine(sampleView())).toBeNull();
    expect(warningLines(v)).toEqual([expect.stringMatching(/Secretary of State/)]);
  });

  it('tells the time left until court', () => {
    expect(timeLeftText(sampleView(), '2013-02-18T22:00:00Z')).toBe('12h left until the court sitting.');
    expect(timeLeftText(sampleView(), '2013-02-19T11:00:00Z')).toMatch(/passed/);
  });

  it('writes event notes and a timeline from the view', () => {
    const by = { platform: 'slack' as const, userId: 'U0RESPONDER', displayName: 'Duty SW' };
    const v = sampleView({
      status: 'bed_offered',
      acknowledged: { by, at: '2013-02-18T22:00:00Z' },
      questions: [{ id: 'q1', by, at: '2013-02-18T22:05:00Z', question: 'Any medication?' }],
      offer: {
        by,
        at: '2013-02-18T22:30:00Z',
        accommodation: 'non_secure',
        provider: 'Oak House',
        transport: 'la_collects',
        notes: '',
      },
    });
    expect(eventText(v, { type: 'acknowledged' })).toMatch(/^Duty SW acknowledged/);
    expect(eventText(v, { type: 'question_asked', questionId: 'q1' })).toContain('Any medication?');
    expect(eventText(v, { type: 'bed_offered' })).toContain('Oak House');
    const lines = timelineLines(v);
    expect(lines[0]).toContain('Requested Mon 18 Feb 2013, 21:45 by Sgt Example');
    expect(lines.join('\n')).toContain('Local authority collects');
  });
});
