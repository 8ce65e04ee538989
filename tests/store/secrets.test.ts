import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSecretKeys, loadStoreSecrets, parseKey } from '../../store/secrets.js';

describe('loadStoreSecrets', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'concordat-secrets-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('in dev, generates the keys once under <dataDir>/secrets.json (mode 0600) and reuses them', () => {
    const dataDir = join(dir, '.data');
    const first = loadStoreSecrets({}, dataDir);
    expect(first.pseudonymKey).toHaveLength(32);
    expect(first.dataKey).toHaveLength(32);
    expect(first.pseudonymKey.equals(first.dataKey)).toBe(false);
    const file = join(dataDir, 'secrets.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')) as object).sort()).toEqual([
      'CONCORDAT_DATA_KEY',
      'CONCORDAT_PSEUDONYM_KEY',
    ]);
    const second = loadStoreSecrets({ NODE_ENV: 'development' }, dataDir);
    expect(second.pseudonymKey.equals(first.pseudonymKey)).toBe(true);
    expect(second.dataKey.equals(first.dataKey)).toBe(true);
  });

  it('prefers the environment, in hex or base64, and generates only what is missing', () => {
    const pseudonymKey = randomBytes(32);
    const dataKey = randomBytes(32);
    const fromEnv = loadStoreSecrets(
      {
        CONCORDAT_PSEUDONYM_KEY: pseudonymKey.toString('hex'),
        CONCORDAT_DATA_KEY: dataKey.toString('base64'),
      },
      dir,
    );
    expect(fromEnv.pseudonymKey.equals(pseudonymKey)).toBe(true);
    expect(fromEnv.dataKey.equals(dataKey)).toBe(true);
    expect(() => statSync(join(dir, 'secrets.json'))).toThrow();

    const partly = loadStoreSecrets({ CONCORDAT_DATA_KEY: dataKey.toString('base64url') }, dir);
    expect(partly.dataKey.equals(dataKey)).toBe(true);
    expect(Object.keys(JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')) as object)).toEqual([
      'CONCORDAT_PSEUDONYM_KEY',
    ]);
  });

  it('keeps keys other parts of the system store in the same file', () => {
    const payload = loadSecretKeys({}, dir, ['CONCORDAT_PAYLOAD_KEY']);
    const store = loadStoreSecrets({}, dir);
    const again = loadSecretKeys({}, dir, ['CONCORDAT_PAYLOAD_KEY', 'CONCORDAT_DATA_KEY']);
    expect(again.CONCORDAT_PAYLOAD_KEY.equals(payload.CONCORDAT_PAYLOAD_KEY)).toBe(true);
    expect(again.CONCORDAT_DATA_KEY.equals(store.dataKey)).toBe(true);
  });

  it('in production, a missing key is an error naming the variable, and nothing is generated', () => {
    expect(() => loadStoreSecrets({ NODE_ENV: 'production' }, dir)).toThrow(
      /CONCORDAT_PSEUDONYM_KEY is not set/,
    );
    expect(() =>
      loadStoreSecrets(
        { NODE_ENV: 'production', CONCORDAT_PSEUDONYM_KEY: randomBytes(32).toString('hex') },
        dir,
      ),
    ).toThrow(/CONCORDAT_DATA_KEY is not set/);
    expect(() => statSync(join(dir, 'secrets.json'))).toThrow();
  });

  it.each([
    ['too short', 'c2hvcnQ='],
    ['not a key', 'not a key!'],
    ['hex of 16 bytes', 'ab'.repeat(16)],
    ['empty-ish', '   x  '],
  ])('a bad key (%s) is an error naming the variable', (_label, value) => {
    expect(() => loadStoreSecrets({ CONCORDAT_DATA_KEY: value }, dir)).toThrow(
      /^CONCORDAT_DATA_KEY must be a 32-byte key/,
    );
    expect(() => loadStoreSecrets({ NODE_ENV: 'production', CONCORDAT_PSEUDONYM_KEY: value }, dir)).toThrow(
      /CONCORDAT_PSEUDONYM_KEY must be a 32-byte key/,
    );
  });

  it('parseKey says how many bytes a wrong-length key decodes to', () => {
    expect(() => parseKey('CONCORDAT_DATA_KEY', randomBytes(16).toString('base64'))).toThrow(
      /decodes to 16 bytes/,
    );
  });
});
