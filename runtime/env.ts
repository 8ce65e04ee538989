/**
 * Every environment variable Concordat reads, in one zod schema, parsed once at start-up by
 * runtime/main.ts and runtime/cli.ts. The typed result is handed down: the store, the Temporal
 * connection, the payload codec and the bots never read `process.env` themselves
 * (docs/architecture.md, "Configuration"). The README's table lists exactly these names; a test
 * holds the two together.
 *
 * Not here, on purpose: the dev tools' own variables (temporal-dev/: TEMPORAL_DEV_PORT,
 * TEMPORAL_DEV_UI_PORT, TEMPORAL_CLI_PATH, TEMPORAL_TEST_SERVER_VERSION), the Teams package
 * builder's (bots/teams/manifest/build-package.ts) and the tests' DATABASE_URL_TEST. They configure
 * tools, not the running service.
 */
import { z } from 'zod';
import type { SlackEnv } from '../bots/slack/env.js';
import type { AppType, TeamsAuth, TeamsConfig } from '../bots/teams/env.js';
import type { StoreEnv } from '../store/open-store.js';
import type { HealthSettings } from './health/index.js';
import { keySchema } from '../store/secrets.js';
import { ConfigError, DEFAULT_CONFIG_PATH } from './config.js';
import type { TemporalEnv } from './temporal-connection.js';

type RawEnv = Record<string, string | undefined>;

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** A value quoted for an error message, cut short. Never used for secrets. */
const shown = (v: string) => JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);

/** Unset or blank is undefined; otherwise `check` turns the trimmed text into a value or an issue. */
function field<T>(check: (value: string) => T | { issue: string }) {
  return z.preprocess(
    blank,
    z
      .string()
      .trim()
      .optional()
      .transform((value, ctx): T | undefined => {
        if (value === undefined) return undefined;
        const out = check(value);
        if (typeof out === 'object' && out !== null && 'issue' in out) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: out.issue });
          return z.NEVER;
        }
        return out;
      }),
  );
}

const text = () => field((v) => v);

const BOOLEANS: Record<string, boolean> = {
  true: true,
  false: false,
  1: true,
  0: false,
  yes: true,
  no: false,
};

/**
 * An environment flag, parsed explicitly (z.coerce.boolean() would read "false" as true): only
 * true/false/1/0/yes/no. Unset or blank stays undefined, so each caller chooses its default.
 */
export const envBoolean = field((v) => {
  const b = BOOLEANS[v.toLowerCase()];
  return b ?? { issue: `Write true or false (or 1/0, yes/no), not ${shown(v)}` };
});

/** A TCP port; 0 asks the system for any free one (the tests use it). */
export const envPort = field((v) => {
  const n = Number(v);
  return /^\d+$/.test(v) && n <= 65_535
    ? n
    : { issue: `${shown(v)} is not a port (a number from 0 to 65535)` };
});

function httpUrl(example: string) {
  return field((v) => {
    let url: URL | undefined;
    try {
      url = new URL(v);
    } catch {
      url = undefined;
    }
    return url && (url.protocol === 'https:' || url.protocol === 'http:')
      ? v
      : { issue: `${shown(v)} is not an http(s) URL (give one like ${example})` };
  });
}

function oneOf<const T extends readonly [string, ...string[]]>(options: T, what: string) {
  return field((v): T[number] | { issue: string } => {
    const match = options.find((o) => o.toLowerCase() === v.toLowerCase());
    return match ?? { issue: `Must be one of ${options.join(', ')}, not ${shown(v)}${what}` };
  });
}

/** A 32-byte key by the secrets loader's rules (hex or base64); the value is never echoed. */
function key(variable: string) {
  return z.preprocess(blank, keySchema(variable).optional());
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const APP_TYPES = [
  'MultiTenant',
  'SingleTenant',
  'UserAssignedMSI',
] as const satisfies readonly AppType[];

// Same rule as store/sql-client's SCHEMA_NAME, kept here so the bots do not load database drivers.
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
// host:port, or a bare host (Temporal adds :7233); no scheme, since gRPC takes an authority.
const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:(\d{1,5}))?$/;

const core = {
  CONCORDAT_CONFIG: text(),
  CONCORDAT_DATA_DIR: text(),
  NODE_ENV: text(),
  LOG_LEVEL: oneOf(LOG_LEVELS, ' (pino levels)'),
  LOG_FORMAT: oneOf(['pretty', 'json'] as const, ' (unset: pretty in a terminal, JSON otherwise)'),
};

