// Proves the layer walls of every folder (docs/architecture.md, "Layers"): bots import domain/,
// the desk, bots/shared and their own SDK; the desk imports domain/, the Temporal client and the
// store's types; activities import domain/, the store and the chat port. Each fixture that breaks
// a wall must fail once per import, and each that obeys must pass. Runs the real eslint.config.js.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, test } from 'vitest';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const WALL = '@typescript-eslint/no-restricted-imports';

let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({
    cwd: repoRoot,
    overrideConfig: [{ files: ['**/*.ts'], ...tseslint.configs.disableTypeChecked }],
  });
});

async function wallErrors(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  const messages = result?.messages ?? [];
  expect(messages.filter((m) => m.fatal).map((m) => m.message)).toEqual([]);
  return messages.filter((m) => m.ruleId === WALL && m.severity === 2).map((m) => m.message);
}

const fixture = (layer: string, name: string) =>
  readFile(new URL(`../fixtures/lint/${layer}/${name}`, import.meta.url), 'utf8');

const LAYERS: Array<[layer: string, lintedAs: string]> = [
  ['slack', 'bots/slack'],
  ['teams', 'bots/teams'],
  ['desk', 'desk'],
  ['activities', 'activities'],
];

describe.each(LAYERS)('the %s wall', (layer, dir) => {
  test('rejects every forbidden import of its fixture, once each', async () => {
    const forbidden = await fixture(layer, 'forbidden-imports.ts');
    const imports = forbidden.split('\n').filter((l) => l.startsWith('import '));
    expect(imports.length).toBeGreaterThan(4);
    const errors = await wallErrors(forbidden, `${dir}/forbidden-imports.ts`);
    expect(errors).toHaveLength(imports.length);
  });

  test('allows the imports its layer may make', async () => {
    expect(await wallErrors(await fixture(layer, 'allowed-imports.ts'), `${dir}/allowed-imports.ts`)).toEqual(
      [],
    );
  });
});

describe('the walls in detail', () => {
  test.each([
    [`import { openStore } from '../../store/index.js';`, 'bots/slack/x.ts', /records store/],
    [`import type { Store } from '../../store/index.js';`, 'bots/teams/x.ts', /records store/],
    [`import { createLogger } from '../../runtime/logger.js';`, 'bots/teams/x.ts', /runtime/],
    [`import { Client } from '@temporalio/client';`, 'bots/shared/x.ts', /Temporal client/],
    [`import { App } from '@slack/bolt';`, 'bots/shared/x.ts', /every platform/],
    [`import { openStore } from '../store/index.js';`, 'desk/x.ts', /interface \(types\) only/],
    [`import { createDesk } from '../desk/index.js';`, 'activities/x.ts', /chat port/],
    // Metrics come in injected (domain/metrics.ts), so not even the registry is an exception.
    [`import { metrics } from '../../runtime/metrics.js';`, 'activities/delivery/x.ts', /not runtime/],
    [
      `import { deliveryMetrics } from '../../runtime/health/delivery-metrics.js';`,
      'activities/delivery/x.ts',
      /not runtime/,
    ],
  ])('rejects %s in %s', async (code, file, message) => {
    const errors = await wallErrors(`${code}\n`, file);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
  });

  test('the desk may import the store as types', async () => {
    expect(
      await wallErrors(`import type { RecordsStore } from '../store/records-store.js';\n`, 'desk/x.ts'),
    ).toEqual([]);
  });
});
