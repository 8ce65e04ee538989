import { describe, expect, it } from 'vitest';
import { classifyExecution, StuckReason, stuckPageStep, type ExecutionFacts } from '../../domain/watchdog.js';

const NOW = Date.parse('2026-03-01T20:10:00Z');
const thresholds = { failingAttempts: 3, overdueAfterMs: 120_000 };
const opts = { thresholds, nowMs: NOW, hasOutcome: false, requestedAt: '2026-03-01T19:00:00Z' };
const running = (task?: ExecutionFacts['pendingWorkflowTask'], extra: Partial<ExecutionFacts> = {}) => ({
  runId: 'run-1',
  status: 'RUNNING',
  historyLength: 42,
  ...(task ? { pendingWorkflowTask: task } : {}),
  ...extra,
});

describe('classifyExecution', () => {
  it('a running workflow waiting on a timer, with no workflow task, is moving', () => {
    expect(classifyExecution(running(), opts)).toBeNull();
  });

  it('a workflow task just scheduled is not overdue yet', () => {
    expect(classifyExecution(running({ attempt: 1, scheduledAtMs: NOW - 5_000 }), opts)).toBeNull();
  });

  it('a workflow task waiting longer than overdueAfter is overdue, dated from its first scheduling', () => {
    const f = classifyExecution(
      running({ attempt: 1, scheduledAtMs: NOW - 60_000, originalScheduledAtMs: NOW - 180_000 }),
      opts,
    );
    expect(f).toEqual({
      reason: StuckReason.WorkflowTaskOverdue,
      incident: 'run-1:42',
      since: '2026-03-01T20:07:00.000Z',
      attempts: 1,
    });
  });

  it('a workflow task on its third attempt is failing, dated from the last history event', () => {
    const f = classifyExecution(
      running({ attempt: 3, scheduledAtMs: NOW - 1_000 }, { lastEventAtMs: NOW - 30_000 }),
      opts,
    );
    expect(f).toMatchObject({ reason: StuckReason.WorkflowTaskFailing, attempts: 3, incident: 'run-1:42' });
    expect(f?.since).toBe('2026-03-01T20:09:30.000Z');
  });

  it('the incident stays the same while retries go on, and is new once history moves', () => {
    const a = classifyExecution(running({ attempt: 3, scheduledAtMs: NOW }), opts);
    const b = classifyExecution(running({ attempt: 9, scheduledAtMs: NOW + 60_000 }), opts);
    const c = classifyExecution(running({ attempt: 3, scheduledAtMs: NOW }, { historyLength: 50 }), opts);
    expect(stuckPageStep(a!)).toBe(stuckPageStep(b!));
    expect(stuckPageStep(c!)).not.toBe(stuckPageStep(a!));
    expect(stuckPageStep(a!)).toBe('watchdog:WORKFLOW_TASK_FAILING:run-1:42');
  });

  it('no workflow at all: stuck unless the outcome is recorded', () => {
    expect(classifyExecution(null, opts)).toEqual({
      reason: StuckReason.NoWorkflow,
      incident: 'none',
      since: '2026-03-01T19:00:00Z',
    });
    expect(classifyExecution(null, { ...opts, hasOutcome: true })).toBeNull();
  });

  it('a closed run without an outcome is stuck; completed or continued-as-new is not', () => {
    const closed = (status: string) =>
      classifyExecution({ runId: 'run-2', status, historyLength: 9, closeTimeMs: NOW - 60_000 }, opts);
    expect(closed('TERMINATED')).toEqual({
      reason: StuckReason.WorkflowClosed,
      incident: 'run-2',
      since: '2026-03-01T20:09:00.000Z',
      workflowStatus: 'TERMINATED',
    });
    expect(closed('FAILED')?.reason).toBe(StuckReason.WorkflowClosed);
    expect(closed('COMPLETED')).toBeNull();
    expect(closed('CONTINUED_AS_NEW')).toBeNull();
    expect(
      classifyExecution(
        { runId: 'r', status: 'TERMINATED', historyLength: 9 },
        { ...opts, hasOutcome: true },
      ),
    ).toBeNull();
  });
});