const keys = {
  CONCORDAT_PAYLOAD_KEY: key('CONCORDAT_PAYLOAD_KEY'),
  CONCORDAT_PAYLOAD_KEY_PREVIOUS: key('CONCORDAT_PAYLOAD_KEY_PREVIOUS'),
  CONCORDAT_DATA_KEY: key('CONCORDAT_DATA_KEY'),
  CONCORDAT_PSEUDONYM_KEY: key('CONCORDAT_PSEUDONYM_KEY'),
};

const store = {
  // The URL carries the database password, so it is never echoed.
  DATABASE_URL: field((v) =>
    /^postgres(ql)?:\/\//.test(v) ? v : { issue: 'DATABASE_URL must be a postgres:// or postgresql:// URL' },
  ),
  CONCORDAT_DB_SCHEMA: field((v) =>
    SCHEMA_NAME.test(v)
      ? v
      : { issue: `CONCORDAT_DB_SCHEMA must be lower-case letters, digits and _, not ${shown(v)}` },
  ),
};

// Temporal's standard client variables, read by @temporalio/envconfig; declared and checked here
// so a typo fails the start like any other variable. TEMPORAL_GRPC_META_* is a family (see below).
const temporal = {
  TEMPORAL_ADDRESS: field((v) => {
    const m = HOST_PORT.exec(v);
    return m && (m[3] === undefined || Number(m[3]) <= 65_535)
      ? v
      : { issue: `${shown(v)} is not host:port (like 127.0.0.1:7233 or my-ns.a1b2c.tmprl.cloud:7233)` };
  }),
  TEMPORAL_NAMESPACE: text(),
  TEMPORAL_API_KEY: text(),
  TEMPORAL_TLS: envBoolean,
  TEMPORAL_TLS_CLIENT_CERT_PATH: text(),
  TEMPORAL_TLS_CLIENT_CERT_DATA: text(),
  TEMPORAL_TLS_CLIENT_KEY_PATH: text(),
  TEMPORAL_TLS_CLIENT_KEY_DATA: text(),
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: text(),
  TEMPORAL_TLS_SERVER_CA_CERT_DATA: text(),
  TEMPORAL_TLS_SERVER_NAME: text(),
  TEMPORAL_TLS_DISABLE_HOST_VERIFICATION: envBoolean,
  TEMPORAL_PROFILE: text(),
  TEMPORAL_CONFIG_FILE: text(),
};
export const TEMPORAL_GRPC_META_PREFIX = 'TEMPORAL_GRPC_META_';
/** Where envconfig looks for the default temporal.toml: the OS's variables, passed through as they are. */
const CONFIG_DIR_VARS: readonly string[] = ['HOME', 'XDG_CONFIG_HOME', 'APPDATA'];
const passedToEnvconfig = (name: string) =>
  name.startsWith(TEMPORAL_GRPC_META_PREFIX) || CONFIG_DIR_VARS.includes(name);

const slack = {
  SLACK_BOT_TOKEN: text(),
  SLACK_SIGNING_SECRET: text(),
  SLACK_APP_TOKEN: field((v) =>
    v.startsWith('xapp-') ? v : { issue: 'An app-level token starts with xapp-' },
  ),
  SLACK_SOCKET_MODE: envBoolean,
  SLACK_API_URL: httpUrl('https://slack.com/api/'),
  SLACK_PORT: envPort,
  PORT: envPort,
  SLACK_HOST: text(),
};

const teams = {
  MICROSOFT_APP_ID: text(),
  MICROSOFT_APP_PASSWORD: text(),
  MICROSOFT_APP_TENANT_ID: text(),
  MICROSOFT_APP_TYPE: oneOf(APP_TYPES, ''),
  TEAMS_PORT: envPort,
  TEAMS_HOST: text(),
  TEAMS_ENABLED: envBoolean,
  // Where inbound channel tokens' signing keys are published; unset = the Bot Framework's own
  // (https://login.botframework.com/v1/.well-known/openidconfiguration). Tests and sovereign clouds.
  TEAMS_OPENID_METADATA_URL: httpUrl('https://login.botframework.com/v1/.well-known/openidconfiguration'),
};

