import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { hasRole } from '../../../domain/authorise.js';
import { FailureCode } from '../../../domain/failures.js';
import { ENGINE_UNAVAILABLE_TEXT, describeRefusal } from '../../shared/failure-text.js';
import { queuedSubmitText } from '../../shared/queued-text.js';
import { ageText, statusLabel } from '../../shared/view-text.js';
import { NOT_CUSTODY_TEXT } from '../commands/bed-request.js';
import { errorCode, grantsOf, nowIso, replyPrivately, slackActor } from '../common.js';
import type { SlackBotDeps } from '../deps.js';
import { parseBedRequestSubmission } from '../forms/bed-request-form.js';
import { parseModalMetadata, viewSubmissionSchema } from '../payloads.js';
import type { RecentSet } from '../recent-set.js';

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
export function bedRequestSubmit(deps: SlackBotDeps, submitted: RecentSet) {
  return async ({
    ack,
    body,
    client,
  }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs): Promise<void> => {
    const parsed = viewSubmissionSchema.safeParse(body);
    if (!parsed.success) {
      await ack();
      deps.log.warn({ issues: parsed.error.issues.length }, 'malformed request form submission');
      return;
    }
    const { user, view } = parsed.data;
    const actor = slackActor(user, deps);
    const grants = grantsOf(deps, actor);
    if (!hasRole(grants, 'custody') && !hasRole(grants, 'admin')) {
      await ack({ response_action: 'errors', errors: { custodyRecordNumber: NOT_CUSTODY_TEXT } });
      return;
    }
    const result = parseBedRequestSubmission(view.state.values, actor, deps.protocol);
    if (!result.ok) {
      await ack({ response_action: 'errors', errors: result.errors });
      return;
    }
    await ack();
    if (!submitted.add(`view:${view.id}`)) {
      deps.log.info({ userId: user.id }, 'ignored a repeated submission of the same request form');
      return;
    }
    const meta = parseModalMetadata(view.private_metadata);
    const to = { userId: user.id, channel: meta.channel };
    const input = result.value;
    let outcome: Awaited<ReturnType<SlackBotDeps['bedRequests']['start']>>;
    try {
      outcome = await deps.bedRequests.start(input, nowIso(deps));
    } catch (error) {
      deps.log.error({ err: errorCode(error) }, 'could not start a bed request');
      await replyPrivately(deps, client, to, ENGINE_UNAVAILABLE_TEXT);
      return;
    }
    deps.log.info(
      { workflowId: outcome.workflowId, status: outcome.status, userId: user.id },
      'bed request submitted',
    );
    if (outcome.status === 'started') {
      await replyPrivately(
        deps,
        client,
        to,
        `Bed request sent for custody record ${input.custodyRecordNumber}. The duty team or EDT has been ` +
          `asked for accommodation. ${custodyChannelHint(deps, input.custodySuiteId)}`,
      );
      return;
    }
    if (outcome.status === 'queued') {
      await replyPrivately(deps, client, to, queuedSubmitText(input.custodyRecordNumber));
      return;
    }
    if (outcome.status === 'already_open') {
      const existing = await deps.bedRequests.view(outcome.workflowId).catch(() => null);
      const base = describeRefusal({
        code: FailureCode.AlreadyOpen,
        params: {
          custodyRecordNumber: input.custodyRecordNumber,
          ...(existing ? { caseRef: existing.caseRef } : {}),
        },
      });
      const state = existing ? ` It is: ${statusLabel(existing)}, ${ageText(existing, nowIso(deps))}.` : '';
      await replyPrivately(
        deps,
        client,
        to,
        `${base}${state} ${custodyChannelHint(deps, input.custodySuiteId)}`,
      );
      return;
    }
    await replyPrivately(
      deps,
      client,
      to,
      `A bed request for custody record ${input.custodyRecordNumber} was already made and has closed. ` +
        'If this is a new detention, check the custody record number; nothing new was started.',
    );
  };
}
