import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { ActionEnvelope } from '../../domain/actions.js';
import type { BedRequestInput } from '../../domain/bed-request.js';
import type { RequestView } from '../../domain/request-view.js';
import type { ContinuedBedRequest } from './state.js';

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
  /**
   * Set only by the workflow itself when it continues as new: the state so far. The request's
   * child identity is blanked in that run's input; the state carries only the case reference.
   */
  continued?: ContinuedBedRequest;
  /** Continue as new once the history passes this many events (default 4000). Tests set it low. */
  continueAsNewAtHistoryLength?: number;
}
