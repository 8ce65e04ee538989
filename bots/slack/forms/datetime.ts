import { DateTime } from 'luxon';

/**
 * Slack's datetimepicker sends Unix seconds (the user picks in their Slack time zone); Concordat
 * stores ISO-8601 with the force's local offset, e.g. 2013-02-18T21:40:00+00:00 or …+01:00 in BST.
 * A string that is already ISO (a client that sends text) passes through for zod to judge.
 */
export function toLocalIso(value: string | number | undefined, zone: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') {
    const dt = DateTime.fromSeconds(value, { zone });
    return dt.isValid ? (dt.toISO({ suppressMilliseconds: true }) ?? undefined) : undefined;
  }
  return value;
}

export function toUnixSeconds(iso: string): number | undefined {
  const dt = DateTime.fromISO(iso);
  return dt.isValid ? Math.floor(dt.toSeconds()) : undefined;
}
