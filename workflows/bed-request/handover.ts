import { log, patched } from '@temporalio/workflow';
import type { NextHandover } from '../../activities/index.js';
import { records } from './activities.js';
import { audit, deliverAll, note, updateCards } from './effects.js';
import { iso, STEP, type RunState } from './run-state.js';

/**
 * Shift changes (docs/legal-rules.md, "Shift changes"): at each office-hours boundary an open
 * request with no accepted offer moves to the team on duty then. At 17:00, or the start of a
 * weekend or bank holiday, the EDT gets the card with its history so far and the duty team's card
 * says the request has moved (with no buttons: it is no longer theirs to act on); handing back at
 * 09:00 is the protocol's `shiftHandover.handBack`.
 * The boundary (with the bank-holiday calendar) is read through an activity.
 */

/** Patch ID: histories recorded before shift changes replay without them. */
export const SHIFT_HANDOVER_PATCH = 'shift-handover';
/** Patch ID: the team going off duty's card says it was handed over, with no actions. */
export const HANDED_OVER_CARD_PATCH = 'handed-over-card';
/** Patch ID: roles checked against the people list as it is now (read through an activity). */
export const LIVE_ROSTER_PATCH = 'live-roster';

/** Asks for the next boundary after `fromIso`; none when the protocol turns handovers off. */
export async function planHandover(run: RunState, fromIso: string): Promise<void> {
  const settings = run.snapshot.handover;
  if (!settings?.enabled) {
    run.handover = null;
    return;
  }
  run.handover = await records.nextHandover({
    fromIso,
    currentRoute: run.view.route,
    homeLocalAuthorityId: run.view.localAuthorityId,
    handBack: settings.handBack,
  });
}

/** Whether this run plans shift changes (false while replaying histories recorded before them). */
export function handoversEnabled(): boolean {
  return patched(SHIFT_HANDOVER_PATCH);
}

/** When the next handover is due: only while open and no offer has been accepted. */
export function handoverDueAt(run: RunState): number | null {
  const next = run.handover;
  if (!next || run.view.outcome || run.view.offer) return null;
  return Date.parse(next.at);
}

/** Hands the request to the team on duty from `atMs`, and plans the next boundary. */
export async function handOver(run: RunState, atMs: number): Promise<void> {
  const next = run.handover as NextHandover;
  const at = iso(atMs);
  const from = run.view.route;
  const before = run.snapshot.responderDestinations;
  run.view = {
    ...run.view,
    route: next.route,
    updatedAt: at,
    handovers: [...(run.view.handovers ?? []), { at, from, to: next.route }],
  };
  run.snapshot = {
    ...run.snapshot,
    routing: {
      ...run.snapshot.routing,
      route: next.route,
      reason: next.reason,
      ...(next.holiday ? { holiday: next.holiday } : {}),
    },
    responderDestinations: [...next.responderDestinations],
    contacts: {
      ...run.snapshot.contacts,
      ...(run.snapshot.contacts.responders ? { responders: [...next.responderDestinations] } : {}),
    },
  };
  log.info('Shift change: request handed over', { from, to: next.route, reason: next.reason });
  // The team going off duty sees, on its own card, that the request has moved; the team coming on
  // gets the card with everything so far (updateCards posts to its destinations).
  const leaving = before.filter(
    (d) => !next.responderDestinations.some((n) => n.platform === d.platform && n.address === d.address),
  );
  // Histories recorded before it replay with the old team's card as the new team's (buttons and all).
  const handedOver = leaving.length > 0 && patched(HANDED_OVER_CARD_PATCH);
  await Promise.all([
    audit(run, 'handed_over', undefined, { from, to: next.route, reason: next.reason, dueAt: next.at }),
    deliverAll(run, STEP.responderCard, leaving, {
      kind: 'request_card',
      audience: 'responder',
      view: run.view,
      ...(handedOver ? { handedOver: { to: next.route, at } } : {}),
    }),
    updateCards(run, true),
    note(run, { type: 'handed_over' }),
  ]);
  await planHandover(run, next.at);
}
