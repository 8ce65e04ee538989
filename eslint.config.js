// @ts-check
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The lint wall: workflow code runs in Temporal's deterministic sandbox, so it may not reach
// Node built-ins, chat SDKs, database drivers or loggers. Exported so tests can prove it fires.
export const workflowForbiddenImports = {
  // Bare names only: every `node:` specifier is caught (once) by the `node:*` pattern below.
  paths: builtinModules
    .filter((m) => !m.startsWith('_') && !m.startsWith('node:'))
    .map((name) => ({ name, message: 'Workflows are deterministic: no Node built-ins. Use an activity.' })),
  patterns: [
    { group: ['node:*'], message: 'Workflows are deterministic: no Node built-ins. Use an activity.' },
    {
      group: ['@slack/*', '@microsoft/*', 'botbuilder', 'botbuilder-*', 'botframework-*'],
      message: 'Workflows never import a chat SDK: reach chat through the chat port activity.',
    },
    {
      group: ['pg', 'pg-*', '@electric-sql/*', '**/store/*', '**/store'],
      message: 'Workflows never import a database driver or the store: use an activity.',
    },
    {
      group: ['pino', 'pino-*', 'winston', 'bunyan', '**/logging/*', '**/logger'],
      message: 'Workflows log with `log` from @temporalio/workflow, not a logger.',
    },
    {
      group: ['@temporalio/client', '@temporalio/worker', '@temporalio/activity', '@temporalio/testing'],
      message: 'Workflows import only @temporalio/workflow and @temporalio/common.',
    },
    {
      group: ['**/activities/*', '**/activities'],
      allowTypeImports: true,
      message: 'Workflows import activity types only.',
    },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/**', '.data/**', 'tests/fixtures/lint/**', 'temporal-dev/**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'inline-type-imports' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', workflowForbiddenImports] },
  },
  {
    files: ['eslint.config.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: 'readonly' },
    },
  },
);
