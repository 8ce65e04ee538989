import { BAIL_REFUSAL_GROUND_LABELS, bailRefusalGroundSchema } from '../../../domain/bed-request.js';
import { TRANSPORT_LABELS } from '../../../domain/actions.js';
import { CANCEL_REASON_LABELS, DECLINE_REASON_LABELS, STAY_REASON_LABELS } from '../../../domain/outcomes.js';
import type { RequestView } from '../../../domain/request-view.js';
import {
  ACCOMMODATION_LABELS,
  DEFAULT_ZONE,
  ageText,
  factPairs,
  outOfAreaLine,
  statusLabel,
  timeLeftText,
  timelineLines,
  titleText,
  warningLines,
} from '../../shared/view-text.js';
import {
  choices,
  card,
  container,
  execute,
  facts,
  heading,
  showCard,
  text,
  type AdaptiveCard,
  type CardAction,
  type CardElement,
  type ContainerStyle,
} from './adaptive-card.js';
import { localDateTime } from '../local-time.js';
import { INPUTS, VERBS, answerInputId, type CardAudience } from './verbs.js';

/** A banner at the top of a card: a refusal, input errors, or a plain note. */
export interface CardNotice {
  tone: 'attention' | 'good' | 'accent' | 'warning';
  lines: string[];
}

export interface RequestCardOptions {
  audience: CardAudience;
  /** The time the card is built, for "open for 2h" (the caller's clock; builders stay pure). */
  nowIso: string;
  zone?: string;
  notice?: CardNotice;
  /** Extra elements after the notice (View details puts the identity here). */
  extra?: CardElement[];
  /** False for a card that must not refresh itself away (the identity view). Default true. */
  refresh?: boolean;
}

const TONE_STYLE: Record<CardNotice['tone'], ContainerStyle> = {
  attention: 'attention',
  good: 'good',
  accent: 'accent',
  warning: 'warning',
};

export function noticeContainer(notice: CardNotice): CardElement {
  return container(
    notice.lines.map((line, i) => text(line, i === 0 ? { weight: 'bolder' } : {})),
    TONE_STYLE[notice.tone],
    'notice',
  );
}

function isOpen(view: RequestView): boolean {
  return !view.outcome && view.status !== 'resolved';
}

function ref(view: RequestView, audience: CardAudience): Record<string, string> {
  return { workflowId: view.workflowId, audience };
}

/** Buttons for the duty team or EDT, by state: stale buttons never show. */
export function responderActions(view: RequestView): CardAction[] {
  const r = ref(view, 'responder');
  const actions: CardAction[] = [];
  if (isOpen(view)) {
    if (!view.acknowledged) actions.push(execute('Acknowledge', VERBS.acknowledge, r, 'positive'));
    if (!view.offer) {
      actions.push(
        showCard(
          'Offer bed',
          [
            {
              type: 'Input.ChoiceSet',
              id: INPUTS.offerAccommodation,
              label: 'Accommodation',
              isRequired: true,
              errorMessage: 'Choose secure or non-secure',
              style: 'expanded',
              value: view.accommodation,
              choices: choices(ACCOMMODATION_LABELS),
            },
            {
              type: 'Input.Text',
              id: INPUTS.offerProvider,
              label: 'Provider or placement',
              isRequired: true,
              errorMessage: 'Name the provider or placement',
              maxLength: 200,
            },
            {
              type: 'Input.ChoiceSet',
              id: INPUTS.offerTransport,
              label: 'Transport',
              isRequired: true,
              errorMessage: 'Choose the transport',
              style: 'compact',
              choices: choices(TRANSPORT_LABELS),
            },
            { type: 'Input.Text', id: INPUTS.offerNotes, label: 'Notes', isMultiline: true, maxLength: 1000 },
          ],
          [execute('Send offer', VERBS.offerBed, r, 'positive')],
        ),
      );
      actions.push(
        showCard(
          'Decline',
          [
            {
              type: 'Input.ChoiceSet',
              id: INPUTS.declineReason,
              label: 'Reason',
              isRequired: true,
              errorMessage: 'Choose a reason',
              style: 'compact',
              choices: choices(DECLINE_REASON_LABELS),
            },
            {
              type: 'Input.Text',
              id: INPUTS.declineNotes,
              label: 'Notes (needed for “Other”)',
              isMultiline: true,
              maxLength: 1000,
            },
          ],
          [execute('Send decline', VERBS.decline, r, 'destructive')],
        ),
      );
    }
    actions.push(
      showCard(
        'Need info',
        [
          {
            type: 'Input.Text',
            id: INPUTS.question,
            label: 'Your question for the custody sergeant',
            isRequired: true,
            errorMessage: 'Write the question',
            isMultiline: true,
            maxLength: 1000,
          },
        ],
        [execute('Ask', VERBS.requestInfo, r)],
      ),
    );
  }
  actions.push(execute('View details', VERBS.viewDetails, r));
  return actions;
}

