/**
 * Packs a digest section's lines into chunks of at most `max` characters for chat platforms with
 * size limits, breaking only between lines, never inside one. A line longer than a chunk on its
 * own is broken at its " · " or "; " separators, each piece marked as continuing. `measure` gives
 * a line's length as the platform counts it (after escaping).
 */
export function packLines(
  lines: readonly string[],
  max: number,
  measure: (line: string) => number = (l) => l.length,
): string[][] {
  const pieces = lines.flatMap((l) => (measure(l) <= max ? [l] : splitLongLine(l, max, measure)));
  const chunks: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const line of pieces) {
    const add = measure(line) + (current.length > 0 ? 1 : 0); // the newline joining it
    if (current.length > 0 && size + add > max) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    size += current.length > 0 ? measure(line) + 1 : measure(line);
    current.push(line);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function splitLongLine(line: string, max: number, measure: (l: string) => number): string[] {
  const parts = line.split(/(?<=; | · )/);
  const out: string[] = [];
  let current = '';
  for (const part of parts) {
    const next = current === '' ? part : current + part;
    if (current !== '' && measure(`… ${next}`) > max) {
      out.push(current.trimEnd().replace(/( ·|;)$/, ''));
      current = part;
    } else {
      current = next;
    }
  }
  if (current !== '') out.push(current.trimEnd());
  // A single separator-free piece still too long is cut at a word, as the last resort.
  return out.flatMap((p, i) => {
    const text = i === 0 ? p : `… ${p}`;
    if (measure(text) <= max) return [text];
    const words = text.split(' ');
    const cut: string[] = [];
    let w = '';
    for (const word of words) {
      if (w !== '' && measure(`${w} ${word}`) > max - 2) {
        cut.push(`${w} …`);
        w = word;
      } else w = w === '' ? word : `${w} ${word}`;
    }
    if (w !== '') cut.push(w);
    return cut;
  });
}
