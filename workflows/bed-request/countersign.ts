import { log, patched } from '@temporalio/workflow';
import type { Destination } from '../../domain/chat-port.js';
import { awaitingCountersignature, personIs } from '../../domain/countersignature.js';
import { applyCountersignPage } from '../../domain/request-rules.js';
import { records } from './activities.js';
import { audit, updateCards } from './effects.js';
import { iso, STEP, type RunState } from './run-state.js';

/**
 * An inspector's countersignature of the s.38(6) certificate (docs/legal-rules.md,
 * "Countersignature by an inspector"): a force's protocol option, not the law's. When the
 * request's snapshot asks for it, a recorded stay's certificate is awaiting countersignature: the
 * inspectors (every person with the role in the people list as it is now, read through an
 * activity, and the protocol's `notify` contacts) are sent a card with the certificate and a
 * Countersign button, and paged again every `pageAfter` until one of them countersigns. The
 * sergeant who certified is never paged to countersign their own certificate. Who may countersign
 * is domain/countersignature.ts, applied with every other action in respond.ts.
 */

/** Patch ID: histories recorded before countersignature existed replay without it. */
export const COUNTERSIGN_PATCH = 'inspector-countersignature';

/**
 * Does a stay recorded now wait for an inspector's countersignature? Only when the request's
 * snapshot asks for it (so older histories, whose snapshots never do, never reach the patch).
 */
export function countersignRequired(run: RunState): boolean {
  return run.snapshot.countersignature !== undefined && patched(COUNTERSIGN_PATCH);
}

/** When the inspectors are due to be paged again, or null. */
export function countersignDueAt(run: RunState): number | null {
  if (!awaitingCountersignature(run.view)) return null;
  return run.countersign?.nextAtMs ?? null;
}

/** The inspectors' chat destinations now: direct to each person with the role, and the contacts. */
async function inspectorDestinations(run: RunState): Promise<Destination[]> {
  const settings = run.snapshot.countersignature;
  if (!settings) return [];
  const people = await records.currentPeople();
  const certifier = run.view.stay?.by;
  const direct: Destination[] = people
    // Never the sergeant who certified (on either platform): a countersignature is a second officer's.
    .filter((p) => p.roles.includes(settings.role) && !(certifier && personIs(p, certifier)))
    .flatMap((p) => [
      ...(p.slack ? [{ platform: 'slack' as const, address: p.slack }] : []),
      ...(p.teams ? [{ platform: 'teams' as const, address: p.teams }] : []),
    ]);
  const contacts = settings.notify.flatMap((name) => run.snapshot.contacts[name] ?? []);
  const seen = new Set<string>();
  return [...direct, ...contacts].filter((d) => {
    const key = `${d.platform}:${d.address}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Adds the next inspectors' page (its card is posted by the next `updateCards(run, true)`, and
 * updated in place by every later one) and audits it. The next page falls due `repageMs` on.
 */
export async function addInspectorPage(run: RunState, atMs: number): Promise<void> {
  const progress = run.countersign ?? { nextAtMs: null, pages: [] };
  const n = progress.pages.length + 1;
  const destinations = await inspectorDestinations(run);
  const repageMs = run.snapshot.countersignature?.repageMs;
  run.countersign = {
    nextAtMs: repageMs !== undefined ? atMs + repageMs : null,
    pages: [...progress.pages, { step: STEP.countersign(n), destinations }],
  };
  run.view = applyCountersignPage(run.view, iso(atMs));
  if (destinations.length === 0) log.warn('Countersignature: nobody to page', { page: n });
  log.info('Countersignature: inspectors paged', { page: n, destinations: destinations.length });
  await audit(run, 'countersign_paged', undefined, {
    page: n,
    role: run.snapshot.countersignature?.role ?? 'inspector',
    destinations: destinations.length,
    at: iso(atMs),
  });
}

/** The re-page: a new card to the inspectors, and every card updated to show it. */
export async function repageInspectors(run: RunState, atMs: number): Promise<void> {
  await addInspectorPage(run, atMs);
  await updateCards(run, true);
}
