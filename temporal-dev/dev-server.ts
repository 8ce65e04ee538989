// Starts (or reuses) a local Temporal dev server: `temporal server start-dev`, the gRPC frontend
// on :7233 and the Web UI on :8233 by default, persisted to .data/temporal.db.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { Connection, type ConnectionOptions } from '@temporalio/client';
import { findOrBuildTemporalCli } from './temporal-cli.js';
import { defaultLog, formatDuration, type Log } from './util.js';

/** Environment variables that override the default ports, named in the "port taken" error. */
export const DEV_PORT_ENV_VAR = 'TEMPORAL_DEV_PORT';
export const DEV_UI_PORT_ENV_VAR = 'TEMPORAL_DEV_UI_PORT';

export interface DevServerOptions {
  /** SQLite file for persistence, relative to the cwd. `null` keeps everything in memory. */
  dbFile?: string | null;
  /** gRPC frontend port. Default: $TEMPORAL_DEV_PORT or 7233. */
  port?: number;
  /** Web UI port. Default: $TEMPORAL_DEV_UI_PORT or 8233. Ignored when `headless`. */
  uiPort?: number;
  /** Namespace to use; created at start if it is not "default". */
  namespace?: string;
  /** IP to bind. Default: 127.0.0.1. */
  ip?: string;
  /** Run without the Web UI. Default: false. */
  headless?: boolean;
  /**
   * If a Temporal server already answers on `port`, use it instead of failing (its `stop()` then
   * does nothing). Default: true.
   */
  reuseExisting?: boolean;
  /** Path to the `temporal` CLI. Default: {@link findOrBuildTemporalCli}. */
  cliPath?: string;
  /** How long to wait for the frontend to answer. Default: 60 s. */
  startTimeoutMs?: number;
  /** Extra arguments for `temporal server start-dev`. */
  extraArgs?: string[];
  /** Receives progress and the server's own output lines. Default: stderr with a prefix. */
  log?: Log;
}

export interface DevServer {
  /** host:port of the gRPC frontend, for `Connection.connect({ address })`. */
  address: string;
  namespace: string;
  /** Web UI URL, or undefined when headless or reused. */
  uiUrl: string | undefined;
  /** True when an already-running server was reused rather than started. */
  reused: boolean;
  /** The server process id, when this call started it. */
  pid: number | undefined;
  /** Stops the server this call started (SIGTERM, then SIGKILL after 10 s). Idempotent. */
  stop: () => Promise<void>;
}

/** Thrown when a port we need is held by something other than a Temporal server. */
export class PortInUseError extends Error {
  override name = 'PortInUseError';
  constructor(
    readonly port: number,
    readonly what: string,
    envVar: string,
  ) {
    super(
      `Port ${port} (${what}) is already in use by something that is not a Temporal server. ` +
        `Free it (find the process with \`lsof -i :${port}\` or \`ss -ltnp 'sport = :${port}'\`) ` +
        `or choose another port with ${envVar}=<port>. To use a Temporal server you already run, ` +
        `set TEMPORAL_ADDRESS=host:port.`,
    );
  }
}

function envPort(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0 || n > 65_535) throw new Error(`${name}=${raw} is not a valid port`);
  return n;
}

/**
 * True if a Temporal frontend answers at `address` (host:port) within `timeoutMs`. Pass TLS or an
 * API key in `connection` for a remote cluster.
 */
export async function temporalReachable(
  address: string,
  opts: { timeoutMs?: number; connection?: Omit<ConnectionOptions, 'address'> } = {},
): Promise<boolean> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({
      ...opts.connection,
      address,
      connectTimeout: opts.timeoutMs ?? 3_000,
    });
    return true;
  } catch {
    return false;
  } finally {
    await connection?.close().catch(() => undefined);
  }
}

/** True if nothing is listening on host:port (we can bind it ourselves). */
export function portIsFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolvePromise(false));
    server.listen({ port, host, exclusive: true }, () => {
      server.close(() => resolvePromise(true));
    });
  });
}

/** A port that was free a moment ago, chosen by the OS. */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      server.close(() => (port ? resolvePromise(port) : reject(new Error('no free port'))));
    });
  });
}

