import type { Accommodation } from '../bed-request.js';
import { STAY_REASON_GROUND, type StayReason } from '../outcomes.js';

/**
 * The Note 16D screen of a stay's free-text explanation (docs/legal-rules.md, "Impracticable, and
 * the Note 16D checks"). PACE Code C Note 16D: neither the child's behaviour nor the nature of the
 * offence is a ground for deciding that a transfer is impracticable, and the lack of secure
 * accommodation does not make a transfer to other (non-secure) accommodation impracticable.
 *
 * The coded reason is checked by `checkAction`; this checks the words, so the law cannot be got
 * round by choosing "other" and writing the forbidden reason in the explanation. It is a pure,
 * deliberately cautious screen: an explanation that names any of the three is refused, and the
 * sergeant rewrites it to state the circumstances that made the move impossible. It never records
 * what was typed.
 */

/** Which forbidden ground the explanation gave. */
export type Note16DGround = 'behaviour' | 'offence' | 'no_secure_bed';

/** The law, in summary, shown beside the explanation when it is refused (the chat edge words it). */
export const NOTE_16D_SUMMARY =
  'PACE Code C Note 16D: neither the child’s behaviour nor the nature of the offence is a reason to ' +
  'decide that moving the child to local authority accommodation is impracticable, and the lack of ' +
  'secure accommodation does not make a move to other local authority accommodation impracticable.';

const BEHAVIOUR: readonly RegExp[] = [
  /\bbehaviou?r(s|al)?\b/,
  /\bmisbehav/,
  /\bviolen(t|ce|tly)\b/,
  /\baggress(ive|ion|ively)\b/,
  /\b(disruptive|abusive|unruly|volatile|combative|belligerent|hostile)\b/,
  /\b(un-?co-?operative|non-?compliant)\b/,
  /\brefus(ed|es|ing) to (comply|co-?operate|engage|calm)\b/,
  /\bassault(s|ed|ing)?\b/,
  /\bthreat(s|en|ens|ened|ening)?\b/,
  /\b(spat|spitting|kicking off|kicked off|out of control|lashing out|lashed out)\b/,
  /\b(punch|kick|headbutt|bit)(ed|ing|s)? (at )?(an? )?(officer|staff|detention|gaoler|jailer|sergeant|pc)/,
  /\bdamag(ed|ing|e to) (the |a )?cell\b/,
  /\b(danger|risk) to (staff|officers|carers|the placement|other residents)\b/,
];

const OFFENCE: readonly RegExp[] = [
  /\boffen[cs]es?\b/,
  /\bcrimes?\b/,
  /\bcharged with\b/,
  /\b(nature|seriousness|gravity) of the (charge|allegation)s?\b/,
  /\bserious (charge|allegation)s?\b/,
  /\b(murder|manslaughter|rape|robbery|burglary|arson|gbh|abh|wounding|stabbing)\b/,
];

/** A "secure" that is not part of "non-secure". */
const SECURE = /(?<!non[-\s]?)\bsecure\b/;
const UNAVAILABLE =
  /\b(no|none|not|lack|lacking|shortage|unavailab\w*|full|without|cannot|can't|could not|couldn't|nowhere|zero)\b/;

function normalise(text: string): string {
  return text.toLowerCase().replace(/[’‘]/g, "'").replace(/\s+/g, ' ');
}

/** Does the text say that no secure place was to be had (for a non-secure request)? */
function mentionsNoSecureBed(text: string): boolean {
  // Sentence by sentence, so "roads closed; the secure unit is fine" is not read as a lack.
  return text.split(/[.;!?\n]/).some((s) => SECURE.test(s) && UNAVAILABLE.test(s));
}

/**
 * Screens a stay's explanation. Null when it may stand; otherwise the forbidden ground it gives.
 * - behaviour and offence: refused for every reason except s.38(6)(b), where serious harm from the
 *   child is the very question the certificate answers;
 * - no secure bed: refused when the request was for non-secure accommodation.
 */
export function screenStayExplanation(input: {
  reason: StayReason;
  explanation: string;
  accommodation: Accommodation;
}): Note16DGround | null {
  const text = normalise(input.explanation);
  const ground = STAY_REASON_GROUND[input.reason];
  if (ground !== 's38_6b') {
    if (BEHAVIOUR.some((r) => r.test(text))) return 'behaviour';
    if (OFFENCE.some((r) => r.test(text))) return 'offence';
  }
  if (input.accommodation === 'non_secure' && mentionsNoSecureBed(text)) return 'no_secure_bed';
  return null;
}
