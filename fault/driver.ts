import { ACTION_IDS, VIEW_IDS } from '../bots/slack/ids.js';
import { bedRequestWorkflowId } from '../domain/bed-request.js';
import {
  blockAction,
  el,
  slashCommand,
  viewSubmission,
  type ElementState,
} from '../tests/fakes/slack/payloads.js';
import { postSigned } from '../tests/fakes/slack/signing.js';
import type { RecordedCall } from '../tests/fakes/slack/web-api-server.js';
import { responderId, sergeantId } from './protocol.js';
import { between, sleep } from './prng.js';
import { SIGNING_SECRET, type System } from './system.js';

export type Scenario = 'worker-kill' | 'bots-kill' | 'dev-server';
export type StepKind =
  'acknowledge' | 'offer_bed' | 'confirm_transfer' | 'record_stay' | 'record_left_cells' | 'cancel';
export type Resolution = 'accepted' | 'refused' | 'replied' | 'none';

export interface PlannedStep {
  kind: StepKind;
  /** Not before this many ms after the request was submitted. */
  atMs: number;
  /** bots-kill scenario: kill -9 the bots the moment this step's HTTP answer comes back. */
  killBotsAfterAck?: boolean;
}

export interface RequestPlan {
  index: number;
  scenario: Scenario;
  /** Not before this many ms after the run began. */
  startAtMs: number;
  record: string;
  workflowId: string;
  steps: PlannedStep[];
}

/** One HTTP delivery of a click or submission that the bot answered 200. */
export interface Attempt {
  request: number;
  kind: StepKind | 'submit';
  user: string;
  /** The envelope's action ID (undefined for a form submit or a modal-opening button). */
  actionId: string | undefined;
  sentAt: number;
  resolution: Resolution;
  /** The bots were killed on purpose while this one was between its ack and its signal. */
  killedInFlight: boolean;
}

export interface RequestResult {
  plan: RequestPlan;
  submittedAt: number | undefined;
  done: StepKind[];
  gaveUp: string | undefined;
}

const RESOLVE_WAIT_MS = 25_000;
const CARD_WAIT_MS = 120_000;
const SLACK_RETRIES = 120;

const slackUser = (id: string) => ({ id, name: id });
export const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function requestFields(record: string): Record<string, ElementState> {
  const nowSec = Math.floor(Date.now() / 1000);
  return {
    custodyRecordNumber: el.text(record),
    custodySuiteId: el.select('northampton-cjc'),
    'child.pncId': el.text('13/123456A'),
    'child.givenName': el.text('Jamie'),
    'child.familyName': el.text('Faultchild'),
    'child.dateOfBirth': el.date(null),
    age: el.number('15'),
    homeLocalAuthorityId: el.select('west-northamptonshire'),
    chargedAt: el.dateTime(nowSec - 3600),
    bailRefusalGround: el.select('fail_to_appear'),
    nextCourtSitting: el.dateTime(nowSec + 12 * 3600),
    accommodation: el.radio('non_secure'),
    seriousHarmJustification: el.text(null),
    needsAndRisks: el.text('Asthma inhaler'),
  };
}

function modalFields(kind: StepKind): Record<string, ElementState> {
  switch (kind) {
    case 'offer_bed':
      return {
        accommodation: el.radio('non_secure'),
        provider: el.text('Oak House children’s home'),
        transport: el.select('la_collects'),
        notes: el.text(null),
      };
    case 'confirm_transfer':
      return { leftCustodyAt: el.dateTime(Math.floor(Date.now() / 1000) - 1) };
    case 'record_stay':
      return {
        reason: el.select('no_accommodation_provided'),
        explanation: el.text('EDT declined: no non-secure placement available in county tonight'),
      };
    case 'record_left_cells':
      return { leftFor: el.radio('court'), leftAt: el.dateTime(Math.floor(Date.now() / 1000) - 1) };
    case 'cancel':
      return { reason: el.select('bailed'), notes: el.text('Bail granted by the inspector') };
    case 'acknowledge':
      return {};
  }
}

