// Provides the Temporal time-skipping test server (Java, io.temporal:temporal-test-server) from
// Maven Central, cached per user, with a launcher script the TypeScript SDK can run as an
// `existing-path` test server:
//
//   TestWorkflowEnvironment.createTimeSkipping({
//     server: { executable: { type: 'existing-path', path: await findOrInstallTestServer() } },
//   })
//
// The SDK runs it as `<launcher> <port>` and drives time skipping through the test service API:
// it unlocks skipping only while a test awaits a workflow result (or calls env.sleep). Do NOT pass
// the Java main's `--enable-time-skipping` flag (e.g. via `extraArgs`): it unlocks skipping from the
// start, so time races ahead while the worker is still bundling and workflows time out (tested).
//
// Run `tsx temporal-dev/test-server.ts` to print the launcher path (progress goes to stderr).
import { chmod, copyFile, mkdir, mkdtemp, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  MissingToolError,
  concordatCacheRoot,
  defaultLog,
  findOnPath,
  formatDuration,
  isExecutableFile,
  isMain,
  runWithProgress,
  type Log,
} from './util.js';

/** The newest io.temporal:temporal-test-server on Maven Central that resolves (checked 2026-11). */
export const TEST_SERVER_VERSION = '1.38.0';
export const TEST_SERVER_MAIN_CLASS = 'io.temporal.testserver.TestServer';
const POM = fileURLToPath(new URL('./test-server/pom.xml', import.meta.url));
const COMPLETE_MARKER = '.complete';

export interface TestServerOptions {
  /** Default: process.env (reads XDG_CACHE_HOME, PATH, JAVA_HOME). */
  env?: NodeJS.ProcessEnv;
  /** Default: TEMPORAL_TEST_SERVER_VERSION from env, else TEST_SERVER_VERSION. */
  version?: string;
  /** Default: ${XDG_CACHE_HOME:-~/.cache}/concordat/temporal-test-server/<version>. */
  cacheDir?: string;
  log?: Log;
}

export function testServerCacheDir(version: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(concordatCacheRoot(env), 'temporal-test-server', version);
}

/**
 * Ensures the test server's jars and launcher are in the per-user cache and returns the
 * launcher's path. A cache hit does no more than two `stat`s.
 */
