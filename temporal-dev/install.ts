// `npm run temporal:install`: makes sure the Temporal CLI (dev server) and the Java time-skipping
// test server are available, building or fetching them into the per-user cache if needed.
// A first run on a machine without the release archive builds the CLI with Go (a few minutes);
// later runs find the cache and finish in about a second.
import { locateTemporalCli, temporalCliVersion } from './temporal-cli.js';
import { findOrInstallTestServer } from './test-server.js';
import { MissingToolError, defaultLog as log, formatDuration } from './util.js';

const describeSource = {
  env: 'from TEMPORAL_CLI_PATH',
  path: 'found on PATH',
  cache: 'cached',
  download: 'downloaded',
  build: 'built from source',
} as const;

async function step<T>(label: string, fn: () => Promise<T>): Promise<T | MissingToolError> {
  const started = Date.now();
  log(`${label}…`);
  try {
    const result = await fn();
    log(`${label}: done in ${formatDuration(Date.now() - started)}`);
    return result;
  } catch (err) {
    if (err instanceof MissingToolError) return err;
    throw err;
  }
}

const started = Date.now();
try {
  const cli = await step('Temporal CLI (dev server)', () => locateTemporalCli({ log }));
  if (!(cli instanceof MissingToolError)) {
    const version = (await temporalCliVersion(cli.path)) ?? 'version unknown';
    log(`  ${cli.path} (${describeSource[cli.source]}; ${version})`);
  }
  const testServer = await step('Temporal time-skipping test server', () => findOrInstallTestServer({ log }));
  if (!(testServer instanceof MissingToolError)) log(`  ${testServer}`);

  const missing = [cli, testServer].filter((r): r is MissingToolError => r instanceof MissingToolError);
  if (missing.length === 2) {
    process.stderr.write(
      '\nCannot set up Temporal for Concordat: it needs Go 1.21 or newer (to build the Temporal CLI) and ' +
        'Java 17 or newer with Maven (for the time-skipping test server). Install them, e.g. ' +
        '`apt-get install golang openjdk-17-jre-headless maven` (macOS: `brew install go openjdk maven`), ' +
        'and run `npm run temporal:install` again.\n',
    );
    process.exitCode = 1;
  } else if (missing.length === 1) {
    process.stderr.write(`\nCannot set up Temporal for Concordat. ${missing[0]?.message}\n`);
    process.exitCode = 1;
  } else {
    log(`Temporal servers ready in ${formatDuration(Date.now() - started)}`);
  }
} catch (err) {
  process.stderr.write(`\ntemporal:install failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
