import { log } from '@temporalio/workflow';
import { applyEscalation } from '../../domain/request-rules.js';
import type { DueEscalation } from '../escalation/ladder.js';
import { audit, deliverAll, note, updateCards } from './effects.js';
import { iso, STEP, type RunState } from './run-state.js';
import type { SentPage } from './state.js';

/**
 * Escalate (docs/architecture.md): page the contacts of every ladder step that fell due at `at`,
 * audit each, and tell the cards and the sergeant's thread of a new level or of midnight.
 */
export async function escalate(run: RunState, due: DueEscalation[], at: number): Promise<void> {
  const levelBefore = run.view.escalationLevel;
  const jobs: Promise<void>[] = [];
  for (const d of due) {
    run.view = applyEscalation(run.view, { level: d.level, name: d.name }, iso(at));
    const destinations = d.notify.flatMap((name) => run.snapshot.contacts[name] ?? []);
    const page: SentPage = {
      step: STEP.page(d.key, d.occurrence),
      destinations,
      level: d.level,
      stepName: d.name,
      reason: d.reason,
      minutesOpen: Math.floor((at - Date.parse(run.view.requestedAt)) / 60_000),
    };
    run.pages.push(page);
    log.info('Escalation', { level: d.level, step: d.key, occurrence: d.occurrence, reason: d.reason });
    jobs.push(
      audit(run, 'escalated', undefined, {
        level: d.level,
        name: d.name,
        step: d.key,
        occurrence: d.occurrence,
        reason: d.reason,
        dueAt: iso(d.dueAtMs),
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
    );
  }
  // Cards and the sergeant's thread hear of a new level or of midnight; a repeat page at the same
  // level goes to its contacts only (keeping an all-night request's history small).
  const top = Math.max(...due.map((d) => d.level));
  if (top > levelBefore || due.some((d) => d.reason === 'overnight')) {
    jobs.push(note(run, { type: 'escalated', level: top }), updateCards(run));
  }
  await Promise.all(jobs);
}
