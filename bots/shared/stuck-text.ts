import { StuckReason, type StuckRequestView } from '../../domain/watchdog.js';
import { DEFAULT_ZONE, elapsed, formatTime } from './view-text.js';

/**
 * The words of the watchdog's page (docs/watchdog.md), shared by the Slack and Teams edges. The
 * watchdog speaks in StuckReason codes; only here do they become sentences. Pure.
 */
export interface StuckPageText {
  /** One line: the case and that it is stuck (also the notification text). */
  title: string;
  /** What is wrong, in words. */
  problem: string;
  /** What to do, in order: the child first, then the engineer. */
  actions: string[];
  /** Small print: identifiers an engineer needs. */
  footnote: string;
}

function caseName(view: StuckRequestView): string {
  return view.caseRef ? `Request ${view.caseRef}` : `A bed request (${view.workflowId})`;
}

function problemText(view: StuckRequestView, zone: string): string {
  const since = formatTime(view.since, zone);
  const forHow = elapsed(view.since, view.detectedAt);
  switch (view.reason) {
    case StuckReason.WorkflowTaskFailing:
      return (
        `Concordat has failed to process this request ${view.attempts ?? 'several'} times in a row, ` +
        `since ${since} (${forHow}). No escalation page will go out and its buttons will not work ` +
        'until an engineer fixes it.'
      );
    case StuckReason.WorkflowTaskOverdue:
      return (
        `This request has been waiting ${forHow} (since ${since}) for a Concordat worker to act on it. ` +
        'A page or escalation that was due has not gone out. No worker may be running.'
      );
    case StuckReason.NoWorkflow:
      return (
        'This request is open in the records store, but Concordat is not running it: ' +
        'no pages, no escalation and no outcome will follow.'
      );
    case StuckReason.WorkflowClosed:
      return (
        `Concordat stopped running this request at ${since} (${(view.workflowStatus ?? 'closed').toLowerCase()}) ` +
        'before an outcome was recorded. No pages or escalation will follow.'
      );
  }
}

/** The page's text for a person: case reference, what is wrong, what to do. */
export function stuckPageText(view: StuckRequestView, zone: string = DEFAULT_ZONE): StuckPageText {
  const where = [
    view.custodySuiteName,
    view.custodyRecordNumber && `custody record ${view.custodyRecordNumber}`,
  ]
    .filter(Boolean)
    .join(', ');
  return {
    title: `${caseName(view)} is stuck${where ? ` (${where})` : ''}`,
    problem: problemText(view, zone),
    actions: [
      'Custody: phone the duty team or the Emergency Duty Team directly for a bed. Do not wait for Concordat.',
      'Admins: an engineer must check the Concordat worker logs and the workflow in Temporal now.',
      'The request is still held in the records store: nothing typed in has been lost.',
    ],
    footnote: `Workflow ${view.workflowId} · ${view.reason} · seen ${formatTime(view.detectedAt, zone)}`,
  };
}
