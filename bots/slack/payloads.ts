import { z } from 'zod';
import { accommodationSchema } from '../../domain/bed-request.js';

/**
 * zod schemas for the parts of Slack's payloads Concordat reads. Bolt has already checked the
 * signature (HTTP) or the socket; these check the shape, so a surprise field never becomes a crash.
 */

const userSchema = z
  .object({ id: z.string().min(1), username: z.string().optional(), name: z.string().optional() })
  .passthrough();

export const slashCommandSchema = z
  .object({
    command: z.string(),
    user_id: z.string().min(1),
    user_name: z.string().optional(),
    channel_id: z.string().optional(),
    trigger_id: z.string().min(1),
    team_id: z.string().optional(),
    text: z.string().optional(),
  })
  .passthrough();
export type SlashCommand = z.infer<typeof slashCommandSchema>;

export const blockActionsSchema = z
  .object({
    type: z.literal('block_actions'),
    user: userSchema,
    trigger_id: z.string().min(1),
    channel: z.object({ id: z.string() }).passthrough().optional(),
    container: z
      .object({ channel_id: z.string().optional(), message_ts: z.string().optional() })
      .passthrough()
      .optional(),
    actions: z
      .array(
        z
          .object({
            action_id: z.string(),
            action_ts: z.string().min(1),
            value: z.string().optional(),
            block_id: z.string().optional(),
          })
          .passthrough(),
      )
      .min(1),
  })
  .passthrough();
export type BlockActions = z.infer<typeof blockActionsSchema>;

/** The state Slack sends for one input element, whichever kind it is. */
export const elementStateSchema = z
  .object({
    type: z.string(),
    value: z.string().nullable().optional(),
    selected_option: z.object({ value: z.string() }).passthrough().nullable().optional(),
    selected_date: z.string().nullable().optional(),
    selected_time: z.string().nullable().optional(),
    selected_date_time: z.number().nullable().optional(),
  })
  .passthrough();
export type ElementState = z.infer<typeof elementStateSchema>;

export const stateValuesSchema = z.record(z.string(), z.record(z.string(), elementStateSchema));
export type StateValues = z.infer<typeof stateValuesSchema>;

export const viewSubmissionSchema = z
  .object({
    type: z.literal('view_submission'),
    user: userSchema,
    view: z
      .object({
        id: z.string().min(1),
        callback_id: z.string(),
        private_metadata: z.string().default(''),
        state: z.object({ values: stateValuesSchema }),
      })
      .passthrough(),
  })
  .passthrough();
export type ViewSubmission = z.infer<typeof viewSubmissionSchema>;

export const appHomeOpenedSchema = z
  .object({ type: z.literal('app_home_opened'), user: z.string().min(1), tab: z.string().optional() })
  .passthrough();

/** The workflow ID a button carries as its value. */
export const workflowIdSchema = z.string().trim().min(1).max(255);

/** What a modal remembers between opening and submission. */
export const modalMetadataSchema = z.object({
  workflowId: z.string().min(1).optional(),
  /** Where private replies go: the channel of the card or command. */
  channel: z.string().optional(),
  /** For the answer modal: the question being answered when there is only one. */
  questionId: z.string().optional(),
  /** The request's accommodation type, so a stay's explanation is screened in the ack (Note 16D). */
  accommodation: accommodationSchema.optional(),
  /** The time of charge, so an amended court sitting before it (or already passed) is refused in the ack. */
  chargedAt: z.string().optional(),
});
export type ModalMetadata = z.infer<typeof modalMetadataSchema>;

export function parseModalMetadata(text: string): ModalMetadata {
  try {
    const parsed = modalMetadataSchema.safeParse(JSON.parse(text || '{}'));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

export function encodeModalMetadata(meta: ModalMetadata): string {
  return JSON.stringify(meta);
}

/** The value of one input block (first element), as text or a number of seconds. */
export function inputValue(values: StateValues, blockId: string): string | number | undefined {
  const block = values[blockId];
  if (!block) return undefined;
  const element = Object.values(block)[0];
  if (!element) return undefined;
  if (typeof element.selected_date_time === 'number') return element.selected_date_time;
  const text =
    element.selected_option?.value ??
    element.value ??
    element.selected_date ??
    element.selected_time ??
    undefined;
  if (text === null || text === undefined) return undefined;
  return text === '' ? undefined : text;
}

export function inputText(values: StateValues, blockId: string): string | undefined {
  const v = inputValue(values, blockId);
  return v === undefined ? undefined : String(v);
}
