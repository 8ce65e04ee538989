// The project's own command line.
//
//   tsx runtime/cli.ts export --from 2026-01-01 --to 2026-03-31 [--out file.csv] [--aggregate]
//   tsx runtime/cli.ts digest --from 2026-01-01 --to 2026-03-31 [--suppress] [--chart file.png]
//   tsx runtime/cli.ts replay history.json [more.json…]
//
// Reads the protocol file (CONCORDAT_CONFIG) and the records store (DATABASE_URL, or the embedded
// PGlite under CONCORDAT_DATA_DIR) exactly as the worker does.
import { constants } from 'node:fs';
import { access, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { renderTrendChart } from '../activities/digest/chart.js';
import { gatherDigestFigures } from '../activities/digest/gather-figures.js';
import { computePeriod, PeriodError, type DigestPeriod } from '../domain/digest/period.js';
import { groupThousands } from '../domain/digest/suppression.js';
import { buildDigestView, renderDigestText } from '../domain/digest/view.js';
import type { Protocol } from '../domain/protocol.js';
import { openStoreFromEnv, type Store } from '../store/open-store.js';
import { ConfigError, loadProtocolFile } from './config.js';
import { parseEnv, type Settings } from './env.js';
import { ExportError, exportAggregateCsv, exportConcordatCsv, formatProgress } from './export-csv.js';
import { type EncryptionCodec, payloadCodecFrom } from './payload-codec.js';
import { describeReplay, ReplayInputError, replayHistoryFile } from './replay-history.js';

export const USAGE = `Concordat command line

  export --from YYYY-MM-DD --to YYYY-MM-DD [--out FILE.csv] [--include-custody-record]
      Writes the Concordat data (principle 7) for children charged between the two dates (both
      inclusive, local time) as CSV, for the safeguarding partnership: one row per request, the
      child as a key that links their rows within this file only. --include-custody-record adds
      the custody record number (it identifies the child in police systems: internal use only).
      To FILE with --out (written whole or not at all), else to stdout; progress goes to stderr.
      With npm, use "npm run -s concordat -- export ..." so npm's banner stays out of the file.

  export --aggregate --from YYYY-MM-DD --to YYYY-MM-DD [--out FILE.csv]
      The file to share beyond the partnership: counts by month, custody suite, local authority,
      outcome group, accommodation and age band, with small-count suppression (counts of 1 to 4
      as "<5", and "[c]" where one could be worked out). --suppress is accepted and implied.

  digest --from YYYY-MM-DD --to YYYY-MM-DD [--suppress] [--chart FILE.png]
      Prints the strategic-lead digest for the dates as text. --suppress shows counts of 1 to 4
      as "<5" whatever the config says; --chart also writes the weekly trend chart.

  replay HISTORY.json [MORE.json ...]
      Replays workflow histories (exported with "temporal workflow show --output json") against
      this code, to check before deploying that running requests will not fail. Payloads are
      decrypted with CONCORDAT_PAYLOAD_KEY (and CONCORDAT_PAYLOAD_KEY_PREVIOUS). Exit 0 when every
      history replays, 1 when one does not.

Configuration: CONCORDAT_CONFIG (the protocol file), DATABASE_URL (else the embedded database
under CONCORDAT_DATA_DIR, default .data), CONCORDAT_PSEUDONYM_KEY and CONCORDAT_DATA_KEY.
`;

/** Exit codes: 0 done, 1 nothing to do or failed, 2 bad command line. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  env: Record<string, string | undefined>;
  /** Whether stderr is a terminal (progress is redrawn on one line) or a log (one line per step). */
  stderrIsTty?: boolean;
  /** Injected in tests; default: the store and protocol the environment names. */
  openStore?: () => Promise<Store>;
  loadProtocol?: () => Protocol;
  /** Injected in tests; default: the payload key the environment names. */
  payloadCodec?: () => EncryptionCodec;
}

class UsageError extends Error {}

