import {
  BAIL_REFUSAL_GROUND_LABELS,
  bailRefusalGroundSchema,
  type ChildIdentity,
} from '../../../domain/bed-request.js';
import type { CaseDetails } from '../../../desk/index.js';
import { formatTime } from '../../shared/view-text.js';
import { context, esc, section, type SlackMessage } from './kit.js';

/**
 * The one message that carries the child's identity. Ephemeral only (seen by the one authorised
 * person who asked, never stored in the channel), after an access-log row has been written.
 */
export function identityNote(
  caseRef: string,
  custodyRecordNumber: string,
  identity: ChildIdentity | null,
  details: CaseDetails | null = null,
): SlackMessage {
  if (!identity) {
    const text = `No identity is held for ${caseRef} any more: it has been purged under the retention policy.`;
    return { text, blocks: [section(esc(text))] };
  }
  const name = [identity.givenName, identity.familyName].filter(Boolean).join(' ');
  const lines = [
    name ? `*Name:* ${esc(name)}` : null,
    identity.dateOfBirth ? `*Date of birth:* ${esc(identity.dateOfBirth)}` : null,
    identity.pncId ? `*PNC ID:* ${esc(identity.pncId)}` : null,
  ].filter((l): l is string => l !== null);
  if (details) {
    const ground = bailRefusalGroundSchema.safeParse(details.bailRefusalGround);
    lines.push(
      `*Bail refused:* ${esc(ground.success ? BAIL_REFUSAL_GROUND_LABELS[ground.data] : details.bailRefusalGround)}`,
    );
    lines.push(`*Needs and risks:* ${esc(details.needsAndRisks || 'none given')}`);
    if (details.seriousHarmJustification) {
      lines.push(`*Why secure (serious harm):* ${esc(details.seriousHarmJustification)}`);
    }
  }
  return {
    text: `Details for ${caseRef} (only you can see this)`,
    blocks: [
      section(`*${esc(caseRef)}* · custody record ${esc(custodyRecordNumber)}\n${lines.join('\n')}`),
      context([
        `Only you can see this. Your access was recorded at ${esc(formatTime(new Date().toISOString()))}.`,
      ]) ?? section(' '),
    ],
  };
}
