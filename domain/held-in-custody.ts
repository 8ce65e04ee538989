import { DateTime } from 'luxon';
import { z } from 'zod';

/**
 * "Held in custody, bed still sought" (docs/legal-rules.md, "A stay is not the end"). Recording a
 * stay produces the s.38(6) certificate, but the duty to move the child (PACE s.38(6); Concordat
 * principle 2) lasts until the child leaves the cells: the request stays open, a review ladder
 * keeps paging, a bed can still be offered, and the request ends when the child leaves. Pure.
 */

/** How the child left the police cells. */
export const leftCellsForSchema = z.enum(['court', 'bailed', 'released', 'transfer']);
export type LeftCellsFor = z.infer<typeof leftCellsForSchema>;

/** What the sergeant may record as the way the child left (a transfer is confirmed instead). */
export const recordedLeftForSchema = z.enum(['court', 'bailed', 'released']);
export type RecordedLeftFor = z.infer<typeof recordedLeftForSchema>;

export const LEFT_CELLS_FOR_LABELS: Record<LeftCellsFor, string> = {
  court: 'Left for court',
  bailed: 'Bailed',
  released: 'Released (charge withdrawn or no further action)',
  transfer: 'Transferred to local authority accommodation',
};

/** The review schedule and the court grace period, as a running request keeps them. */
export interface HeldSettings {
  /** Page again this long after the last review page (absent: only at the fixed times). */
  reviewEveryMs?: number;
  /** Fixed local times (HH:MM, the force's zone) at which a review page always goes out. */
  reviewAt: string[];
  /** Contacts by name (`responders` is the routed duty team or EDT). */
  reviewNotify: string[];
  /** Nobody recorded the child leaving: the request ends this long after the court sitting. */
  courtGraceMs: number;
}

/** The defaults of the protocol file's `heldInCustody` section (domain/protocol.ts). */
export const DEFAULT_HELD_SETTINGS: HeldSettings = {
  reviewEveryMs: 2 * 3_600_000,
  reviewAt: ['00:00', '07:00'],
  reviewNotify: ['responders'],
  courtGraceMs: 2 * 3_600_000,
};

/** The next local occurrence of HH:MM strictly after `afterMs`, in `zone`. */
export function nextLocalTimeMs(afterMs: number, hhmm: string, zone: string): number {
  const [h = 0, m = 0] = hhmm.split(':').map(Number);
  const local = DateTime.fromMillis(afterMs, { zone });
  let candidate = local.set({ hour: h, minute: m, second: 0, millisecond: 0 });
  // A time the clocks skip (01:30 on the spring night) is moved on by luxon; a past one, a day on.
  for (let i = 0; i < 3 && candidate.toMillis() <= afterMs; i++) {
    candidate = local.plus({ days: i + 1 }).set({ hour: h, minute: m, second: 0, millisecond: 0 });
  }
  return candidate.toMillis();
}

/**
 * When the next review page is due after one at `lastMs` (or the stay itself): the interval from
 * then, or the next fixed local time, whichever is sooner.
 */
export function nextReviewAtMs(lastMs: number, settings: HeldSettings, zone: string): number | null {
  const candidates = settings.reviewAt.map((t) => nextLocalTimeMs(lastMs, t, zone));
  if (settings.reviewEveryMs !== undefined) candidates.push(lastMs + settings.reviewEveryMs);
  return candidates.length === 0 ? null : Math.min(...candidates);
}

/** When a held request with nobody recording the child leaving ends: court sitting + grace. */
export function assumedEndMs(nextCourtSitting: string, settings: HeldSettings): number {
  return Date.parse(nextCourtSitting) + settings.courtGraceMs;
}
