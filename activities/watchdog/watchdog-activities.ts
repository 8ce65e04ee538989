import { WorkflowNotFoundError, type Client, type WorkflowExecutionDescription } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time.js';
import { bedRequestWorkflowId } from '../../domain/bed-request.js';
import type { ChatPort, Destination } from '../../domain/chat-port.js';
import type { Protocol } from '../../domain/protocol.js';
import { destinationKey } from '../../domain/routing.js';
import {
  classifyExecution,
  STUCK_REASONS,
  stuckPageStep,
  type ExecutionFacts,
  type StuckFinding,
  type StuckRequestView,
} from '../../domain/watchdog.js';
import { NO_METRICS, type MetricsSink } from '../../domain/metrics.js';
import type { OpenRequestRow, RecordsStore } from '../../store/records-store.js';
import { makeDeliver } from '../delivery/deliver.js';

export const BED_REQUEST_WORKFLOW_TYPE = 'bedRequestWorkflow';
/** Running bed requests, from visibility; the store's open rows are the other half of the list. */
export const RUNNING_BED_REQUESTS_QUERY = `WorkflowType="${BED_REQUEST_WORKFLOW_TYPE}" AND ExecutionStatus="Running"`;
/** describe() calls in flight at once: a force has tens of open requests, not thousands. */
const DESCRIBE_CONCURRENCY = 8;

/** The structured log lines the watchdog writes (a pino Logger fits). */
export interface WatchdogLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export interface WatchdogActivityDeps {
  client: Client;
  store: RecordsStore;
  chat: ChatPort;
  /** The current protocol: thresholds and whom to page (a stuck request cannot tell its snapshot). */
  protocol: Protocol | (() => Protocol);
  log?: WatchdogLog;
  /** The worker injects the process registry (runtime/metrics.ts, served at /metrics). */
  metrics?: MetricsSink;
  clock?: () => Date;
}

/** One stuck request, as found and as paged. Plain data: it crosses the activity boundary. */
export interface StuckRequest {
  view: StuckRequestView;
  /** The delivery step key: one page per (request, reason, incident) and destination. */
  step: string;
  incident: string;
  custodySuiteId?: string;
}

export interface FindStuckResult {
  checked: number;
  stuck: StuckRequest[];
}

export interface PageResult {
  workflowId: string;
  posted: number;
  alreadyPaged: number;
}

function factsOf(d: WorkflowExecutionDescription): ExecutionFacts {
  const task = d.raw.pendingWorkflowTask;
  const ms = (ts: Parameters<typeof tsToMs>[0]) => (ts ? tsToMs(ts) : undefined);
  const scheduledAtMs = ms(task?.scheduledTime);
  const originalScheduledAtMs = ms(task?.originalScheduledTime);
  return {
    runId: d.runId,
    status: d.status.name,
    historyLength: d.historyLength,
    ...(d.closeTime ? { closeTimeMs: d.closeTime.getTime() } : {}),
    ...(task && scheduledAtMs !== undefined
      ? {
          pendingWorkflowTask: {
            attempt: task.attempt ?? 1,
            scheduledAtMs,
            ...(originalScheduledAtMs !== undefined ? { originalScheduledAtMs } : {}),
          },
        }
      : {}),
  };
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const run = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, run));
  return out;
}