/** Buttons for the custody sergeant, by state. */
export function custodyActions(view: RequestView, nowIso: string, zone: string): CardAction[] {
  if (!isOpen(view)) return [];
  const r = ref(view, 'custody');
  const actions: CardAction[] = [];
  for (const q of view.questions.filter((x) => !x.answer)) {
    const short = q.question.length > 40 ? `${q.question.slice(0, 39)}…` : q.question;
    actions.push(
      showCard(
        `Answer: ${short}`,
        [
          text(q.question, { weight: 'bolder' }),
          {
            type: 'Input.Text',
            id: answerInputId(q.id),
            label: 'Your answer',
            isRequired: true,
            errorMessage: 'Write the answer',
            isMultiline: true,
            maxLength: 2000,
          },
        ],
        [execute('Send answer', VERBS.answerInfo, { ...r, questionId: q.id }, 'positive')],
      ),
    );
  }
  if (view.offer) {
    const local = localDateTime(nowIso, zone);
    actions.push(
      showCard(
        'Confirm transfer',
        [
          text('When did the child leave custody?'),
          {
            type: 'Input.Date',
            id: INPUTS.leftDate,
            label: 'Date',
            isRequired: true,
            errorMessage: 'Give the date',
            value: local.date,
          },
          {
            type: 'Input.Time',
            id: INPUTS.leftTime,
            label: 'Time (UK)',
            isRequired: true,
            errorMessage: 'Give the time',
            value: local.time,
          },
        ],
        [execute('Confirm transfer', VERBS.confirmTransfer, r, 'positive')],
      ),
    );
  }
  actions.push(
    showCard(
      'Child stays',
      [
        text(
          'Record why the child stays in police detention (PACE s.38(6)). The child’s behaviour and the ' +
            'nature of the offence are not lawful reasons (Code C Note 16D).',
          { isSubtle: true },
        ),
        {
          type: 'Input.ChoiceSet',
          id: INPUTS.stayReason,
          label: 'Reason',
          isRequired: true,
          errorMessage: 'Choose the reason',
          style: 'expanded',
          choices: choices(STAY_REASON_LABELS),
        },
        {
          type: 'Input.Text',
          id: INPUTS.stayExplanation,
          label: 'Circumstances, for the certificate',
          isRequired: true,
          errorMessage: 'Explain the circumstances',
          isMultiline: true,
          maxLength: 2000,
        },
      ],
      [execute('Record and produce certificate', VERBS.recordStay, r, 'destructive')],
    ),
  );
  actions.push(
    showCard(
      'Cancel request',
      [
        {
          type: 'Input.ChoiceSet',
          id: INPUTS.cancelReason,
          label: 'Reason',
          isRequired: true,
          errorMessage: 'Choose the reason',
          style: 'expanded',
          choices: choices(CANCEL_REASON_LABELS),
        },
        { type: 'Input.Text', id: INPUTS.cancelNotes, label: 'Notes', isMultiline: true, maxLength: 1000 },
      ],
      [execute('Cancel the request', VERBS.cancel, r, 'destructive')],
    ),
  );
  return actions;
}

/**
 * The request card, built from the one view model. `audience` picks the buttons: the responder's
 * (duty team or EDT), the sergeant's (custody), or none (an escalation page). The card carries no
 * name, date of birth or offence: only the case reference and facts about the request.
 */
