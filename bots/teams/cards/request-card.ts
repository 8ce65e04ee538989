import { BAIL_REFUSAL_GROUND_LABELS, bailRefusalGroundSchema } from '../../../domain/bed-request.js';
import { TRANSPORT_LABELS } from '../../../domain/actions.js';
import {
  accommodationsFor,
  availableActions,
  cancelReasonsFor,
  declineReasonsFor,
  stayReasonsFor,
  teamsUsersWhoMayAct,
} from '../../../domain/available-actions.js';
import { LEFT_CELLS_FOR_LABELS, recordedLeftForSchema } from '../../../domain/held-in-custody.js';
import { CANCEL_REASON_LABELS, DECLINE_REASON_LABELS, STAY_REASON_LABELS } from '../../../domain/outcomes.js';
import type { RoleGrant } from '../../../domain/people.js';
import type { Person } from '../../../domain/protocol.js';
import type { RequestView } from '../../../domain/request-view.js';
import {
  ACCOMMODATION_LABELS,
  DEFAULT_ZONE,
  ageText,
  countersignatureText,
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
  /** Only this person's actions (a card built for one person); absent, the audience's. */
  grants?: readonly RoleGrant[];
  /** The protocol's people: who gets `refresh.userIds`. */
  people?: readonly Person[];
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

function offerForm(view: RequestView, label: string, r: Record<string, string>): CardAction {
  const kinds = accommodationsFor(view);
  return showCard(
    label,
    [
      {
        type: 'Input.ChoiceSet',
        id: INPUTS.offerAccommodation,
        label: 'Accommodation',
        isRequired: true,
        errorMessage: 'Choose secure or non-secure',
        style: 'expanded',
        value: kinds.includes(view.accommodation) ? view.accommodation : 'non_secure',
        choices: kinds.map((k) => ({ title: ACCOMMODATION_LABELS[k], value: k })),
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
  );
}

function declineForm(view: RequestView, label: string, r: Record<string, string>): CardAction {
  return showCard(
    label,
    [
      {
        type: 'Input.ChoiceSet',
        id: INPUTS.declineReason,
        label: 'Reason',
        isRequired: true,
        errorMessage: 'Choose a reason',
        style: 'compact',
        // Only the reasons the rules accept for this request (domain/available-actions.ts).
        choices: declineReasonsFor(view).map((x) => ({ title: DECLINE_REASON_LABELS[x], value: x })),
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
  );
}

function questionForm(label: string, r: Record<string, string>): CardAction {
  return showCard(
    label,
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
  );
}

/** One "Answer question" for every open question: each with its own input and send button. */
function answerForm(view: RequestView, label: string, r: Record<string, string>): CardAction {
  const open = view.questions.filter((x) => !x.answer);
  const body: CardElement[] = [];
  const sends: CardAction[] = [];
  open.forEach((q, i) => {
    body.push(text(q.question, { weight: 'bolder' }));
    body.push({
      type: 'Input.Text',
      id: answerInputId(q.id),
      label: open.length > 1 ? `Your answer to question ${i + 1}` : 'Your answer',
      isMultiline: true,
      maxLength: 2000,
    });
    sends.push(
      execute(
        open.length > 1 ? `Send answer ${i + 1}` : 'Send answer',
        VERBS.answerInfo,
        { ...r, questionId: q.id },
        'positive',
      ),
    );
  });
  return showCard(label, body, sends);
}

function transferForm(
  view: RequestView,
  label: string,
  r: Record<string, string>,
  nowIso: string,
  zone: string,
): CardAction {
  const local = localDateTime(nowIso, zone);
  const kinds = accommodationsFor(view);
  // No offer in chat: the transfer was arranged outside chat (by phone); say what it was.
  const arranged: CardElement[] = view.offer
    ? []
    : [
        text('No bed was offered in chat. Record the transfer that was arranged outside chat (by phone).', {
          isSubtle: true,
        }),
        {
          type: 'Input.ChoiceSet',
          id: INPUTS.arrangedAccommodation,
          label: 'Type of accommodation',
          isRequired: true,
          errorMessage: 'Choose the type of accommodation',
          style: 'expanded',
          value: kinds.includes(view.accommodation) ? view.accommodation : 'non_secure',
          choices: kinds.map((k) => ({ title: ACCOMMODATION_LABELS[k], value: k })),
        },
        {
          type: 'Input.Text',
          id: INPUTS.arrangedProvider,
          label: 'Provider or placement',
          isRequired: true,
          errorMessage: 'Name the provider or placement',
          maxLength: 200,
        },
        {
          type: 'Input.ChoiceSet',
          id: INPUTS.arrangedTransport,
          label: 'Transport',
          isRequired: true,
          errorMessage: 'Choose the transport',
          style: 'compact',
          choices: choices(TRANSPORT_LABELS),
        },
      ];
  return showCard(
    label,
    [
      ...arranged,
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
  );
}

/** The sergeant amends the court sitting: the new date and time, and why (audited). */
function courtSittingForm(
  view: RequestView,
  label: string,
  r: Record<string, string>,
  zone: string,
): CardAction {
  const local = localDateTime(view.nextCourtSitting, zone);
  return showCard(
    label,
    [
      text('The change is audited.', { isSubtle: true }),
      {
        type: 'Input.Date',
        id: INPUTS.courtDate,
        label: 'Date of the new court sitting',
        isRequired: true,
        errorMessage: 'Give the date',
        value: local.date,
      },
      {
        type: 'Input.Time',
        id: INPUTS.courtTime,
        label: 'Time (UK)',
        isRequired: true,
        errorMessage: 'Give the time',
        value: local.time,
      },
      {
        type: 'Input.Text',
        id: INPUTS.courtReason,
        label: 'Why it changed',
        isRequired: true,
        errorMessage: 'Say why the court sitting changed',
        isMultiline: true,
        maxLength: 500,
      },
    ],
    [execute('Amend', VERBS.amendCourtSitting, r, 'positive')],
  );
}

/** A held child (a stay recorded) left the cells: how, and when. */
function leftCellsForm(label: string, r: Record<string, string>, nowIso: string, zone: string): CardAction {
  const local = localDateTime(nowIso, zone);
  return showCard(
    label,
    [
      text(
        'Record when and how the child left the police cells: this ends the request, and the time held and ' +
          'the overnight flag come from it.',
        { isSubtle: true },
      ),
      {
        type: 'Input.ChoiceSet',
        id: INPUTS.leftFor,
        label: 'How the child left',
        isRequired: true,
        errorMessage: 'Choose how the child left',
        style: 'expanded',
        choices: recordedLeftForSchema.options.map((x) => ({ title: LEFT_CELLS_FOR_LABELS[x], value: x })),
      },
      {
        type: 'Input.Date',
        id: INPUTS.leftCellsDate,
        label: 'Date',
        isRequired: true,
        errorMessage: 'Give the date',
        value: local.date,
      },
      {
        type: 'Input.Time',
        id: INPUTS.leftCellsTime,
        label: 'Time (UK)',
        isRequired: true,
        errorMessage: 'Give the time',
        value: local.time,
      },
    ],
    [execute('Record', VERBS.recordLeftCells, r, 'positive')],
  );
}

function stayForm(view: RequestView, label: string, r: Record<string, string>): CardAction {
  return showCard(
    label,
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
        choices: stayReasonsFor(view).map((x) => ({ title: STAY_REASON_LABELS[x], value: x })),
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
  );
}

function cancelForm(label: string, r: Record<string, string>): CardAction {
  return showCard(
    label,
    [
      {
        type: 'Input.ChoiceSet',
        id: INPUTS.cancelReason,
        label: 'Reason',
        isRequired: true,
        errorMessage: 'Choose the reason',
        style: 'expanded',
        choices: cancelReasonsFor().map((x) => ({ title: CANCEL_REASON_LABELS[x], value: x })),
      },
      { type: 'Input.Text', id: INPUTS.cancelNotes, label: 'Notes', isMultiline: true, maxLength: 1000 },
    ],
    [execute('Cancel the request', VERBS.cancel, r, 'destructive')],
  );
}

/**
 * The card's actions, rendered from the one domain list of offered actions (the Slack card renders
 * the same list), each as a button or a form with the choices the rules accept.
 */
export function cardActions(
  view: RequestView,
  audience: 'responder' | 'custody' | 'inspector',
  nowIso: string,
  zone: string,
  grants?: readonly RoleGrant[],
): CardAction[] {
  const r = ref(view, audience);
  return availableActions(view, audience, grants).map((a): CardAction => {
    switch (a.kind) {
      case 'acknowledge':
        return execute(a.label, VERBS.acknowledge, r, 'positive');
      case 'offer_bed':
        return offerForm(view, a.label, r);
      case 'decline':
        return declineForm(view, a.label, r);
      case 'request_info':
        return questionForm(a.label, r);
      case 'view_details':
        return execute(a.label, VERBS.viewDetails, r);
      case 'answer_info':
        return answerForm(view, a.label, r);
      case 'confirm_transfer':
        return transferForm(view, a.label, r, nowIso, zone);
      case 'record_left_cells':
        return leftCellsForm(a.label, r, nowIso, zone);
      case 'amend_court_sitting':
        return courtSittingForm(view, a.label, r, zone);
      case 'record_stay':
        return stayForm(view, a.label, r);
      case 'cancel':
        return cancelForm(a.label, r);
      case 'countersign':
        return execute(a.label, VERBS.countersign, r, 'positive');
    }
  });
}

/** Buttons for the duty team or EDT, by state: stale buttons never show. */
export function responderActions(
  view: RequestView,
  nowIso = view.updatedAt,
  zone = DEFAULT_ZONE,
): CardAction[] {
  return cardActions(view, 'responder', nowIso, zone);
}

/** Buttons for the custody sergeant, by state. */
export function custodyActions(view: RequestView, nowIso: string, zone: string): CardAction[] {
  return cardActions(view, 'custody', nowIso, zone);
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
  // The certificate is produced when the stay is recorded, while the child is still held.
  const certificate = view.outcome?.certificate ?? view.stay?.certificate;
  const countersignature = view.stay?.countersignature ?? view.outcome?.certificateCountersignature;
  if (countersignature && options.audience !== 'responder') {
    body.push(
      container(
        [
          text(countersignatureText(countersignature, zone), { weight: 'bolder' }),
          ...(options.audience === 'inspector'
            ? [
                text(
                  'The force protocol asks an inspector, not the certifying sergeant, to countersign the certificate.',
                  { isSubtle: true },
                ),
              ]
            : []),
        ],
        countersignature.status === 'countersigned' ? 'good' : 'warning',
        'countersignature',
      ),
    );
  }
  // The sergeant's card, and the inspector's (the certificate to countersign).
  if ((options.audience === 'custody' || options.audience === 'inspector') && certificate) {
    body.push(
      container([
        text('Certificate for court (s.38(6))', { weight: 'bolder' }),
        ...certificate.split('\n').map((l) => text(l === '' ? ' ' : l)),
      ]),
    );
  }
  const audience = options.audience === 'page' ? null : options.audience;
  const actions = audience ? cardActions(view, audience, options.nowIso, zone, options.grants) : [];
  const extra: Partial<AdaptiveCard> = {};
  if (actions.length) extra.actions = actions;
  if (options.refresh !== false) {
    // Named users get the card refreshed for them in any conversation, not only in those of 60
    // members or fewer: the people who can act on it (docs/architecture.md, "Teams cards").
    const userIds = audience && options.people ? teamsUsersWhoMayAct(view, audience, options.people) : [];
    extra.refresh = {
      action: execute('Refresh', VERBS.refresh, ref(view, options.audience)),
      ...(userIds.length ? { userIds } : {}),
    };
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
