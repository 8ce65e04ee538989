/**
 * The training sandbox (docs/sandbox.md): the whole journey in a browser, through the real bots,
 * with no Slack workspace or Teams tenant.
 *
 *   const sandbox = await startSandbox({ protocol, scenarios, log });   // loopback only
 *   // the Slack bot: sandbox.slackEnv (token, signing secret, SLACK_API_URL = the sandbox)
 *   // the Teams bot: emulator mode; activities carry serviceUrl = the sandbox
 *   await sandbox.connect({ slackEventsUrl, teamsMessagesUrl });
 *
 * The bots' code is not changed for it: only their configuration points at the sandbox.
 */
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SlackEnv } from '../bots/slack/env.js';
import type { Logger } from '../domain/logger.js';
import type { Protocol } from '../domain/protocol.js';
import { directoryOf } from './directory.js';
import type { Scenario } from './scenarios.js';
import { newSigningSecret } from './slack/relay.js';
import { startSandboxServer, type SandboxServer } from './server.js';

export { loadScenarios, type Scenario } from './scenarios.js';
export { TRAINING_BANNER } from './server.js';

export const DEFAULT_SANDBOX_PORT = 3900;
/** The training run's own Temporal namespace, so no training request sits beside a real one. */
export const TRAINING_NAMESPACE = 'concordat-training';
export const TRAINING_CONFIG = 'config/training/protocol.yaml';
export const TRAINING_SCENARIOS = 'config/training/scenarios.yaml';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export class SandboxRefused extends Error {}

/** Why the sandbox may not start here, or undefined when it may. */
export function sandboxRefusal(opts: { production: boolean; host: string }): string | undefined {
  if (opts.production) {
    return 'The training sandbox never runs with NODE_ENV=production: it serves an unauthenticated page that acts as anyone in the protocol. Unset NODE_ENV (or use a development machine) to rehearse.';
  }
  if (!LOOPBACK.has(opts.host)) {
    return `The training sandbox listens on loopback only (127.0.0.1), not ${opts.host}.`;
  }
  return undefined;
}

let bundled: Promise<string> | undefined;
/** The page's script, bundled once from sandbox/page/main.ts. */
export function pageScript(): Promise<string> {
  bundled ??= (async () => {
    const { build } = await import('esbuild');
    const here = dirname(fileURLToPath(import.meta.url));
    const out = await build({
      entryPoints: [join(here, 'page', 'main.ts')],
      bundle: true,
      format: 'iife',
      target: 'es2020',
      write: false,
      logLevel: 'silent',
      external: ['adaptivecards'],
    });
    return out.outputFiles[0]?.text ?? '';
  })();
  return bundled;
}

export interface Sandbox extends SandboxServer {
  /** The Slack bot's settings: HTTP mode against the sandbox. */
  readonly slackEnv: SlackEnv;
}

export async function startSandbox(options: {
  protocol: Protocol;
  scenarios?: Scenario[];
  log: Logger;
  host?: string;
  port?: number;
  production?: boolean;
  /** Where the Slack bot will listen (0: any free port). */
  slackPort?: number;
}): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  const refusal = sandboxRefusal({ production: options.production ?? false, host });
  if (refusal) throw new SandboxRefused(refusal);
  const botToken = `xoxb-sandbox-${randomBytes(8).toString('hex')}`;
  const signingSecret = newSigningSecret();
  const server = await startSandboxServer({
    directory: directoryOf(options.protocol),
    scenarios: options.scenarios ?? [],
    botToken,
    signingSecret,
    log: options.log.child({ component: 'sandbox' }),
    host,
    port: options.port ?? DEFAULT_SANDBOX_PORT,
    pageScript,
  });
  return Object.assign(server, {
    slackEnv: {
      botToken,
      signingSecret,
      socketMode: false,
      apiUrl: server.slackApiUrl,
      port: options.slackPort ?? 0,
      host: '127.0.0.1',
    } satisfies SlackEnv,
  });
}