const BUTTON: Record<StepKind, string> = {
  acknowledge: ACTION_IDS.acknowledge,
  offer_bed: ACTION_IDS.offerBed,
  confirm_transfer: ACTION_IDS.confirmTransfer,
  record_stay: ACTION_IDS.recordStay,
  record_left_cells: ACTION_IDS.recordLeftCells,
  cancel: ACTION_IDS.cancel,
};
const MODAL: Record<StepKind, string | undefined> = {
  acknowledge: undefined,
  offer_bed: VIEW_IDS.offerBed,
  confirm_transfer: VIEW_IDS.confirmTransfer,
  record_stay: VIEW_IDS.recordStay,
  record_left_cells: VIEW_IDS.recordLeftCells,
  cancel: VIEW_IDS.cancel,
};

/** Seeded plans: transfers, stays and cancels, so every request reaches each kind of outcome. */
export function planRequests(
  rand: () => number,
  runId: string,
  layout: Array<{ scenario: Scenario; count: number; from: number; to: number }>,
): RequestPlan[] {
  const plans: RequestPlan[] = [];
  for (const group of layout) {
    for (let k = 0; k < group.count; k += 1) {
      const index = plans.length;
      const record = `FLT-${runId}-${String(index).padStart(3, '0')}`;
      const s = (lo: number, hi: number) => Math.round(between(rand, lo, hi) * 1000);
      const roll = rand();
      let steps: PlannedStep[];
      if (roll < 0.55) {
        const ack = s(3, 35);
        const offer = ack + s(5, 40);
        steps = [
          { kind: 'acknowledge', atMs: ack },
          { kind: 'offer_bed', atMs: offer },
          { kind: 'confirm_transfer', atMs: offer + s(5, 30) },
        ];
      } else if (roll < 0.8) {
        // A stay does not end the request: the child leaving the cells does.
        const stay = s(50, 95);
        steps = [
          { kind: 'acknowledge', atMs: s(3, 35) },
          { kind: 'record_stay', atMs: stay },
          { kind: 'record_left_cells', atMs: stay + s(5, 20) },
        ];
      } else {
        steps = [{ kind: 'cancel', atMs: s(40, 100) }];
      }
      if (group.scenario === 'bots-kill') {
        // The kill lands on the acknowledgement; the first bots-kill request also loses a modal submit.
        steps = [
          { kind: 'acknowledge', atMs: s(3, 10), killBotsAfterAck: true },
          { kind: 'offer_bed', atMs: s(15, 30), killBotsAfterAck: k === 0 },
          { kind: 'confirm_transfer', atMs: s(35, 70) },
        ];
      }
      plans.push({
        index,
        scenario: group.scenario,
        startAtMs: Math.round(between(rand, group.from, group.to) * 1000),
        record,
        workflowId: bedRequestWorkflowId('northampton-cjc', record),
        steps,
      });
    }
  }
  return plans;
}

export interface DriverHooks {
  /** kill -9 the bots and start them again (serialised with the other chaos by the caller). */
  killBots: () => Promise<void>;
  log: (line: string) => void;
  /**
   * How long a person keeps trying one step. A sergeant told "could not open that request just
   * now" while every worker is being killed tries again, for as long as a child waits for a bed:
   * a time, not a count of tries (twelve tries, about 80 s of quick refusals, gave up in the long
   * profile while the request was still alive and recovering; docs/fault-testing.md).
   */
  patienceMs: number;
}

/**
 * Plays people at the fake Slack: it signs and sends what Slack sends, retries a refused
 * connection the way Slack redelivers, and when an answer does not come it does what a person
 * does: resubmits the same modal, or clicks again. Every delivery the bot answered is kept, so
 * the end of the run can check each one against the audit log.
 */
export class Driver {
  readonly attempts: Attempt[] = [];
  private actionSeq = 0;

  constructor(
    private readonly sys: System,
    private readonly hooks: DriverHooks,
  ) {}

  /** Marks every attempt that may still be between its ack and its signal (the bots are being killed). */
  markInFlight(): void {
    for (const a of this.attempts) if (a.resolution === 'none') a.killedInFlight = true;
  }

  private async post(body: string): Promise<number> {
    for (let i = 0; i < SLACK_RETRIES; i += 1) {
      try {
        const r = await postSigned(this.sys.slackUrl, body, {
          secret: SIGNING_SECRET,
          contentType: 'application/x-www-form-urlencoded',
        });
        if (r.status < 500) return r.status;
      } catch {
        // the bots are down: Slack retries
      }
      await sleep(1000);
    }
    throw new Error('the bots never answered');
  }

