import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { findFreePort, startDevServer, type DevServer } from '../temporal-dev/dev-server.js';
import { startFakeSlackWebApi, type FakeSlackWebApi } from '../tests/fakes/slack/web-api-server.js';
import { FakeBotConnector } from '../tests/fakes/teams/fake-bot-connector.js';
import { writeFaultProtocol } from './protocol.js';
import { RoleProcess } from './processes.js';

export const SIGNING_SECRET = 'fault-signing-secret';

/** The Postgres the suite may use: DATABASE_URL_TEST (CI), else DATABASE_URL, else none. */
export function faultDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const url = env.DATABASE_URL_TEST?.trim() || env.DATABASE_URL?.trim();
  return url ? url : undefined;
}

export interface System {
  dir: string;
  protocolPath: string;
  schema: string;
  databaseUrl: string;
  db: pg.Pool;
  slack: FakeSlackWebApi;
  teams: FakeBotConnector;
  slackUrl: string;
  teamsUrl: string;
  worker: RoleProcess;
  bots: RoleProcess;
  dev: () => DevServer;
  /** SIGTERMs the dev server and waits for it to exit. */
  stopDevServer: () => Promise<void>;
  /** Starts it again on the same port and database file. */
  startDevServer: () => Promise<void>;
  close: () => Promise<void>;
}

const hexKey = () => randomBytes(32).toString('hex');

/**
 * Everything a crash run needs, on loopback only: a real Temporal dev server persisted to a file,
 * a fresh schema in a real Postgres, the fake Slack Web API and Bot Connector, and the worker and
 * bots as separate processes sharing one environment (the same keys, protocol and data directory).
 */
export async function startSystem(opts: {
  databaseUrl: string;
  requests: number;
  log: (line: string) => void;
}): Promise<System> {
  const dir = mkdtempSync(join(tmpdir(), 'concordat-fault-'));
  const schema = `fault_${randomBytes(4).toString('hex')}`;
  const db = new pg.Pool({ connectionString: opts.databaseUrl, max: 3, options: `-c search_path=${schema}` });
  const slack = await startFakeSlackWebApi();
  const teams = await new FakeBotConnector().start();
  const temporalPort = await findFreePort();
  const slackPort = await findFreePort();
  const teamsPort = await findFreePort();
  // Health servers on free ports too: a second run, or anything on 9464/9465, must not stop a life.
  const workerHealthPort = await findFreePort();
  const botsHealthPort = await findFreePort();
  const dbFile = join(dir, 'temporal.db');
  const devLog = (line: string) => {
    if (!/Failed to poll|dial tcp|context canceled/.test(line)) opts.log(`[dev-server] ${line}`);
  };
  const bootDev = () =>
    startDevServer({ dbFile, port: temporalPort, headless: true, reuseExisting: false, log: devLog });
  let dev = await bootDev();

  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'development',
    LOG_LEVEL: 'info',
    CONCORDAT_CONFIG: writeFaultProtocol(dir, opts.requests),
    CONCORDAT_DATA_DIR: join(dir, 'data'),
    CONCORDAT_PAYLOAD_KEY: hexKey(),
    CONCORDAT_DATA_KEY: hexKey(),
    CONCORDAT_PSEUDONYM_KEY: hexKey(),
    DATABASE_URL: opts.databaseUrl,
    CONCORDAT_DB_SCHEMA: schema,
    TEMPORAL_ADDRESS: dev.address,
    TEMPORAL_NAMESPACE: 'default',
    SLACK_BOT_TOKEN: 'xoxb-fault-run',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.url,
    SLACK_PORT: String(slackPort),
    SLACK_HOST: '127.0.0.1',
    TEAMS_ENABLED: 'true',
    TEAMS_PORT: String(teamsPort),
    TEAMS_HOST: '127.0.0.1',
    CONCORDAT_WORKER_HEALTH_PORT: String(workerHealthPort),
    CONCORDAT_BOTS_HEALTH_PORT: String(botsHealthPort),
    // A/B runs of the worker's workflow-task slots (docs/durability.md, "Workflow-task slots").
    ...(process.env.CONCORDAT_WORKFLOW_TASK_SLOTS
      ? { CONCORDAT_WORKFLOW_TASK_SLOTS: process.env.CONCORDAT_WORKFLOW_TASK_SLOTS }
      : {}),
  };
  const cwd = process.cwd();
  const worker = new RoleProcess('worker', env, cwd, dir);
  const bots = new RoleProcess('bots', env, cwd, dir);

  return {
    dir,
    protocolPath: env.CONCORDAT_CONFIG ?? '',
    schema,
    databaseUrl: opts.databaseUrl,
    db,
    slack,
    teams,
    slackUrl: `http://127.0.0.1:${slackPort}/slack/events`,
    teamsUrl: `http://127.0.0.1:${teamsPort}`,
    worker,
    bots,
    dev: () => dev,
    stopDevServer: () => dev.stop(),
    startDevServer: async () => {
      dev = await bootDev();
    },
    close: async () => {
      await Promise.allSettled([worker.stop(), bots.stop()]);
      worker.close();
      bots.close();
      await dev.stop();
      await slack.close();
      await teams.stop();
      await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await db.end();
      if (!process.env.FAULT_KEEP_DIR) rmSync(dir, { recursive: true, force: true });
    },
  };
}
