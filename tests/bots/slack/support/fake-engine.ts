import type { ActionEnvelope } from '../../../../domain/actions.js';
import { rolesFor } from '../../../../domain/authorise.js';
import { bedRequestWorkflowId, type BedRequestInput } from '../../../../domain/bed-request.js';
import type { ChatPort, MessageRef, RequestEvent } from '../../../../domain/chat-port.js';
import type { Protocol } from '../../../../domain/protocol.js';
import type { RequestView } from '../../../../domain/request-view.js';
import { applyAction, checkAction, openingView } from '../../../../domain/request-rules.js';
import type { BedRequests as BedRequestClient, DeskStore as BotStore } from '../../../../desk/index.js';
import type { ChildIdentity } from '../../../../domain/bed-request.js';
import type { Actor } from '../../../../domain/people.js';
import type { AuditEvent, OpenRequestRow } from '../../../../store/records-store.js';

/**
 * A stand-in for the bed-request workflow behind the BedRequestClient interface, for the fast bot
 * tests: it records every start and signal, applies the same domain rules the workflow applies, and
 * (when given a ChatPort) delivers cards and notes the way the workflow does — one responder card,
 * one custody card updated in place, notes threaded under the custody card. The full-path tests
 * run the real workflow on Temporal instead.
 */
export class FakeEngine implements BedRequestClient {
  readonly starts: Array<{ input: BedRequestInput; requestedAt: string }> = [];
  readonly signals: Array<{ workflowId: string; envelope: ActionEnvelope }> = [];
  readonly views = new Map<string, RequestView>();
  readonly identities = new Map<string, ChildIdentity>();
  readonly accessLog: Array<{ workflowId: string; actor: Actor; at: string; purpose: string }> = [];
  readonly refusals: Array<{ workflowId: string; code: string }> = [];
  /** Audit rows the desk wrote (its refusals). */
  readonly events: AuditEvent[] = [];
  private readonly cards = new Map<string, { responder?: MessageRef; custody?: MessageRef }>();
  private readonly seenActions = new Set<string>();
  private work: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly protocol: Protocol,
    private readonly chat?: ChatPort,
  ) {}

  start(input: BedRequestInput, requestedAt: string): ReturnType<BedRequestClient['start']> {
    this.starts.push({ input, requestedAt });
    const workflowId = bedRequestWorkflowId(input.custodySuiteId, input.custodyRecordNumber);
    const existing = this.views.get(workflowId);
    if (existing) {
      return Promise.resolve({
        status: existing.outcome ? ('already_closed' as const) : ('already_open' as const),
        workflowId,
      });
    }
    const suite = this.protocol.custodySuites.find((s) => s.id === input.custodySuiteId);
    const la = this.protocol.localAuthorities.find((l) => l.id === input.homeLocalAuthorityId);
    if (!suite || !la) return Promise.reject(new Error('unknown suite or LA'));
    const outOfArea = suite.localAuthorityId !== la.id;
    const view = openingView(input, {
      workflowId,
      caseRef: `CN-${String(this.views.size + 1).padStart(6, '0')}`,
      custodySuiteName: suite.name,
      localAuthorityName: la.name,
      route: 'out_of_hours',
      outOfArea,
      requestedAt,
    });
    this.views.set(workflowId, view);
    this.identities.set(workflowId, input.child);
    this.enqueue(() => this.deliverCards(view, true));
    return Promise.resolve({ status: 'started' as const, workflowId });
  }

  act(workflowId: string, envelope: ActionEnvelope): Promise<void> {
    this.signals.push({ workflowId, envelope });
    this.enqueue(() => this.apply(workflowId, envelope));
    return Promise.resolve();
  }

  view(workflowId: string): Promise<RequestView | null> {
    return Promise.resolve(this.views.get(workflowId) ?? null);
  }

  /** Resolves when every delivery queued so far has finished. */
  async settled(): Promise<void> {
    let current: Promise<unknown>;
    do {
      current = this.work;
      await current;
    } while (current !== this.work);
  }

  cardsOf(workflowId: string) {
    return this.cards.get(workflowId) ?? {};
  }

  store(): BotStore {
    return {
      getRequest: (workflowId) => {
        const v = this.views.get(workflowId);
        if (!v) return Promise.resolve(null);
        const row: OpenRequestRow & { childPseudonym: string } = {
          workflowId,
          caseRef: v.caseRef,
          custodyRecordNumber: v.custodyRecordNumber,
          custodySuiteId: v.custodySuiteId,
          localAuthorityId: v.localAuthorityId,
          requestedAt: v.requestedAt,
          requestingOfficer: v.requestingOfficer,
          childPseudonym: 'pseudo',
        };
        return Promise.resolve(row);
      },
      getIdentity: (workflowId) => Promise.resolve(this.identities.get(workflowId) ?? null),
      appendEvent: (event) => {
        this.events.push(event);
        return Promise.resolve();
      },
      logAccess: (entry) => {
        this.accessLog.push(entry);
        return Promise.resolve();
      },
      listOpenRequests: () =>
        Promise.resolve(
          [...this.views.values()]
            .filter((v) => !v.outcome)
            .map((v) => ({
              workflowId: v.workflowId,
              caseRef: v.caseRef,
              custodyRecordNumber: v.custodyRecordNumber,
              custodySuiteId: v.custodySuiteId,
              localAuthorityId: v.localAuthorityId,
              requestedAt: v.requestedAt,
              requestingOfficer: v.requestingOfficer,
            })),
        ),
    };
  }

  /** Deliveries that failed (the fake does not retry; the real workflow's activities do). */
  readonly failures: unknown[] = [];

  private enqueue(fn: () => Promise<void>) {
    this.work = this.work.then(fn).catch((e: unknown) => {
      this.failures.push(e);
    });
  }

  private async apply(workflowId: string, envelope: ActionEnvelope) {
    const view = this.views.get(workflowId);
    if (!view || this.seenActions.has(envelope.actionId)) return;
    this.seenActions.add(envelope.actionId);
    const now = new Date().toISOString();
    const refusal = checkAction(view, rolesFor(this.protocol.people, envelope.actor), envelope, now);
    if (refusal) {
      this.refusals.push({ workflowId, code: refusal.code });
      await this.chat?.notifyPerson(
        {
          platform: 'slack',
          userId: envelope.actor.userId,
          ...(envelope.replyChannel ? { channel: envelope.replyChannel } : {}),
        },
        refusal,
      );
      return;
    }
    // As the workflow does: a stay keeps the request open, held (docs/legal-rules.md).
    const next = applyAction(view, envelope, now, { stayContinues: true });
    this.views.set(workflowId, next);
    await this.deliverCards(next, false);
    const event: RequestEvent | null =
      envelope.action.kind === 'acknowledge'
        ? { type: 'acknowledged' }
        : envelope.action.kind === 'offer_bed'
          ? { type: 'bed_offered' }
          : envelope.action.kind === 'decline'
            ? { type: 'declined' }
            : envelope.action.kind === 'request_info'
              ? { type: 'question_asked', questionId: next.questions.at(-1)?.id ?? 'q1' }
              : envelope.action.kind === 'answer_info'
                ? { type: 'question_answered', questionId: envelope.action.questionId }
                : { type: 'resolved' };
    const custody = this.cards.get(workflowId)?.custody;
    if (this.chat && custody) {
      await this.chat.send(
        { platform: 'slack', address: custody.conversationId },
        { kind: 'event_note', view: next, event },
        { threadOf: custody },
      );
    }
  }

  private async deliverCards(view: RequestView, first: boolean) {
    if (!this.chat) return;
    const la = this.protocol.localAuthorities.find((l) => l.id === view.localAuthorityId);
    const suite = this.protocol.custodySuites.find((s) => s.id === view.custodySuiteId);
    const responderDest = la?.outOfHours.find((d) => d.platform === 'slack');
    const custodyDest = suite?.custodyDestinations.find((d) => d.platform === 'slack');
    const refs = this.cards.get(view.workflowId) ?? {};
    if (responderDest && (first || refs.responder)) {
      refs.responder = await this.chat.send(
        responderDest,
        { kind: 'request_card', audience: 'responder', view },
        refs.responder ? { existing: refs.responder } : {},
      );
    }
    if (custodyDest && (first || refs.custody)) {
      refs.custody = await this.chat.send(
        custodyDest,
        { kind: 'request_card', audience: 'custody', view },
        refs.custody ? { existing: refs.custody } : {},
      );
    }
    this.cards.set(view.workflowId, refs);
  }
}
