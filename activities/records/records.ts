import { DETAINED_OUTCOMES } from '../../domain/outcomes.js';
import type { Protocol } from '../../domain/protocol.js';
import type { RepeatAlertView } from '../../domain/request-view.js';
import type { Logger } from '../../domain/logger.js';
import type {
  AuditEvent,
  AuditStore,
  NewRequest,
  OutcomeRecord,
  OutcomesStore,
  RequestsStore,
  SameChildStore,
} from '../../store/records-store.js';

const DAY_MS = 86_400_000;
/** How much of the pseudonym a repeat alert shows: enough to tell children apart, not the key. */
export const CHILD_REF_LENGTH = 10;

export interface RecordOutcomeInput {
  outcome: OutcomeRecord;
  /** The repeat-detention window from the request's protocol snapshot. */
  repeatWindowMs: number;
}

export interface RepeatAtStartInput {
  workflowId: string;
  chargedAt: string;
  repeatWindowMs: number;
}

/** The child's earlier post-charge detentions in the window, found as the request opens. */
export interface RepeatAtStartResult {
  /** How many earlier detentions, and the last one's time of charge (no identity). */
  earlier: { count: number; lastChargedAt: string; windowDays: number } | null;
  /** The alert for the leads, sent within a minute of the request (null when none). */
  alert: RepeatAlertView | null;
}

export interface RecordOutcomeResult {
  /** Set on the second and later detentions of the same child in the window: send it to the leads. */
  repeatAlert: RepeatAlertView | null;
}

/** Only the stores these activities use (docs/architecture.md): requests, outcomes, audit, the linker. */
export type RecordActivitiesStore = Pick<RequestsStore, 'registerRequest' | 'getRequest'> &
  OutcomesStore &
  SameChildStore &
  Pick<AuditStore, 'appendEvent'>;

export function makeRecordActivities(deps: {
  store: RecordActivitiesStore;
  protocol: () => Protocol;
  log?: Logger;
}) {
  const { store } = deps;

  /**
   * Registers the request and its child pseudonyms (the identity is stored encrypted). Returns only
   * the opaque case reference: neither the identity nor the pseudonym goes back into workflow state.
   */
  async function registerRequest(request: NewRequest): Promise<{ caseRef: string }> {
    const registered = await store.registerRequest(request);
    deps.log?.info({ workflowId: request.workflowId, caseRef: registered.caseRef }, 'request registered');
    return { caseRef: registered.caseRef };
  }

  async function appendEvent(event: AuditEvent): Promise<void> {
    await store.appendEvent(event);
  }

  /**
   * Writes the one outcome record (a retry is a no-op in the store), then, if the child stayed in
   * police detention, looks up earlier post-charge detentions of the same child in the window,
   * as the same-child linker links them (docs/same-child.md), so the digest agrees.
   */
  async function recordOutcome(input: RecordOutcomeInput): Promise<RecordOutcomeResult> {
    const { outcome } = input;
    await store.recordOutcome(outcome);
    deps.log?.info({ workflowId: outcome.workflowId, outcome: outcome.outcome }, 'outcome recorded');
    if (!DETAINED_OUTCOMES.includes(outcome.outcome)) return { repeatAlert: null };

    const since = new Date(Date.parse(outcome.chargedAt) - input.repeatWindowMs).toISOString();
    const earlier = await store.earlierDetentions({
      workflowId: outcome.workflowId,
      since,
      before: outcome.chargedAt,
    });
    if (earlier.length === 0) return { repeatAlert: null };

    const current = await store.getRequest(outcome.workflowId);
    if (!current) throw new Error(`Request ${outcome.workflowId} is not registered`);
    const p = deps.protocol();
    const suiteName = (id: string) => p.custodySuites.find((s) => s.id === id)?.name ?? id;
    const laName = (id: string) => p.localAuthorities.find((l) => l.id === id)?.name ?? id;
    const repeatAlert: RepeatAlertView = {
      childRef: current.childPseudonym.slice(0, CHILD_REF_LENGTH),
      windowDays: Math.round(input.repeatWindowMs / DAY_MS),
      detentions: [
        ...earlier.map((d) => ({
          custodyRecordNumber: d.custodyRecordNumber,
          custodySuiteName: suiteName(d.custodySuiteId),
          localAuthorityName: laName(d.localAuthorityId),
          chargedAt: d.chargedAt,
          outcome: d.outcome,
          caseRef: d.caseRef,
        })),
        {
          custodyRecordNumber: current.custodyRecordNumber,
          custodySuiteName: suiteName(current.custodySuiteId),
          localAuthorityName: laName(current.localAuthorityId),
          chargedAt: outcome.chargedAt,
          outcome: outcome.outcome,
          caseRef: current.caseRef,
        },
      ],
    };
    deps.log?.warn(
      { workflowId: outcome.workflowId, detentions: repeatAlert.detentions.length },
      'repeat detention of the same child',
    );
    return { repeatAlert };
  }

  /**
   * As a request opens (docs/legal-rules.md, "Repeat detention"): the same child's earlier
   * post-charge detentions in the window before this charge, by the one same-child linker
   * (docs/same-child.md), so the leads are alerted at the start, not at the end.
   */
  async function repeatAtStart(input: RepeatAtStartInput): Promise<RepeatAtStartResult> {
    const since = new Date(Date.parse(input.chargedAt) - input.repeatWindowMs).toISOString();
    const earlier = await store.earlierDetentions({
      workflowId: input.workflowId,
      since,
      before: input.chargedAt,
    });
    const last = earlier[earlier.length - 1];
    if (!last) return { earlier: null, alert: null };
    const current = await store.getRequest(input.workflowId);
    if (!current) throw new Error(`Request ${input.workflowId} is not registered`);
    const p = deps.protocol();
    const suiteName = (id: string) => p.custodySuites.find((s) => s.id === id)?.name ?? id;
    const laName = (id: string) => p.localAuthorities.find((l) => l.id === id)?.name ?? id;
    const windowDays = Math.round(input.repeatWindowMs / DAY_MS);
    deps.log?.warn(
      { workflowId: input.workflowId, earlier: earlier.length },
      'repeat child: held after charge before, alerting the leads at the start',
    );
    return {
      earlier: { count: earlier.length, lastChargedAt: last.chargedAt, windowDays },
      alert: {
        childRef: current.childPseudonym.slice(0, CHILD_REF_LENGTH),
        windowDays,
        detentions: earlier.map((d) => ({
          custodyRecordNumber: d.custodyRecordNumber,
          custodySuiteName: suiteName(d.custodySuiteId),
          localAuthorityName: laName(d.localAuthorityId),
          chargedAt: d.chargedAt,
          outcome: d.outcome,
          caseRef: d.caseRef,
        })),
        now: {
          caseRef: current.caseRef,
          custodyRecordNumber: current.custodyRecordNumber,
          custodySuiteName: suiteName(current.custodySuiteId),
          localAuthorityName: laName(current.localAuthorityId),
          chargedAt: input.chargedAt,
        },
      },
    };
  }

  return { registerRequest, appendEvent, recordOutcome, repeatAtStart };
}