// The health servers (runtime/health/): /healthz, /readyz and /metrics of each process.
const health = {
  CONCORDAT_HEALTH_HOST: text(),
  CONCORDAT_WORKER_HEALTH_PORT: envPort,
  CONCORDAT_BOTS_HEALTH_PORT: envPort,
};

/** A whole number from 1 to 1,000 (a count of slots, workers, …). */
const envCount = field((v) => {
  const n = Number(v);
  return /^\d+$/.test(v) && n >= 1 && n <= 1000
    ? n
    : { issue: `${shown(v)} is not a count (a whole number from 1 to 1000)` };
});

// The worker's workflow-task slots (runtime/worker.ts, PERFORMANCE_SETTINGS; docs/durability.md,
// "Workflow-task slots"): unset = the measured default for a small machine.
const worker = {
  CONCORDAT_WORKFLOW_TASK_SLOTS: envCount,
};

// OpenTelemetry tracing (runtime/tracing.ts): off unless an OTLP endpoint is given. The exporter
// also reads the other standard OTEL_EXPORTER_OTLP_* variables itself.
const telemetry = {
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl('http://localhost:4318'),
  OTEL_SERVICE_NAME: text(),
};

const shape = {
  ...core,
  ...keys,
  ...store,
  ...temporal,
  ...slack,
  ...teams,
  ...health,
  ...worker,
  ...telemetry,
};
type Fields = z.output<z.ZodObject<typeof shape>>;
/** The fields, plus the variables passed through untouched (the TEMPORAL_GRPC_META_* family, the OS's). */
type Parsed = Fields & Record<string, unknown>;

/** The variables of each part, so a part can be parsed on its own (tests, tools). */
export const ENV_GROUPS = {
  core: Object.keys(core),
  keys: Object.keys(keys),
  store: Object.keys(store),
  temporal: Object.keys(temporal),
  slack: Object.keys(slack),
  teams: Object.keys(teams),
  health: Object.keys(health),
  telemetry: Object.keys(telemetry),
} satisfies Record<string, string[]>;

/** Every name the schema declares; a family is written with a trailing `*`. */
export const ENV_NAMES: readonly string[] = [...Object.keys(shape), `${TEMPORAL_GRPC_META_PREFIX}*`];

export interface Settings {
  production: boolean;
  /** The protocol file (CONCORDAT_CONFIG). */
  configPath: string;
  dataDir: string;
  log: { level: (typeof LOG_LEVELS)[number]; format?: 'pretty' | 'json' };
  /** The payload codec's keys; unset ones are generated in development (store/secrets.ts). */
  payloadKeys: { current?: Buffer; previous?: Buffer };
  store: StoreEnv;
  temporal: TemporalEnv;
  /** Undefined when SLACK_BOT_TOKEN is not set: Slack is not configured. */
  slack?: SlackEnv;
  teams: TeamsConfig;
  teamsEnabled: boolean;
  /** Where the health servers listen: loopback unless CONCORDAT_HEALTH_HOST says otherwise. */
  health: HealthSettings;
  /** Workflow tasks one worker runs at once (CONCORDAT_WORKFLOW_TASK_SLOTS); unset = the default. */
  workflowTaskSlots?: number;
  /** Tracing: on when OTEL_EXPORTER_OTLP_ENDPOINT is set (runtime/tracing.ts). */
  telemetry: { otlpEndpoint?: string; serviceName?: string };
}

/**
 * The registration type: as set; else SingleTenant when a tenant ID is given (new Azure Bots are
 * single-tenant since Microsoft stopped creating multi-tenant ones on 31 July 2025); else
 * MultiTenant, for a bot registered before then.
 */
function appTypeOf(e: Pick<Fields, 'MICROSOFT_APP_TYPE' | 'MICROSOFT_APP_TENANT_ID'>): AppType {
  return e.MICROSOFT_APP_TYPE ?? (e.MICROSOFT_APP_TENANT_ID ? 'SingleTenant' : 'MultiTenant');
}