export function requestCard(view: RequestView, options: RequestCardOptions): AdaptiveCard {
  const zone = options.zone ?? DEFAULT_ZONE;
  const body: CardElement[] = [];
  if (options.notice) body.push(noticeContainer(options.notice));
  body.push(heading(titleText(view)));
  const open = isOpen(view);
  body.push(
    text(`${statusLabel(view)} · ${ageText(view, options.nowIso)}`, {
      weight: 'bolder',
      color: open ? (view.offer ? 'good' : 'warning') : 'default',
      spacing: 'none',
    }),
  );
  if (open) body.push(text(timeLeftText(view, options.nowIso), { isSubtle: true, spacing: 'none' }));
  const warnings = [outOfAreaLine(view), ...warningLines(view)].filter((w): w is string => w !== null);
  if (warnings.length)
    body.push(
      container(
        warnings.map((w) => text(w)),
        'warning',
      ),
    );
  if (options.extra) body.push(...options.extra);
  body.push(facts(factPairs(view, zone)));
  body.push(
    container(
      [text('What has happened', { weight: 'bolder' }), ...timelineLines(view, zone).map((l) => text(l))],
      'emphasis',
    ),
  );
  if (options.audience === 'custody' && view.outcome?.certificate) {
    body.push(
      container([
        text('Certificate for court (s.38(6))', { weight: 'bolder' }),
        ...view.outcome.certificate.split('\n').map((l) => text(l === '' ? ' ' : l)),
      ]),
    );
  }
  const actions =
    options.audience === 'responder'
      ? responderActions(view)
      : options.audience === 'custody'
        ? custodyActions(view, options.nowIso, zone)
        : [];
  const extra: Partial<AdaptiveCard> = {};
  if (actions.length) extra.actions = actions;
  if (options.refresh !== false) {
    extra.refresh = { action: execute('Refresh', VERBS.refresh, ref(view, options.audience)) };
  }
  return card(body, extra);
}

/** The identity lines shown by View details (only to an authorised responder, never logged). */
export interface IdentityLines {
  pncId?: string | undefined;
  givenName?: string | undefined;
  familyName?: string | undefined;
  dateOfBirth?: string | undefined;
}

/** What a responder needs to place the child, shown with the identity (see CaseDetails in the store). */
export interface CaseDetailLines {
  bailRefusalGround: string;
  needsAndRisks: string;
  seriousHarmJustification?: string | undefined;
}

/** The responder card with the child's identity shown to one person, and a Hide button. */
export function detailsCard(
  view: RequestView,
  identity: IdentityLines | null,
  nowIso: string,
  zone?: string,
  details: CaseDetailLines | null = null,
) {
  const pairs: Array<[string, string]> = [];
  if (identity) {
    const name = [identity.givenName, identity.familyName].filter(Boolean).join(' ');
    if (name) pairs.push(['Name', name]);
    if (identity.dateOfBirth) pairs.push(['Date of birth', identity.dateOfBirth]);
    if (identity.pncId) pairs.push(['PNC ID', identity.pncId]);
  }
  if (details) {
    const ground = bailRefusalGroundSchema.safeParse(details.bailRefusalGround);
    pairs.push([
      'Bail refused',
      ground.success ? BAIL_REFUSAL_GROUND_LABELS[ground.data] : details.bailRefusalGround,
    ]);
    pairs.push(['Needs and risks', details.needsAndRisks || 'none given']);
    if (details.seriousHarmJustification)
      pairs.push(['Why secure (serious harm)', details.seriousHarmJustification]);
  }
  const extra: CardElement[] = [
    container(
      [
        text('Child’s details: shown to you only, and your viewing is recorded', { weight: 'bolder' }),
        identity && pairs.length
          ? facts(pairs)
          : text('The identity is no longer held: it was removed under the retention policy.'),
        {
          type: 'ActionSet',
          actions: [execute('Hide details', VERBS.refresh, ref(view, 'responder'))],
        },
      ],
      'accent',
      'identity',
    ),
  ];
  return requestCard(view, {
    audience: 'responder',
    nowIso,
    ...(zone ? { zone } : {}),
    extra,
    refresh: false,
  });
}
