/**
 * `npm start`: the whole of Concordat in one process tree, on embedded defaults.
 *
 *   tsx runtime/main.ts            dev server (unless Temporal is reachable), worker, schedules, bots
 *   tsx runtime/main.ts --worker   worker and schedules only (production: run N copies)
 *   tsx runtime/main.ts --bots     Slack and Teams bots only (production: N copies behind a balancer)
 *   tsx runtime/main.ts --sandbox  the training sandbox even when chat credentials are set
 *
 * With no chat credentials (no SLACK_BOT_TOKEN, no MICROSOFT_APP_ID) the all-in-one start serves the
 * training sandbox (docs/sandbox.md) on loopback, on the training protocol, its own data directory
 * and its own Temporal namespace.
 *
 * PGlite serves one process, so split roles need DATABASE_URL (a real Postgres server).
 */
import { parseArgs } from 'node:util';
import type { Client } from '@temporalio/client';
import { Runtime, type Worker } from '@temporalio/worker';
import { createSlackBot, createSlackChatPort, type SlackBot } from '../bots/slack/index.js';
import { createTeamsBot, createTeamsChatPort, type TeamsBot } from '../bots/teams/index.js';
import { createDesk, type DigestRequests } from '../desk/index.js';
import type { ChatPort } from '../domain/chat-port.js';
import type { Platform } from '../domain/people.js';
import { openStoreFromEnv, type Store } from '../store/index.js';
import { startDevServer, temporalReachable, type DevServer } from '../temporal-dev/dev-server.js';
import { createBedRequestClient, TASK_QUEUE } from './bed-request-client.js';
import { ChatRouter } from './chat-router.js';
import { ConfigError, loadProtocolFile } from './config.js';
import { parseEnv, type Settings } from './env.js';
import { createLogger, temporalLoggerFor } from './logger.js';
import { payloadCodecFrom } from './payload-codec.js';
import { requestDigestNow } from './digest-client.js';
import { withRetries } from './retry.js';
import { ensureSchedules } from './schedules.js';
import { createStartOutboxDrainer, type StartOutboxDrainer } from './start-outbox.js';
import {
  connectClient,
  connectWorker,
  temporalSettings,
  withTemporalAddress,
} from './temporal-connection.js';
import { startTracing, tracedBedRequests, tracedChatPort } from './tracing.js';
import { createWorker } from './worker.js';
import { startProcessHealth } from './health/index.js';
import {
  DEFAULT_SANDBOX_PORT,
  loadScenarios,
  sandboxRefusal,
  startSandbox,
  TRAINING_CONFIG,
  TRAINING_NAMESPACE,
  TRAINING_SCENARIOS,
  type Sandbox,
} from '../sandbox/index.js';
import { ensureTrainingNamespace } from '../sandbox/training-namespace.js';
import { DEFAULT_CONFIG_PATH } from './config.js';

type Stopper = { name: string; stop: () => Promise<unknown> };

const say = (line: string) => process.stdout.write(`${line}\n`);

