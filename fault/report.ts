import type { Scenario } from './driver.js';
import type { Findings } from './invariants.js';
import { percentile } from './prng.js';

export interface Row {
  scenario: string;
  requests: number;
  kills: number;
  pagesDue: number;
  delivered: number;
  duplicates: number;
  outcomes: number;
  stuck: number;
  lost: number;
  p50: number | undefined;
  p99: number | undefined;
}

const seconds = (ms: number | undefined) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`);

/** One row per scenario and a total; lateness is of pages due while the worker was down. */
export function rows(
  findings: Findings,
  requestsBy: Record<Scenario, string[]>,
  killsBy: Record<Scenario, number>,
): Row[] {
  const build = (scenario: string, ids: string[], kills: number): Row => {
    const mine = new Set(ids);
    const pages = findings.pages.filter((p) => mine.has(p.workflowId));
    const undecided = findings.undecided.filter((u) => mine.has(u.workflowId)).length;
    const after = pages
      .filter((p) => p.dueWhileWorkerDown && !p.duringDevOutage && p.latenessMs !== undefined)
      .map((p) => p.latenessMs ?? 0);
    return {
      scenario,
      requests: ids.length,
      kills,
      pagesDue: pages.length + undecided,
      delivered: pages.filter((p) => p.delivered).length,
      duplicates: findings.duplicates.filter((d) => mine.has(d.workflowId)).length,
      outcomes: ids.filter((id) => findings.outcomes.get(id) === 1).length,
      stuck: findings.stuck.filter((s) => mine.has(s.workflowId)).length,
      lost: pages.filter((p) => !p.delivered).length + undecided,
      p50: percentile(after, 50),
      p99: percentile(after, 99),
    };
  };
  const scenarios = Object.keys(requestsBy) as Scenario[];
  const out = scenarios.map((s) => build(s, requestsBy[s], killsBy[s]));
  out.push(
    build(
      'all',
      scenarios.flatMap((s) => requestsBy[s]),
      scenarios.reduce((n, s) => n + killsBy[s], 0),
    ),
  );
  return out;
}

export function formatTable(table: Row[]): string {
  const head = [
    'scenario',
    'requests',
    'kills',
    'pages due',
    'delivered',
    'duplicates',
    'outcomes',
    'stuck',
    'lost',
    'late p50',
    'late p99',
  ];
  const body = table.map((r) => [
    r.scenario,
    String(r.requests),
    String(r.kills),
    String(r.pagesDue),
    String(r.delivered),
    String(r.duplicates),
    String(r.outcomes),
    String(r.stuck),
    String(r.lost),
    seconds(r.p50),
    seconds(r.p99),
  ]);
  const lines = [head, ...body];
  const widths = head.map((_, i) => Math.max(...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (l: string[]) => `| ${l.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [fmt(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(fmt)].join('\n');
}

/** Every broken invariant, in words a reader can act on. Empty when the run passed. */
export function failures(findings: Findings): string[] {
  const out: string[] = [];
  const missing = findings.pages.filter((p) => !p.delivered);
  if (missing.length > 0)
    out.push(
      `${missing.length} page(s) fell due but were never delivered: ` +
        missing
          .slice(0, 5)
          .map((p) => `${p.workflowId} ${p.step} → ${p.destination}`)
          .join('; '),
    );
  if (findings.undecided.length > 0)
    out.push(
      `${findings.undecided.length} page(s) owed by the ladder were never decided by the workflow: ` +
        findings.undecided
          .slice(0, 5)
          .map((u) => `${u.workflowId} step ${u.step} due ${new Date(u.dueAt).toISOString()}`)
          .join('; '),
    );
  if (findings.duplicates.length > 0)
    out.push(
      `${findings.duplicates.length} duplicate page(s): ` +
        findings.duplicates
          .slice(0, 5)
          .map((d) => `${d.workflowId} ${d.what}`)
          .join('; '),
    );
  if (findings.stuck.length > 0)
    out.push(
      `${findings.stuck.length} request(s) did not reach exactly one outcome: ` +
        findings.stuck.map((s) => `${s.workflowId} (${s.why})`).join('; '),
    );
  if (findings.failingTasks.length > 0)
    out.push(
      `${findings.failingTasks.length} workflow task failure(s): ` +
        findings.failingTasks
          .slice(0, 5)
          .map((f) => `${f.workflowId} ${f.cause}: ${f.message.slice(0, 160)}`)
          .join('; '),
    );
  if (findings.auditProblems.length > 0)
    out.push(`audit log: ${findings.auditProblems.map((a) => `${a.workflowId} ${a.problem}`).join('; ')}`);
  if (findings.lostClicks.length > 0)
    out.push(
      `${findings.lostClicks.length} click(s) acknowledged by the bot left no audit row and no answer: ` +
        findings.lostClicks
          .slice(0, 5)
          .map((a) => `request ${a.request} ${a.kind} ${a.actionId ?? ''}`)
          .join('; '),
    );
  return out;
}
