import { createHash } from 'node:crypto';
import {
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  type CalendarSpec,
  type Client,
  type DayOfWeek,
  type ScheduleDescription,
  type ScheduleOptions,
  type ScheduleSpec,
} from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import { DateTime } from 'luxon';
import type { Protocol } from '../domain/protocol.js';
import type { DigestWorkflowInput } from '../workflows/digest/digest-workflow.js';

/**
 * The Temporal Schedules Concordat runs: the daily and weekly digests for strategic leads, the
 * daily retention purge, and the stuck-request watchdog every minute (docs/watchdog.md). Times
 * come from the protocol file, in the force's time zone (Europe/London by default), so the
 * schedules follow the clock on the wall through both DST changes.
 *
 * `ensureSchedules` is called at every start of the worker (or `npm start`). It creates each
 * schedule under a fixed ID; when the schedule is already there it compares a fingerprint of what
 * the config asks for (kept in the scheduled action's memo) and updates only if they differ. So a
 * restart changes nothing, a config change updates in place, and two processes starting at once
 * cannot make two schedules. An operator's pause is kept across updates.
 */

export const SCHEDULE_IDS = {
  dailyDigest: 'concordat-digest-daily',
  weeklyDigest: 'concordat-digest-weekly',
  retentionPurge: 'concordat-retention-purge',
  watchdog: 'concordat-watchdog',
} as const;
export type ScheduleKey = keyof typeof SCHEDULE_IDS;

export const DIGEST_WORKFLOW_TYPE = 'digestWorkflow';
export const RETENTION_WORKFLOW_TYPE = 'retentionPurgeWorkflow';
export const WATCHDOG_WORKFLOW_TYPE = 'stuckRequestWatchdogWorkflow';
/** Run the purge in the small hours, clear of 01:00–02:00, which DST skips or repeats in the UK. */
export const DEFAULT_RETENTION_PURGE_TIME = '03:15';
const FINGERPRINT_MEMO_KEY = 'concordatScheduleFingerprint';

/** ISO weekday (Monday = 1) to Temporal's day names. */
const ISO_DAYS: Record<number, DayOfWeek> = {
  1: 'MONDAY',
  2: 'TUESDAY',
  3: 'WEDNESDAY',
  4: 'THURSDAY',
  5: 'FRIDAY',
  6: 'SATURDAY',
  7: 'SUNDAY',
};

export interface EnsureSchedulesOptions {
  taskQueue: string;
  /** HH:MM local time of the daily retention purge (default 03:15). */
  retentionPurgeTime?: string;
  log?: { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void };
}

export interface EnsureSchedulesResult {
  created: ScheduleKey[];
  updated: ScheduleKey[];
  unchanged: ScheduleKey[];
  /** Times that do not exist, or happen twice, on a DST change day in the time zone. */
  warnings: string[];
}

function hhmm(text: string): { hour: number; minute: number } {
  const m = /^(\d{2}):(\d{2})$/.exec(text);
  const hour = Number(m?.[1]);
  const minute = Number(m?.[2]);
  if (!m || hour > 23 || minute > 59) throw new Error(`"${text}" is not a time: write it as HH:MM, 24-hour`);
  return { hour, minute };
}

