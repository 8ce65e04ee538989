import type { RequestActionKind } from '../../domain/actions.js';
import { FailureCode, type Refusal } from '../../domain/failures.js';
import { NOTE_16D_SUMMARY } from '../../domain/legal/note-16d-screen.js';
import { OUTCOME_LABELS, type OutcomeCode } from '../../domain/outcomes.js';
import { ACTION_LABELS, formatTime } from './view-text.js';

/**
 * Plain words for every coded failure, shared by the Slack and Teams edges. Workflows and
 * activities speak in FailureCodes; only the chat edge turns them into a sentence that a custody
 * sergeant or a social worker can act on. `params` are optional facts (case reference, local
 * authority name, times); every sentence reads well without them.
 */
type Params = Readonly<Record<string, string | number>>;

function p(params: Params | undefined, key: string, fallback: string): string {
  const v = params?.[key];
  return v === undefined || v === '' ? fallback : String(v);
}

/** A time param (ISO) in words, or null when absent. */
function when(params: Params | undefined, key: string): string | null {
  const v = params?.[key];
  return typeof v === 'string' && v !== '' ? formatTime(v) : null;
}

function actionWord(params: Params | undefined): string {
  const v = params?.action;
  return typeof v === 'string' && v in ACTION_LABELS
    ? `“${ACTION_LABELS[v as RequestActionKind]}”`
    : 'This action';
}

function outcomeWord(params: Params | undefined): string | null {
  const v = params?.outcome;
  if (typeof v !== 'string' || v === '') return null;
  return v in OUTCOME_LABELS ? OUTCOME_LABELS[v as OutcomeCode].toLowerCase() : v;
}

function accommodationWord(v: string | number | undefined): string | null {
  if (v === undefined || v === '') return null;
  return v === 'non_secure' ? 'non-secure' : String(v);
}

function byAt(params: Params | undefined): string {
  const by = params?.by;
  const at = when(params, 'at');
  return `${by !== undefined ? ` by ${String(by)}` : ''}${at ? ` at ${at}` : ''}`;
}

function caseBit(params: Params | undefined): string {
  const ref = params?.caseRef;
  return ref === undefined || ref === '' ? 'This request' : `Request ${String(ref)}`;
}

