// Temporal servers for tests.
//
// Time-skipping (the default for workflow tests; timers of days finish in milliseconds):
//
//   let env: TestWorkflowEnvironment;
//   beforeAll(async () => { env = await createTestEnv(); });
//   afterAll(async () => { await env?.teardown(); });
//   test('...', async () => {
//     const worker = await Worker.create({
//       connection: env.nativeConnection, taskQueue, workflowsPath, activities });
//     await worker.runUntil(env.client.workflow.execute(myWorkflow, { taskQueue, workflowId, args }));
//   });
//
// The time-skipping server does not support Schedules, and waiting on an Update does not advance
// skipped time. For those, use a real dev server: `startTestDevServer()` (address + stop), or
// `createLocalTestEnv()` (a TestWorkflowEnvironment with client and nativeConnection, no skipping).
//
// Set TEMPORAL_TEST_VERBOSE=1 to see the servers' and the worker's logs.
import { Runtime, DefaultLogger, makeTelemetryFilterString } from '@temporalio/worker';
import {
  TestWorkflowEnvironment,
  type LocalTestWorkflowEnvironmentOptions,
  type TimeSkippingTestWorkflowEnvironmentOptions,
} from '@temporalio/testing';
import { findFreePort, startDevServer } from '../../temporal-dev/dev-server.js';
import { findOrBuildTemporalCli } from '../../temporal-dev/temporal-cli.js';
import { findOrInstallTestServer } from '../../temporal-dev/test-server.js';
import { defaultLog, type Log } from '../../temporal-dev/util.js';

const verbose = process.env.TEMPORAL_TEST_VERBOSE === '1';
const testLog: Log = verbose ? defaultLog : () => {};

let runtimeConfigured = false;

/**
 * Keeps the Temporal runtime's and workers' logs at WARN so test output stays readable (the default
 * is INFO, a few lines per worker start and stop). Call it before the first Worker or
 * TestWorkflowEnvironment in a test file; the helpers below call it for you. Does nothing if the
 * runtime already exists.
 */
export function quietTemporalRuntime(): void {
  if (runtimeConfigured || verbose) return;
  runtimeConfigured = true;
  try {
    const fallback = new DefaultLogger('WARN');
    Runtime.install({
      logger: new DefaultLogger('WARN', (entry) => {
        // The Java test server does not advertise this capability; the warning is noise here.
        if (entry.message.includes('activity_failure_include_heartbeat')) return;
        fallback.log(entry.level, entry.message, entry.meta);
      }),
      telemetryOptions: {
        logging: { filter: makeTelemetryFilterString({ core: 'WARN', other: 'ERROR' }), forward: {} },
      },
    });
  } catch {
    // Already instantiated by the test itself: keep what it chose.
  }
}

async function withRetries<T>(what: string, attempts: number, fn: () => Promise<T>): Promise<T> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return await fn();
    } catch (err) {
      lastError = err;
      if (attempt < attempts) {
        testLog(`${what} failed (attempt ${attempt}/${attempts}): ${String(err)}; retrying`);
      }
    }
  }
  throw lastError;
}

/**
 * A time-skipping TestWorkflowEnvironment on the Java test server from the per-user cache
 * (installed on first use; `npm run temporal:install` does it ahead of time). Call `teardown()`
 * when done: it stops the server.
 */
export async function createTestEnv(
  opts: Omit<TimeSkippingTestWorkflowEnvironmentOptions, 'server'> = {},
): Promise<TestWorkflowEnvironment> {
  quietTemporalRuntime();
  const path = await findOrInstallTestServer({ log: testLog });
  // The SDK gives the server 5 s to come up (fixed in its core); a JVM on a loaded 2-core machine
  // can miss that a few times running.
  return withRetries('starting the time-skipping test server', 6, () =>
    TestWorkflowEnvironment.createTimeSkipping({
      ...opts,
      server: { executable: { type: 'existing-path', path } },
    }),
  );
}

/**
 * A TestWorkflowEnvironment on a throwaway in-memory dev server (the Temporal CLI; no time
 * skipping, but Schedules, Updates and everything else a real server does). `teardown()` stops it.
 */
export async function createLocalTestEnv(
  opts: Omit<LocalTestWorkflowEnvironmentOptions, 'server'> & { namespace?: string } = {},
): Promise<TestWorkflowEnvironment> {
  quietTemporalRuntime();
  const { namespace, ...rest } = opts;
  const path = await findOrBuildTemporalCli({ log: testLog });
  return withRetries('starting the dev server', 3, () =>
    TestWorkflowEnvironment.createLocal({
      ...rest,
      server: {
        executable: { type: 'existing-path', path },
        ...(namespace ? { namespace } : {}),
        log: { format: 'pretty', level: 'error' },
      },
    }),
  );
}

export interface TestDevServer {
  /** host:port of the frontend, for Connection.connect / NativeConnection.connect. */
  address: string;
  namespace: string;
  /** Stops the server (SIGTERM, then SIGKILL). Idempotent. */
  stop: () => Promise<void>;
}

/**
 * Starts a throwaway Temporal dev server on a free port, in memory (no --db-filename), without
 * the Web UI. Use it for tests that need Schedules or Updates. Call `stop()` in afterAll.
 */
export async function startTestDevServer(opts: { namespace?: string } = {}): Promise<TestDevServer> {
  quietTemporalRuntime();
  const cliPath = await findOrBuildTemporalCli({ log: testLog });
  // Another process can take the free port between our probe and the server's bind: retry.
  const server = await withRetries('starting the dev server', 3, async () =>
    startDevServer({
      cliPath,
      dbFile: null,
      port: await findFreePort(),
      headless: true,
      reuseExisting: false,
      namespace: opts.namespace ?? 'default',
      startTimeoutMs: 90_000,
      log: testLog,
    }),
  );
  return { address: server.address, namespace: server.namespace, stop: server.stop };
}
