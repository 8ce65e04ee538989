import { randomBytes } from 'node:crypto';
import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const PSEUDONYM_KEY_VAR = 'CONCORDAT_PSEUDONYM_KEY';
export const DATA_KEY_VAR = 'CONCORDAT_DATA_KEY';

export interface StoreSecrets {
  /** HMAC key for child pseudonyms and case references. Changing it breaks repeat matching. */
  pseudonymKey: Buffer;
  /** AES-256-GCM key for personal fields. Losing it loses the encrypted identities. */
  dataKey: Buffer;
}

type Env = Record<string, string | undefined>;

const HEX_32 = /^[0-9a-fA-F]{64}$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** A 32-byte key written as 64 hex characters or as base64 (standard or URL-safe). */
export function keySchema(variable: string) {
  const hint = `${variable} must be a 32-byte key, as 64 hex characters or base64 (make one with: openssl rand -base64 32)`;
  return z
    .string({ required_error: `${variable} is not set` })
    .trim()
    .min(1, `${variable} is empty`)
    .transform((value, ctx) => {
      let bytes: Buffer | undefined;
      if (HEX_32.test(value)) bytes = Buffer.from(value, 'hex');
      else if (BASE64.test(value)) bytes = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
      if (!bytes || bytes.length !== 32) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: bytes ? `${hint}; it decodes to ${bytes.length} bytes` : hint,
        });
        return z.NEVER;
      }
      return bytes;
    });
}

/** Parses one key variable; throws an Error whose message names the variable. */
export function parseKey(variable: string, value: string | undefined): Buffer {
  const result = keySchema(variable).safeParse(value);
  if (!result.success) {
    throw new Error(result.error.issues.map((i) => i.message).join('; '));
  }
  return result.data;
}

const devSecretsFileSchema = z.record(z.string());

/**
 * Fills in the secret keys that are not set. When one is unset outside production, it is generated
 * once and kept in `<dataDir>/secrets.json` (mode 0600), so every later start, and every process
 * sharing the directory, uses the same key. In production an unset key is an error naming the
 * variable. The set ones come parsed from the environment (runtime/env.ts, by keySchema's rules).
 */
export function resolveSecretKeys<K extends string>(
  given: Partial<Record<K, Buffer>>,
  options: { production: boolean; dataDir: string },
  variables: readonly K[],
): Record<K, Buffer> {
  const out = {} as Record<K, Buffer>;
  const missing: K[] = [];
  for (const variable of variables) {
    const value = given[variable];
    if (value) out[variable] = value;
    else if (options.production) {
      throw new Error(`${variable} is not set. In production every secret comes from the environment.`);
    } else missing.push(variable);
  }
  if (missing.length > 0) {
    const dev = loadOrCreateDevSecrets(options.dataDir, missing);
    for (const variable of missing) {
      out[variable] = parseKey(`${variable} (in ${join(options.dataDir, 'secrets.json')})`, dev[variable]);
    }
  }
  return out;
}

/**
 * The same from a raw environment (NODE_ENV and the named variables), for tools and tests. A set
 * but malformed key is always an error naming the variable.
 */
export function loadSecretKeys<K extends string>(
  env: Env,
  dataDir: string,
  variables: readonly K[],
): Record<K, Buffer> {
  const given: Partial<Record<K, Buffer>> = {};
  for (const variable of variables) {
    const value = env[variable];
    if (value !== undefined && value.trim() !== '') given[variable] = parseKey(variable, value);
  }
  return resolveSecretKeys(given, { production: env.NODE_ENV === 'production', dataDir }, variables);
}

export function resolveStoreSecrets(
  keys: Partial<StoreSecrets>,
  options: { production: boolean; dataDir: string },
): StoreSecrets {
  const given: Partial<Record<typeof PSEUDONYM_KEY_VAR | typeof DATA_KEY_VAR, Buffer>> = {
    ...(keys.pseudonymKey ? { [PSEUDONYM_KEY_VAR]: keys.pseudonymKey } : {}),
    ...(keys.dataKey ? { [DATA_KEY_VAR]: keys.dataKey } : {}),
  };
  const out = resolveSecretKeys(given, options, [PSEUDONYM_KEY_VAR, DATA_KEY_VAR]);
  return { pseudonymKey: out[PSEUDONYM_KEY_VAR], dataKey: out[DATA_KEY_VAR] };
}

export function loadStoreSecrets(env: Env, dataDir = '.data'): StoreSecrets {
  const keys = loadSecretKeys(env, dataDir, [PSEUDONYM_KEY_VAR, DATA_KEY_VAR]);
  return { pseudonymKey: keys[PSEUDONYM_KEY_VAR], dataKey: keys[DATA_KEY_VAR] };
}

function readDevSecrets(file: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  const parsed = devSecretsFileSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${file} is not a JSON object of base64 keys`);
  return parsed.data;
}

/** Read-modify-write under a lock file, so two processes starting at once agree on one key. */
function loadOrCreateDevSecrets(dataDir: string, variables: readonly string[]): Record<string, string> {
  const file = join(dataDir, 'secrets.json');
  const current = readDevSecrets(file);
  if (variables.every((v) => current[v])) return current;

  mkdirSync(dataDir, { recursive: true });
  const lock = `${file}.lock`;
  const release = acquireFileLock(lock);
  try {
    const fresh = readDevSecrets(file);
    let changed = false;
    for (const v of variables) {
      if (!fresh[v]) {
        fresh[v] = randomBytes(32).toString('base64');
        changed = true;
      }
    }
    if (changed) {
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, `${JSON.stringify(fresh, null, 2)}\n`, { mode: 0o600 });
      renameSync(tmp, file);
    }
    return fresh;
  } finally {
    release();
  }
}

function acquireFileLock(lock: string): () => void {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx', 0o600));
      return () => rmSync(lock, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // A lock older than 30 s was left by a crashed process.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 30_000) rmSync(lock, { force: true });
      } catch {
        // it went away meanwhile
      }
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${lock}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 25);
    }
  }
}
