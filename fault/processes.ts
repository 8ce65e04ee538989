import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';

export type Role = 'worker' | 'bots';

/** What a supervisor knows of one run of a role process. */
export interface Life {
  pid: number;
  spawnedAt: number;
  /** When it printed that it is running (undefined while starting, or if it died first). */
  readyAt: number | undefined;
  exitedAt: number | undefined;
  /** SIGKILL from the suite, or how it ended by itself. */
  end: string | undefined;
}

const READY_LINE = 'Concordat is running';

/** Every child still running, so an interrupted suite takes them down with it. */
const LIVE = new Set<ChildProcess>();

/** SIGKILLs every role process still running (the suite itself was interrupted). */
export function killAllRoleProcesses(): void {
  for (const child of LIVE) if (child.pid !== undefined) child.kill('SIGKILL');
  LIVE.clear();
}
const START_TIMEOUT_MS = 90_000;

/**
 * Runs `tsx runtime/main.ts --<role>` as a real node process (node --import tsx, so the PID is the
 * process that runs the code and `kill -9` lands on it, not on a wrapper), logs to a file, and
 * keeps every life's spawn, ready and exit times for the lateness measure.
 */
export class RoleProcess {
  readonly lives: Life[] = [];
  private child: ChildProcess | undefined;
  private ready: Promise<Life> | undefined;
  private readonly log: WriteStream;

  constructor(
    readonly role: Role,
    private readonly env: NodeJS.ProcessEnv,
    private readonly cwd: string,
    logDir: string,
  ) {
    this.log = createWriteStream(join(logDir, `${role}.log`), { flags: 'a' });
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  get current(): Life | undefined {
    return this.lives.at(-1);
  }

  /** Spawns a new life; resolves once it says it is running (rejects if it dies first). */
  start(): Promise<Life> {
    if (this.running && this.ready) return this.ready;
    const child = spawn(process.execPath, ['--import', 'tsx', 'runtime/main.ts', `--${this.role}`], {
      cwd: this.cwd,
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (child.pid === undefined) throw new Error(`could not spawn the ${this.role}`);
    LIVE.add(child);
    child.once('exit', () => LIVE.delete(child));
    const life: Life = {
      pid: child.pid,
      spawnedAt: Date.now(),
      readyAt: undefined,
      exitedAt: undefined,
      end: undefined,
    };
    this.lives.push(life);
    this.child = child;
    this.log.write(`\n===== ${this.role} pid ${child.pid} spawned ${new Date().toISOString()}\n`);
    this.ready = new Promise<Life>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.role} did not start in ${START_TIMEOUT_MS} ms`)),
        START_TIMEOUT_MS,
      );
      let tail = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        this.log.write(chunk);
        if (life.readyAt !== undefined) return;
        tail = (tail + chunk.toString('utf8')).slice(-4096);
        if (tail.includes(READY_LINE)) {
          life.readyAt = Date.now();
          clearTimeout(timer);
          resolve(life);
        }
      });
      child.stderr?.on('data', (chunk: Buffer) => this.log.write(chunk));
      child.once('exit', (code, signal) => {
        life.exitedAt = Date.now();
        life.end ??= signal ?? `exit ${code ?? '?'}`;
        this.log.write(`\n===== ${this.role} pid ${child.pid} ended (${life.end})\n`);
        clearTimeout(timer);
        if (life.readyAt === undefined)
          reject(new Error(`${this.role} exited (${life.end}) before it was ready`));
      });
    });
    return this.ready;
  }

  /** kill -9 the current life and wait until the OS has reaped it. */
  async kill9(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const life = this.current;
    if (life) life.end = 'SIGKILL';
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    process.kill(child.pid ?? -1, 'SIGKILL');
    await exited;
  }

  /** A clean stop at the end of the run (SIGTERM, then SIGKILL after 10 s). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  close(): void {
    this.log.end();
  }
}
