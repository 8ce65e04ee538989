import type { ActionEnvelope } from '../../../../domain/actions.js';
import { rolesFor } from '../../../../domain/authorise.js';
import { bedRequestWorkflowId, type BedRequestInput } from '../../../../domain/bed-request.js';
import type { Protocol } from '../../../../domain/protocol.js';
import { applyAction, checkAction, openingView } from '../../../../domain/request-rules.js';
import type { RequestView } from '../../../../domain/request-view.js';
import type { RecordsStore } from '../../../../store/records-store.js';
import type { BedRequests } from '../../../../desk/index.js';

/**
 * A stand-in for the Temporal client in the fast Teams tests: it keeps each request's view in
 * memory and applies signals with the same domain rules the workflow uses. The identity goes to
 * the real records store, so View details reads it as in production.
 */
export class FakeBedRequests implements BedRequests {
  readonly views = new Map<string, RequestView>();
  readonly starts: Array<{ input: BedRequestInput; requestedAt: string }> = [];
  readonly signals: Array<{ workflowId: string; envelope: ActionEnvelope }> = [];
  /** Delay every call by this much (to test the invoke budget). */
  delayMs = 0;
  /** Make every call fail (the engine is down). */
  down = false;

  constructor(
    private readonly protocol: Protocol,
    private readonly store: Pick<RecordsStore, 'registerRequest'>,
  ) {}

  private async gate(): Promise<void> {
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.down) throw new Error('14 UNAVAILABLE: connection refused');
  }

  async start(input: BedRequestInput, requestedAt: string) {
    await this.gate();
    const workflowId = bedRequestWorkflowId(input.custodySuiteId, input.custodyRecordNumber);
    const existing = this.views.get(workflowId);
    if (existing)
      return {
        status: existing.outcome ? ('already_closed' as const) : ('already_open' as const),
        workflowId,
      };
    this.starts.push({ input, requestedAt });
    const suite = this.protocol.custodySuites.find((s) => s.id === input.custodySuiteId);
    const la = this.protocol.localAuthorities.find((l) => l.id === input.homeLocalAuthorityId);
    const outOfArea = suite?.localAuthorityId !== input.homeLocalAuthorityId;
    const registered = await this.store.registerRequest({
      workflowId,
      caseRef: '',
      custodyRecordNumber: input.custodyRecordNumber,
      custodySuiteId: input.custodySuiteId,
      localAuthorityId: input.homeLocalAuthorityId,
      route: 'out_of_hours',
      outOfArea,
      age: input.age,
      accommodation: input.accommodation,
      chargedAt: input.chargedAt,
      requestedAt,
      nextCourtSitting: input.nextCourtSitting,
      requestingOfficer: input.requestingOfficer,
      identity: input.child,
    });
    this.views.set(
      workflowId,
      openingView(input, {
        workflowId,
        caseRef: registered.caseRef,
        custodySuiteName: suite?.name ?? input.custodySuiteId,
        localAuthorityName: la?.name ?? input.homeLocalAuthorityId,
        route: 'out_of_hours',
        outOfArea,
        requestedAt,
      }),
    );
    return { status: 'started' as const, workflowId };
  }

  async act(workflowId: string, envelope: ActionEnvelope): Promise<void> {
    await this.gate();
    this.signals.push({ workflowId, envelope });
    const view = this.views.get(workflowId);
    if (!view) return;
    const now = new Date().toISOString();
    if (checkAction(view, rolesFor(this.protocol.people, envelope.actor), envelope, now)) return;
    this.views.set(
      workflowId,
      applyAction(view, envelope, now, { timeZone: this.protocol.force.timeZone, stayContinues: true }),
    );
  }

  async view(workflowId: string): Promise<RequestView | null> {
    await this.gate();
    return this.views.get(workflowId) ?? null;
  }
}
