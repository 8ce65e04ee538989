import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { ENGINE_UNAVAILABLE_TEXT, describeRefusal } from '../../shared/failure-text.js';
import { CORRECTION_TEXT } from '../../shared/correction-text.js';
import { queuedSubmitText } from '../../shared/queued-text.js';
import { ageText, statusLabel } from '../../shared/view-text.js';
import { NOT_CUSTODY_TEXT } from '../commands/bed-request.js';
import { nowIso, replyPrivately, slackActor } from '../common.js';
import type { SlackBotDeps } from '../deps.js';
import { parseBedRequestSubmission } from '../forms/bed-request-form.js';
import { parseModalMetadata, viewSubmissionSchema } from '../payloads.js';

function custodyChannelHint(deps: SlackBotDeps, custodySuiteId: string): string {
  const suite = deps.protocol.custodySuites.find((s) => s.id === custodySuiteId);
  const dest = suite?.custodyDestinations.find((d) => d.platform === 'slack');
  if (!dest) return 'It will follow in your direct messages with Concordat.';
  return /^[CG]/.test(dest.address)
    ? `Follow it in <#${dest.address}>.`
    : 'Follow it in your direct messages with Concordat.';
}

/**
 * The request form's submission. Validation answers in the ack (`response_action: 'errors'`,
 * keyed by block ID = field name); nothing slow happens before the ack. Then the workflow is
 * started; its ID comes from the custody record, so a duplicate starts nothing and gets a reply
 * pointing at the open request.
 */
export function bedRequestSubmit(deps: SlackBotDeps) {
  return async ({
    ack,
    body,
    client,
  }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs): Promise<void> => {
    const parsed = viewSubmissionSchema.safeParse(body);
    if (!parsed.success) {
      await ack();
      await deps.desk.refuseMalformed({
        action: 'start_request',
        fields: [...new Set(parsed.error.issues.map((i) => i.path.join('.')))],
      });
      return;
    }
    const { user, view } = parsed.data;
    const actor = slackActor(user, deps);
    const requestId = `slack:view:${view.id}`;
    // Answered in the ack, before anything slow: the desk's role check is pure (the protocol file).
    if (deps.desk.grantsOf(actor).every((g) => g.role !== 'custody' && g.role !== 'admin')) {
      await ack({ response_action: 'errors', errors: { custodyRecordNumber: NOT_CUSTODY_TEXT } });
      await deps.desk.mayStart(actor, requestId);
      return;
    }
    const result = parseBedRequestSubmission(view.state.values, actor, deps.protocol, nowIso(deps));
    if (!result.ok) {
      await ack({ response_action: 'errors', errors: result.errors });
      await deps.desk.refuseMalformed({ actor, action: 'start_request', fields: Object.keys(result.errors) });
      return;
    }
    await ack();
    const meta = parseModalMetadata(view.private_metadata);
    const to = { userId: user.id, channel: meta.channel };
    const input = result.value;
    const outcome = await deps.desk.start(actor, input, { requestId });
    switch (outcome.status) {
      case 'duplicate':
        return;
      case 'unavailable':
      case 'refused':
        await replyPrivately(
          deps,
          client,
          to,
          outcome.status === 'refused' ? describeRefusal(outcome.refusal) : ENGINE_UNAVAILABLE_TEXT,
        );
        return;
      case 'started':
        await replyPrivately(
          deps,
          client,
          to,
          `Bed request sent for custody record ${input.custodyRecordNumber}. The duty team or EDT has been ` +
            `asked for accommodation. ${outcome.supersedes ? `${CORRECTION_TEXT} ` : ''}` +
            custodyChannelHint(deps, input.custodySuiteId),
        );
        return;
      case 'queued':
        await replyPrivately(deps, client, to, queuedSubmitText(input.custodyRecordNumber));
        return;
      case 'already_open':
      case 'already_closed': {
        const existing = outcome.view;
        const state =
          existing && outcome.status === 'already_open'
            ? ` It is: ${statusLabel(existing)}, ${ageText(existing, nowIso(deps))}.`
            : '';
        await replyPrivately(
          deps,
          client,
          to,
          `${describeRefusal(outcome.refusal)}${state} ${custodyChannelHint(deps, input.custodySuiteId)}`,
        );
        return;
      }
    }
  };
}
