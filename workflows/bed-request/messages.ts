import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { ActionEnvelope } from '../../domain/actions.js';
import type { BedRequestInput } from '../../domain/bed-request.js';
import type { RequestView } from '../../domain/request-view.js';

/**
 * Every button and form in chat arrives as this one signal. Signals (not Updates) so tests can
 * drive them under time skipping; the workflow re-checks role and state and tells a refused actor
 * privately through the chat port.
 */
export const actionSignal = defineSignal<[ActionEnvelope]>('action');

/** The current view model, for cards, App Home and the bots' instant pre-checks. Null before registration. */
export const stateQuery = defineQuery<RequestView | null>('state');

export interface BedRequestWorkflowInput {
  request: BedRequestInput;
  /** When the sergeant submitted the form (ISO); the clock for "from request" ladder steps. */
  requestedAt: string;
}
