/**
 * Cell suppression for linked tables (docs/suppression.md): primary suppression of counts 1–4,
 * then complementary (secondary) suppression until no small count can be worked out from what is
 * published, by subtraction along any row or column total or by combining several of them.
 *
 * A table is a set of cells and additive relations `total = part + part + …`. Some cells are never
 * published but follow from the others (the detentions that were not at a weekend, say); they are
 * "implicit" and protected like any other cell, because a reader can compute them.
 */

export const THRESHOLD = 5;

export function isSmall(n: number): boolean {
  return n >= 1 && n < THRESHOLD;
}

export interface Relation {
  total: string;
  parts: readonly string[];
}

export interface DisclosureTable {
  values: ReadonlyMap<string, number>;
  /** Cells the output never prints (complements a reader can compute). */
  implicit: ReadonlySet<string>;
  relations: readonly Relation[];
  /**
   * Cells whose fate was decided elsewhere (the chart protects its own series): they are neither
   * suppressed nor chosen as complements here, only taken into account.
   */
  fixedHidden?: ReadonlySet<string>;
  fixedShown?: ReadonlySet<string>;
}

export interface Protection {
  /** Published cells of 1–4. */
  primary: Set<string>;
  /** Published cells hidden so that no primary (or small implicit) cell can be worked out. */
  secondary: Set<string>;
}

interface Bounds {
  lo: number;
  hi: number;
}

/**
 * What a reader who knows the method can say about each cell: its exact value when published, 1–4
 * when shown "<5", at least 5 when shown as a complement, anything from 0 when never printed. The
 * bounds are then narrowed along every relation until nothing changes.
 */
function readerBounds(t: DisclosureTable, p: Protection): Map<string, Bounds> {
  const b = new Map<string, Bounds>();
  for (const [id, v] of t.values) {
    if (t.implicit.has(id)) b.set(id, { lo: 0, hi: Infinity });
    else if (p.primary.has(id)) b.set(id, { lo: 1, hi: THRESHOLD - 1 });
    else if (p.secondary.has(id) || t.fixedHidden?.has(id))
      b.set(id, { lo: v === 0 ? 0 : THRESHOLD, hi: Infinity });
    else b.set(id, { lo: v, hi: v });
  }
  const get = (id: string) => b.get(id) ?? { lo: 0, hi: Infinity };
  for (let pass = 0, changed = true; changed && pass < 100; pass++) {
    changed = false;
    for (const r of t.relations) {
      const tot = get(r.total);
      const parts = r.parts.map(get);
      const sumLo = parts.reduce((a, x) => a + x.lo, 0);
      const sumHi = parts.reduce((a, x) => a + x.hi, 0);
      const narrow = (id: string, cur: Bounds, lo: number, hi: number) => {
        const next = { lo: Math.max(cur.lo, lo), hi: Math.min(cur.hi, hi) };
        if (next.lo !== cur.lo || next.hi !== cur.hi) {
          b.set(id, next);
          changed = true;
        }
      };
      narrow(r.total, tot, sumLo, sumHi);
      r.parts.forEach((id, i) => {
        const cur = get(id);
        // The other parts' bounds, summed without this one: `sumHi - x.hi` would be
        // Infinity − Infinity (no number) whenever this part and another are unbounded, and a NaN
        // bound would blind every later step.
        let otherLo = 0;
        let otherHi = 0;
        parts.forEach((x, j) => {
          if (j === i) return;
          otherLo += x.lo;
          otherHi += x.hi;
        });
        narrow(id, cur, get(r.total).lo - otherHi, get(r.total).hi - otherLo);
      });
    }
  }
  return b;
}

/**
 * Unpublished cells whose value follows exactly from the relations and the published cells (any
 * linear combination of them, not only one subtraction): those with a unit row in the reduced
 * row echelon form of the relations over the unpublished cells.
 */
function linearlyDetermined(t: DisclosureTable, unknown: ReadonlySet<string>): Set<string> {
  const cols = [...unknown];
  const index = new Map(cols.map((id, i) => [id, i]));
  const rows: number[][] = [];
  for (const r of t.relations) {
    const row = new Array<number>(cols.length).fill(0);
    let any = false;
    const put = (id: string, c: number) => {
      const i = index.get(id);
      if (i === undefined) return;
      row[i] = (row[i] ?? 0) + c;
      any = true;
    };
    put(r.total, 1);
    r.parts.forEach((id) => put(id, -1));
    if (any) rows.push(row);
  }
  const EPS = 1e-9;
  let lead = 0;
  for (let c = 0; c < cols.length && lead < rows.length; c++) {
    let pivot = -1;
    for (let r = lead; r < rows.length; r++) {
      if (Math.abs((rows[r] as number[])[c] as number) > EPS) {
        pivot = r;
        break;
      }
    }
    if (pivot < 0) continue;
    [rows[lead], rows[pivot]] = [rows[pivot] as number[], rows[lead] as number[]];
    const pr = rows[lead] as number[];
    const pv = pr[c] as number;
    for (let k = 0; k < pr.length; k++) pr[k] = (pr[k] as number) / pv;
    for (let r = 0; r < rows.length; r++) {
      if (r === lead) continue;
      const row = rows[r] as number[];
      const f = row[c] as number;
      if (Math.abs(f) <= EPS) continue;
      for (let k = 0; k < row.length; k++) row[k] = (row[k] as number) - f * (pr[k] as number);
    }
    lead++;
  }
  const out = new Set<string>();
  for (const row of rows) {
    const nz = row.flatMap((v, i) => (Math.abs(v) > EPS ? [i] : []));
    if (nz.length === 1) out.add(cols[nz[0] as number] as string);
  }
  return out;
}