/** Admins (people with the admin role), the watchdog's contacts and the suite's custody channels. */
export function stuckPageDestinations(protocol: Protocol, custodySuiteId: string | undefined): Destination[] {
  const all: Destination[] = [];
  for (const person of protocol.people) {
    if (!person.roles.includes('admin')) continue;
    if (person.slack) all.push({ platform: 'slack', address: person.slack, label: person.name });
    if (person.teams) all.push({ platform: 'teams', address: person.teams, label: person.name });
  }
  for (const name of protocol.watchdog.notify) all.push(...(protocol.contacts[name] ?? []));
  const suite = protocol.custodySuites.find((s) => s.id === custodySuiteId);
  all.push(...(suite?.custodyDestinations ?? []));
  const seen = new Set<string>();
  return all.filter((d) => {
    const key = destinationKey(d);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The suite of a workflow ID (`bed-request:<SUITE>:<RECORD>`), for a request the store lacks. */
function suiteFromWorkflowId(protocol: Protocol, workflowId: string): string | undefined {
  const segment = workflowId.split(':')[1];
  return protocol.custodySuites.find((s) => bedRequestWorkflowId(s.id, 'x').split(':')[1] === segment)?.id;
}

/**
 * The stuck-request watchdog's activities (docs/watchdog.md). `findStuckRequests` reads Temporal
 * and the store and applies the rule in domain/watchdog.ts; `pageStuckRequest` pages one incident,
 * once per destination (the delivery store is the memory of what was already paged).
 */
export function createWatchdogActivities(deps: WatchdogActivityDeps) {
  const protocol = () => (typeof deps.protocol === 'function' ? deps.protocol() : deps.protocol);
  const clock = deps.clock ?? (() => new Date());
  const registry = deps.metrics ?? NO_METRICS;
  const stuckGauge = registry.gauge(
    'concordat_stuck_requests',
    'Open bed requests that have stopped moving, by reason, at the last watchdog run.',
  );
  const incidentsCounter = registry.counter(
    'concordat_stuck_request_incidents_total',
    'Stuck-request incidents paged for the first time, by reason.',
  );
  const runsCounter = registry.counter('concordat_watchdog_runs_total', 'Watchdog checks completed.');
  const deliver = makeDeliver({ chat: deps.chat, store: deps.store, metrics: registry });

  /** The time of the run's last history event: one event, read newest first. */
  async function lastEventAtMs(workflowId: string, runId: string): Promise<number | undefined> {
    const res = await deps.client.workflowService.getWorkflowExecutionHistoryReverse({
      namespace: deps.client.options.namespace,
      execution: { workflowId, runId },
      maximumPageSize: 1,
    });
    const at = res.history?.events?.[0]?.eventTime;
    return at ? tsToMs(at) : undefined;
  }

  async function describe(workflowId: string): Promise<ExecutionFacts | null> {
    try {
      return factsOf(await deps.client.workflow.getHandle(workflowId).describe());
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return null;
      throw err;
    }
  }

  return {
    findStuckRequests: async (): Promise<FindStuckResult> => {
      const p = protocol();
      const thresholds = {
        failingAttempts: p.watchdog.stuckAfterAttempts,
        overdueAfterMs: p.watchdog.overdueAfter,
      };
      const open = new Map<string, OpenRequestRow | null>();
      for (const row of await deps.store.listOpenRequests()) open.set(row.workflowId, row);
      for await (const wf of deps.client.workflow.list({ query: RUNNING_BED_REQUESTS_QUERY })) {
        if (!open.has(wf.workflowId)) open.set(wf.workflowId, null);
      }
      const now = clock();
      const results = await mapLimit([...open.entries()], DESCRIBE_CONCURRENCY, async ([workflowId, row]) => {
        const facts = await describe(workflowId);
        // Only a running request missing from the open rows, or a closed one, needs the outcome
        // read again: it may have been recorded since listOpenRequests.
        const mayHaveOutcome = row === null || (facts !== null && facts.status !== 'RUNNING');
        const hasOutcome = mayHaveOutcome ? (await deps.store.getOutcome(workflowId)) !== null : false;
        // Its outcome is recorded: the request is over for the child, whatever the workflow does.
        if (row === null && hasOutcome) return null;
        const classify = (f: ExecutionFacts | null): StuckFinding | null =>
          classifyExecution(f, {
            thresholds,
            nowMs: now.getTime(),
            hasOutcome,
            ...(row ? { requestedAt: row.requestedAt } : {}),
          });
        let finding = classify(facts);
        if (!finding) return null;
        if (facts?.pendingWorkflowTask) {
          // Stuck on a workflow task: date the incident from history, not from the latest retry.
          const at = await lastEventAtMs(workflowId, facts.runId);
          finding = classify(at === undefined ? facts : { ...facts, lastEventAtMs: at }) ?? finding;
        }
        const known = row ?? (await deps.store.getRequest(workflowId));
        const custodySuiteId = known?.custodySuiteId ?? suiteFromWorkflowId(p, workflowId);
        const suiteName = p.custodySuites.find((s) => s.id === custodySuiteId)?.name;
        const view: StuckRequestView = {
          workflowId,
          ...(known ? { caseRef: known.caseRef, custodyRecordNumber: known.custodyRecordNumber } : {}),
          ...(suiteName ? { custodySuiteName: suiteName } : {}),
          reason: finding.reason,
          since: finding.since,
          detectedAt: now.toISOString(),
          ...(finding.attempts !== undefined ? { attempts: finding.attempts } : {}),
          ...(finding.workflowStatus ? { workflowStatus: finding.workflowStatus } : {}),
        };
        const stuck: StuckRequest = {
          view,
          step: stuckPageStep(finding),
          incident: finding.incident,
          ...(custodySuiteId ? { custodySuiteId } : {}),
        };
        return stuck;
      });
      const stuck = results.filter((r): r is StuckRequest => r !== null);
      const byReason = Object.fromEntries(STUCK_REASONS.map((r) => [r, 0])) as Record<string, number>;
      for (const s of stuck) byReason[s.view.reason] = (byReason[s.view.reason] ?? 0) + 1;
      for (const reason of STUCK_REASONS) stuckGauge.set({ reason }, byReason[reason] ?? 0);
      runsCounter.inc();
      for (const s of stuck) {
        deps.log?.warn(
          {
            workflowId: s.view.workflowId,
            caseRef: s.view.caseRef,
            reason: s.view.reason,
            incident: s.incident,
            since: s.view.since,
            attempts: s.view.attempts,
            workflowStatus: s.view.workflowStatus,
          },
          'stuck bed request',
        );
      }
      if (stuck.length) deps.log?.warn({ checked: open.size, stuck: byReason }, 'watchdog: requests stuck');
      else deps.log?.debug({ checked: open.size }, 'watchdog: nothing stuck');
      return { checked: open.size, stuck };
    },

    pageStuckRequest: async (stuck: StuckRequest): Promise<PageResult> => {
      const destinations = stuckPageDestinations(protocol(), stuck.custodySuiteId);
      const { workflowId } = stuck.view;
      let posted = 0;
      let alreadyPaged = 0;
      const failures: unknown[] = [];
      for (const destination of destinations) {
        // Paged already (an earlier run, or this activity's earlier attempt): say nothing more.
        if (await deps.store.getDelivery(workflowId, stuck.step, destinationKey(destination))) {
          alreadyPaged++;
          continue;
        }
        try {
          await deliver({
            workflowId,
            step: stuck.step,
            destination,
            message: { kind: 'stuck_request', view: stuck.view },
          });
          posted++;
        } catch (err) {
          failures.push(err);
        }
      }
      if (posted > 0 && alreadyPaged === 0) incidentsCounter.inc({ reason: stuck.view.reason });
      if (posted > 0) {
        deps.log?.warn(
          { workflowId, caseRef: stuck.view.caseRef, reason: stuck.view.reason, posted },
          'stuck bed request paged',
        );
      }
      // The rest are retried by the activity; those already posted are skipped then.
      if (failures.length) throw failures[0];
      return { workflowId, posted, alreadyPaged };
    },
  };
}

export type WatchdogActivities = ReturnType<typeof createWatchdogActivities>;
