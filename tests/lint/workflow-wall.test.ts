// Proves the lint wall: code under workflows/ (and domain/) may not import Node built-ins, chat
// SDKs, database drivers, loggers, or Temporal's non-workflow packages, and imports activities as
// types only. Runs the project's real eslint.config.js.
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
    // The virtual files linted here are not on disk, so TypeScript's project service cannot load
    // them; turn off type-aware linting for them. The wall itself needs no type information.
    overrideConfig: [{ files: ['**/*.ts'], ...tseslint.configs.disableTypeChecked }],
  });
});

async function wallErrors(code: string, filePath = 'workflows/lint-probe.ts'): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  const messages = result?.messages ?? [];
  const fatal = messages.filter((m) => m.fatal);
  expect(fatal.map((m) => m.message)).toEqual([]);
  return messages.filter((m) => m.ruleId === WALL && m.severity === 2).map((m) => m.message);
}

describe('the workflow lint wall', () => {
  test.each([
    [`import fs from 'node:fs';`, /no Node built-ins/],
    [`import 'fs';`, /no Node built-ins/],
    [`import { readFile } from 'fs/promises';`, /no Node built-ins/],
    [`import * as fsp from 'node:fs/promises';`, /no Node built-ins/],
    [`export { join } from 'path';`, /no Node built-ins/],
    [`import { test } from 'node:test';`, /no Node built-ins/],
    [`import { App } from '@slack/bolt';`, /chat SDK/],
    [`import { Application } from '@microsoft/teams-ai';`, /chat SDK/],
    [`import { TurnContext } from 'botbuilder';`, /chat SDK/],
    [`import pg from 'pg';`, /database driver/],
    [`import { PGlite } from '@electric-sql/pglite';`, /database driver/],
    [`import { openStore } from '../store/index.js';`, /database driver or the store/],
    [`import pino from 'pino';`, /logger/],
    [`import winston from 'winston';`, /logger/],
    [`import { Client } from '@temporalio/client';`, /only @temporalio\/workflow/],
    [`import { Worker } from '@temporalio/worker';`, /only @temporalio\/workflow/],
    [`import { createActivities } from '../../activities/index.js';`, /activity types only/],
  ])('rejects %s exactly once', async (code, message) => {
    const errors = await wallErrors(`${code}\n`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
  });

  test.each([
    `import { sleep } from '@temporalio/workflow';`,
    `import { ApplicationFailure } from '@temporalio/common';`,
    `import type { createActivities } from '../../activities/index.js';`,
    `import { type createActivities } from '../../activities/index.js';`,
    `import { DateTime } from 'luxon';`,
    `import { z } from 'zod';`,
    `import { decide } from '../domain/decide.js';`,
  ])('allows %s', async (code) => {
    expect(await wallErrors(`${code}\n`)).toEqual([]);
  });

  test('applies to domain/ as well as workflows/', async () => {
    expect(await wallErrors(`import pg from 'pg';\n`, 'domain/lint-probe.ts')).toHaveLength(1);
  });

  test('does not apply outside workflows/ and domain/', async () => {
    const code = `import fs from 'node:fs';\nimport pg from 'pg';\nimport pino from 'pino';\n`;
    expect(await wallErrors(code, 'activities/lint-probe.ts')).toEqual([]);
    expect(await wallErrors(code, 'store/lint-probe.ts')).toEqual([]);
  });

  test('fires on every forbidden import of the fixture, and not on the allowed one', async () => {
    const fixture = (name: string) =>
      readFile(new URL(`../fixtures/lint/workflows/${name}`, import.meta.url), 'utf8');
    const forbidden = await fixture('forbidden-imports.ts');
    const importLines = forbidden.split('\n').filter((l) => l.startsWith('import '));
    expect(importLines.length).toBeGreaterThan(5);
    expect(await wallErrors(forbidden, 'workflows/forbidden-imports.ts')).toHaveLength(importLines.length);
    expect(await wallErrors(await fixture('allowed-imports.ts'), 'workflows/allowed-imports.ts')).toEqual([]);
  });
});
