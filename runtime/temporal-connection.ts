import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { NativeConnection } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import type { EncryptionCodec } from './payload-codec.js';

/**
 * Connection settings follow Temporal's env-config conventions (TEMPORAL_ADDRESS,
 * TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS*, TEMPORAL_PROFILE, TEMPORAL_CONFIG_FILE), so
 * the same worker and bots run against the dev server, a self-hosted cluster or Temporal Cloud.
 */
export function temporalSettings(env: NodeJS.ProcessEnv = process.env) {
  const overrideEnvVars = Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
  const cfg = loadClientConnectConfig({ profile: env.TEMPORAL_PROFILE, overrideEnvVars });
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
  env: NodeJS.ProcessEnv = process.env,
): Promise<Client> {
  const s = temporalSettings(env);
  const connection = await Connection.connect(s.connectionOptions);
  return new Client({ connection, namespace: s.namespace, dataConverter: dataConverterFor(codec) });
}

export async function connectWorker(
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ connection: NativeConnection; namespace: string }> {
  const s = temporalSettings(env);
  const connection = await NativeConnection.connect(s.connectionOptions);
  return { connection, namespace: s.namespace };
}
