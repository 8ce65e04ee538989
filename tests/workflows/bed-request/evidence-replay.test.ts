// The three requests stranded in the kill -9 runs (tests/histories/evidence, exported with
// `temporal workflow show --output json`), replayed against today's code (docs/durability.md,
// "The stale clock"). Each history recorded the stale-clock path: a task on a freshly restarted
// worker, right after a ladder timer fired, started the same timer again instead of escalating.
// No correct clock takes that path, so replay must stop exactly where production did, at that
// TimerStarted, and everything before that task must replay cleanly.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { EncryptionCodec } from '../../../runtime/payload-codec.js';
import { loadHistoryFile } from '../../../runtime/replay-history.js';
import { dataConverterFor } from '../../../runtime/temporal-connection.js';
import { quietTemporalRuntime } from '../../support/temporal.js';
import { workflowBundle } from '../../support/workflow-harness.js';

const { EventType } = proto.temporal.api.enums.v1;
const DIR = fileURLToPath(new URL('../../histories/evidence/', import.meta.url));
// The throwaway key of the run that produced the evidence (see tests/histories/evidence/README.md).
const codec = new EncryptionCodec(Buffer.from('11'.repeat(32), 'hex'));
const files = readdirSync(DIR).filter((f) => f.endsWith('.history.json'));

/** Where each run failed in production: the TimerStarted that the stale task recorded. */
const STRANDED_AT: Record<string, number> = {
  'P6-MX4I4T3R-16.history.json': 37,
  'P6-MX4IF5HJ-0.history.json': 72,
  'P6-MX4IF5HJ-9.history.json': 63,
};

describe('the stranded histories from the kill -9 runs', () => {
  quietTemporalRuntime();

  it('are all here', () => {
    expect(files.sort()).toEqual(Object.keys(STRANDED_AT).sort());
  });

  it.each(files)('%s loads from the CLI export and ends where production stranded it', async (file) => {
    const history = await loadHistoryFile(join(DIR, file));
    const events = history.events ?? [];
    const last = events[events.length - 1];
    expect(last?.eventType).toBe(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
    const at = STRANDED_AT[file];
    expect(last?.workflowTaskFailedEventAttributes?.failure?.message).toContain(
      `HistoryEvent(id: ${at}, TimerStarted)`,
    );

    // The stale task: the timer it started has exactly the duration of the timer that had just
    // fired, which a clock that had moved on could not give.
    const stale = events.find((e) => Number(e.eventId) === at);
    const fired = [...events]
      .filter((e) => Number(e.eventId) < (at ?? 0) && e.eventType === EventType.EVENT_TYPE_TIMER_STARTED)
      .pop();
    expect(stale?.eventType).toBe(EventType.EVENT_TYPE_TIMER_STARTED);
    expect(stale?.timerStartedEventAttributes?.startToFireTimeout).toEqual(
      fired?.timerStartedEventAttributes?.startToFireTimeout,
    );

    const bundle = await workflowBundle();
    const replay = (h: typeof history) =>
      Worker.runReplayHistory({ workflowBundle: bundle, dataConverter: dataConverterFor(codec) }, h, file);

    // Today's code replays everything up to the stale task…
    const taskCompleted = Number(stale?.timerStartedEventAttributes?.workflowTaskCompletedEventId);
    const upToStaleTask = events.filter((e) => Number(e.eventId) < taskCompleted);
    await replay({ events: upToStaleTask });
    // …and refuses the stale path itself, exactly where production failed.
    await expect(replay(history)).rejects.toThrow(`HistoryEvent(id: ${at}, TimerStarted)`);
  });
});
