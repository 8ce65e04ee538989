import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import type { Destination } from '../domain/chat-port.js';
import type { Protocol } from '../domain/protocol.js';
import { destinationKey } from '../domain/routing.js';
import { parseProtocol } from '../runtime/config.js';
import { str, type Attempt, type RequestPlan, type RequestResult, type Scenario } from './driver.js';
import type { Life } from './processes.js';
import { LADDER_STEPS, TEAMS } from './protocol.js';
import type { System } from './system.js';

const { EventType, WorkflowTaskFailedCause } = proto.temporal.api.enums.v1;

/** A page that fell due, for one destination. */
export interface DuePage {
  workflowId: string;
  scenario: Scenario;
  step: string;
  destination: string;
  dueAt: number;
  /** First delivery time seen at the fake platform (Slack only; Teams has no clock). */
  deliveredAt: number | undefined;
  delivered: boolean;
  /** Due while the worker was down (between a kill and the next ready worker). */
  dueWhileWorkerDown: boolean;
  /** Due or delivered while the dev server was down: its lateness is the outage's, not a kill's. */
  duringDevOutage: boolean;
  /** Worker-up time between due and delivered: how long a running worker took to page. */
  latenessMs: number | undefined;
}

export interface Findings {
  pages: DuePage[];
  /** Copies of a page beyond the first, per (request, step, destination). */
  duplicates: Array<{ workflowId: string; what: string }>;
  /**
   * Teams copies that the documented window explains (docs/durability.md, "Exactly one page"):
   * the unsaved copy was posted just before the worker that posted it was killed, between the
   * connector's answer and the save. The Bot Connector cannot read back a post, so this window
   * stays open on Teams; any other duplicate is a failure.
   */
  teamsWindowDuplicates: Array<{ workflowId: string; what: string }>;
  /** Pages the ladder owed but the workflow never decided (no `escalated` row). */
  undecided: Array<{ workflowId: string; step: string; dueAt: number }>;
  outcomes: Map<string, number>;
  stuck: Array<{ workflowId: string; why: string }>;
  failingTasks: Array<{ workflowId: string; cause: string; message: string }>;
  /** Workflow task failures that are the SDK's normal answer to a signal racing a completion. */
  benignTaskFailures: number;
  auditProblems: Array<{ workflowId: string; problem: string }>;
  lostClicks: Attempt[];
}

interface AuditRow {
  event_id: string;
  workflow_id: string;
  type: string;
  at: Date;
  data: Record<string, unknown>;
}

/** A post this close before its worker's SIGKILL can have been killed before its save. */
const TEAMS_WINDOW_MS = 2_000;

export interface Timeline {
  worker: Life[];
  devOutages: Array<{ from: number; to: number }>;
  endedAt: number;
}

function upMs(lives: Life[], from: number, to: number, endedAt: number): number {
  let total = 0;
  for (const l of lives) {
    if (l.readyAt === undefined) continue;
    const a = Math.max(from, l.readyAt);
    const b = Math.min(to, l.exitedAt ?? endedAt);
    if (b > a) total += b - a;
  }
  return total;
}

function workerDownAt(lives: Life[], t: number, endedAt: number): boolean {
  return !lives.some((l) => l.readyAt !== undefined && l.readyAt <= t && t < (l.exitedAt ?? endedAt));
}

function destinationsFor(protocol: Protocol, notify: readonly string[], route: string): Destination[] {
  const la = protocol.localAuthorities.find((l) => l.id === 'west-northamptonshire');
  return notify.flatMap((name): Destination[] => {
    if (name === 'responders') return (route === 'in_hours' ? la?.inHours : la?.outOfHours) ?? [];
    return protocol.contacts[name] ?? [];
  });
}

/** The first occurrence of step k is owed when its condition held for a while with a worker up. */
const OWED_GRACE_MS = 8_000;

/**
 * Reads the whole run back from the records store, both fake platforms and Temporal, and works
 * out each invariant. Nothing here trusts the workflow's own view of itself except where noted.
 */