/** Small cells (published or implicit) a reader can pin to one value under this protection. */
export function disclosedCells(t: DisclosureTable, p: Protection): string[] {
  const bounds = readerBounds(t, p);
  const unknown = new Set(
    [...t.values.keys()].filter(
      (id) => t.implicit.has(id) || p.primary.has(id) || p.secondary.has(id) || t.fixedHidden?.has(id),
    ),
  );
  const determined = linearlyDetermined(t, unknown);
  return [...t.values].flatMap(([id, v]) => {
    if (!isSmall(v)) return [];
    if (!unknown.has(id)) return [id]; // printed as it is: only possible for fixed cells
    const bnd = bounds.get(id);
    return determined.has(id) || (bnd !== undefined && bnd.lo === bnd.hi) ? [id] : [];
  });
}

/**
 * Primary suppression of every published 1–4, then complements: while some small cell can be
 * pinned, hide the smallest non-zero published cell sharing a relation with it (the usual
 * least-information-lost heuristic). Zeros are never hidden: "none" identifies nobody.
 */
export function protectTable(
  t: DisclosureTable,
  /**
   * Cells already protected (a table protected earlier, now extended): kept as they are, read by
   * the reader as "<5" or "[c]", and never chosen again. Only the rest of the table gets complements.
   */
  initial?: Protection,
): Protection {
  const fixed = (id: string) => t.fixedHidden?.has(id) === true || t.fixedShown?.has(id) === true;
  const p: Protection = { primary: new Set(initial?.primary), secondary: new Set(initial?.secondary) };
  for (const [id, v] of t.values) if (isSmall(v) && !t.implicit.has(id) && !fixed(id)) p.primary.add(id);
  const byCell = new Map<string, Relation[]>();
  for (const r of t.relations) {
    for (const id of [r.total, ...r.parts]) byCell.set(id, [...(byCell.get(id) ?? []), r]);
  }
  const candidate = (id: string) =>
    !t.implicit.has(id) &&
    !fixed(id) &&
    !p.primary.has(id) &&
    !p.secondary.has(id) &&
    (t.values.get(id) ?? 0) > 0;
  const near = (ids: Iterable<string>) => [
    ...new Set([...ids].flatMap((id) => (byCell.get(id) ?? []).flatMap((r) => [r.total, ...r.parts]))),
  ];

  for (let round = 0; round < 10_000; round++) {
    const leaks = disclosedCells(t, p);
    if (leaks.length === 0) return p;
    let added = 0;
    for (const leak of leaks) {
      let pool = near([leak]).filter(candidate);
      if (pool.length === 0) pool = near(near([leak])).filter(candidate);
      const pick = pool.sort(
        (a, b) => (t.values.get(a) ?? 0) - (t.values.get(b) ?? 0) || a.localeCompare(b),
      )[0];
      if (pick !== undefined) {
        p.secondary.add(pick);
        added++;
      }
    }
    if (added === 0) break;
  }
  // Nothing nearby is left to hide: withhold every count rather than publish a derivable one.
  for (const id of t.values.keys()) if (candidate(id)) p.secondary.add(id);
  return p;
}

/** Builds a table: cells, relations, and implicit remainders where parts fall short of a total. */
export class TableBuilder {
  readonly values = new Map<string, number>();
  readonly implicit = new Set<string>();
  readonly relations: Relation[] = [];

  cell(id: string, value: number): string {
    this.values.set(id, value);
    return id;
  }

  /**
   * `total = Σ parts`, with an implicit remainder cell when they do not add up to it. When they do,
   * the reader is assumed to know they do (the safe assumption).
   */
  partition(total: string, parts: readonly string[], remainderId = `${total}~rest`): void {
    const sum = parts.reduce((a, id) => a + (this.values.get(id) ?? 0), 0);
    const rest = (this.values.get(total) ?? 0) - sum;
    const all = [...parts];
    if (rest !== 0) {
      this.values.set(remainderId, rest);
      this.implicit.add(remainderId);
      all.push(remainderId);
    }
    this.relations.push({ total, parts: all });
  }

  /** `part` is a subset of the first of `totals` it fits in: its complement is implicit. */
  subset(totals: readonly string[], part: string): void {
    const v = this.values.get(part) ?? 0;
    const total = totals.find((t) => (this.values.get(t) ?? 0) >= v) ?? totals[totals.length - 1];
    if (total !== undefined) this.partition(total, [part], `${total}~not~${part}`);
  }

  table(extra: Pick<DisclosureTable, 'fixedHidden' | 'fixedShown'> = {}): DisclosureTable {
    return { values: this.values, implicit: this.implicit, relations: this.relations, ...extra };
  }
}
