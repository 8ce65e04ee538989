// Replays the recorded digest and retention histories against today's workflow code, so a
// non-deterministic change to either workflow (one not guarded by patched()) fails the build.
// Re-record with `npx tsx tests/workflows/digest/histories/record-digest-histories.ts`.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import proto from '@temporalio/proto';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { quietTemporalRuntime } from '../../support/temporal.js';

const HISTORIES = fileURLToPath(new URL('./histories/', import.meta.url));
const files = readdirSync(HISTORIES).filter((f) => f.endsWith('.json'));

function load(file: string): proto.temporal.api.history.v1.History {
  const json = JSON.parse(readFileSync(join(HISTORIES, file), 'utf8')) as Record<string, unknown>;
  return proto.temporal.api.history.v1.History.fromObject(json);
}

const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
let bundle: Awaited<ReturnType<typeof bundleWorkflowCode>>;

describe('replaying recorded digest and retention histories', () => {
  quietTemporalRuntime();
  beforeAll(async () => {
    bundle = await bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('./workflows.ts', import.meta.url)),
      logger: silent,
    });
  }, 120_000);

  it('has the histories', () => {
    expect(files.sort()).toEqual(['digest-weekly.json', 'retention-purge.json']);
  });

  it.each(files)('%s replays deterministically', async (file) => {
    const history = load(file);
    expect(history.events.length).toBeGreaterThan(5);
    await Worker.runReplayHistory({ workflowBundle: bundle }, history, file);
  });
});