function say(stream: Writable, text: string): void {
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** A bad --out path, in words, before anything is read or written. */
async function openOut(path: string): Promise<Writable> {
  const dir = dirname(resolve(path));
  try {
    const st = await stat(path).catch(() => null);
    if (st?.isDirectory())
      throw new ExportError('bad_out_path', `--out ${path} is a folder: give a file name`);
    await access(dir, constants.W_OK);
    const handle = await open(`${path}.partial`, 'w');
    return handle.createWriteStream({ encoding: 'utf8' });
  } catch (err) {
    if (err instanceof ExportError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' || code === 'ENOTDIR'
        ? `the folder ${dir} does not exist`
        : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
          ? `the folder ${dir} cannot be written to`
          : (err as Error).message;
    throw new ExportError('bad_out_path', `Cannot write --out ${path}: ${why}. Nothing was exported.`);
  }
}

function required(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v.trim() === '')
    throw new UsageError(`--${name} is required (a date like 2026-03-31)`);
  return v.trim();
}

async function runExport(args: string[], io: CliIo, protocol: Protocol, store: Store): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      out: { type: 'string' },
      'page-size': { type: 'string' },
      aggregate: { type: 'boolean' },
      suppress: { type: 'boolean' },
      'include-custody-record': { type: 'boolean' },
    },
    strict: true,
  });
  const from = required(values, 'from');
  const to = required(values, 'to');
  const pageSize = values['page-size'] === undefined ? 5000 : Number(values['page-size']);
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new UsageError('--page-size must be a whole number');
  const aggregate = values.aggregate === true;
  if (values.suppress === true && !aggregate) {
    throw new UsageError(
      'Each row of the row-level export is one child, so it cannot be suppressed: ' +
        'use "export --aggregate" for counts with small-count suppression, to share beyond the partnership',
    );
  }
  if (aggregate && values['include-custody-record'] === true) {
    throw new UsageError('--include-custody-record is for the row-level export, not --aggregate');
  }

  const outPath = values.out;
  // Write to FILE.partial and rename when complete, so a failed export never looks finished.
  const partial = outPath ? `${outPath}.partial` : undefined;
  const out: Writable = outPath ? await openOut(outPath) : io.stdout;
  let lastDraw = 0;
  const progress = (p: { done: number; total: number }) => {
    const now = Date.now();
    const last = p.done >= p.total;
    if (io.stderrIsTty) {
      if (last || now - lastDraw > 200) io.stderr.write(`\r${formatProgress(p)}${last ? '\n' : ''}`);
    } else if (last || now - lastDraw > 2000) {
      say(io.stderr, formatProgress(p));
    } else return;
    lastDraw = now;
  };
  try {
    const done: { rows: number; period: DigestPeriod; suppressed?: number } = aggregate
      ? await exportAggregateCsv(store.sql, protocol, { from, to, out })
      : await exportConcordatCsv(store.sql, protocol, {
          from,
          to,
          out,
          pageSize,
          onProgress: progress,
          includeCustodyRecord: values['include-custody-record'] === true,
        });
    if (partial && outPath) {
      out.end();
      await finished(out);
      await rename(partial, outPath);
    }
    const { rows, period } = done;
    const what =
      done.suppressed === undefined
        ? `${groupThousands(rows)} rows`
        : `${groupThousands(rows)} aggregate rows (${groupThousands(done.suppressed)} withheld by small-count suppression)`;
    say(
      io.stderr,
      `Exported ${what} for children charged ${period.firstDay} to ${period.lastDay}${outPath ? ` to ${outPath}` : ''}.`,
    );
    return EXIT.ok;
  } catch (err) {
    if (partial) {
      // The file opens asynchronously: wait until it is closed, or rm could run before it exists.
      if (!out.closed) await new Promise((resolve) => out.once('close', resolve).destroy());
      await rm(partial, { force: true });
    }
    throw err;
  }
}