function checkGroups(e: Fields, ctx: z.RefinementCtx): void {
  const issue = (path: keyof Fields, message: string) =>
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: [path], message });

  // Slack: the bot token and a way to receive events (signing secret, or app token) go together.
  if (e.SLACK_BOT_TOKEN === undefined) {
    const orphan = e.SLACK_SIGNING_SECRET !== undefined ? 'SLACK_SIGNING_SECRET' : undefined;
    const orphanApp = e.SLACK_APP_TOKEN !== undefined ? 'SLACK_APP_TOKEN' : undefined;
    const set = orphan ?? orphanApp;
    if (set)
      issue(
        'SLACK_BOT_TOKEN',
        `Set the bot token (xoxb-…) from OAuth & Permissions too: ${set} is set without it`,
      );
  } else {
    const socketMode = e.SLACK_SOCKET_MODE ?? e.SLACK_APP_TOKEN !== undefined;
    if (socketMode && !e.SLACK_APP_TOKEN)
      issue(
        'SLACK_APP_TOKEN',
        'Socket Mode needs an app-level token (xapp-…) with the connections:write scope',
      );
    if (!socketMode && !e.SLACK_SIGNING_SECRET)
      issue(
        'SLACK_SIGNING_SECRET',
        'HTTP mode needs the signing secret from Basic Information (or set SLACK_APP_TOKEN for Socket Mode)',
      );
  }

  // Teams: none of the four is emulator mode; otherwise the registration must be whole.
  const anyTeams =
    e.MICROSOFT_APP_ID ?? e.MICROSOFT_APP_PASSWORD ?? e.MICROSOFT_APP_TENANT_ID ?? e.MICROSOFT_APP_TYPE;
  if (anyTeams === undefined) return;
  const need = (name: keyof Fields, why: string) => {
    if (e[name] === undefined) issue(name, why);
  };
  need('MICROSOFT_APP_ID', 'Set the Azure Bot’s Microsoft App ID (or unset all four for emulator mode)');
  const type = appTypeOf(e);
  if (type === 'UserAssignedMSI') {
    need('MICROSOFT_APP_TENANT_ID', 'A UserAssignedMSI bot needs the tenant ID');
    if (e.MICROSOFT_APP_PASSWORD !== undefined)
      issue(
        'MICROSOFT_APP_PASSWORD',
        'Must not be set for UserAssignedMSI: the managed identity has no secret',
      );
  } else {
    need('MICROSOFT_APP_PASSWORD', `A ${type} bot needs the client secret of its app registration`);
    if (type === 'SingleTenant') need('MICROSOFT_APP_TENANT_ID', 'A SingleTenant bot needs the tenant ID');
  }
}

/** The variables @temporalio/envconfig reads, flags written the way it reads them ("true"/"false"). */
function temporalVars(e: Parsed): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(e)) {
    if (typeof v !== 'string' && typeof v !== 'boolean') continue;
    if (ENV_GROUPS.temporal.includes(name) || passedToEnvconfig(name)) out[name] = String(v);
  }
  return out;
}

