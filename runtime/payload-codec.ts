import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec, ValueError } from '@temporalio/common';
import proto from '@temporalio/proto';
import { resolveSecretKeys } from '../store/secrets.js';
import { parseEnvParts } from './env.js';

// @temporalio/proto is CommonJS: its namespaces are reachable only through the default export under Node ESM.
const { temporal } = proto;

const ENCODING = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/**
 * AES-256-GCM payload codec: workflow inputs, results, signals and queries are encrypted before they
 * reach Temporal, so a child's identity never appears in clear in history or the Temporal UI.
 * Worker and every client use the same codec. A previous key can be kept for decryption while
 * rotating.
 */
export class EncryptionCodec implements PayloadCodec {
  private readonly current: { id: string; key: Buffer };
  private readonly byId: Map<string, Buffer>;

  constructor(key: Buffer, previousKeys: Buffer[] = []) {
    if (key.length !== 32) throw new ValueError('The payload key must be 32 bytes');
    this.current = { id: keyId(key), key };
    this.byId = new Map([key, ...previousKeys].map((k) => [keyId(k), k]));
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- async so a failure is a rejection, not a throw
  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: {
          [METADATA_ENCODING_KEY]: encoder.encode(ENCODING),
          [KEY_ID]: encoder.encode(this.current.id),
        },
        data,
      };
    });
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- async so a failure is a rejection, not a throw
  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
      if (!encoding || decoder.decode(encoding) !== ENCODING) return payload;
      const idBytes = payload.metadata?.[KEY_ID];
      if (!idBytes) throw new ValueError('Encrypted payload has no key ID');
      const id = decoder.decode(idBytes);
      const key = this.byId.get(id);
      if (!key) throw new ValueError(`No payload key with ID ${id}: set CONCORDAT_PAYLOAD_KEY_PREVIOUS`);
      if (!payload.data || payload.data.length < IV_BYTES + TAG_BYTES)
        throw new ValueError('Encrypted payload is too short');
      const data = Buffer.from(payload.data);
      const iv = data.subarray(0, IV_BYTES);
      const tag = data.subarray(data.length - TAG_BYTES);
      const body = data.subarray(IV_BYTES, data.length - TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAuthTag(tag);
      const plain = Buffer.concat([decipher.update(body), decipher.final()]);
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }
}

/**
 * The payload codec from CONCORDAT_PAYLOAD_KEY (and CONCORDAT_PAYLOAD_KEY_PREVIOUS while rotating),
 * as parsed by runtime/env.ts. Outside production an unset key is generated once and kept with the
 * store's development keys (`.data/secrets.json`), so `npm start` needs no setup.
 */
export function payloadCodecFrom(
  keys: { current?: Buffer; previous?: Buffer },
  options: { production: boolean; dataDir: string },
): EncryptionCodec {
  const { CONCORDAT_PAYLOAD_KEY: key } = resolveSecretKeys(
    keys.current ? { CONCORDAT_PAYLOAD_KEY: keys.current } : {},
    options,
    ['CONCORDAT_PAYLOAD_KEY'],
  );
  return new EncryptionCodec(key, keys.previous ? [keys.previous] : []);
}

/** The same from a raw environment, for tools and tests. */
export function loadPayloadCodec(
  env: Record<string, string | undefined>,
  dataDir = '.data',
): EncryptionCodec {
  const s = parseEnvParts(env, ['core', 'keys']);
  return payloadCodecFrom(s.payloadKeys, { production: s.production, dataDir });
}