/** Stable JSON: keys sorted, so the fingerprint does not depend on object construction order. */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stable(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** What the config asks for, as ScheduleOptions (pure: no server). */
export function desiredSchedules(
  protocol: Protocol,
  options: Pick<EnsureSchedulesOptions, 'taskQueue' | 'retentionPurgeTime'>,
): Record<ScheduleKey, ScheduleOptions> {
  const timezone = protocol.force.timeZone;
  const daily = hhmm(protocol.digest.daily);
  const weekly = hhmm(protocol.digest.weekly.time);
  const purge = hhmm(options.retentionPurgeTime ?? DEFAULT_RETENTION_PURGE_TIME);
  const weekday = ISO_DAYS[protocol.digest.weekly.day] ?? 'MONDAY';

  const build = (
    key: ScheduleKey,
    when: { calendar: CalendarSpec } | { every: Duration },
    workflowType: string,
    args: unknown[],
    catchupWindow: Duration,
    executionTimeout: Duration,
  ): ScheduleOptions => {
    const scheduleId = SCHEDULE_IDS[key];
    const spec: ScheduleSpec =
      'every' in when
        ? { intervals: [{ every: when.every }], timezone }
        : { calendars: [when.calendar], timezone };
    const core = {
      spec,
      action: {
        type: 'startWorkflow' as const,
        workflowType,
        args,
        taskQueue: options.taskQueue,
        workflowId: scheduleId,
        workflowExecutionTimeout: executionTimeout,
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow, pauseOnFailure: false },
    };
    const fingerprint = createHash('sha256').update(stable(core)).digest('hex').slice(0, 32);
    return {
      scheduleId,
      ...core,
      action: { ...core.action, memo: { [FINGERPRINT_MEMO_KEY]: fingerprint } },
    };
  };

  const dailyInput: DigestWorkflowInput = { kind: 'daily' };
  const weeklyInput: DigestWorkflowInput = { kind: 'weekly' };
  return {
    dailyDigest: build(
      'dailyDigest',
      { calendar: { ...daily, comment: `Daily digest at ${protocol.digest.daily} ${timezone}` } },
      DIGEST_WORKFLOW_TYPE,
      [dailyInput],
      // Missed while the server was down: still worth sending the same day.
      '12 hours',
      '2 hours',
    ),
    weeklyDigest: build(
      'weeklyDigest',
      {
        calendar: {
          ...weekly,
          dayOfWeek: weekday,
          comment: `Weekly digest, ${weekday.toLowerCase()} at ${protocol.digest.weekly.time} ${timezone}`,
        },
      },
      DIGEST_WORKFLOW_TYPE,
      [weeklyInput],
      '2 days',
      '2 hours',
    ),
    retentionPurge: build(
      'retentionPurge',
      {
        calendar: {
          ...purge,
          comment: `Retention purge at ${options.retentionPurgeTime ?? DEFAULT_RETENTION_PURGE_TIME} ${timezone}`,
        },
      },
      RETENTION_WORKFLOW_TYPE,
      [],
      '1 day',
      '6 hours',
    ),
    watchdog: build(
      'watchdog',
      { every: protocol.watchdog.every },
      WATCHDOG_WORKFLOW_TYPE,
      [],
      // A missed look is worth nothing once the next one is due (10 s is the server's minimum).
      Math.max(protocol.watchdog.every, 10_000),
      '10 minutes',
    ),
  };
}

/**
 * Local times that a DST change skips (the schedule would not fire that day) or repeats (it would
 * fire twice), over the coming year in the zone.
 */
export function dstWarnings(protocol: Protocol, retentionPurgeTime = DEFAULT_RETENTION_PURGE_TIME): string[] {
  const zone = protocol.force.timeZone;
  const times: Array<[string, string]> = [
    ['digest.daily', protocol.digest.daily],
    ['digest.weekly.time', protocol.digest.weekly.time],
    ['retention purge', retentionPurgeTime],
  ];
  const out: string[] = [];
  for (const [field, time] of times) {
    const { hour, minute } = hhmm(time);
    let day = DateTime.now().setZone(zone).startOf('day');
    for (let i = 0; i < 366; i++, day = day.plus({ days: 1 })) {
      const at = day.set({ hour, minute });
      if (at.hour !== hour || at.minute !== minute) {
        out.push(
          `${field} ${time}: does not exist on ${day.toISODate() ?? '?'} in ${zone} (clocks go forward)`,
        );
        break;
      }
      if (at.getPossibleOffsets().length > 1) {
        out.push(`${field} ${time}: happens twice on ${day.toISODate() ?? '?'} in ${zone} (clocks go back)`);
        break;
      }
    }
  }
  return out;
}

function fingerprintOf(d: ScheduleDescription): unknown {
  return d.action.memo?.[FINGERPRINT_MEMO_KEY];
}

/** Creates the schedules, or updates those whose config changed. Idempotent. */
export async function ensureSchedules(
  client: Client,
  protocol: Protocol,
  options: EnsureSchedulesOptions,
): Promise<EnsureSchedulesResult> {
  const desired = desiredSchedules(protocol, options);
  const result: EnsureSchedulesResult = {
    created: [],
    updated: [],
    unchanged: [],
    warnings: dstWarnings(protocol, options.retentionPurgeTime),
  };
  for (const w of result.warnings) options.log?.warn({ warning: w }, 'schedule time and DST');

  for (const key of Object.keys(desired) as ScheduleKey[]) {
    const want = desired[key];
    try {
      await client.schedule.create(want);
      result.created.push(key);
      options.log?.info({ scheduleId: want.scheduleId }, 'schedule created');
      continue;
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    }
    const handle = client.schedule.getHandle(want.scheduleId);
    const current = await handle.describe();
    if (fingerprintOf(current) === want.action.memo?.[FINGERPRINT_MEMO_KEY]) {
      result.unchanged.push(key);
      continue;
    }
    await handle.update((previous) => ({
      spec: want.spec,
      action: want.action,
      ...(want.policies ? { policies: want.policies } : {}),
      // Keep an operator's pause (and its note) across a config change.
      state: {
        paused: previous.state.paused,
        ...(previous.state.note !== undefined ? { note: previous.state.note } : {}),
        ...(previous.state.remainingActions !== undefined
          ? { remainingActions: previous.state.remainingActions }
          : {}),
      },
    }));
    result.updated.push(key);
    options.log?.info({ scheduleId: want.scheduleId }, 'schedule updated to match the config');
  }
  return result;
}