function toSettings(e: Parsed): Settings {
  const dataDir = e.CONCORDAT_DATA_DIR ?? '.data';
  const production = e.NODE_ENV === 'production';
  const auth: TeamsAuth = e.MICROSOFT_APP_ID
    ? {
        mode: 'authenticated',
        appId: e.MICROSOFT_APP_ID,
        appType: appTypeOf(e),
        ...(e.MICROSOFT_APP_PASSWORD ? { password: e.MICROSOFT_APP_PASSWORD } : {}),
        ...(e.MICROSOFT_APP_TENANT_ID ? { tenantId: e.MICROSOFT_APP_TENANT_ID } : {}),
      }
    : { mode: 'emulator' };
  const slackEnv: SlackEnv | undefined = e.SLACK_BOT_TOKEN
    ? {
        botToken: e.SLACK_BOT_TOKEN,
        signingSecret: e.SLACK_SIGNING_SECRET,
        appToken: e.SLACK_APP_TOKEN,
        socketMode: e.SLACK_SOCKET_MODE ?? e.SLACK_APP_TOKEN !== undefined,
        apiUrl: e.SLACK_API_URL,
        port: e.SLACK_PORT ?? e.PORT ?? 3000,
        host: e.SLACK_HOST,
      }
    : undefined;
  return {
    production,
    configPath: e.CONCORDAT_CONFIG ?? DEFAULT_CONFIG_PATH,
    dataDir,
    log: { level: e.LOG_LEVEL ?? 'info', ...(e.LOG_FORMAT ? { format: e.LOG_FORMAT } : {}) },
    payloadKeys: {
      ...(e.CONCORDAT_PAYLOAD_KEY ? { current: e.CONCORDAT_PAYLOAD_KEY } : {}),
      ...(e.CONCORDAT_PAYLOAD_KEY_PREVIOUS ? { previous: e.CONCORDAT_PAYLOAD_KEY_PREVIOUS } : {}),
    },
    store: {
      dataDir,
      production,
      ...(e.DATABASE_URL ? { databaseUrl: e.DATABASE_URL } : {}),
      ...(e.CONCORDAT_DB_SCHEMA ? { schema: e.CONCORDAT_DB_SCHEMA } : {}),
      keys: {
        ...(e.CONCORDAT_DATA_KEY ? { dataKey: e.CONCORDAT_DATA_KEY } : {}),
        ...(e.CONCORDAT_PSEUDONYM_KEY ? { pseudonymKey: e.CONCORDAT_PSEUDONYM_KEY } : {}),
      },
    },
    temporal: { vars: temporalVars(e) },
    ...(slackEnv ? { slack: slackEnv } : {}),
    teams: {
      auth,
      port: e.TEAMS_PORT ?? 3978,
      // An unauthenticated emulator endpoint listens on loopback only, so it is not exposed by accident.
      host: e.TEAMS_HOST ?? (auth.mode === 'emulator' ? '127.0.0.1' : '0.0.0.0'),
      ...(e.TEAMS_OPENID_METADATA_URL ? { openIdMetadataUrl: e.TEAMS_OPENID_METADATA_URL } : {}),
    },
    teamsEnabled: e.TEAMS_ENABLED ?? true,
    // Defaults as in runtime/health/index.ts (DEFAULT_HEALTH_SETTINGS); not imported, so that
    // parsing the environment loads no Temporal or database module.
    health: {
      host: e.CONCORDAT_HEALTH_HOST ?? '127.0.0.1',
      workerPort: e.CONCORDAT_WORKER_HEALTH_PORT ?? 9464,
      botsPort: e.CONCORDAT_BOTS_HEALTH_PORT ?? 9465,
    },
    ...(e.CONCORDAT_WORKFLOW_TASK_SLOTS ? { workflowTaskSlots: e.CONCORDAT_WORKFLOW_TASK_SLOTS } : {}),
    telemetry: {
      ...(e.OTEL_EXPORTER_OTLP_ENDPOINT ? { otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT } : {}),
      ...(e.OTEL_SERVICE_NAME ? { serviceName: e.OTEL_SERVICE_NAME } : {}),
    },
  };
}

/** The one schema: every variable checked on its own, then the groups that go together. */
export const envSchema = z
  .object(shape)
  .passthrough()
  .superRefine((e, ctx) => checkGroups(e, ctx))
  .transform(toSettings);

/**
 * One line per problem, each naming its variable (`TEAMS_PORT: "abc" is not a port …`); a message
 * that already starts with its variable's name is kept as it is.
 */
export function describeEnvError(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const name = String(i.path[0] ?? '(environment)');
      return i.message.startsWith(name) ? i.message : `${name}: ${i.message}`;
    })
    .join('\n');
}

/** Parses the environment once; a bad value throws a ConfigError naming every bad variable. */
export function parseEnv(raw: RawEnv): Settings {
  const result = envSchema.safeParse(raw);
  if (!result.success) throw new ConfigError('environment', describeEnvError(result.error));
  return result.data;
}

/**
 * Parses only the named parts, so a tool or a test that needs the Teams settings is not stopped
 * by an unrelated variable.
 */
export function parseEnvParts(raw: RawEnv, parts: ReadonlyArray<keyof typeof ENV_GROUPS>): Settings {
  const names = new Set<string>(parts.flatMap((p) => ENV_GROUPS[p]));
  const picked: RawEnv = {};
  for (const [name, v] of Object.entries(raw)) {
    if (names.has(name) || (parts.includes('temporal') && passedToEnvconfig(name))) picked[name] = v;
  }
  return parseEnv(picked);
}

/**
 * The Slack settings of a raw environment, for tools and tests (Slack must be configured: no
 * token is an error here). `npm start` parses the whole environment once instead.
 */
export function parseSlackSettings(raw: RawEnv): SlackEnv {
  const { slack } = parseEnvParts(raw, ['slack']);
  if (!slack) {
    throw new ConfigError(
      'environment',
      'SLACK_BOT_TOKEN: Set the bot token (xoxb-…) from OAuth & Permissions',
    );
  }
  return slack;
}

/** The Teams settings of a raw environment, for tools and tests. */
export function parseTeamsSettings(raw: RawEnv): TeamsConfig {
  return parseEnvParts(raw, ['teams']).teams;
}