async function runDigest(args: string[], io: CliIo, protocol: Protocol, store: Store): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      suppress: { type: 'boolean' },
      chart: { type: 'string' },
    },
    strict: true,
  });
  const period = computePeriod({
    kind: 'range',
    now: Date.now(),
    timeZone: protocol.force.timeZone,
    from: required(values, 'from'),
    to: required(values, 'to'),
  });
  const suppress = values.suppress === true || protocol.digest.suppressSmallCounts;
  const figures = await gatherDigestFigures(store.sql, protocol, period, new Date().toISOString());
  const view = buildDigestView(figures, { forceName: protocol.force.name, suppressSmallCounts: suppress });
  say(io.stdout, renderDigestText(view));
  if (values.chart) {
    // The same chart as the digest workflow sends: the period shaded, an unfinished bar marked.
    const chart = renderTrendChart({
      trend: figures.trend,
      suppress,
      title: `Bed requests and outcomes, ${protocol.force.name}`,
      period: figures.period,
      generatedAt: figures.generatedAt,
    });
    await writeFile(values.chart, chart.png);
    say(io.stderr, `Chart written to ${values.chart} (${chart.altText})`);
  }
  return EXIT.ok;
}

async function runReplay(files: string[], io: CliIo): Promise<number> {
  if (files.length === 0 || files.some((f) => f.startsWith('-'))) {
    say(io.stderr, `replay takes one or more history files.\n\n${USAGE}`);
    return EXIT.usage;
  }
  try {
    const codec = (
      io.payloadCodec ??
      (() => {
        const settings = parseEnv(io.env);
        return payloadCodecFrom(settings.payloadKeys, settings);
      })
    )();
    let allOk = true;
    for (const file of files) {
      say(io.stderr, `Replaying ${file}…`);
      const report = await replayHistoryFile(file, codec);
      allOk &&= report.ok;
      say(io.stdout, describeReplay(report));
    }
    return allOk ? EXIT.ok : EXIT.failed;
  } catch (err) {
    say(io.stderr, err instanceof ReplayInputError || err instanceof Error ? err.message : String(err));
    return EXIT.failed;
  }
}

/** Runs one command; returns the exit code. Never calls process.exit (the caller does). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    say(command === undefined ? io.stderr : io.stdout, USAGE);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  if (command === 'replay') return runReplay(rest, io);
  if (command !== 'export' && command !== 'digest') {
    say(io.stderr, `Unknown command "${command}".\n\n${USAGE}`);
    return EXIT.usage;
  }
  let store: Store | undefined;
  try {
    // Check the dates before opening anything, so a typo is answered at once.
    if (command === 'export' || command === 'digest') {
      const { values } = parseArgs({
        args: rest,
        options: {
          from: { type: 'string' },
          to: { type: 'string' },
          out: { type: 'string' },
          'page-size': { type: 'string' },
          suppress: { type: 'boolean' },
          chart: { type: 'string' },
          aggregate: { type: 'boolean' },
          'include-custody-record': { type: 'boolean' },
        },
        strict: true,
      });
      computePeriod({
        kind: 'range',
        now: 0,
        timeZone: 'UTC',
        from: required(values, 'from'),
        to: required(values, 'to'),
      });
    }
    // The environment is parsed once, with the same schema as `npm start` (runtime/env.ts); not
    // at all when a test injects both parts.
    let parsed: Settings | undefined;
    const settings = () => (parsed ??= parseEnv(io.env));
    const protocol = (io.loadProtocol ?? (() => loadProtocolFile(settings().configPath)))();
    store = await (io.openStore ?? (() => openStoreFromEnv(settings().store)))();
    return command === 'export'
      ? await runExport(rest, io, protocol, store)
      : await runDigest(rest, io, protocol, store);
  } catch (err) {
    if (err instanceof UsageError || err instanceof PeriodError) {
      say(io.stderr, `${err.message}\n\nRun "tsx runtime/cli.ts help" for the commands.`);
      return EXIT.usage;
    }
    if (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')) {
      say(io.stderr, `${err.message}\n\n${USAGE}`);
      return EXIT.usage;
    }
    if (err instanceof ExportError || err instanceof ConfigError) {
      say(io.stderr, err.message);
      return EXIT.failed;
    }
    say(io.stderr, `Failed: ${err instanceof Error ? err.message : String(err)}`);
    return EXIT.failed;
  } finally {
    await store?.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const code = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    stderrIsTty: process.stderr.isTTY === true,
  });
  process.exitCode = code;
}
