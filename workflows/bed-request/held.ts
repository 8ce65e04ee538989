import { log } from '@temporalio/workflow';
import {
  DEFAULT_HELD_SETTINGS,
  assumedEndMs,
  nextReviewAtMs,
  type HeldSettings,
} from '../../domain/held-in-custody.js';
import type { Destination } from '../../domain/chat-port.js';
import { applyLeftCellsAssumed, applyReview } from '../../domain/request-rules.js';
import { audit, deliverAll, note, updateCards } from './effects.js';
import { iso, STEP, type RunState } from './run-state.js';
import type { SentPage } from './state.js';

/**
 * Held in custody, bed still sought (docs/legal-rules.md, "A stay is not the end"): after a stay
 * is recorded the request stays open until the child leaves the cells. The review ladder pages the
 * responders and contacts at the protocol's interval and fixed local times, up to the court
 * sitting; a bed can still be offered and the transfer confirmed; and with nobody recording the
 * child leaving, the request ends at the court sitting plus the grace period, the time assumed.
 */

/** Patch ID: histories recorded before it end the request when a stay is recorded. */
export const STAY_CONTINUES_PATCH = 'stay-continues-held-bed-sought';

/** The request's review settings (the defaults for a snapshot taken before they existed). */
export function heldSettings(run: RunState): HeldSettings {
  return run.snapshot.held ?? DEFAULT_HELD_SETTINGS;
}

/** Is the child held (a stay recorded, not yet left)? */
export function isHeld(run: RunState): boolean {
  return run.view.stay !== undefined && run.view.outcome === undefined;
}

/** The next review due strictly before the court sitting, after `fromMs`; null when none is left. */
function nextReview(run: RunState, fromMs: number): number | null {
  const at = nextReviewAtMs(fromMs, heldSettings(run), run.snapshot.timeZone);
  return at !== null && at < Date.parse(run.view.nextCourtSitting) ? at : null;
}

/** Starts the review ladder at the stay: the first review falls due from the stay's time. */
export function startReview(run: RunState, stayAtMs: number): void {
  run.ladder = { ...run.ladder, review: { nextAtMs: nextReview(run, stayAtMs), sent: 0 } };
}

/** After the court sitting moved: the next review from `atMs`, keeping the count of those sent. */
export function rescheduleReview(run: RunState, atMs: number): void {
  const progress = run.ladder.review;
  if (!progress || !isHeld(run)) return;
  run.ladder = { ...run.ladder, review: { nextAtMs: nextReview(run, atMs), sent: progress.sent } };
}

/** When the next review page is due, or null. */
export function reviewDueAt(run: RunState): number | null {
  return isHeld(run) ? (run.ladder.review?.nextAtMs ?? null) : null;
}

/** When a held request ends if nobody records the child leaving: court sitting + grace. */
export function heldEndMs(run: RunState): number {
  return assumedEndMs(run.view.nextCourtSitting, heldSettings(run));
}

function destinationsOf(run: RunState, names: readonly string[]): Destination[] {
  return names.flatMap((name) =>
    name === 'responders' && !run.snapshot.contacts[name]
      ? run.snapshot.responderDestinations
      : (run.snapshot.contacts[name] ?? []),
  );
}

/**
 * Sends the review page due at or before `atMs` (once, however many were missed during an
 * outage) and sets the next one from `atMs`.
 */
export async function sendReview(run: RunState, atMs: number): Promise<void> {
  const progress = run.ladder.review ?? { nextAtMs: null, sent: 0 };
  const dueAtMs = progress.nextAtMs ?? atMs;
  const sent = progress.sent + 1;
  run.ladder = { ...run.ladder, review: { nextAtMs: nextReview(run, atMs), sent } };
  run.view = applyReview(run.view, iso(atMs));
  const settings = heldSettings(run);
  const destinations = destinationsOf(run, settings.reviewNotify);
  const page: SentPage = {
    step: STEP.review(sent),
    destinations,
    level: run.view.escalationLevel,
    stepName: 'Held in custody: review',
    reason: 'held_review',
    minutesOpen: Math.floor((atMs - Date.parse(run.view.requestedAt)) / 60_000),
  };
  run.pages.push(page);
  log.info('Held in custody: review page', { review: sent });
  await Promise.all([
    audit(run, 'held_review', undefined, {
      review: sent,
      dueAt: iso(dueAtMs),
      notify: settings.reviewNotify,
    }),
    deliverAll(run, page.step, destinations, {
      kind: 'escalation_page',
      view: {
        request: run.view,
        level: page.level,
        stepName: page.stepName,
        reason: page.reason,
        minutesOpen: page.minutesOpen,
      },
    }),
  ]);
}

/** Ends a held request nobody recorded leaving, at court sitting + grace: the leaving time assumed. */
export async function endAssumed(run: RunState, atMs: number): Promise<void> {
  run.view = applyLeftCellsAssumed(run.view, iso(atMs));
  log.info('Held in custody: nobody recorded the child leaving; ended at court sitting plus grace');
  await audit(run, 'left_cells_assumed', undefined, {
    nextCourtSitting: run.view.nextCourtSitting,
    leftCellsAt: run.view.outcome?.leftCellsAt,
  });
}

/** Tells the sergeant's thread and every card that the child is held and a bed still sought. */
export async function announceStay(run: RunState): Promise<void> {
  await Promise.all([updateCards(run, true), note(run, { type: 'stay_recorded' })]);
}
