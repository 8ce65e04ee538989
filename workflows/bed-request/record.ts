import { log } from '@temporalio/workflow';
import type { RequestView } from '../../domain/request-view.js';
import { records } from './activities.js';
import { audit, deliverAll, note, updateCards } from './effects.js';
import { buildOutcomeRecord } from './outcome-record.js';
import { STEP, type RunState } from './run-state.js';

/**
 * Record (docs/architecture.md): the request's one outcome row, the final cards and note, and
 * the repeat-detention alert to the strategic leads when this child has been held before.
 */
export async function recordOutcome(run: RunState): Promise<RequestView> {
  const final = run.view;
  const { snapshot } = run;
  const outcome = buildOutcomeRecord(final, snapshot.timeZone);
  const { repeatAlert } = await records.recordOutcome({ outcome, repeatWindowMs: snapshot.repeatWindowMs });
  log.info('Outcome recorded', {
    outcome: outcome.outcome,
    escalationLevel: outcome.escalationLevel,
    overnight: outcome.overnight,
    weekend: outcome.weekend,
  });
  await Promise.all([
    audit(run, 'resolved', final.outcome?.by, {
      outcome: outcome.outcome,
      escalationLevel: outcome.escalationLevel,
      overnight: outcome.overnight,
      weekend: outcome.weekend,
    }),
    updateCards(run, true),
    note(run, { type: 'resolved' }),
    ...(repeatAlert
      ? [
          deliverAll(run, STEP.repeatAlert, snapshot.leads, { kind: 'repeat_alert', view: repeatAlert }),
          audit(run, 'repeat_alert', undefined, {
            detentions: repeatAlert.detentions.length,
            windowDays: repeatAlert.windowDays,
          }),
        ]
      : []),
  ]);
  return final;
}
