/**
 * Training scenarios (config/training/scenarios.yaml): scripted exercises a trainee picks on the
 * sandbox page. Each names who starts it, the form's answers (filled in for the trainee, who then
 * submits), what the trainee should do, and what the protocol expects to happen, which the page
 * sets against what did happen (docs/sandbox.md).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';

/** A form answer: text, or a time relative to now (`-20m`, `+1d 10:00`), written in the form's own fields. */
const answerSchema = z.union([z.string(), z.number()]).transform(String);

export const scenarioSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string().min(1),
  /** Who the trainee starts as (a person's name in the protocol). */
  startAs: z.string().min(1),
  /** The custody suite whose channel the request starts in. */
  custodySuiteId: z.string().min(1),
  brief: z.string().min(1),
  /** What the trainee should do, step by step. */
  steps: z.array(z.string().min(1)).min(1),
  /** Form answers by field (Slack block ID or Teams input ID; both are given where they differ). */
  form: z.record(z.string(), answerSchema),
  /** What the protocol expects: each line names the channel or person a message should reach. */
  expect: z
    .array(
      z.object({
        what: z.string().min(1),
        /** A place (channel or DM) name fragment, and text the message there must contain. */
        where: z.string().min(1),
        says: z.string().min(1),
      }),
    )
    .min(1),
});
export type Scenario = z.infer<typeof scenarioSchema>;

export const scenarioFileSchema = z.object({ scenarios: z.array(scenarioSchema).min(1) });

export function loadScenarios(path: string): Scenario[] {
  const parsed = scenarioFileSchema.safeParse(parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`${path}: ${first?.path.join('.') ?? ''}: ${first?.message ?? 'not a scenario file'}`);
  }
  return parsed.data.scenarios;
}
