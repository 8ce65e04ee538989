// Small helpers shared by the temporal-dev scripts: cache location, PATH lookup, and running a
// long child process while showing the user that it is still working.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { access, constants, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Log = (line: string) => void;

/** Progress goes to stderr so that stdout stays clean for values such as a printed path. */
export const defaultLog: Log = (line) => {
  process.stderr.write(`[temporal-dev] ${line}\n`);
};

/**
 * A tool needed to provide a Temporal server is missing. `message` says, in one paragraph, what to
 * install; callers print it as is.
 */
export class MissingToolError extends Error {
  override name = 'MissingToolError';
}

/** `${XDG_CACHE_HOME:-~/.cache}/concordat`: per user, outside the checkout. */
export function concordatCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg && xdg.trim() !== '' ? xdg : join(env.HOME ?? homedir(), '.cache');
  return join(base, 'concordat');
}

export async function isExecutableFile(path: string): Promise<boolean> {
  try {
    const s = await stat(path);
    if (!s.isFile()) return false;
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Like `command -v name`: the first executable `name` on `env.PATH`, or undefined. */
export async function findOnPath(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string | undefined> {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (await isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/** True when the module at `metaUrl` is the script node/tsx was asked to run. */
export function isMain(metaUrl: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && resolve(entry) === fileURLToPath(metaUrl);
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Every output line of the child is appended here, for the post-mortem of a failure. */
  logFile: string;
  /** Called for each output line (stdout and stderr); decide there what to show. */
  onLine?: (line: string) => void;
  /** Print `still <tickLabel>… Ns` every `tickMs` while the child runs. */
  tickLabel: string;
  tickMs?: number;
  /** Extra text for the tick line, e.g. a counter kept by `onLine`. */
  tickDetail?: () => string;
  log: Log;
}

export interface RunResult {
  code: number;
  /** The last lines of output, for error messages. */
  tail: string[];
}

/**
 * Run a long command, keep its full output in a log file, and tick a progress line so a user
 * watching a first build sees it is working. Rejects only if the command cannot be started.
 */
export function runWithProgress(cmd: string, args: string[], opts: RunOptions): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const started = Date.now();
    const logStream = createWriteStream(opts.logFile, { flags: 'w' });
    logStream.write(`$ ${cmd} ${args.join(' ')}\n`);
    const tail: string[] = [];
    const child = spawn(cmd, args, {
      env: opts.env ?? process.env,
      cwd: opts.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const onData = (() => {
      let pending = '';
      return (chunk: Buffer) => {
        logStream.write(chunk);
        pending += chunk.toString('utf8');
        const lines = pending.split(/\r?\n/);
        pending = lines.pop() ?? '';
        for (const line of lines) {
          tail.push(line);
          if (tail.length > 40) tail.shift();
          opts.onLine?.(line);
        }
      };
    })();
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const ticker = setInterval(() => {
      const secs = Math.round((Date.now() - started) / 1000);
      const detail = opts.tickDetail?.() ?? '';
      opts.log(`still ${opts.tickLabel}… ${secs}s${detail ? ` (${detail})` : ''}`);
    }, opts.tickMs ?? 15_000);
    ticker.unref();
    child.on('error', (err) => {
      clearInterval(ticker);
      logStream.end();
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearInterval(ticker);
      logStream.end(() => resolvePromise({ code: code ?? (signal ? 128 : 1), tail }));
    });
  });
}

/** Run a short command and return its stdout, or undefined if it fails or is missing. */
export function captureOutput(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 30_000,
): Promise<string | undefined> {
  return new Promise((resolvePromise) => {
    let out = '';
    let child;
    try {
      child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    } catch {
      resolvePromise(undefined);
      return;
    }
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.on('error', () => resolvePromise(undefined));
    child.on('close', (code) => resolvePromise(code === 0 ? out.trim() : undefined));
  });
}
