import type { BedRequestInput } from './bed-request.js';
import { applyEscalation, openingView } from './request-rules.js';
import type { RequestView } from './request-view.js';
import type { ProtocolSnapshot } from './routing.js';

/** The child's earlier post-charge detentions in the window, as the request opens (no identity). */
export type EarlierDetentions = NonNullable<RequestView['repeat']>;

/**
 * The request's first view: what its first cards show. One function, because the opening
 * activity posts the responder card from it and the workflow keeps the same view as its state:
 * both must agree to the field (docs/architecture.md, "The bed-request workflow, by phase"). A
 * repeat child's ladder starts at the protocol's `repeatDetention.startLevel`
 * (docs/legal-rules.md, "Repeat detention").
 */
export function firstView(
  request: BedRequestInput,
  opened: {
    workflowId: string;
    caseRef: string;
    snapshot: ProtocolSnapshot;
    requestedAt: string;
    earlier: EarlierDetentions | null;
  },
): { view: RequestView; startLevel: number | undefined } {
  const { snapshot } = opened;
  let view = openingView(request, {
    workflowId: opened.workflowId,
    caseRef: opened.caseRef,
    custodySuiteName: snapshot.custodySuite.name,
    localAuthorityName: snapshot.localAuthority.name,
    route: snapshot.routing.route,
    outOfArea: snapshot.routing.outOfArea,
    requestedAt: opened.requestedAt,
  });
  if (!opened.earlier) return { view, startLevel: undefined };
  view = { ...view, repeat: opened.earlier };
  const startLevel = snapshot.repeatStartLevel;
  if (startLevel === undefined) return { view, startLevel };
  view = applyEscalation(
    view,
    { level: startLevel, name: 'Repeat child: the ladder starts here' },
    opened.requestedAt,
  );
  return { view, startLevel };
}
