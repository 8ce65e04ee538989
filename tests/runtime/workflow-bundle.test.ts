import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WORKFLOWS_PATH } from '../../runtime/worker.js';
import { cachedWorkflowBundle, workflowSourceHash } from '../../runtime/workflow-bundle.js';

const dirs: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'bundle-test-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function fakeRoot(): string {
  const root = temp();
  mkdirSync(join(root, 'workflows/bed-request'), { recursive: true });
  mkdirSync(join(root, 'domain'), { recursive: true });
  mkdirSync(join(root, 'node_modules/@temporalio/worker'), { recursive: true });
  writeFileSync(join(root, 'workflows/bed-request/workflow.ts'), 'export const a = 1;\n');
  writeFileSync(join(root, 'domain/rules.ts'), 'export const b = 2;\n');
  writeFileSync(join(root, 'node_modules/@temporalio/worker/package.json'), '{"version":"1.24.0"}');
  return root;
}

describe('the cached workflow bundle', () => {
  it('is keyed by every workflow and domain source and by the SDK version', () => {
    const root = fakeRoot();
    const first = workflowSourceHash(root);
    expect(workflowSourceHash(root)).toBe(first);
    writeFileSync(join(root, 'domain/rules.ts'), 'export const b = 3;\n');
    const afterDomain = workflowSourceHash(root);
    expect(afterDomain).not.toBe(first);
    writeFileSync(join(root, 'workflows/bed-request/new-phase.ts'), 'export const c = 1;\n');
    const afterNewFile = workflowSourceHash(root);
    expect(afterNewFile).not.toBe(afterDomain);
    writeFileSync(join(root, 'node_modules/@temporalio/worker/package.json'), '{"version":"1.25.0"}');
    expect(workflowSourceHash(root)).not.toBe(afterNewFile);
  });

  it('bundles the real workflows once, then serves the same file without bundling again', async () => {
    const cacheDir = temp();
    const built = await cachedWorkflowBundle({ workflowsPath: WORKFLOWS_PATH, cacheDir });
    expect(built.codePath.startsWith(cacheDir)).toBe(true);
    expect(readFileSync(built.codePath, 'utf8')).toContain('bedRequestWorkflow');
    const mtime = statSync(built.codePath).mtimeMs;
    const again = await cachedWorkflowBundle({ workflowsPath: WORKFLOWS_PATH, cacheDir });
    expect(again).toEqual(built);
    expect(statSync(again.codePath).mtimeMs).toBe(mtime);
  }, 120_000);
});
