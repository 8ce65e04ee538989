import { describe, expect, it } from 'vitest';
import { digestCard, MAX_CARD_BYTES } from '../../../../bots/teams/cards/digest-card.js';
import type { DigestMessageView } from '../../../../domain/chat-port.js';

function texts(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(texts);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return [
      ...(o.type === 'TextBlock' && typeof o.text === 'string' ? [o.text] : []),
      ...Object.values(o).flatMap(texts),
    ];
  }
  return [];
}

function bigView(): DigestMessageView {
  const repeat = [
    'Children detained again: 40.',
    ...Array.from(
      { length: 30 },
      (_, i) =>
        `c${i}: 4 detentions: ${Array.from({ length: 4 }, (_, j) => `NTH/${i}/${j} (CN-${i}-${j}, Northampton CJC, 1${j} Mar 2026 21:40, held: no non-secure bed)`).join('; ')}`,
    ),
    '…and 10 more children: the Concordat export lists every request.',
  ];
  const groups = Array.from({ length: 60 }, (_, i) => ({
    heading: `Local authority: Authority ${i}`,
    lines: Array.from(
      { length: 11 },
      (_, j) => `Line ${j} of authority ${i}: requests 120 · outcome recorded 110 · still open 10`,
    ),
  }));
  return {
    title: 'Weekly digest, Mon 23 – Sun 29 Mar 2026: Northamptonshire Police',
    sections: [{ heading: 'Repeat detentions (window 365 days)', lines: repeat }, ...groups],
    chart: { filename: 'c.png', pngBase64: 'A'.repeat(12_000), altText: 'Bed requests per week' },
  };
}

describe('the Teams digest card', () => {
  it('stays within the card size, keeps whole lines and the "…and N more" pointer, and names what it left out', () => {
    const v = bigView();
    const c = digestCard(v);
    const size = Buffer.byteLength(JSON.stringify(c), 'utf8');
    expect(size).toBeLessThanOrEqual(MAX_CARD_BYTES);
    const shown = texts(c.body);
    const all = v.sections.flatMap((s) => s.lines);
    // Every line shown is a whole line of the view (or the card's own notes).
    for (const t of shown) {
      if (t === v.title || v.sections.some((s) => s.heading === t)) continue;
      if (/not shown/i.test(t) || t.startsWith('Chart:')) continue;
      expect(all).toContain(t);
    }
    expect(shown).toContain('…and 10 more children: the Concordat export lists every request.');
    expect(shown.some((t) => t.startsWith('Not shown here'))).toBe(true);
    expect(JSON.stringify(c)).toContain('data:image/png;base64,');
  });

  it('shows a small digest whole', () => {
    const v: DigestMessageView = {
      title: 'Daily',
      sections: [{ heading: 'Summary', lines: ['Requests: 3', '…and 2 more.'] }],
    };
    expect(texts(digestCard(v).body)).toEqual(['Daily', 'Summary', 'Requests: 3', '…and 2 more.']);
  });
});