  private interact(payload: Record<string, unknown>): Promise<number> {
    return this.post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
  }

  private command(payload: Record<string, string>): Promise<number> {
    return this.post(new URLSearchParams(payload).toString());
  }

  private async auditType(eventId: string): Promise<string | undefined> {
    const r = await this.sys.db.query<{ type: string }>('SELECT type FROM audit_events WHERE event_id = $1', [
      eventId,
    ]);
    return r.rows[0]?.type;
  }

  async countAudit(workflowId: string, type: string): Promise<number> {
    const r = await this.sys.db.query<{ n: string }>(
      'SELECT count(*) AS n FROM audit_events WHERE workflow_id = $1 AND type = $2',
      [workflowId, type],
    );
    return Number(r.rows[0]?.n ?? 0);
  }

  private ephemeralSince(user: string, since: number): RecordedCall | undefined {
    return this.sys.slack.callsTo('chat.postEphemeral').find((c) => c.at >= since && c.args.user === user);
  }

  /** How a delivery ended, looked up again at the end of the run (a late signal still counts). */
  async resolve(a: Attempt, workflowId: string): Promise<Resolution> {
    if (a.actionId) {
      if (await this.auditType(`${workflowId}:action:${a.actionId}`)) return 'accepted';
      if (await this.auditType(`${workflowId}:refused:${a.actionId}`)) return 'refused';
    }
    const reply = this.ephemeralSince(a.user, a.sentAt);
    if (reply) return 'replied';
    return 'none';
  }

  private async waitResolution(a: Attempt, workflowId: string, extra?: () => boolean): Promise<void> {
    const until = Date.now() + RESOLVE_WAIT_MS;
    while (Date.now() < until) {
      a.resolution = await this.resolve(a, workflowId);
      if (a.resolution !== 'none' || extra?.()) return;
      await sleep(300);
    }
  }

  private record(a: Omit<Attempt, 'resolution' | 'killedInFlight'>): Attempt {
    const full: Attempt = { ...a, resolution: 'none', killedInFlight: false };
    this.attempts.push(full);
    return full;
  }

  /** `/bedrequest`, then the form: until the bot says the request was sent (or is already open). */
  async submit(plan: RequestPlan): Promise<boolean> {
    const user = sergeantId(plan.index);
    for (const until = Date.now() + this.hooks.patienceMs; Date.now() < until;) {
      const cmd = slashCommand({ user: slackUser(user), channel: 'C0CUSTODYNTH' });
      const since = Date.now();
      await this.command(Object.fromEntries(Object.entries(cmd).map(([k, v]) => [k, String(v)])));
      const view = await this.openedView(cmd.trigger_id, user, since);
      if (!view) {
        await sleep(2000);
        continue;
      }
      const fields = requestFields(plan.record);
      for (let j = 0; j < 3; j += 1) {
        const a = this.record({
          request: plan.index,
          kind: 'submit',
          user,
          actionId: undefined,
          sentAt: Date.now(),
        });
        await this.interact(
          viewSubmission({
            user: slackUser(user),
            callbackId: view.callbackId,
            viewId: view.id,
            privateMetadata: view.privateMetadata,
            fields,
          }),
        );
        await this.waitResolution(a, plan.workflowId);
        const text = str(this.ephemeralSince(user, a.sentAt)?.args.text);
        if (/Bed request sent|already/.test(text)) return true;
        if (a.resolution === 'replied') break; // the engine did not answer: a new form
      }
      await sleep(2000);
    }
    return false;
  }

  /** Waits for the modal a trigger opened; undefined when the bot answered privately instead. */
  private async openedView(
    triggerId: string,
    user: string,
    since: number,
  ): Promise<{ id: string; callbackId: string; privateMetadata: string } | undefined> {
    const until = Date.now() + RESOLVE_WAIT_MS + 10_000;
    while (Date.now() < until) {
      const call = this.sys.slack.okCallsTo('views.open').find((c) => c.args.trigger_id === triggerId);
      if (call) {
        const view = call.args.view as { callback_id: string; private_metadata: string };
        const opened = call.response?.view as { id: string } | undefined;
        return { id: opened?.id ?? '', callbackId: view.callback_id, privateMetadata: view.private_metadata };
      }
      if (this.ephemeralSince(user, since)) return undefined;
      await sleep(200);
    }
    return undefined;
  }

