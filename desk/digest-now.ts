import { DateTime } from 'luxon';
import { hasRole, rolesFor } from '../domain/authorise.js';
import type { Actor } from '../domain/people.js';
import type { Protocol } from '../domain/protocol.js';
import type { Logger } from '../domain/logger.js';

/**
 * "Digest now, for a date range", shared by the Slack and Teams edges: who may, how the dates are
 * read, and the words for every answer. The edges only carry the text in and the reply out.
 */

/** What a bot asks the Temporal side for: `requestDigestNow(client, …)` in runtime/digest-client. */
export interface DigestRequestArgs {
  /** First and last local dates, YYYY-MM-DD, both inclusive. */
  from: string;
  to: string;
  requestedBy: Actor;
  /** The platform's ID for this command (Slack trigger_id, Teams activity ID): a redelivery starts nothing new. */
  requestId?: string;
}

/** The answer of `requestDigestNow` in runtime/digest-client.ts, as the desk reads it. */
export type RequestDigestNowResult =
  | {
      status: 'started' | 'already_requested';
      workflowId: string;
      period: { firstDay: string; lastDay: string };
    }
  | { status: 'invalid'; message: string };

export interface DigestRequests {
  requestNow(args: DigestRequestArgs): Promise<RequestDigestNowResult>;
}

export const DIGEST_NOT_ADMIN_TEXT =
  'Only Concordat administrators can ask for a digest. Ask your Concordat administrator to give you ' +
  'the admin role in the protocol file. Nothing was requested.';

export const DIGEST_UNAVAILABLE_TEXT =
  'Digests on demand are not available on this deployment of Concordat. The daily and weekly ' +
  'digests still arrive as scheduled.';

export const DIGEST_NO_LEADS_TEXT =
  'The protocol file names no leads channel (leads:), so a digest would have nowhere to go. ' +
  'Nothing was requested.';

export const DIGEST_FAILED_TEXT =
  'Concordat could not request the digest just now because its workflow engine did not answer. ' +
  'Nothing was requested: please try again in a minute.';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Words people put between the dates, which carry no meaning here. */
const FILLER = /^(?:from|to|until|till|and|-|–|—|\.\.)$/i;

export type ParsedDates = { ok: true; from: string; to: string } | { ok: false; problem: string };

/** Reads "2026-11-01 2026-11-27" (also "from 2026-11-01 to 2026-11-27"): the two dates, in order given. */
export function parseDigestDates(text: string): ParsedDates {
  const tokens = text
    .trim()
    .split(/[\s,]+/)
    .filter((t) => t !== '' && !FILLER.test(t));
  if (tokens.length === 0) return { ok: false, problem: 'Give the first and the last day of the digest.' };
  if (tokens.length === 1) return { ok: false, problem: 'Give the last day of the digest too.' };
  if (tokens.length > 2) return { ok: false, problem: 'Give just two dates: the first and the last day.' };
  for (const t of tokens) {
    if (!DATE.test(t) || !DateTime.fromISO(t).isValid) {
      return { ok: false, problem: `"${t.slice(0, 40)}" is not a date.` };
    }
  }
  const [from = '', to = ''] = tokens;
  return { ok: true, from, to };
}

/** The usage line, for the command as typed on each platform (e.g. "/bedrequest digest"). */
export function digestUsage(command: string): string {
  return (
    `To ask for a digest now, type "${command} 2026-11-01 2026-11-27": the first and the last day ` +
    '(both included), written YYYY-MM-DD. It goes to the leads channels, as the scheduled digests do.'
  );
}

/** "1–27 Nov 2026", "30 Nov – 2 Dec 2026", "30 Dec 2026 – 2 Jan 2027", "1 Nov 2026". */
export function formatDayRange(firstDay: string, lastDay: string): string {
  const first = DateTime.fromISO(firstDay);
  const last = DateTime.fromISO(lastDay);
  if (!first.isValid || !last.isValid) return `${firstDay} – ${lastDay}`;
  if (first.hasSame(last, 'day')) return first.toFormat('d LLL yyyy');
  if (first.hasSame(last, 'month')) return `${first.toFormat('d')}–${last.toFormat('d LLL yyyy')}`;
  if (first.hasSame(last, 'year')) return `${first.toFormat('d LLL')} – ${last.toFormat('d LLL yyyy')}`;
  return `${first.toFormat('d LLL yyyy')} – ${last.toFormat('d LLL yyyy')}`;
}

export interface DigestDeps {
  protocol: Protocol;
  digests?: DigestRequests | undefined;
  log: Logger;
}

/** Either the answer now (refused, unavailable, bad dates) or the request to make. */
export type DigestCheck = { reply: string; refused?: true } | { args: DigestRequestArgs };

/**
 * The checks that need no I/O, so a bot can answer them at once: the admin role (from the protocol
 * file), whether this deployment can start a digest, whether there is anywhere to send it, and the
 * dates. `rest` is what follows the word "digest".
 */
export function checkDigestRequest(
  deps: DigestDeps,
  req: { actor: Actor; rest: string; requestId?: string | undefined; usage: string },
): DigestCheck {
  if (!hasRole(rolesFor(deps.protocol.people, req.actor), 'admin')) {
    deps.log.warn(
      {
        event: 'action_refused',
        userId: req.actor.userId,
        action: 'request_digest',
        code: 'role_not_permitted',
      },
      'refused a digest request: not admin',
    );
    return { reply: DIGEST_NOT_ADMIN_TEXT, refused: true };
  }
  if (!deps.digests) {
    deps.log.info({ userId: req.actor.userId }, 'digest asked for, but digests on demand are not wired in');
    return { reply: DIGEST_UNAVAILABLE_TEXT };
  }
  if (deps.protocol.leads.length === 0) return { reply: DIGEST_NO_LEADS_TEXT };
  const dates = parseDigestDates(req.rest);
  if (!dates.ok) return { reply: `${dates.problem} ${req.usage}` };
  return {
    args: {
      from: dates.from,
      to: dates.to,
      requestedBy: req.actor,
      ...(req.requestId ? { requestId: req.requestId } : {}),
    },
  };
}

/** Asks the Temporal side for the digest and says what happened, in words for the person. */
export async function requestDigest(deps: DigestDeps, args: DigestRequestArgs): Promise<string> {
  if (!deps.digests) return DIGEST_UNAVAILABLE_TEXT;
  let result: RequestDigestNowResult;
  try {
    result = await deps.digests.requestNow(args);
  } catch (err) {
    deps.log.error(
      {
        userId: args.requestedBy.userId,
        err: err instanceof Error ? err.message.slice(0, 200) : String(err),
      },
      'could not request a digest',
    );
    return DIGEST_FAILED_TEXT;
  }
  if (result.status === 'invalid') {
    deps.log.info({ userId: args.requestedBy.userId }, 'digest request with an invalid range');
    const said = result.message.trim();
    return `${/[.!?]$/.test(said) ? said : `${said}.`} Nothing was requested.`;
  }
  deps.log.info(
    {
      event: 'digest_requested',
      userId: args.requestedBy.userId,
      workflowId: result.workflowId,
      status: result.status,
      from: result.period.firstDay,
      to: result.period.lastDay,
    },
    'digest requested',
  );
  const range = formatDayRange(result.period.firstDay, result.period.lastDay);
  const where = deps.protocol.leads.length === 1 ? 'the leads channel' : 'the leads channels';
  return result.status === 'started'
    ? `Digest for ${range} requested; it will arrive in ${where}.`
    : `Digest for ${range} was already requested; it will arrive in ${where}. Nothing new was started.`;
}