function hostForAddress(ip: string): string {
  if (ip === '0.0.0.0') return '127.0.0.1';
  if (ip === '::') return '[::1]';
  return ip.includes(':') ? `[${ip}]` : ip;
}

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const {
    dbFile = '.data/temporal.db',
    port = envPort(DEV_PORT_ENV_VAR, 7233),
    uiPort = envPort(DEV_UI_PORT_ENV_VAR, 8233),
    namespace = 'default',
    ip = '127.0.0.1',
    headless = false,
    reuseExisting = true,
    startTimeoutMs = 60_000,
    extraArgs = [],
    log = defaultLog,
  } = options;
  const host = hostForAddress(ip);
  const address = `${host}:${port}`;
  const bindHost = ip === '0.0.0.0' || ip === '::' ? undefined : ip;

  if (!(await portIsFree(port, bindHost))) {
    if (await temporalReachable(address)) {
      if (!reuseExisting) throw new Error(`A Temporal server is already running at ${address}.`);
      log(`a Temporal server is already running at ${address}; using it`);
      return { address, namespace, uiUrl: undefined, reused: true, pid: undefined, stop: async () => {} };
    }
    throw new PortInUseError(port, 'Temporal gRPC frontend', DEV_PORT_ENV_VAR);
  }
  if (!headless && !(await portIsFree(uiPort, bindHost))) {
    throw new PortInUseError(uiPort, 'Temporal Web UI', DEV_UI_PORT_ENV_VAR);
  }

  const cli = options.cliPath ?? (await findOrBuildTemporalCli({ log }));
  const args = ['server', 'start-dev', '--ip', ip, '--port', String(port), '--log-level', 'warn'];
  if (dbFile !== null) {
    const dbPath = resolve(dbFile);
    await mkdir(dirname(dbPath), { recursive: true });
    args.push('--db-filename', dbPath);
  }
  if (headless) args.push('--headless');
  else args.push('--ui-port', String(uiPort));
  if (namespace !== 'default') args.push('--namespace', namespace);
  args.push(...extraArgs);

  const started = Date.now();
  // Through a small sh watchdog so the server cannot outlive this process, even a SIGKILLed one.
  const child = spawn('/bin/sh', ['-c', WATCHDOG, 'temporal-dev-server', cli, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    // Its own process group, so stop() can signal the watchdog and the server together.
    detached: true,
  });
  const output: string[] = [];
  let quiet = false; // shutdown chatter ("Failed to poll for task", dial errors) is not news
  const onOutput = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split(/\r?\n/)) {
      if (line.trim() === '') continue;
      output.push(line);
      if (output.length > 30) output.shift();
      if (!quiet) log(`server: ${line}`);
    }
  };
  child.stdout?.on('data', onOutput);
  child.stderr?.on('data', onOutput);

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => {
    child.once('exit', (code, signal) => res({ code, signal }));
  });
  let spawnError: Error | undefined;
  child.once('error', (err) => (spawnError = err));
  // If this process dies without calling stop(), take the server down with it.
  const killOnExit = () => signalGroup(child, 'SIGTERM');
  process.once('exit', killOnExit);

  const stopChild = stopper(child, exited, () => process.removeListener('exit', killOnExit));
  const stop = () => {
    quiet = true;
    return stopChild();
  };
  try {
    await waitUntilReady(address, namespace, startTimeoutMs, exited, () => spawnError, output);
  } catch (err) {
    await stop();
    throw err;
  }
  const uiUrl = headless ? undefined : `http://${host === '127.0.0.1' ? 'localhost' : host}:${uiPort}`;
  log(
    `Temporal dev server ready at ${address}${uiUrl ? `, UI at ${uiUrl}` : ''} (${formatDuration(Date.now() - started)})`,
  );
  return { address, namespace, uiUrl, reused: false, pid: child.pid, stop };
}

// Runs "$@" (the server) and stops it with SIGTERM when this shell gets TERM/INT/HUP or when its
// stdin, a pipe from the Node process, closes: that happens when Node exits for any reason.
const WATCHDOG = `
exec 3<&0
"$@" </dev/null &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null' TERM INT HUP
( while read -r _; do :; done; kill -TERM "$pid" 2>/dev/null ) <&3 >/dev/null 2>&1 &
exec 3<&-
while :; do
  wait "$pid"
  rc=$?
  kill -0 "$pid" 2>/dev/null || break
done
exit "$rc"
`;

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    child.kill(signal); // the group is gone already; make sure of the shell
  }
}

function stopper(child: ChildProcess, exited: Promise<unknown>, cleanup: () => void): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        signalGroup(child, 'SIGTERM');
        const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      child.stdin?.destroy();
      cleanup();
    })();
    return stopping;
  };
}

async function waitUntilReady(
  address: string,
  namespace: string,
  timeoutMs: number,
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>,
  spawnError: () => Error | undefined,
  output: string[],
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let done: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  void exited.then((r) => (done = r));
  for (;;) {
    const err = spawnError();
    if (err) throw new Error(`Could not start the Temporal dev server: ${err.message}`);
    if (done) {
      throw new Error(
        `The Temporal dev server exited (${done.signal ?? `code ${done.code}`}) before it was ready:\n` +
          output.join('\n'),
      );
    }
    if (await namespaceReady(address, namespace)) return;
    if (Date.now() > deadline) {
      throw new Error(
        `The Temporal dev server did not answer at ${address} within ${formatDuration(timeoutMs)}:\n` +
          output.join('\n'),
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function namespaceReady(address: string, namespace: string): Promise<boolean> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: 1_000 });
    await connection.withDeadline(Date.now() + 2_000, () =>
      connection!.workflowService.describeNamespace({ namespace }),
    );
    return true;
  } catch {
    return false;
  } finally {
    await connection?.close().catch(() => undefined);
  }
}