  /** Takes one step until the workflow has it (its audit row), bounded. */
  async step(plan: RequestPlan, step: PlannedStep): Promise<boolean> {
    const user =
      step.kind === 'offer_bed' || step.kind === 'acknowledge'
        ? responderId(plan.index)
        : sergeantId(plan.index);
    const channel = user === sergeantId(plan.index) ? 'C0CUSTODYNTH' : 'C0DUTYWEST';
    let killNext = step.killBotsAfterAck === true;
    for (const until = Date.now() + this.hooks.patienceMs; Date.now() < until;) {
      if ((await this.countAudit(plan.workflowId, step.kind)) > 0) return true;
      this.actionSeq += 1;
      const actionTs = `${Math.floor(Date.now() / 1000)}.${String(this.actionSeq).padStart(6, '0')}`;
      const click = blockAction({
        user: slackUser(user),
        actionId: BUTTON[step.kind],
        value: plan.workflowId,
        channel,
        messageTs: `1700000000.${String(plan.index).padStart(6, '0')}`,
        actionTs,
      });
      const modal = MODAL[step.kind];
      const sentAt = Date.now();
      if (!modal) {
        const a = this.record({
          request: plan.index,
          kind: step.kind,
          user,
          actionId: `slack:${user}:${actionTs}`,
          sentAt,
        });
        await this.interact(click);
        if (killNext) {
          killNext = false;
          await this.hooks.killBots();
        }
        await this.waitResolution(a, plan.workflowId);
      } else {
        await this.interact(click);
        const view = await this.openedView(click.trigger_id, user, sentAt);
        if (!view) {
          await sleep(4000);
          continue;
        }
        // The same open modal, submitted again when nothing comes back: one action ID, one effect.
        for (let j = 0; j < 4; j += 1) {
          const a = this.record({
            request: plan.index,
            kind: step.kind,
            user,
            actionId: `slack:view:${view.id}`,
            sentAt: Date.now(),
          });
          await this.interact(
            viewSubmission({
              user: slackUser(user),
              callbackId: view.callbackId,
              viewId: view.id,
              privateMetadata: view.privateMetadata,
              fields: modalFields(step.kind),
            }),
          );
          if (killNext) {
            killNext = false;
            await this.hooks.killBots();
          }
          await this.waitResolution(a, plan.workflowId);
          if (a.resolution !== 'none') break;
        }
      }
      // Longer than the bots' 3 s double-click window, as a person reading the reply would be.
      await sleep(4000);
    }
    return (await this.countAudit(plan.workflowId, step.kind)) > 0;
  }

  /** Waits (bounded) for the request's first card in the duty team's channel. */
  private async cardPosted(plan: RequestPlan): Promise<boolean> {
    const until = Date.now() + CARD_WAIT_MS;
    while (Date.now() < until) {
      const posted = this.sys.slack
        .okCallsTo('chat.postMessage')
        .some(
          (c) => c.args.channel === 'C0DUTYWEST' && JSON.stringify(c.args.blocks ?? '').includes(plan.record),
        );
      if (posted) return true;
      await sleep(500);
    }
    return false;
  }

  /** One request from submit to its last step. */
  async play(plan: RequestPlan, runStartedAt: number): Promise<RequestResult> {
    const result: RequestResult = { plan, submittedAt: undefined, done: [], gaveUp: undefined };
    await sleep(runStartedAt + plan.startAtMs - Date.now());
    if (!(await this.submit(plan))) {
      result.gaveUp = 'the request was never accepted by the bot';
      return result;
    }
    result.submittedAt = Date.now();
    // People click buttons on cards: nobody can act on the request before its first card is
    // posted (the opening can take a while when the worker keeps being killed).
    if (!(await this.cardPosted(plan))) {
      result.gaveUp = 'the first card was never posted';
      return result;
    }
    for (const step of plan.steps) {
      await sleep(result.submittedAt + step.atMs - Date.now());
      if (!(await this.step(plan, step))) {
        result.gaveUp = `${step.kind} never took effect`;
        this.hooks.log(`request ${plan.index}: gave up on ${step.kind}`);
        return result;
      }
      result.done.push(step.kind);
    }
    return result;
  }
}
