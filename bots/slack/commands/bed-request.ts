import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { bedRequestModal } from '../forms/bed-request-form.js';
import { errorCode, slackActor } from '../common.js';
import type { SlackBotDeps } from '../deps.js';
import { slashCommandSchema } from '../payloads.js';
import { DIGEST_SUBCOMMAND, digestCommand } from './digest.js';

export const NOT_CUSTODY_TEXT =
  'Only custody officers can start a bed request. Ask your Concordat administrator to add your Slack ' +
  'user ID to the protocol file with the custody role.';

/**
 * `/bedrequest`: opens the request form. The role check is pure (the protocol file), so a
 * non-custody user is answered in the ack itself; otherwise ack first, then views.open.
 * `/bedrequest digest <from> <to>` is the admins' digest-now sub-command (./digest.ts).
 */
export function bedRequestCommand(deps: SlackBotDeps) {
  return async ({ ack, body, client }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const parsed = slashCommandSchema.safeParse(body);
    if (!parsed.success) {
      await ack();
      deps.log.warn({ issues: parsed.error.issues.length }, 'malformed slash command');
      return;
    }
    const command = parsed.data;
    const digest = DIGEST_SUBCOMMAND.exec(command.text ?? '');
    if (digest) {
      await digestCommand(deps, command, digest[1] ?? '', ack, client);
      return;
    }
    const actor = slackActor({ id: command.user_id, name: command.user_name }, deps);
    // Answered in the ack, before anything slow: the role check is pure (the protocol file), and
    // the desk's audit of the refusal (a database write) waits until after the ack.
    if (deps.desk.grantsOf(actor).every((g) => g.role !== 'custody' && g.role !== 'admin')) {
      await ack({ response_type: 'ephemeral', text: NOT_CUSTODY_TEXT });
      await deps.desk.mayStart(actor, command.trigger_id);
      return;
    }
    await ack();
    try {
      await client.views.open({
        trigger_id: command.trigger_id,
        view: bedRequestModal(deps.protocol, command.channel_id ? { channel: command.channel_id } : {}),
      });
    } catch (error) {
      deps.log.error({ err: errorCode(error) }, 'could not open the request form');
    }
  };
}
