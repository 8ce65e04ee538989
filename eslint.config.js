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

// Layer walls for every folder (docs/architecture.md, "Layers"): what each layer may import.
// Exported so tests/lint/layer-walls.test.ts can prove each one fires.
const SLACK_SDK = ['@slack/*'];
const TEAMS_SDK = ['@microsoft/*', 'botbuilder', 'botbuilder-*', 'botframework-*'];
const TEMPORAL_NOT_COMMON = [
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/workflow',
  '@temporalio/activity',
  '@temporalio/testing',
];
const botPatterns = [
  { group: ['**/store/*', '**/store'], message: 'Bots never import the records store: ask the desk.' },
  {
    group: ['**/runtime/*', '**/runtime/**', '**/runtime'],
    message: 'Bots never import runtime/: the desk and the ports are injected by runtime/main.ts.',
  },
  {
    group: TEMPORAL_NOT_COMMON,
    message: 'Bots never import the Temporal client: the desk holds the bed-request client.',
  },
  {
    group: ['**/activities/*', '**/activities/**', '**/workflows/*', '**/workflows/**'],
    message: 'Bots never import activities or workflows: ask the desk.',
  },
];
export const layerWalls = {
  slack: {
    patterns: [
      ...botPatterns,
      {
        group: [...TEAMS_SDK, '**/teams/*', '**/teams/**'],
        message: 'The Slack bot never imports Teams code.',
      },
    ],
  },
  teams: {
    patterns: [
      ...botPatterns,
      {
        group: [...SLACK_SDK, '**/slack/*', '**/slack/**'],
        message: 'The Teams bot never imports Slack code.',
      },
    ],
  },
  botsShared: {
    patterns: [
      ...botPatterns,
      {
        group: [...SLACK_SDK, ...TEAMS_SDK, '**/slack/*', '**/teams/*'],
        message: 'bots/shared is for every platform: no platform SDK or bot.',
      },
    ],
  },
  desk: {
    patterns: [
      {
        group: [...SLACK_SDK, ...TEAMS_SDK, '**/bots/*', '**/bots/**'],
        message: 'The desk is for every platform: no chat SDK and no bot.',
      },
      {
        group: ['**/store/*', '**/store'],
        allowTypeImports: true,
        message: 'The desk imports the store’s interface (types) only: the store is injected.',
      },
      {
        group: [
          '**/runtime/*',
          '**/runtime/**',
          '**/activities/*',
          '**/activities/**',
          '**/workflows/*',
          '**/workflows/**',
        ],
        message: 'The desk imports domain/, the Temporal client and the store’s interface only.',
      },
      {
        group: ['@temporalio/worker', '@temporalio/workflow', '@temporalio/activity', '@temporalio/testing'],
        message: 'The desk talks to Temporal through @temporalio/client only.',
      },
      { group: ['pg', 'pg-*', '@electric-sql/*'], message: 'The desk never reaches a database driver.' },
    ],
  },
  activities: {
    patterns: [
      {
        group: [...SLACK_SDK, ...TEAMS_SDK, '**/bots/*', '**/bots/**', '**/desk/*', '**/desk'],
        message: 'Activities reach chat through the chat port (domain/chat-port.ts), never a bot or SDK.',
      },
      {
        // runtime/ is wiring: metrics come in as domain/metrics.ts's MetricsSink, injected.
        group: ['**/runtime/*.js', '**/runtime/*/*.js'],
        message: 'Activities import domain/, the store and the chat port, not runtime/.',
      },
      {
        group: ['**/workflows/*', '**/workflows/**'],
        allowTypeImports: true,
        message: 'Activities import workflow types only.',
      },
    ],
  },
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
    files: ['bots/slack/**/*.ts'],
    // env.ts only delegates to runtime/env.ts until callers pass parsed settings (item 5).
    ignores: ['bots/slack/env.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', layerWalls.slack] },
  },
  {
    files: ['bots/teams/**/*.ts'],
    // The manifest packager is a CLI tool, not the bot; env.ts as for Slack.
    ignores: ['bots/teams/env.ts', 'bots/teams/manifest/**'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', layerWalls.teams] },
  },
  {
    files: ['bots/shared/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', layerWalls.botsShared] },
  },
  {
    files: ['desk/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', layerWalls.desk] },
  },
  {
    files: ['activities/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', layerWalls.activities] },
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
