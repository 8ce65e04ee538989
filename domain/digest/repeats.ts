/** A post-charge detention as the repeat search needs it: who, when, where. */
export interface RepeatCandidate {
  workflowId: string;
  /** Charge time, ms since the epoch. */
  chargedMs: number;
  custodySuiteId: string;
  localAuthorityId: string;
}

/** Disjoint sets over pseudonyms: requests that share any pseudonym are the same child. */
class UnionFind {
  private readonly parent = new Map<string, string>();

  find(x: string): string {
    let root = x;
    for (;;) {
      const p = this.parent.get(root);
      if (p === undefined || p === root) break;
      root = p;
    }
    // Path compression.
    let cur = x;
    while (cur !== root) {
      const next = this.parent.get(cur) ?? root;
      this.parent.set(cur, root);
      cur = next;
    }
    if (!this.parent.has(root)) this.parent.set(root, root);
    return root;
  }

  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  }
}

export interface RepeatChild {
  /** Every detention that made the child a repeat in the period, and those before it, in time order. */
  detentions: Array<RepeatCandidate & { inPeriod: boolean }>;
  /** When the child's first repeat in the period was charged. */
  firstRepeatMs: number;
}

export interface RepeatResult {
  /** In order of their first repeat in the period. */
  children: RepeatChild[];
  /** The period's detentions that were a second or later one in the window. */
  repeatEvents: RepeatCandidate[];
}

/**
 * Repeat detentions in a period. `links` pairs every detention with every key it is known by
 * (its pseudonyms, and the PNC pseudonym a name+DOB-only detention is bridged to); detentions
 * sharing a key are the same child. `detentions` are the post-charge detentions charged in
 * [from − window, to). A detention charged in [from, to) is a repeat when the same child has
 * another detention charged in [its charge − window, its charge).
 */
export function findRepeatDetentions(args: {
  links: ReadonlyArray<{ workflowId: string; pseudonym: string }>;
  detentions: readonly RepeatCandidate[];
  from: string;
  to: string;
  windowMs: number;
}): RepeatResult {
  const uf = new UnionFind();
  const firstKey = new Map<string, string>();
  for (const l of args.links) {
    const seen = firstKey.get(l.workflowId);
    if (seen === undefined) {
      firstKey.set(l.workflowId, l.pseudonym);
      uf.find(l.pseudonym);
    } else {
      uf.union(seen, l.pseudonym);
    }
  }
  const fromMs = Date.parse(args.from);
  const toMs = Date.parse(args.to);
  const byChild = new Map<string, RepeatCandidate[]>();
  for (const d of args.detentions) {
    const child = uf.find(firstKey.get(d.workflowId) ?? `workflow:${d.workflowId}`);
    const list = byChild.get(child) ?? [];
    list.push(d);
    byChild.set(child, list);
  }

  const children: RepeatChild[] = [];
  const repeatEvents: RepeatCandidate[] = [];
  for (const list of byChild.values()) {
    list.sort((a, b) => a.chargedMs - b.chargedMs || a.workflowId.localeCompare(b.workflowId));
    const listed = new Set<number>();
    let firstRepeatMs = Number.POSITIVE_INFINITY;
    list.forEach((d, i) => {
      const t = d.chargedMs;
      if (t < fromMs || t >= toMs) return;
      // Earlier detentions of the child in [t − window, t): the list is in time order.
      let found = false;
      for (let j = i - 1; j >= 0; j--) {
        const e = list[j] as RepeatCandidate;
        if (e.chargedMs < t - args.windowMs) break;
        if (e.chargedMs < t) {
          listed.add(j);
          found = true;
        }
      }
      if (!found) return;
      repeatEvents.push(d);
      firstRepeatMs = Math.min(firstRepeatMs, t);
      listed.add(i);
    });
    if (listed.size === 0) continue;
    children.push({
      firstRepeatMs,
      detentions: list
        .filter((_, i) => listed.has(i))
        .map((d) => ({ ...d, inPeriod: d.chargedMs >= fromMs && d.chargedMs < toMs })),
    });
  }
  children.sort(
    (a, b) =>
      a.firstRepeatMs - b.firstRepeatMs ||
      (a.detentions[0]?.workflowId ?? '').localeCompare(b.detentions[0]?.workflowId ?? ''),
  );
  return { children, repeatEvents };
}
