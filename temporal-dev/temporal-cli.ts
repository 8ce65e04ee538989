// Finds a Temporal CLI (which runs the dev server), downloading or building one if need be.
//
// Order: $TEMPORAL_CLI_PATH, `temporal` on PATH, the per-user cache, the official release archive,
// and finally `go install` from the Go module proxy into the cache. v1.5.1 is the newest tag whose
// go.mod has no `replace` directive, so it is the newest that `go install pkg@version` can build.
//
// Run `tsx temporal-dev/temporal-cli.ts` to print the path (progress goes to stderr).
import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  MissingToolError,
  captureOutput,
  concordatCacheRoot,
  defaultLog,
  findOnPath,
  formatDuration,
  isExecutableFile,
  isMain,
  runWithProgress,
  type Log,
} from './util.js';

export const TEMPORAL_CLI_VERSION = '1.5.1';
export const TEMPORAL_CLI_ENV_VAR = 'TEMPORAL_CLI_PATH';
const GO_PACKAGE = 'github.com/temporalio/cli/cmd/temporal';
const RELEASE_BASE = `https://github.com/temporalio/cli/releases/download/v${TEMPORAL_CLI_VERSION}`;

export type TemporalCliSource = 'env' | 'path' | 'cache' | 'download' | 'build';

export interface FindTemporalCliOptions {
  /** Environment to read TEMPORAL_CLI_PATH, PATH and XDG_CACHE_HOME from. Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /** Where the CLI is cached. Default: ${XDG_CACHE_HOME:-~/.cache}/concordat/temporal-cli/v1.5.1. */
  cacheDir?: string;
  /** Try the official release archive. Default: true. */
  download?: boolean;
  /** Build with `go install` as a last resort. Default: true. */
  build?: boolean;
  /** Where release archives live (tests point this at a local server). Default: GitHub releases. */
  releaseBaseUrl?: string;
  /** Timeout for reaching the release archive. Default: 10 s. */
  downloadTimeoutMs?: number;
  log?: Log;
}

export function temporalCliCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(concordatCacheRoot(env), 'temporal-cli', `v${TEMPORAL_CLI_VERSION}`);
}

/** Finds (or downloads, or builds) a Temporal CLI and returns the path to its executable. */
export async function findOrBuildTemporalCli(opts: FindTemporalCliOptions = {}): Promise<string> {
  return (await locateTemporalCli(opts)).path;
}

/** Like {@link findOrBuildTemporalCli}, also saying where the CLI came from. */
export async function locateTemporalCli(
  opts: FindTemporalCliOptions = {},
): Promise<{ path: string; source: TemporalCliSource }> {
  const env = opts.env ?? process.env;
  const log = opts.log ?? defaultLog;
  const cacheDir = opts.cacheDir ?? temporalCliCacheDir(env);
  const cached = join(cacheDir, 'temporal');

  const fromEnv = env[TEMPORAL_CLI_ENV_VAR];
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!(await isExecutableFile(fromEnv))) {
      throw new Error(`${TEMPORAL_CLI_ENV_VAR}=${fromEnv} is not an executable file. Fix or unset it.`);
    }
    return { path: fromEnv, source: 'env' };
  }

  const onPath = await findOnPath('temporal', env);
  if (onPath) return { path: onPath, source: 'path' };

  if (await isExecutableFile(cached)) return { path: cached, source: 'cache' };

  await mkdir(cacheDir, { recursive: true });

  if (opts.download ?? true) {
    const downloaded = await tryDownloadRelease(
      cacheDir,
      opts.releaseBaseUrl ?? RELEASE_BASE,
      opts.downloadTimeoutMs ?? 10_000,
      log,
    );
    if (downloaded) return { path: downloaded, source: 'download' };
  }

  if (opts.build ?? true) {
    return { path: await buildWithGo(cacheDir, env, log), source: 'build' };
  }

  throw new MissingToolError(
    `No Temporal CLI found: set ${TEMPORAL_CLI_ENV_VAR}, put \`temporal\` on PATH, or place it at ${cached}.`,
  );
}

function releasePlatform(): { os: string; arch: string } | undefined {
  const os = process.platform === 'linux' || process.platform === 'darwin' ? process.platform : undefined;
  const arch = process.arch === 'x64' ? 'amd64' : process.arch === 'arm64' ? 'arm64' : undefined;
  return os && arch ? { os, arch } : undefined;
}