const TEXT: Record<FailureCode, (params: Params | undefined) => string> = {
  [FailureCode.RequestNotFound]: () => REQUEST_NOT_FOUND_TEXT,
  [FailureCode.RoleNotPermitted]: (x) =>
    `You are not set up to do that. ${actionWord(x)} needs the ${p(x, 'roles', p(x, 'role', 'right')).replace(/, /g, ' or ')} role ` +
    'in the Concordat protocol file. Ask your Concordat administrator to add you. Nothing was changed.',
  [FailureCode.NotResponderForAuthority]: (x) =>
    `You answer for a different local authority. ${caseBit(x)} is for ` +
    `${p(x, 'localAuthority', p(x, 'localAuthorityName', 'another local authority'))}, so only its duty team or EDT can act on it. ` +
    'Nothing was changed.',
  [FailureCode.RequestClosed]: (x) => {
    const outcome = outcomeWord(x);
    const at = when(x, 'at');
    return (
      `${caseBit(x)} is already closed${outcome ? ` (${outcome}${at ? `, ${at}` : ''})` : ''}, ` +
      'so nothing more can be done on it. Nothing was changed.'
    );
  },
  [FailureCode.AlreadyAcknowledged]: (x) =>
    `${caseBit(x)} was already acknowledged${byAt(x)}. ` +
    'You can still offer a bed, decline or ask for more information.',
  [FailureCode.OfferAlreadyAccepted]: (x) =>
    `A bed has already been offered on this request${byAt(x)}. Only one offer can stand, and a request ` +
    'with a bed offered cannot be declined. Nothing was changed.',
  [FailureCode.NoBedOffered]: () =>
    'No bed has been offered yet, so the transfer cannot be confirmed. ' +
    'If the child is staying in custody, use “Child stays” and give the reason.',
  [FailureCode.QuestionNotFound]: () =>
    'That question is no longer on this request. Open the latest message in the thread and answer from there.',
  [FailureCode.QuestionAlreadyAnswered]: (x) =>
    `That question has already been answered${byAt(x)}. The answer is in the request thread.`,
  [FailureCode.DuplicateAction]: () =>
    'That was already done: your earlier click or submission went through. Nothing more was changed.',
  [FailureCode.StayReasonBehaviour]: () =>
    'The child’s behaviour cannot be the reason for keeping them in custody: PACE Code C Note 16D says it ' +
    'does not make a transfer impracticable. Choose another reason, or keep working on a transfer.',
  [FailureCode.StayReasonOffence]: () =>
    'The nature of the offence cannot be the reason for keeping the child in custody: PACE Code C Note 16D ' +
    'says it does not make a transfer impracticable. Choose another reason, or keep working on a transfer.',
  [FailureCode.StayReasonNoSecureBedNotSecureRequest]: () =>
    '“No secure bed” can only be given when secure accommodation was requested. Having no secure bed does ' +
    'not make a move to non-secure accommodation impracticable (Note 16D). Choose another reason.',
  [FailureCode.DeclineNoSecureBedNotSecureRequest]: () =>
    '“No secure bed available” is not a reason to decline this request: non-secure accommodation was ' +
    'asked for, and the local authority must provide it (Children Act 1989 s.21(2)(b)). Offer a ' +
    'non-secure bed, or choose another reason. Nothing was recorded.',
  [FailureCode.StayExplanationNote16D]: (x) => {
    const given =
      x?.ground === 'offence'
        ? 'the nature of the offence'
        : x?.ground === 'no_secure_bed'
          ? 'the lack of a secure bed, for a request for non-secure accommodation,'
          : 'the child’s behaviour';
    return (
      `Your explanation gives ${given} as the reason the child stays. ${NOTE_16D_SUMMARY} ` +
      'Change the explanation to say what made the move impossible. Nothing was recorded.'
    );
  },
  [FailureCode.StayReasonNoSecureBedUnder12]: () =>
    '“No secure bed” (s.38(6)(b)) applies only to a child aged 12 or over. Choose another reason.',
  [FailureCode.StayReasonBedWasOffered]: (x) =>
    `A ${accommodationWord(x?.accommodation) ?? ''}${x?.accommodation ? ' ' : ''}bed was offered on this request${byAt(x)}, ` +
    'so that reason does not apply. Confirm the transfer, or choose the reason the offered bed could not be used.',
  [FailureCode.SecureUnder12]: () =>
    'Secure accommodation is only for a child aged 12 or over. Request or offer non-secure accommodation.',
  [FailureCode.OfferTypeMismatch]: (x) =>
    `The offer does not match the request: ${accommodationWord(x?.requested) ?? 'another type of'} accommodation ` +
    `was asked for${x?.offered ? `, not ${accommodationWord(x.offered)}` : ''}. A secure bed is only for a secure ` +
    'request. Offer a non-secure bed, or decline with a reason.',
  [FailureCode.TransferBeforeCharge]: (x) =>
    `The time the child left custody is before the time of charge${when(x, 'chargedAt') ? ` (${when(x, 'chargedAt')})` : ''}. ` +
    'Check the date and time and try again.',
  [FailureCode.TransferInFuture]: () =>
    'The time the child left custody is in the future. Confirm the transfer once the child has left.',
  [FailureCode.StayAlreadyRecorded]: (x) =>
    `A stay is already recorded on this request${byAt(x)}, and its certificate produced. The child is ` +
    'held and a bed is still sought: confirm a transfer if one is found, or record when the child left the cells.',
  [FailureCode.NoCertificateToCountersign]: () =>
    'There is no certificate to countersign on this request: no stay has been recorded. Nothing was changed.',
  [FailureCode.CountersignNotRequired]: () =>
    'This certificate does not need a countersignature: the force protocol did not ask for one when the ' +
    'stay was recorded. Nothing was changed.',
  [FailureCode.CertificateAlreadyCountersigned]: (x) =>
    `The certificate was already countersigned${byAt(x)}. Nothing more was changed.`,
  [FailureCode.CountersignOwnCertificate]: () =>
    'You certified this stay, so you cannot countersign your own certificate: the force protocol asks ' +
    'for a second officer, an inspector. Ask another inspector to countersign it. Nothing was changed.',
  [FailureCode.LeftCellsInFuture]: () =>
    'The time the child left the cells is in the future. Record it once the child has left.',
  [FailureCode.InvalidInput]: (x) =>
    `Something in the form was not valid${x?.field ? ` (${String(x.field)})` : ''}. ` +
    'Check the highlighted fields and try again.',
  [FailureCode.UnknownCustodySuite]: (x) =>
    `The custody suite ${x?.custodySuiteId ? `“${String(x.custodySuiteId)}” ` : ''}is not in the Concordat ` +
    'protocol file. Choose one from the list, or ask your administrator to add it.',
  [FailureCode.UnknownLocalAuthority]: (x) =>
    `The local authority ${x?.localAuthorityId ? `“${String(x.localAuthorityId)}” ` : ''}is not in the ` +
    'Concordat protocol file. Choose one from the list, or ask your administrator to add it.',
  [FailureCode.AlreadyOpen]: (x) =>
    `A bed request for custody record ${p(x, 'custodyRecordNumber', 'this record')} is already open` +
    `${x?.caseRef ? ` (${String(x.caseRef)})` : ''}. Follow that request’s thread instead of starting another.`,
  [FailureCode.RecordAlreadyClosed]: (x) => {
    const outcome = outcomeWord(x);
    const at = when(x, 'at');
    const ref = x?.caseRef ? String(x.caseRef) : null;
    return (
      `Custody record ${p(x, 'custodyRecordNumber', 'this record')} already had a bed request` +
      `${ref ? ` (${ref})` : ''}, which closed${outcome ? `: ${outcome}` : ''}${at ? ` at ${at}` : ''}. ` +
      'Nothing new was started. If the child was charged again and refused bail, start a request under ' +
      'the new custody record number. If that outcome is wrong, ask your Concordat administrator to ' +
      `correct it, quoting ${ref ?? 'the case reference'}. Only a request cancelled as “Entered in error” ` +
      'can be started again on the same custody record.'
    );
  },
  [FailureCode.ChatRateLimited]: () =>
    'Slack or Teams asked us to slow down. The message will be sent automatically in a moment.',
  [FailureCode.ChatUnavailable]: () =>
    'The chat service is not answering right now. Concordat will keep trying; the request itself is safe.',
  [FailureCode.NoConversationReference]: () =>
    'Concordat cannot post to that Teams channel yet: the app must be installed there first. ' +
    'Ask your administrator to add the Concordat app to the channel.',
  [FailureCode.ChatRejected]: (x) =>
    `The chat service refused the message${x?.error ? ` (${String(x.error)})` : ''}. ` +
    'Check that the Concordat app is a member of the channel and that the channel ID in the protocol file is right.',
};

/** The sentence to show a person for a refusal or failure. Never contains child personal data. */
export function describeRefusal(refusal: Refusal): string {
  const make = TEXT[refusal.code] as ((params: Params | undefined) => string) | undefined;
  return make ? make(refusal.params) : 'That could not be done. Nothing was changed.';
}

/** When a button names a request the engine does not know (purged, or a forged value). */
export const REQUEST_NOT_FOUND_TEXT =
  'That request could not be found: it may have been closed and purged, or the message is very old. ' +
  'Nothing was changed.';

/** When the bot could not reach the workflow engine after acknowledging a click. */
export const ENGINE_UNAVAILABLE_TEXT =
  'Concordat could not record that just now because its workflow engine did not answer. ' +
  'Nothing was changed: please try again in a minute.';
