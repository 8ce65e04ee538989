import type { ChildIdentity } from '../../../domain/bed-request.js';
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