/** Downloads the official release archive. Returns undefined (after one line of output) on any failure. */
async function tryDownloadRelease(
  cacheDir: string,
  baseUrl: string,
  timeoutMs: number,
  log: Log,
): Promise<string | undefined> {
  const platform = releasePlatform();
  if (!platform) {
    log(`no official Temporal CLI release for ${process.platform}/${process.arch}; building from source`);
    return undefined;
  }
  const archiveName = `temporal_cli_${TEMPORAL_CLI_VERSION}_${platform.os}_${platform.arch}.tar.gz`;
  const url = `${baseUrl}/${archiveName}`;
  const work = await mkdtemp(join(cacheDir, '.download-'));
  try {
    log(`downloading ${url}`);
    const started = Date.now();
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    // The body may be slower than the first byte; give it its own, longer, deadline.
    const archive = Buffer.from(
      await Promise.race([
        response.arrayBuffer(),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('download took over 5 minutes')), 300_000).unref(),
        ),
      ]),
    );
    await verifyChecksum(`${baseUrl}/checksums.txt`, archiveName, archive, timeoutMs);
    const archivePath = join(work, archiveName);
    await writeFile(archivePath, archive);
    const extracted = await captureOutput('tar', ['-xzf', archivePath, '-C', work, 'temporal']);
    if (extracted === undefined) throw new Error('could not extract the archive with tar');
    const binary = join(work, 'temporal');
    await chmod(binary, 0o755);
    const target = join(cacheDir, 'temporal');
    await rename(binary, target);
    log(`downloaded Temporal CLI ${TEMPORAL_CLI_VERSION} in ${formatDuration(Date.now() - started)}`);
    return target;
  } catch (err) {
    log(`release download unavailable (${describeFetchError(err)}); falling back to a Go build`);
    return undefined;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function verifyChecksum(
  sumsUrl: string,
  archiveName: string,
  archive: Buffer,
  timeoutMs: number,
): Promise<void> {
  const res = await fetch(sumsUrl, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`checksums.txt: HTTP ${res.status}`);
  const expected = (await res.text())
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .find(([, name]) => name === archiveName)?.[0];
  if (!expected) throw new Error(`${archiveName} is not listed in checksums.txt`);
  const actual = createHash('sha256').update(archive).digest('hex');
  if (actual !== expected) throw new Error(`checksum mismatch for ${archiveName}`);
}

function describeFetchError(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as Error & { cause?: unknown }).cause;
    if (cause instanceof Error) {
      const code = (cause as Error & { code?: string }).code;
      return code ? `${code}: ${cause.message}` : cause.message;
    }
    return err.message;
  }
  return String(err);
}

async function buildWithGo(cacheDir: string, env: NodeJS.ProcessEnv, log: Log): Promise<string> {
  const go = await findOnPath('go', env);
  if (!go) {
    throw new MissingToolError(
      'Cannot provide a Temporal CLI: none was found and Go is not installed. Install Go 1.21 or newer ' +
        '(https://go.dev/dl/ or `apt-get install golang`; it fetches the Go 1.25 toolchain the build needs), ' +
        `then re-run; or put a \`temporal\` CLI on PATH or set ${TEMPORAL_CLI_ENV_VAR}=/path/to/temporal.`,
    );
  }
  const goVersion = (await captureOutput(go, ['env', 'GOVERSION'], env)) ?? 'unknown Go version';
  const gobin = await mkdtemp(join(cacheDir, '.build-'));
  const logFile = join(cacheDir, 'go-install.log');
  log(
    `building Temporal CLI v${TEMPORAL_CLI_VERSION} with ${goVersion} (go install ${GO_PACKAGE}@v${TEMPORAL_CLI_VERSION}); ` +
      `the first build takes a few minutes. Full log: ${logFile}`,
  );
  const started = Date.now();
  let compiled = 0;
  let downloaded = 0;
  try {
    const result = await runWithProgress(
      go,
      [
        'install',
        '-v',
        '-ldflags',
        `-s -w -X github.com/temporalio/cli/temporalcli.Version=${TEMPORAL_CLI_VERSION}`,
        `${GO_PACKAGE}@v${TEMPORAL_CLI_VERSION}`,
      ],
      {
        env: {
          ...env,
          GOBIN: gobin,
          // Like the official release: a static binary, no C toolchain needed.
          CGO_ENABLED: '0',
          // The module needs Go >= 1.25; let an older Go fetch that toolchain from the proxy.
          GOTOOLCHAIN: env.GOTOOLCHAIN ?? 'auto',
        },
        logFile,
        log,
        tickLabel: 'building the Temporal CLI',
        tickDetail: () => `${downloaded} modules downloaded, ${compiled} packages compiled`,
        onLine: (line) => {
          if (line.startsWith('go: downloading ')) {
            downloaded++;
            if (downloaded === 1) log('go: downloading modules from the Go module proxy…');
          } else if (/^[\w.-]+(\/[\w.@~+-]+)*$/.test(line.trim()) && line.trim() !== '') {
            compiled++;
          } else if (line.trim() !== '') {
            log(`go: ${line}`);
          }
        },
      },
    );
    if (result.code !== 0) {
      throw new Error(
        `go install failed (exit ${result.code}). Last lines:\n${result.tail.join('\n')}\nFull log: ${logFile}`,
      );
    }
    const target = join(cacheDir, 'temporal');
    await rename(join(gobin, 'temporal'), target);
    log(`built Temporal CLI in ${formatDuration(Date.now() - started)}: ${target}`);
    return target;
  } finally {
    await rm(gobin, { recursive: true, force: true });
  }
}

/** The CLI's `--version` line, e.g. "temporal version 1.5.1 (Server 1.29.1, UI 2.42.1)". */
export async function temporalCliVersion(path: string): Promise<string | undefined> {
  return captureOutput(path, ['--version']);
}

if (isMain(import.meta.url)) {
  try {
    const path = await findOrBuildTemporalCli();
    process.stdout.write(`${path}\n`);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
