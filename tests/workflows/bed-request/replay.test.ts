// Replays the recorded histories in tests/histories against today's workflow code, so that a
// non-deterministic change to bedRequestWorkflow (one not guarded by patched()) fails the build.
// Regenerate them with `npx tsx tests/histories/record-bed-request-histories.ts`.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import proto from '@temporalio/proto';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { quietTemporalRuntime } from '../../support/temporal.js';
import { workflowBundle } from '../../support/workflow-harness.js';

const HISTORIES = fileURLToPath(new URL('../../histories/', import.meta.url));
const files = readdirSync(HISTORIES).filter((f) => f.endsWith('.json'));

function load(file: string): proto.temporal.api.history.v1.History {
  const json = JSON.parse(readFileSync(join(HISTORIES, file), 'utf8')) as Record<string, unknown>;
  return proto.temporal.api.history.v1.History.fromObject(json);
}

describe('replaying recorded bedRequestWorkflow histories', () => {
  quietTemporalRuntime();

  it('has histories to replay', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'bed-request-seed-night.json',
        'bed-request-continued-run.json',
        // Recorded after the logical clock (patched: logical-decision-clock).
        'bed-request-seed-night-logical-clock.json',
        'bed-request-continued-run-logical-clock.json',
        // Recorded after a stay stopped ending the request (patched: stay-continues-held-bed-sought,
        // repeat-child-at-start, shift-handover, live-roster).
        'bed-request-seed-night-held-night.json',
        'bed-request-continued-run-held-night.json',
        // An inspector's countersignature (patched: inspector-countersignature).
        'bed-request-countersigned-night.json',
      ]),
    );
  });

  it.each(files)('%s replays deterministically', async (file) => {
    const history = load(file);
    expect(history.events.length).toBeGreaterThan(20);
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, file);
  });

  it('catches a change that is not deterministic', async () => {
    const changed = await bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('./fixtures/changed-workflow.ts', import.meta.url)),
      logger: {
        log: () => {},
        trace: () => {},
        debug: () => {},
        info: () => {},
        warn: () => {},
        error: () => {},
      },
    });
    await expect(
      Worker.runReplayHistory({ workflowBundle: changed }, load('bed-request-seed-night.json'), 'changed'),
    ).rejects.toThrow(/[Nn]ondetermin|DeterminismViolation/);
  });
});
