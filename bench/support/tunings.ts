import type { WorkerTuning } from '../../runtime/worker.js';

/** One worker setting a benchmark tries: its name as written, and the options it sets. */
export interface NamedTuning {
  name: string;
  tuning: Partial<WorkerTuning>;
}

const KEYS: Record<string, keyof WorkerTuning> = {
  cache: 'maxCachedWorkflows',
  wfPolls: 'maxConcurrentWorkflowTaskPolls',
  actPolls: 'maxConcurrentActivityTaskPolls',
  wfExec: 'maxConcurrentWorkflowTaskExecutions',
};

/**
 * BENCH_TUNINGS: settings separated by `;`, each `key=value` pairs separated by `,` (keys: cache,
 * wfPolls, actPolls, wfExec), `default` (or any part with no `=`) for the production settings.
 * The bench's own options, passed to createWorker as `tuning`; runtime/worker.ts is not changed.
 */
export function parseTunings(spec: string | undefined, fallback = 'production'): NamedTuning[] {
  if (!spec) return [{ name: fallback, tuning: {} }];
  return spec.split(';').map((part) => {
    const tuning: Partial<WorkerTuning> = {};
    for (const kv of part.split(',').filter((x) => x.includes('='))) {
      const [k = '', v = ''] = kv.split('=');
      const key = KEYS[k];
      if (!key) throw new Error(`unknown tuning ${k} (use ${Object.keys(KEYS).join(', ')})`);
      tuning[key] = Number(v);
    }
    return { name: part, tuning };
  });
}