export async function findOrInstallTestServer(opts: TestServerOptions = {}): Promise<string> {
  const env = opts.env ?? process.env;
  const version = opts.version ?? (env.TEMPORAL_TEST_SERVER_VERSION || TEST_SERVER_VERSION);
  const dir = opts.cacheDir ?? testServerCacheDir(version, env);
  const launcher = join(dir, 'temporal-test-server');
  if ((await exists(join(dir, COMPLETE_MARKER))) && (await isExecutableFile(launcher))) return launcher;

  const log = opts.log ?? defaultLog;
  const java = env.JAVA_HOME ? join(env.JAVA_HOME, 'bin', 'java') : await findOnPath('java', env);
  const hasJava = java !== undefined && (await isExecutableFile(java));
  const mvn = await findOnPath('mvn', env);
  if (!hasJava || !mvn) {
    const missing = [!hasJava && 'Java (17 or newer)', !mvn && 'Maven'].filter(Boolean).join(' and ');
    throw new MissingToolError(
      `Cannot provide the Temporal time-skipping test server: ${missing} ${!hasJava && !mvn ? 'are' : 'is'} not installed. ` +
        'Install them (Debian/Ubuntu: `apt-get install openjdk-17-jre-headless maven`; macOS: ' +
        '`brew install openjdk maven`), then re-run.',
    );
  }

  const parent = join(dir, '..');
  await mkdir(parent, { recursive: true });
  // Install into a scratch directory and rename it into place, so that two processes installing
  // at once (e.g. two test workers on a cold cache) never see a half-filled directory.
  const work = await mkdtemp(join(parent, `.${version}-install-`));
  try {
    const lib = join(work, 'lib');
    await copyFile(POM, join(work, 'pom.xml'));
    const logFile = join(work, 'maven.log');
    log(
      `fetching io.temporal:temporal-test-server:${version} and its dependencies from Maven Central ` +
        `into ${dir} (about 40 MB, once)`,
    );
    const started = Date.now();
    let downloaded = 0;
    let bytes = 0;
    let lastReport = 0;
    const progress = () => `${downloaded} files, ${(bytes / 1e6).toFixed(1)} MB downloaded`;
    const result = await runWithProgress(
      mvn,
      [
        '-B',
        '-Dstyle.color=never',
        'dependency:copy-dependencies',
        `-DtestServerVersion=${version}`,
        `-DoutputDirectory=${lib}`,
        '-DincludeScope=runtime',
      ],
      {
        env,
        cwd: work,
        logFile,
        log,
        tickLabel: 'fetching the test server',
        tickMs: 10_000,
        tickDetail: progress,
        onLine: (line) => {
          // "[INFO] Downloaded from central: https://…/temporal-sdk-1.38.0.jar (2.1 MB at 9.8 MB/s)"
          const m = /Downloaded from \S+: \S+\/([^/\s]+) \(([\d.]+) (B|kB|MB|GB)/.exec(line);
          if (m) {
            if (downloaded++ === 0) lastReport = Date.now();
            bytes += Number(m[2]) * ({ B: 1, kB: 1e3, MB: 1e6, GB: 1e9 }[m[3] as 'B'] ?? 1);
            if (m[1]?.startsWith('temporal-') && m[1].endsWith('.jar')) log(`  ↓ ${m[1]}`);
            if (Date.now() - lastReport > 3_000) {
              lastReport = Date.now();
              log(`  ${progress()}…`);
            }
          } else if (/^\[ERROR\]/.test(line)) {
            log(`mvn: ${line}`);
          }
        },
      },
    );
    if (downloaded > 0) log(`  ${progress()} (Maven keeps them in ~/.m2 too)`);
    if (result.code !== 0) {
      await copyFile(logFile, join(parent, `maven-${version}.log`)).catch(() => undefined);
      throw new Error(
        `mvn failed (exit ${result.code}) fetching the test server. Last lines:\n${result.tail.join('\n')}\n` +
          `Full log: ${join(parent, `maven-${version}.log`)}`,
      );
    }
    const jars = (await readdir(lib)).filter((f) => f.endsWith('.jar'));
    if (!jars.includes(`temporal-test-server-${version}.jar`)) {
      throw new Error(`mvn succeeded but temporal-test-server-${version}.jar is not in ${lib}`);
    }
    // Paths inside the launcher are those of the final directory, not of `work`.
    await writeFile(join(work, 'logging.properties'), LOGGING_PROPERTIES);
    await writeFile(join(work, 'temporal-test-server'), launcherScript(dir, version), { mode: 0o755 });
    await chmod(work, 0o755);
    await writeFile(join(work, COMPLETE_MARKER), `${new Date().toISOString()}\n${jars.length} jars\n`);
    if ((await exists(dir)) && !(await exists(join(dir, COMPLETE_MARKER)))) {
      // A broken leftover (complete installs are renamed into place whole): move it aside first.
      const stale = `${work}-stale`;
      await rename(dir, stale).catch(() => undefined);
      await rm(stale, { recursive: true, force: true });
    }
    try {
      await rename(work, dir);
    } catch (err) {
      // Another process finished first; use its copy.
      if (!(await exists(join(dir, COMPLETE_MARKER)))) throw err;
    }
    log(`test server ready (${jars.length} jars) in ${formatDuration(Date.now() - started)}: ${launcher}`);
    return launcher;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

// gRPC logs through java.util.logging; keep it to warnings so test output stays readable.
const LOGGING_PROPERTIES = `handlers=java.util.logging.ConsoleHandler
.level=WARNING
java.util.logging.ConsoleHandler.level=WARNING
io.grpc.netty.shaded.io.grpc.netty.level=SEVERE
`;

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function launcherScript(dir: string, version: string): string {
  return `#!/bin/sh
# Temporal time-skipping test server ${version} (Java), installed by concordat temporal-dev/test-server.ts.
# Usage: temporal-test-server <port> [--enable-time-skipping]
DIR=${shellQuote(dir)}
if [ -n "\${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi
exec "$JAVA" -XX:+UseSerialGC -Djava.util.logging.config.file="$DIR/logging.properties" \\
  -cp "$DIR/lib/*" ${TEST_SERVER_MAIN_CLASS} "$@"
`;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

if (isMain(import.meta.url)) {
  try {
    process.stdout.write(`${await findOrInstallTestServer()}\n`);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
