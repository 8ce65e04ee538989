import { Client, Connection, type ClientPlugin } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { NativeConnection } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import type { EncryptionCodec } from './payload-codec.js';

/**
 * Temporal's standard client variables (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY,
 * TEMPORAL_TLS*, TEMPORAL_PROFILE, TEMPORAL_CONFIG_FILE, TEMPORAL_GRPC_META_*), checked by the one
 * schema in runtime/env.ts and handed to @temporalio/envconfig as they are, so its profiles and
 * temporal.toml keep working. `vars` also carries HOME, XDG_CONFIG_HOME and APPDATA, where
 * envconfig looks for the default temporal.toml.
 */
export interface TemporalEnv {
  vars: Record<string, string>;
}

/** The same settings aimed at another server: the dev server `npm start` has just started. */
export function withTemporalAddress(env: TemporalEnv, address: string): TemporalEnv {
  return { vars: { ...env.vars, TEMPORAL_ADDRESS: address } };
}

/**
 * Connection settings follow Temporal's env-config conventions, so the same worker and bots run
 * against the dev server, a self-hosted cluster or Temporal Cloud.
 */
export function temporalSettings(env: TemporalEnv) {
  const cfg = loadClientConnectConfig({ overrideEnvVars: env.vars });
  const address = cfg.connectionOptions.address ?? '127.0.0.1:7233';
  return {
    connectionOptions: { ...cfg.connectionOptions, address },
    namespace: cfg.namespace ?? 'default',
    address,
  };
}

export function dataConverterFor(codec: EncryptionCodec): DataConverter {
  return { payloadCodecs: [codec] };
}

export async function connectClient(
  codec: EncryptionCodec,
  env: TemporalEnv,
  opts: { lazy?: boolean; plugins?: ClientPlugin[] } = {},
): Promise<Client> {
  const s = temporalSettings(env);
  // Lazy: connects on first use, so a bots process can start while Temporal is down.
  const connection = opts.lazy
    ? Connection.lazy(s.connectionOptions)
    : await Connection.connect(s.connectionOptions);
  return new Client({
    connection,
    namespace: s.namespace,
    dataConverter: dataConverterFor(codec),
    ...(opts.plugins?.length ? { plugins: opts.plugins } : {}),
  });
}

export async function connectWorker(
  env: TemporalEnv,
): Promise<{ connection: NativeConnection; namespace: string }> {
  const s = temporalSettings(env);
  const connection = await NativeConnection.connect(s.connectionOptions);
  return { connection, namespace: s.namespace };
}
