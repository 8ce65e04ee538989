/**
 * A differencing attack on published counts (docs/suppression.md), from what was printed alone:
 * each cell is known exactly (a number), 1–4 ("<5"), 5 or more ("[c]"), or 0 or more (never
 * printed). Every relation `total = Σ parts` a reader knows narrows the bounds, over and over, until
 * nothing changes (this covers every single subtraction). Returns the cells whose true value is 1
 * to 4 and that came out exact: printed, or recovered.
 */
export interface AttackInput {
  /** Each cell's true value, counted by hand in the test. */
  truth: ReadonlyMap<string, number>;
  /** What was printed for a cell: "12", "<5", "[c]"; absent when never printed. */
  shown: ReadonlyMap<string, string>;
  relations: ReadonlyArray<{ total: string; parts: readonly string[] }>;
}

export function boundsAttack(a: AttackInput): { printedSmall: string[]; recovered: string[] } {
  const lo = new Map<string, number>();
  const hi = new Map<string, number>();
  for (const id of a.truth.keys()) {
    const s = a.shown.get(id);
    const [l, h] =
      s === undefined
        ? [0, Infinity]
        : s === '<5'
          ? [1, 4]
          : s === '[c]'
            ? [5, Infinity]
            : [Number(s), Number(s)];
    lo.set(id, l);
    hi.set(id, h);
  }
  const L = (id: string) => lo.get(id) ?? 0;
  const H = (id: string) => hi.get(id) ?? Infinity;
  for (let changed = true, pass = 0; changed && pass < 500; pass++) {
    changed = false;
    for (const r of a.relations) {
      const sumLo = r.parts.reduce((x, id) => x + L(id), 0);
      const sumHi = r.parts.reduce((x, id) => x + H(id), 0);
      const narrow = (id: string, l: number, h: number) => {
        const nl = Math.max(L(id), l);
        const nh = Math.min(H(id), h);
        if (nl !== L(id) || nh !== H(id)) {
          lo.set(id, nl);
          hi.set(id, nh);
          changed = true;
        }
      };
      narrow(r.total, sumLo, sumHi);
      r.parts.forEach((id, i) => {
        // The other parts' bounds, summed without this one (Infinity − Infinity is no number).
        const others = r.parts.filter((_, j) => j !== i);
        const otherLo = others.reduce((x, o) => x + L(o), 0);
        const otherHi = others.reduce((x, o) => x + H(o), 0);
        narrow(id, L(r.total) - otherHi, H(r.total) - otherLo);
      });
    }
  }
  const small = (id: string) => {
    const v = a.truth.get(id) ?? 0;
    return v >= 1 && v <= 4;
  };
  const printedSmall = [...a.shown].filter(([id, s]) => /^\d+$/.test(s) && small(id)).map(([id]) => id);
  const recovered = [...a.truth.keys()].filter((id) => {
    if (!small(id)) return false;
    const s = a.shown.get(id);
    if (s !== undefined && /^\d+$/.test(s)) return false; // counted as printed above
    if (L(id) !== H(id)) return false;
    if (L(id) !== a.truth.get(id))
      throw new Error(`${id} bounded to ${L(id)}, truly ${a.truth.get(id)}: the relations are wrong`);
    return true;
  });
  return { printedSmall, recovered };
}
