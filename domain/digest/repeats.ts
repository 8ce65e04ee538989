import type { OutcomeCode } from '../outcomes.js';
import { shortChildRef, type RepeatDetentionFigure } from './figures.js';

export interface RepeatCandidate {
  workflowId: string;
  caseRef: string;
  custodyRecordNumber: string;
  custodySuiteId: string;
  localAuthorityId: string;
  chargedAt: string;
  outcome: OutcomeCode;
  childPseudonym: string;
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

export interface RepeatResult {
  children: RepeatDetentionFigure[];
  /** The period's detentions that were a second or later one in the window. */
  repeatEvents: RepeatCandidate[];
}

/**
 * Repeat detentions in a period. `links` pairs every request with every pseudonym it is known by
 * (a request known by PNC and by name+DOB joins the two); `detentions` are the post-charge
 * detentions charged in [from − window, to). A detention charged in [from, to) is a repeat when
 * the same child has another detention charged in [its charge − window, its charge).
 * Children are listed with every detention that made them a repeat, oldest first, under the
 * shortened pseudonym of the latest (as its repeat alert showed it).
 */
export function findRepeatDetentions(args: {
  links: ReadonlyArray<{ workflowId: string; pseudonym: string }>;
  detentions: readonly RepeatCandidate[];
  from: string;
  to: string;
  windowMs: number;
}): RepeatResult {
  const uf = new UnionFind();
  const firstPseudonym = new Map<string, string>();
  for (const l of args.links) {
    const seen = firstPseudonym.get(l.workflowId);
    if (seen === undefined) {
      firstPseudonym.set(l.workflowId, l.pseudonym);
      uf.find(l.pseudonym);
    } else {
      uf.union(seen, l.pseudonym);
    }
  }
  const fromMs = Date.parse(args.from);
  const toMs = Date.parse(args.to);
  const byChild = new Map<string, Array<{ d: RepeatCandidate; t: number }>>();
  for (const d of args.detentions) {
    const p = firstPseudonym.get(d.workflowId) ?? d.childPseudonym;
    const child = uf.find(p);
    const list = byChild.get(child) ?? [];
    list.push({ d, t: Date.parse(d.chargedAt) });
    byChild.set(child, list);
  }

  const children: Array<RepeatDetentionFigure & { firstRepeatMs: number }> = [];
  const repeatEvents: RepeatCandidate[] = [];
  for (const list of byChild.values()) {
    list.sort((a, b) => a.t - b.t || a.d.workflowId.localeCompare(b.d.workflowId));
    const listed = new Set<number>();
    let firstRepeatMs = Number.POSITIVE_INFINITY;
    list.forEach(({ d, t }, i) => {
      if (t < fromMs || t >= toMs) return;
      // Earlier detentions of the child in [t − window, t): the list is in time order.
      let found = false;
      for (let j = i - 1; j >= 0; j--) {
        const e = list[j] as { d: RepeatCandidate; t: number };
        if (e.t < t - args.windowMs) break;
        if (e.t < t) {
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
    const detentions = list.filter((_, i) => listed.has(i));
    // The latest detention's pseudonym: the one its repeat alert showed.
    const latest = (detentions[detentions.length - 1] as { d: RepeatCandidate }).d;
    children.push({
      childRef: shortChildRef(latest.childPseudonym),
      firstRepeatMs,
      detentions: detentions.map(({ d, t }) => ({
        caseRef: d.caseRef,
        custodyRecordNumber: d.custodyRecordNumber,
        custodySuiteId: d.custodySuiteId,
        localAuthorityId: d.localAuthorityId,
        chargedAt: d.chargedAt,
        outcome: d.outcome,
        inPeriod: t >= fromMs && t < toMs,
      })),
    });
  }
  children.sort((a, b) => a.firstRepeatMs - b.firstRepeatMs || a.childRef.localeCompare(b.childRef));
  return { children: children.map(({ firstRepeatMs: _f, ...c }) => c), repeatEvents };
}
