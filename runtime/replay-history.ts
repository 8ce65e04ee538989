import { readFile } from 'node:fs/promises';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import proto from '@temporalio/proto';
import {
  bundleWorkflowCode,
  DefaultLogger,
  makeTelemetryFilterString,
  Runtime,
  Worker,
  type WorkflowBundle,
} from '@temporalio/worker';
import type { EncryptionCodec } from './payload-codec.js';
import { dataConverterFor } from './temporal-connection.js';
import { WORKFLOWS_PATH } from './worker.js';

const { EventType } = proto.temporal.api.enums.v1;
type History = proto.temporal.api.history.v1.IHistory;

export class ReplayInputError extends Error {}

export interface ReplayReport {
  file: string;
  workflowType: string;
  events: number;
  ok: boolean;
  /** Set when the code does not replay the history: the SDK's own message. */
  problem?: string;
  /** Set when the history itself ends in a failed workflow task (a request stranded in production). */
  endsInFailedTask?: string;
}

/** Reads a history exported by `temporal workflow show --output json` (or the SDK's fetchHistory). */
export async function loadHistoryFile(file: string): Promise<History> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ReplayInputError(
      code === 'ENOENT' ? `No such file: ${file}` : `Cannot read ${file}: ${(err as Error).message}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ReplayInputError(`${file} is not JSON: export it with "temporal workflow show --output json"`);
  }
  try {
    return historyFromJSON(json);
  } catch (err) {
    // Histories recorded by the SDK's fetchHistory() and saved with JSON.stringify (tests/histories).
    try {
      const history = proto.temporal.api.history.v1.History.fromObject(json as Record<string, unknown>);
      if (history.events.length > 0) return history;
    } catch {
      // Neither form: report the CLI form's error, the one operators export.
    }
    throw new ReplayInputError(`${file} is not a Temporal history: ${(err as Error).message}`);
  }
}

function quietLogger() {
  const none = () => undefined;
  return { log: none, trace: none, debug: none, info: none, warn: none, error: none };
}

let bundle: Promise<WorkflowBundle> | undefined;
function todaysBundle(): Promise<WorkflowBundle> {
  try {
    // The replayer's worker logs each state change at INFO: keep the report readable.
    Runtime.install({
      logger: new DefaultLogger('WARN'),
      telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }), forward: {} } },
    });
  } catch {
    // A runtime already exists (a test, or a caller that chose its own): keep it.
  }
  bundle ??= bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger() });
  return bundle;
}

/**
 * Replays one recorded history against this checkout's workflow code, as a worker rebuilding the
 * request would: the check an operator runs on a production history before deploying new code
 * (docs/durability.md, "Checking a production history").
 */
export async function replayHistoryFile(file: string, codec: EncryptionCodec): Promise<ReplayReport> {
  const history = await loadHistoryFile(file);
  const events = history.events ?? [];
  const started = events[0]?.workflowExecutionStartedEventAttributes;
  if (!started?.workflowType?.name)
    throw new ReplayInputError(`${file} does not start with WorkflowExecutionStarted`);
  const last = events[events.length - 1];
  const endsInFailedTask =
    last?.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED
      ? (last.workflowTaskFailedEventAttributes?.failure?.message ?? 'workflow task failed')
      : undefined;
  const report: ReplayReport = {
    file,
    workflowType: started.workflowType.name,
    events: events.length,
    ok: true,
    ...(endsInFailedTask ? { endsInFailedTask } : {}),
  };
  try {
    await Worker.runReplayHistory(
      { workflowBundle: await todaysBundle(), dataConverter: dataConverterFor(codec) },
      history,
      file,
    );
  } catch (err) {
    // The replayer throws @temporalio/workflow's DeterminismViolationError; matched by name so
    // this module does not load the workflow runtime.
    if (!(err instanceof Error) || err.name !== 'DeterminismViolationError') throw err;
    report.ok = false;
    report.problem = err.message;
  }
  return report;
}

/** The report in words, for the command line. */
export function describeReplay(r: ReplayReport): string {
  const head = `${r.file}: ${r.workflowType}, ${r.events} events`;
  const lines = [
    r.ok
      ? `${head}: replays with this code (safe to deploy for this history).`
      : `${head}: does NOT replay with this code.\n  ${r.problem ?? ''}`,
  ];
  if (r.endsInFailedTask) {
    lines.push(`  The history itself ends in a failed workflow task: ${r.endsInFailedTask}`);
  }
  return lines.join('\n');
}