/** Waits until Temporal answers, saying so every few seconds; a stop request ends the wait. */
async function waitForTemporal(
  address: string,
  connection: NonNullable<Parameters<typeof temporalReachable>[1]>['connection'],
  say: (line: string) => void,
  stopped: () => boolean,
): Promise<void> {
  const since = Date.now();
  let lastSaid = 0;
  while (!(await temporalReachable(address, { connection }))) {
    if (stopped()) throw new Error('stopped while waiting for Temporal');
    if (Date.now() - lastSaid >= 5_000) {
      lastSaid = Date.now();
      say(
        `Waiting for Temporal at ${address} (${Math.round((lastSaid - since) / 1000)} s so far; Ctrl-C to stop)…`,
      );
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      worker: { type: 'boolean', default: false },
      bots: { type: 'boolean', default: false },
      sandbox: { type: 'boolean', default: false },
      'sandbox-port': { type: 'string' },
    },
  });
  const all = !values.worker && !values.bots;
  const runWorker = all || values.worker;
  const runBots = all || values.bots;
  // The environment is parsed once, here; everything below gets its typed part (runtime/env.ts).
  let settings: Settings;
  try {
    settings = parseEnv(process.env);
  } catch (error) {
    process.stderr.write(`\n${(error as Error).message}\n`);
    process.exit(1);
  }
  // The training sandbox (docs/sandbox.md): asked for, or the all-in-one start with no chat
  // credentials at all. It then runs on its own protocol, data directory and Temporal namespace.
  const credentials = settings.slack !== undefined || settings.teams.auth.mode === 'authenticated';
  // Asked for under NODE_ENV=production, it is refused below; it never comes on there by itself.
  const training = runBots && (values.sandbox || (all && !credentials && !settings.production));
  if (training) {
    const refusal = sandboxRefusal({ production: settings.production, host: '127.0.0.1' });
    if (refusal) {
      process.stderr.write(`\n${refusal}\n`);
      process.exit(1);
    }
    const trainingDir = `${settings.dataDir}/training`;
    settings = {
      ...settings,
      dataDir: trainingDir,
      configPath: settings.configPath === DEFAULT_CONFIG_PATH ? TRAINING_CONFIG : settings.configPath,
      // Never a real records database: PGlite under the training directory.
      store: { ...settings.store, dataDir: trainingDir, databaseUrl: undefined },
      temporal: { vars: { ...settings.temporal.vars, TEMPORAL_NAMESPACE: TRAINING_NAMESPACE } },
      teams: { ...settings.teams, auth: { mode: 'emulator' }, host: '127.0.0.1' },
    };
  }
  const { dataDir } = settings;
  const log = createLogger({ name: 'concordat', ...settings.log });
  Runtime.install({ logger: temporalLoggerFor(log) });
  const stoppers: Stopper[] = [];
  const lines: string[] = [];
  const notConfigured: string[] = [];

  const shutdown = async (code: number) => {
    for (const s of stoppers.reverse()) {
      await s
        .stop()
        .catch((e: unknown) => log.warn({ part: s.name, err: (e as Error).message }, 'stop failed'));
    }
    process.exit(code);
  };
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      say(`\nStopping Concordat (${signal})…`);
      void shutdown(0);
    });
  }

  try {
    // Configuration first: a bad file or key stops the start, naming the field.
    const protocol = loadProtocolFile(settings.configPath);
    const codec = payloadCodecFrom(settings.payloadKeys, settings);

    // The sandbox's address comes first, before the slower parts start.
    let sandbox: Sandbox | undefined;
    if (training) {
      const port =
        values['sandbox-port'] === undefined ? DEFAULT_SANDBOX_PORT : Number(values['sandbox-port']);
      sandbox = await startSandbox({
        protocol,
        scenarios: loadScenarios(TRAINING_SCENARIOS),
        log,
        port,
        production: settings.production,
      });
      const s = sandbox;
      stoppers.push({ name: 'training sandbox', stop: () => s.stop() });
      say(`Training sandbox: ${s.url}  (open it in a browser; the rest is starting)`);
      lines.push(`Sandbox       ${s.url} (TRAINING: fake Slack and Teams, loopback only)`);
    }

    // Health and metrics (runtime/health/): one server per process, on the worker's port when this
    // process runs the worker (the all-in-one start included), else on the bots' port. Started
    // first, so /healthz answers while the process waits for Temporal or builds its worker, and
    // /readyz names what it is still waiting for; the store, Temporal and the worker are attached
    // as each is ready.
    const health = await startProcessHealth({
      role: all ? 'all' : runWorker ? 'worker' : 'bots',
      host: settings.health.host,
      port: runWorker ? settings.health.workerPort : settings.health.botsPort,
      expectWorker: runWorker,
      log,
    });
    stoppers.push({ name: 'health server', stop: () => health.stop() });
    lines.push(`Health        ${health.url}/healthz, /readyz, /metrics`);

    // Temporal: TEMPORAL_ADDRESS wins; otherwise reuse a local server or start the dev server.
    let devServer: DevServer | undefined;
    let lazyTemporal = false;
    let temporal = settings.temporal;
    if (temporal.vars.TEMPORAL_ADDRESS) {
      const s = temporalSettings(temporal);
      if (!(await temporalReachable(s.address, { connection: s.connectionOptions }))) {
        // A restart during a Temporal outage must not take Concordat down with it
        // (docs/durability.md): a worker waits for Temporal; the bots start at once and keep
        // submits in the outbox until it is back (docs/queued-submits.md).
        if (runWorker) {
          await waitForTemporal(s.address, s.connectionOptions, say, () => stopping);
        } else {
          say(
            `Temporal at ${s.address} is not answering yet: the bots start anyway and keep submits until it is back.`,
          );
          lazyTemporal = true;
        }
      }
      lines.push(`Temporal      ${s.address} (namespace ${s.namespace}), from TEMPORAL_ADDRESS`);
    } else {
      say('Starting the Temporal dev server (the first run may build the Temporal CLI: a few minutes)…');
      devServer = await startDevServer({
        dbFile: `${dataDir}/temporal.db`,
        ...(training ? { namespace: TRAINING_NAMESPACE } : {}),
      });
      const dev = devServer;
      stoppers.push({ name: 'temporal dev server', stop: () => dev.stop() });
      temporal = withTemporalAddress(temporal, dev.address);
      lines.push(
        dev.reused
          ? `Temporal      ${dev.address} (an already running server)`
          : `Temporal      ${dev.address}, UI ${dev.uiUrl ?? '(headless)'}, history in ${dataDir}/temporal.db`,
      );
    }

    const store: Store = await openStoreFromEnv(settings.store);
    stoppers.push({ name: 'records store', stop: () => store.close() });
    health.attachStore(store.sql);
    lines.push(
      settings.store.databaseUrl
        ? 'Records       Postgres (DATABASE_URL)'
        : `Records       PGlite (embedded Postgres) in ${dataDir}/pglite`,
    );

    // Tracing (runtime/tracing.ts): only with OTEL_EXPORTER_OTLP_ENDPOINT; one trace per request.
    const tracing = startTracing({
      serviceName:
        settings.telemetry.serviceName ??
        (runWorker && !runBots ? 'concordat-worker' : runBots && !runWorker ? 'concordat-bots' : 'concordat'),
      ...(settings.telemetry.otlpEndpoint ? { otlpEndpoint: settings.telemetry.otlpEndpoint } : {}),
    });
    if (tracing) {
      stoppers.push({ name: 'tracing', stop: () => tracing.shutdown() });
      lines.push(`Tracing       OTLP to ${settings.telemetry.otlpEndpoint ?? ''}`);
    }
    if (training && !lazyTemporal) {
      // A reused Temporal server may not have the training namespace yet.
      const t = temporalSettings(temporal);
      await ensureTrainingNamespace(t.connectionOptions, t.namespace);
    }
    const client: Client = await connectClient(codec, temporal, {
      lazy: lazyTemporal,
      ...(tracing ? { plugins: [tracing.plugin] } : {}),
    });
    stoppers.push({ name: 'temporal client', stop: () => client.connection.close() });
    health.attachTemporal(client.connection);
    // The bots keep a submit made while Temporal is unreachable and start it later
    // (docs/queued-submits.md); any start that gets through is the drainer's cue to go at once.
    let drainer: StartOutboxDrainer | undefined;
    const untraced = createBedRequestClient(client, {
      taskQueue: TASK_QUEUE,
      ...(runBots ? { outbox: store.pendingStarts } : {}),
      onReachable: () => drainer?.kick(),
      log,
    });
    const bedRequests = tracing ? tracedBedRequests(untraced) : untraced;
    // An admin's "digest from … to …" in either bot.
    const digests: DigestRequests = {
      requestNow: (args) =>
        requestDigestNow(client, { ...args, taskQueue: TASK_QUEUE, timeZone: protocol.force.timeZone }),
    };
    // One request desk behind every bot (docs/architecture.md, "The request desk").
    const desk = createDesk({ protocol, bedRequests, store, log, digests });

    // Bots: Slack when its token is set; Teams always (local emulator mode without credentials).
    let slackBot: SlackBot | undefined;
    let teamsBot: TeamsBot | undefined;
    const adapters: Partial<Record<Platform, ChatPort>> = {};
    const slackEnv = sandbox?.slackEnv ?? settings.slack;

    if (slackEnv) {
      adapters.slack = createSlackChatPort({
        token: slackEnv.botToken,
        ...(slackEnv.apiUrl ? { apiUrl: slackEnv.apiUrl } : {}),
        log,
        timeZone: protocol.force.timeZone,
      });
    } else {
      notConfigured.push(
        'Slack         not configured: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN)',
      );
    }
    if (settings.teamsEnabled) {
      if (runBots) {
        teamsBot = createTeamsBot({ protocol, desk, conversations: store, config: settings.teams, log });
      }
      adapters.teams = createTeamsChatPort({
        ...(teamsBot ? { adapter: teamsBot.adapter } : { config: settings.teams }),
        store,
        log,
        zone: protocol.force.timeZone,
        people: protocol.people,
      });
    } else {
      notConfigured.push('Teams         disabled (TEAMS_ENABLED=false)');
    }
    const chat = new ChatRouter(adapters);

    let slackPort: number | undefined;
    let teamsPort: number | undefined;
    if (runWorker) {
      const { connection, namespace } = await connectWorker(temporal);
      const worker: Worker = await createWorker({
        connection,
        namespace,
        taskQueue: TASK_QUEUE,
        protocol,
        store,
        chat: tracing ? tracedChatPort(chat) : chat,
        codec,
        log,
        client,
        ...(settings.workflowTaskSlots ? { workflowTaskSlots: settings.workflowTaskSlots } : {}),
        ...(tracing ? { plugins: [tracing.plugin] } : {}),
      });
      const running = worker.run();
      health.attachWorker(worker);
      stoppers.push({
        name: 'worker',
        stop: async () => {
          // The SDK's own SIGINT/SIGTERM handling may have begun the shutdown already.
          if (worker.getState() === 'RUNNING') worker.shutdown();
          await running.catch(() => undefined);
          await connection.close();
        },
      });
      running.catch((e: unknown) => {
        log.error({ err: (e as Error).message }, 'worker stopped');
        if (!stopping) void shutdown(1);
      });
      lines.push(`Worker        task queue "${TASK_QUEUE}", namespace ${namespace}`);
      // The worker already polls: a busy server timing out a schedule call must not end it, and
      // the schedules are checked again at every worker start (docs/durability.md).
      const schedules = await withRetries(
        () => ensureSchedules(client, protocol, { taskQueue: TASK_QUEUE, log }),
        {
          attempts: 5,
          delayMs: 2000,
          onRetry: (err, attempt) =>
            log.warn({ attempt, err: (err as Error).message }, 'schedules not confirmed yet: trying again'),
        },
      ).catch((err: unknown) => {
        log.error(
          { err: (err as Error).message },
          'schedules not confirmed: the next worker start checks them',
        );
        return undefined;
      });
      lines.push(
        schedules
          ? `Schedules     daily digest ${protocol.digest.daily}, weekly digest day ${protocol.digest.weekly.day} ${protocol.digest.weekly.time}, retention purge (${protocol.force.timeZone}); ` +
              `${schedules.created.length} created, ${schedules.updated.length} updated, ${schedules.unchanged.length} unchanged`
          : 'Schedules     not confirmed (Temporal did not answer in time): the next worker start checks them again',
      );
    }

    if (runBots) {
      const outboxDrainer = createStartOutboxDrainer({
        client,
        taskQueue: TASK_QUEUE,
        outbox: store.pendingStarts,
        log,
      });
      drainer = outboxDrainer;
      stoppers.push({ name: 'start outbox', stop: () => outboxDrainer.stop() });
      lines.push('Outbox        submits made while Temporal is unreachable start when it is back');
      if (slackEnv) {
        slackBot = createSlackBot({ protocol, desk, env: slackEnv, log });
        const port = await slackBot.start();
        slackPort = port;
        const bot = slackBot;
        stoppers.push({ name: 'slack bot', stop: () => bot.stop() });
        lines.push(
          bot.mode === 'socket'
            ? 'Slack         Socket Mode, connected'
            : `Slack         http://localhost:${port}/slack/events`,
        );
      }
      if (teamsBot) {
        const { port } = await teamsBot.start();
        teamsPort = port;
        const bot = teamsBot;
        stoppers.push({ name: 'teams bot', stop: () => bot.stop() });
        lines.push(
          `Teams         http://localhost:${port}/api/messages` +
            (bot.config.auth.mode === 'emulator'
              ? ' (local emulator mode: no MICROSOFT_APP_ID, no auth; for the Bot Framework Emulator only)'
              : ''),
        );
      }
    }

    if (sandbox) {
      await sandbox.connect({
        ...(slackPort !== undefined ? { slackEventsUrl: `http://127.0.0.1:${slackPort}/slack/events` } : {}),
        ...(teamsPort !== undefined
          ? { teamsMessagesUrl: `http://127.0.0.1:${teamsPort}/api/messages` }
          : {}),
      });
    }

    say('');
    say(`Concordat is running for ${protocol.force.name}.`);
    if (sandbox) say(`  TRAINING: open ${sandbox.url} and pick a scenario. No real records are touched.`);
    for (const l of lines) say(`  ${l}`);
    for (const l of notConfigured) say(`  ${l}`);
    say(`  Protocol      ${settings.configPath}`);
    say('Press Ctrl-C to stop.');
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`\n${error.message}\n`);
    } else {
      process.stderr.write(`\nConcordat could not start: ${(error as Error).message}\n`);
      log.error({ err: (error as Error).message }, 'start failed');
    }
    await shutdown(1);
  }
}

void main();
