// One Temporal test environment, one real worker, real activities, a recording chat port and a
// PGlite records store, shared by the tests of one file.
//
// The time-skipping test server can start its clock at any instant (a small Java launcher around
// the cached io.temporal:temporal-test-server, below), so tests can replay the seed's story on
// its real dates in February 2013, or the nights the clocks changed in 2026, and move forward
// with `advanceTo()`.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { access, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { createActivities } from '../../activities/index.js';
import type { RequestAction } from '../../domain/actions.js';
import type { Actor } from '../../domain/people.js';
import type { RequestView } from '../../domain/request-view.js';
import type { BedRequestForm, BedRequestInput } from '../../domain/bed-request.js';
import { bedRequestInputSchema } from '../../domain/bed-request.js';
import type { Protocol, ProtocolFile } from '../../domain/protocol.js';
import { parseProtocol } from '../../runtime/config.js';
import { createBedRequestClient, type BedRequestClient } from '../../runtime/bed-request-client.js';
import { openStore, type Store } from '../../store/open-store.js';
import { findOrInstallTestServer } from '../../temporal-dev/test-server.js';
import { concordatCacheRoot } from '../../temporal-dev/util.js';
import { RecordingChatPort } from './recording-chat-port.js';
import { quietTemporalRuntime } from './temporal.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const WORKFLOWS_PATH = join(ROOT, 'workflows', 'index.ts');
export const EXAMPLE_PROTOCOL_PATH = join(ROOT, 'config', 'concordat.example.yaml');

const LAUNCHER_SOURCE = `import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;

/** TestServer's main, with the clock starting at args[1] (epoch ms) instead of now. */
public final class ClockedTestServer {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    long initialTimeMillis = Long.parseLong(args[1]);
    // As TestServer.main without --enable-time-skipping: skipping locked until the SDK unlocks it.
    TestServicesStarter starter = new TestServicesStarter(true, initialTimeMillis);
    ServerBuilder<?> builder = Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create());
    GRPCServerHelper.registerServicesAndHealthChecks(starter.getServices(), builder);
    Server server = builder.build().start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> { server.shutdownNow(); starter.close(); }));
    server.awaitTermination();
  }
}
`;

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/**
 * A launcher (`<path> <port>`, as the SDK runs it) for the cached Java test server whose clock
 * starts at `startAtMs`. The launcher class is compiled once per test-server version.
 */
export async function clockedTestServer(startAtMs: number): Promise<string> {
  const stock = await findOrInstallTestServer();
  const serverDir = dirname(stock);
  const hash = createHash('sha256').update(LAUNCHER_SOURCE).update(serverDir).digest('hex').slice(0, 12);
  const dir = join(concordatCacheRoot(), 'clocked-test-server', hash);
  const classFile = join(dir, 'classes', 'ClockedTestServer.class');
  if (!(await exists(classFile))) {
    const work = `${dir}.${process.pid}.${randomBytes(4).toString('hex')}`;
    await mkdir(join(work, 'classes'), { recursive: true });
    await writeFile(join(work, 'ClockedTestServer.java'), LAUNCHER_SOURCE);
    await run('javac', [
      '-cp',
      join(serverDir, 'lib', '*'),
      '-d',
      join(work, 'classes'),
      join(work, 'ClockedTestServer.java'),
    ]);
    await rename(work, dir).catch(async () => {
      await rm(work, { recursive: true, force: true }); // another process won the race
    });
  }
  const script = join(dir, `launch-${startAtMs}.sh`);
  if (!(await exists(script))) {
    const stockScript = await readFile(stock, 'utf8');
    const javaOpts = /-Djava\.util\.logging\.config\.file="[^"]*"/.exec(stockScript)?.[0] ?? '';
    await writeFile(
      `${script}.tmp${process.pid}`,
      `#!/bin/sh
DIR='${serverDir}'
if [ -n "\${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi
exec "$JAVA" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 ${javaOpts} -cp "$DIR/lib/*:${join(dir, 'classes')}" ClockedTestServer "$1" ${startAtMs}
`,
      { mode: 0o755 },
    );
    await rename(`${script}.tmp${process.pid}`, script);
  }
  return script;
}

/** A time-skipping test environment whose clock starts at `startAt`. */
export async function createClockedTestEnv(startAt: string): Promise<TestWorkflowEnvironment> {
  quietTemporalRuntime();
  const path = await clockedTestServer(Date.parse(startAt));
  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      return await TestWorkflowEnvironment.createTimeSkipping({
        server: { executable: { type: 'existing-path', path } },
      });
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

const DEBUG = process.env.CONCORDAT_TEST_DEBUG === '1';
function debug(line: string): void {
  if (DEBUG) console.log(`[harness ${new Date().toISOString()}] ${line}`);
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** The workflow bundle, built once per test process. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietBundlerLogger });
  return bundle;
}

const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};

/** The shipped example protocol, optionally edited (as parsed YAML) before validation. */
export function testProtocol(edit?: (file: ProtocolFile) => void): Protocol {
  const file = parseYaml(readFileSync(EXAMPLE_PROTOCOL_PATH, 'utf8')) as ProtocolFile;
  edit?.(file);
  return parseProtocol(toYaml(file), 'test protocol');
}

