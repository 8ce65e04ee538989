import { log, patched } from '@temporalio/workflow';
import type { Destination } from '../../domain/chat-port.js';
import { audit, deliverAll } from './effects.js';
import { iso, type RunState } from './run-state.js';
import type { SentPage } from './state.js';

/**
 * The court sitting and the host authority (docs/legal-rules.md, "The court sitting is the hard
 * deadline" and "Out-of-area children"): a page to the protocol's contacts when no bed has been
 * offered a set time before the sitting, and a courtesy notice to the authority the custody suite
 * is in when the child is from elsewhere. Both come from the request's protocol snapshot.
 */

/** Patch IDs: histories recorded before these replay without them. */
export const COURT_WARNING_PATCH = 'court-sitting-warning';
export const OUT_OF_AREA_PATCH = 'out-of-area-courtesy-notice';
/** Patch ID: an amended court sitting re-arms a warning already sent for the old sitting. */
export const COURT_WARNING_REARM_PATCH = 'court-warning-rearm';

const COURT_WARNING_STEP = 'court-warning';
const COURTESY_STEP = 'courtesy:host-authority';

function destinationsOf(run: RunState, names: readonly string[]): Destination[] {
  return names.flatMap((name) =>
    name === 'responders' && !run.snapshot.contacts[name]
      ? run.snapshot.responderDestinations
      : (run.snapshot.contacts[name] ?? []),
  );
}

/**
 * When the court-sitting warning is due, or null (none set, a bed offered, or ended). It follows
 * the sitting: amended before it is sent, it is due the set time before the new sitting. Once sent,
 * it is re-armed only by an amendment that puts its new time after the one sent (a later sitting);
 * a sitting amended earlier is already covered by the warning sent.
 */
export function courtWarningDueAt(run: RunState): number | null {
  const warning = run.snapshot.courtWarning;
  if (!warning || run.view.offer || run.view.outcome) return null;
  const dueAt = Date.parse(run.view.nextCourtSitting) - warning.beforeMs;
  if (run.ladder.courtWarned) {
    const last = run.ladder.courtWarning;
    if (!last || last.sitting === run.view.nextCourtSitting || dueAt <= last.atMs) return null;
    // Histories recorded before the re-arm replay without it.
    return patched(COURT_WARNING_REARM_PATCH) ? dueAt : null;
  }
  if (!patched(COURT_WARNING_PATCH)) return null;
  return dueAt;
}

/** Pages the contacts: the court sitting is near and no bed has been offered (again after a re-arm). */
export async function sendCourtWarning(run: RunState, atMs: number): Promise<void> {
  const warning = run.snapshot.courtWarning;
  const sent = (run.ladder.courtWarning?.sent ?? (run.ladder.courtWarned ? 1 : 0)) + 1;
  run.ladder = {
    ...run.ladder,
    courtWarned: true,
    courtWarning: { sitting: run.view.nextCourtSitting, atMs, sent },
  };
  if (!warning) return;
  const destinations = destinationsOf(run, warning.notify);
  const page: SentPage = {
    // A re-armed warning is a new page, not an edit of the first one.
    step: sent === 1 ? COURT_WARNING_STEP : `${COURT_WARNING_STEP}:${sent}`,
    destinations,
    level: run.view.escalationLevel,
    stepName: 'Court sitting near, no bed offered',
    reason: 'court_soon',
    minutesOpen: Math.floor((atMs - Date.parse(run.view.requestedAt)) / 60_000),
  };
  run.pages.push(page);
  log.info('Court sitting near with no bed offered: paging', { notify: warning.notify });
  await Promise.all([
    audit(run, 'court_warning', undefined, {
      nextCourtSitting: run.view.nextCourtSitting,
      before: warning.beforeMs,
      notify: warning.notify,
      at: iso(atMs),
      ...(sent > 1 ? { rearmed: true, sent } : {}),
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

/** The courtesy notice to the host authority of an out-of-area child, once, as the request opens. */
export async function sendCourtesyNotice(run: RunState): Promise<void> {
  const host = run.snapshot.hostAuthority;
  if (!host || !patched(OUT_OF_AREA_PATCH)) return;
  await Promise.all([
    deliverAll(run, COURTESY_STEP, host.destinations, {
      kind: 'event_note',
      view: run.view,
      event: { type: 'courtesy_notice', hostAuthorityName: host.name },
    }),
    audit(run, 'courtesy_notice', undefined, { hostAuthority: host.id }),
  ]);
}