export async function gatherFindings(
  sys: System,
  plans: RequestPlan[],
  results: RequestResult[],
  attempts: Attempt[],
  resolveAttempt: (a: Attempt, workflowId: string) => Promise<Attempt['resolution']>,
  timeline: Timeline,
): Promise<Findings> {
  const protocol = parseProtocol(readFileSync(sys.protocolPath, 'utf8'));
  const ids = plans.map((p) => p.workflowId);
  const byId = new Map(plans.map((p) => [p.workflowId, p]));
  const q = async <T extends object>(sql: string): Promise<T[]> => (await sys.db.query<T>(sql, [ids])).rows;

  const requests = await q<{ workflow_id: string; route: string; requested_at: Date; case_ref: string }>(
    'SELECT workflow_id, route, requested_at, case_ref FROM requests WHERE workflow_id = ANY($1)',
  );
  const outcomeRows = await q<{ workflow_id: string; n: string }>(
    'SELECT workflow_id, count(*) AS n FROM outcomes WHERE workflow_id = ANY($1) GROUP BY workflow_id',
  );
  const audit = await q<AuditRow>(
    'SELECT event_id, workflow_id, type, at, data FROM audit_events WHERE workflow_id = ANY($1) ORDER BY seq',
  );
  const deliveries = await q<{
    workflow_id: string;
    step: string;
    destination_key: string;
    conversation_id: string;
    message_id: string;
  }>(
    "SELECT workflow_id, step, destination_key, conversation_id, message_id FROM chat_deliveries WHERE workflow_id = ANY($1) AND step LIKE 'esc:%'",
  );

  // What the fake platforms received: page posts, by message reference.
  const slackPosts = sys.slack
    .okCallsTo('chat.postMessage')
    .filter((c) => str(c.args.text).startsWith('Escalation level'))
    .map((c) => ({
      channel: str(c.response?.channel),
      ts: str(c.response?.ts),
      text: str(c.args.text),
      at: c.at,
    }));
  // Only pages go to the inspectors' Teams channel (cards carry "Escalation level" too).
  const teamsPosts = sys.teams.postsIn(TEAMS.inspectors);
  const refOf = new Map(deliveries.map((d) => [`${d.conversation_id}|${d.message_id}`, d]));
  const keyOf = (d: { workflow_id: string; step: string; destination_key: string }) =>
    `${d.workflow_id}|${d.step}|${d.destination_key}`;
  const deliveredKeys = new Map(deliveries.map((d) => [keyOf(d), d]));

  const duplicates: Findings['duplicates'] = [];
  const caseRefs = new Map(requests.map((r) => [r.case_ref, r.workflow_id]));
  const ownerByText = (text: string) => [...caseRefs].find(([ref]) => text.includes(ref))?.[1];
  for (const p of slackPosts) {
    if (refOf.has(`${p.channel}|${p.ts}`)) continue;
    const wf = ownerByText(p.text);
    if (wf) duplicates.push({ workflowId: wf, what: `Slack ${p.channel}: ${p.text.slice(0, 80)}` });
  }
  const teamsWindowDuplicates: Findings['teamsWindowDuplicates'] = [];
  const killedJustAfter = (postedAt: number) =>
    timeline.worker.some(
      (l) =>
        l.end === 'SIGKILL' &&
        l.exitedAt !== undefined &&
        l.exitedAt >= postedAt &&
        l.exitedAt - postedAt <= TEAMS_WINDOW_MS,
    );
  for (const m of teamsPosts) {
    if (deliveries.some((d) => d.message_id === m.id)) continue;
    const wf = ownerByText(JSON.stringify(m.versions[0] ?? {}));
    if (!wf) continue;
    const finding = { workflowId: wf, what: `Teams ${m.conversationId} ${m.id}` };
    (killedJustAfter(m.postedAt) ? teamsWindowDuplicates : duplicates).push(finding);
  }

  // Pages that fell due: each `escalated` row, to each destination its step names.
  const routeOf = new Map(requests.map((r) => [r.workflow_id, r.route]));
  const pages: DuePage[] = [];
  const escalatedSteps = new Set<string>();
  const inDevOutage = (t: number) => timeline.devOutages.some((o) => t >= o.from && t <= o.to + 2000);
  for (const row of audit.filter((r) => r.type === 'escalated')) {
    const step = String(row.data.step);
    const occurrence = Number(row.data.occurrence);
    escalatedSteps.add(`${row.workflow_id}|${step}|${occurrence}`);
    const ladderStep = LADDER_STEPS[Number(step)];
    const dueAt = Date.parse(String(row.data.dueAt));
    for (const d of destinationsFor(protocol, ladderStep?.notify ?? [], routeOf.get(row.workflow_id) ?? '')) {
      const key = `${row.workflow_id}|esc:${step}:${occurrence}|${destinationKey(d)}`;
      const ref = deliveredKeys.get(key);
      let delivered = false;
      let deliveredAt: number | undefined;
      if (ref && d.platform === 'slack') {
        const post = slackPosts.find((p) => p.channel === ref.conversation_id && p.ts === ref.message_id);
        delivered = post !== undefined;
        deliveredAt = post?.at;
      } else if (ref) {
        delivered = sys.teams.posts().some((m) => m.id === ref.message_id);
      }
      pages.push({
        workflowId: row.workflow_id,
        scenario: byId.get(row.workflow_id)?.scenario ?? 'worker-kill',
        step: `esc:${step}:${occurrence}`,
        destination: destinationKey(d),
        dueAt,
        deliveredAt,
        delivered,
        dueWhileWorkerDown: workerDownAt(timeline.worker, dueAt, timeline.endedAt),
        duringDevOutage: inDevOutage(dueAt) || (deliveredAt !== undefined && inDevOutage(deliveredAt)),
        // Only the time a worker was up counts: a worker killed again before it could deliver is
        // another outage, not slowness of the one that came back.
        latenessMs:
          deliveredAt === undefined ? undefined : upMs(timeline.worker, dueAt, deliveredAt, timeline.endedAt),
      });
    }
  }

  // Pages owed by the ladder that the workflow never decided on (a stranded or stale request).
  const undecided: Findings['undecided'] = [];
  for (const r of requests) {
    const rows = audit.filter((a) => a.workflow_id === r.workflow_id);
    const firstAt = (types: string[]) => {
      const row = rows.find((a) => types.includes(a.type));
      return row ? row.at.getTime() : timeline.endedAt;
    };
    const resolvedAt = firstAt(['confirm_transfer', 'record_stay', 'cancel', 'resolved']);
    LADDER_STEPS.forEach((s, k) => {
      const dueAt = r.requested_at.getTime() + Number.parseInt(s.after, 10) * 1000;
      const until = Math.min(
        resolvedAt,
        s.condition === 'not_acknowledged'
          ? firstAt(['acknowledge'])
          : s.condition === 'no_bed_offered'
            ? firstAt(['offer_bed'])
            : resolvedAt,
      );
      if (escalatedSteps.has(`${r.workflow_id}|${k}|1`)) return;
      if (timeline.devOutages.some((o) => o.from < until && o.to > dueAt)) return;
      if (upMs(timeline.worker, dueAt, until, timeline.endedAt) >= OWED_GRACE_MS) {
        undecided.push({ workflowId: r.workflow_id, step: String(k), dueAt });
      }
    });
  }

  // Outcomes and stuck requests, from the store and from Temporal.
  const outcomes = new Map(outcomeRows.map((o) => [o.workflow_id, Number(o.n)]));
  const stuck: Findings['stuck'] = [];
  const failingTasks: Findings['failingTasks'] = [];
  let benignTaskFailures = 0;
  const connection = await Connection.connect({ address: sys.dev().address });
  try {
    const client = new Client({ connection, namespace: 'default' });
    for (const plan of plans) {
      const result = results.find((r) => r.plan.index === plan.index);
      if (!requests.some((r) => r.workflow_id === plan.workflowId)) {
        stuck.push({ workflowId: plan.workflowId, why: result?.gaveUp ?? 'never registered' });
        continue;
      }
      const handle = client.workflow.getHandle(plan.workflowId);
      const description = await handle.describe();
      // Retries of a failing task are not written to history; the pending task's attempt shows them.
      const attempt = description.raw.pendingWorkflowTask?.attempt ?? 0;
      if (attempt > 1) {
        failingTasks.push({
          workflowId: plan.workflowId,
          cause: 'PENDING_TASK_RETRYING',
          message: `attempt ${attempt}`,
        });
      }
      if (description.status.name !== 'COMPLETED') {
        stuck.push({
          workflowId: plan.workflowId,
          why: `workflow ${description.status.name}${attempt > 1 ? `, workflow task on attempt ${attempt}` : ''}`,
        });
      } else if ((outcomes.get(plan.workflowId) ?? 0) !== 1) {
        stuck.push({
          workflowId: plan.workflowId,
          why: `${outcomes.get(plan.workflowId) ?? 0} outcome rows`,
        });
      } else if (result?.gaveUp) {
        stuck.push({ workflowId: plan.workflowId, why: result.gaveUp });
      }
      const history = await handle.fetchHistory();
      const events = history.events ?? [];
      for (const e of events) {
        if (e.eventType !== EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED) continue;
        const attrs = e.workflowTaskFailedEventAttributes;
        const cause = WorkflowTaskFailedCause[attrs?.cause ?? 0] ?? String(attrs?.cause);
        // A signal arriving while a completion is in flight makes the server reject the completion;
        // the SDK retries at once. That is Temporal working, not a failing task.
        if (cause === 'WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND') {
          benignTaskFailures += 1;
          continue;
        }
        failingTasks.push({ workflowId: plan.workflowId, cause, message: attrs?.failure?.message ?? '' });
      }
    }
  } finally {
    await connection.close();
  }

  // The audit log against the clicks the bots accepted.
  const auditProblems: Findings['auditProblems'] = [];
  for (const plan of plans) {
    const rows = audit.filter((a) => a.workflow_id === plan.workflowId);
    const count = (type: string) => rows.filter((r) => r.type === type).length;
    const expectOne = ['requested', ...(outcomes.get(plan.workflowId) ? ['resolved'] : [])];
    for (const type of expectOne) {
      if (count(type) !== 1)
        auditProblems.push({ workflowId: plan.workflowId, problem: `${count(type)} "${type}" rows` });
    }
    for (const step of plan.steps) {
      const n = count(step.kind);
      const done = results.find((r) => r.plan.index === plan.index)?.done.includes(step.kind);
      if (n > 1)
        auditProblems.push({
          workflowId: plan.workflowId,
          problem: `${n} "${step.kind}" rows (one effect expected)`,
        });
      if (done && n === 0)
        auditProblems.push({
          workflowId: plan.workflowId,
          problem: `"${step.kind}" took effect but has no audit row`,
        });
    }
    const seen = new Set<string>();
    for (const r of rows.filter((x) => x.type === 'escalated')) {
      const key = `${String(r.data.step)}:${String(r.data.occurrence)}`;
      if (seen.has(key))
        auditProblems.push({ workflowId: plan.workflowId, problem: `escalation ${key} audited twice` });
      seen.add(key);
    }
  }
  const lostClicks: Attempt[] = [];
  for (const a of attempts) {
    const plan = plans[a.request];
    if (!plan) continue;
    a.resolution = await resolveAttempt(a, plan.workflowId);
    // A click the bot acknowledged must end in the audit log or in a private answer to the person.
    if (a.resolution === 'none' && !a.killedInFlight && a.actionId !== undefined) lostClicks.push(a);
  }

  return {
    pages,
    duplicates,
    teamsWindowDuplicates,
    undecided,
    outcomes,
    stuck,
    failingTasks,
    benignTaskFailures,
    auditProblems,
    lostClicks,
  };
}