export interface Harness {
  env: TestWorkflowEnvironment;
  store: Store;
  chat: RecordingChatPort;
  protocol: Protocol;
  client: BedRequestClient;
  /**
   * A plain client on the test server. Use it, not \`env.client\`: the environment's client unlocks
   * time skipping while it awaits a result, and the Java server then runs its clock ahead to the
   * next internal timer (years ahead), which breaks tests that care about the date.
   */
  temporal: Client;
  taskQueue: string;
  /** Waits (in real time, clock locked) until the workflow has closed, then returns its result. */
  result<T = unknown>(workflowId: string): Promise<T>;
  /** The test server's clock. */
  nowMs(): Promise<number>;
  /** Moves the test server's clock forward to `iso` (timers due on the way fire). */
  advanceTo(iso: string): Promise<void>;
  /** Moves the clock forward by `ms`. */
  advance(ms: number): Promise<void>;
  /** Swaps the protocol the activities read (a running request keeps its snapshot). */
  setProtocol(protocol: Protocol): void;
  teardown(): Promise<void>;
}

export async function createHarness(opts: {
  startAt: string;
  taskQueue: string;
  protocol?: Protocol;
}): Promise<Harness> {
  const [env, store, workflowBundleCode] = await Promise.all([
    createClockedTestEnv(opts.startAt),
    openStore({ dataDir: 'memory://', secrets: { pseudonymKey: randomBytes(32), dataKey: randomBytes(32) } }),
    workflowBundle(),
  ]);
  const chat = new RecordingChatPort();
  let protocol = opts.protocol ?? testProtocol();
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: opts.taskQueue,
    workflowBundle: workflowBundleCode,
    activities: createActivities({ chat, store, protocol: () => protocol }),
    // Two cores: keep the worker small.
    maxConcurrentActivityTaskExecutions: 20,
  });
  const running = worker.run();
  const temporal = new Client({ connection: env.connection, namespace: env.namespace ?? 'default' });
  const client = createBedRequestClient(temporal, {
    taskQueue: opts.taskQueue,
    actionClock: () => env.currentTimeMs(),
  });
  return {
    env,
    store,
    chat,
    get protocol() {
      return protocol;
    },
    client,
    temporal,
    taskQueue: opts.taskQueue,
    async result<T>(workflowId: string): Promise<T> {
      const handle = temporal.workflow.getHandle(workflowId);
      await eventually(
        async () => ((await handle.describe()).status.name !== 'RUNNING' ? true : undefined),
        30_000,
      );
      return (await handle.result()) as T;
    },
    nowMs: () => env.currentTimeMs(),
    async advanceTo(iso) {
      const delta = Date.parse(iso) - (await env.currentTimeMs());
      debug(`advanceTo ${iso} (+${delta} ms)`);
      if (delta > 0) await env.sleep(delta);
      debug(`advanced to ${new Date(await env.currentTimeMs()).toISOString()}`);
    },
    async advance(ms) {
      debug(`advance +${ms} ms from ${new Date(await env.currentTimeMs()).toISOString()}`);
      await env.sleep(ms);
      debug(`advanced to ${new Date(await env.currentTimeMs()).toISOString()}`);
    },
    setProtocol(p) {
      protocol = p;
    },
    async teardown() {
      worker.shutdown();
      await running.catch(() => undefined);
      await env.teardown();
      await store.close();
    },
  };
}

/** A valid bed request (the seed's child by default: 15, PNC ID, out of hours, Northampton). */
export function bedRequest(over: Partial<BedRequestForm> = {}): BedRequestInput {
  return bedRequestInputSchema.parse({
    custodyRecordNumber: 'NC-1302-0042',
    custodySuiteId: 'northampton-cjc',
    child: { pncId: '13/123456A' },
    age: 15,
    homeLocalAuthorityId: 'west-northamptonshire',
    chargedAt: '2013-02-18T21:00:00Z',
    bailRefusalGround: 'commit_offence',
    nextCourtSitting: '2013-02-19T10:00:00Z',
    accommodation: 'non_secure',
    needsAndRisks: '',
    requestingOfficer: { platform: 'slack', userId: 'U0SERGEANT', displayName: 'Sgt Example' },
    ...over,
  });
}

/** Polls until `check` returns a value (not undefined/false), real time. */
export async function eventually<T>(
  check: () => T | undefined | false | null | Promise<T | undefined | false | null>,
  timeoutMs = 20_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false && v !== null) return v;
    if (Date.now() > until) throw new Error('eventually: timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** People from the shipped example protocol. */
export const PEOPLE = {
  sergeant: { platform: 'slack', userId: 'U0SERGEANT', displayName: 'Sgt Example' },
  responder: { platform: 'slack', userId: 'U0RESPONDER', displayName: 'Duty social worker' },
  edtManager: { platform: 'slack', userId: 'U0EDTMGR', displayName: 'EDT manager' },
  lead: { platform: 'slack', userId: 'U0LEAD', displayName: 'Force custody lead' },
} as const satisfies Record<string, Actor>;

let actionSeq = 0;
/** Sends one action into a request, as a bot would, with a fresh action ID. */
export async function actAs(
  h: Harness,
  workflowId: string,
  actor: Actor,
  action: RequestAction,
): Promise<void> {
  actionSeq += 1;
  await h.client.act(workflowId, { actionId: `t-${process.pid}-${actionSeq}`, actor, action });
}

/** Polls the request's view until `check` holds. */
export function viewWhen(
  h: Harness,
  workflowId: string,
  check: (v: RequestView) => boolean,
): Promise<RequestView> {
  return eventually(async () => {
    const v = await h.client.view(workflowId);
    return v && check(v) ? v : undefined;
  });
}
