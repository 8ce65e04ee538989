/**
 * The stuck-request watchdog's rules (docs/watchdog.md): pure, so the activity that reads Temporal
 * and the store only gathers facts, and the rule itself is tested without a server.
 */

/** Why an open request has stopped moving. Coded; only the chat edge turns it into words. */
export enum StuckReason {
  /** The workflow task fails again and again (e.g. a non-deterministic build): nothing runs. */
  WorkflowTaskFailing = 'WORKFLOW_TASK_FAILING',
  /** A wake-up (a ladder timer, a click) has waited too long for a worker: a page is overdue. */
  WorkflowTaskOverdue = 'WORKFLOW_TASK_OVERDUE',
  /** The store holds an open request that Temporal has never heard of. */
  NoWorkflow = 'NO_WORKFLOW',
  /** The workflow ended (terminated, failed, timed out) without recording an outcome. */
  WorkflowClosed = 'WORKFLOW_CLOSED',
}

export const STUCK_REASONS: readonly StuckReason[] = Object.values(StuckReason);

export interface WatchdogThresholds {
  /** A pending workflow task on this attempt or later is failing repeatedly. */
  failingAttempts: number;
  /** A pending workflow task first scheduled longer ago than this (ms) is overdue. */
  overdueAfterMs: number;
}

/** What describe() says about the latest run of a request's workflow, as plain numbers. */
export interface ExecutionFacts {
  runId: string;
  /** Temporal's status name: RUNNING, COMPLETED, TERMINATED, CONTINUED_AS_NEW… */
  status: string;
  historyLength: number;
  closeTimeMs?: number;
  /**
   * When the last history event was written. While a task fails, that is its first failure (the
   * retries are transient), which is stabler than the task's own times: the server gives each
   * retry a new scheduled time.
   */
  lastEventAtMs?: number;
  pendingWorkflowTask?: {
    attempt: number;
    scheduledAtMs: number;
    /** Kept by the server across a task's retries where it can; else scheduledAtMs. */
    originalScheduledAtMs?: number;
  };
}

export interface StuckFinding {
  reason: StuckReason;
  /**
   * Names the incident, so one incident is paged once however many runs see it. For a running
   * workflow it is the run and its history length: failed retries of a workflow task are transient
   * (not written to history), so the length stays put while the request is stuck and moves on
   * once it recovers.
   */
  incident: string;
  /** When the problem started, as far as Temporal tells (ISO). */
  since: string;
  /** The failing workflow task's attempt number. */
  attempts?: number;
  /** The closed workflow's status. */
  workflowStatus?: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The rule, for one request that the store holds open (no outcome) or that visibility lists as a
 * running bedRequestWorkflow. `facts` null: Temporal does not know the workflow. `requestedAt` is
 * the store's time, used as the start of a no-workflow incident.
 */
export function classifyExecution(
  facts: ExecutionFacts | null,
  opts: { thresholds: WatchdogThresholds; nowMs: number; requestedAt?: string; hasOutcome: boolean },
): StuckFinding | null {
  if (facts === null) {
    return opts.hasOutcome
      ? null
      : { reason: StuckReason.NoWorkflow, incident: 'none', since: opts.requestedAt ?? iso(opts.nowMs) };
  }
  if (facts.status !== 'RUNNING') {
    // A completed run recorded its outcome first; a continued-as-new one has a successor.
    if (opts.hasOutcome || facts.status === 'COMPLETED' || facts.status === 'CONTINUED_AS_NEW') return null;
    return {
      reason: StuckReason.WorkflowClosed,
      incident: facts.runId,
      since: iso(facts.closeTimeMs ?? opts.nowMs),
      workflowStatus: facts.status,
    };
  }
  const task = facts.pendingWorkflowTask;
  if (!task) return null;
  const sinceMs = task.originalScheduledAtMs ?? task.scheduledAtMs;
  const incident = `${facts.runId}:${facts.historyLength}`;
  if (task.attempt >= opts.thresholds.failingAttempts) {
    return {
      reason: StuckReason.WorkflowTaskFailing,
      incident,
      since: iso(facts.lastEventAtMs ?? sinceMs),
      attempts: task.attempt,
    };
  }
  if (opts.nowMs - sinceMs > opts.thresholds.overdueAfterMs) {
    return { reason: StuckReason.WorkflowTaskOverdue, incident, since: iso(sinceMs), attempts: task.attempt };
  }
  return null;
}

/** What a stuck-request page shows. No child personal data: the case reference, never a name. */
export interface StuckRequestView {
  workflowId: string;
  /** Absent when the store has no row for the workflow (it failed before registering). */
  caseRef?: string;
  custodySuiteName?: string;
  custodyRecordNumber?: string;
  reason: StuckReason;
  since: string;
  detectedAt: string;
  attempts?: number;
  workflowStatus?: string;
}

/** The delivery step of a page: one per (request, reason, incident), so it is posted once. */
export function stuckPageStep(finding: Pick<StuckFinding, 'reason' | 'incident'>): string {
  return `watchdog:${finding.reason}:${finding.incident}`;
}
