import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { DefaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { EncryptionCodec, loadPayloadCodec } from '../../runtime/payload-codec.js';

const converter = new DefaultPayloadConverter();
const identity = {
  pncId: '13/123456A',
  givenName: 'Jamie',
  familyName: 'Example',
  dateOfBirth: '1997-10-01',
};

describe('EncryptionCodec', () => {
  it('round-trips a payload and hides its content', async () => {
    const codec = new EncryptionCodec(randomBytes(32));
    const payload = converter.toPayload(identity);
    const [encrypted] = await codec.encode([payload]);
    const raw = Buffer.from(encrypted!.data!).toString('latin1');
    expect(raw).not.toContain('Jamie');
    expect(raw).not.toContain('13/123456A');
    const [decoded] = await codec.decode([encrypted!]);
    expect(converter.fromPayload(decoded!)).toEqual(identity);
  });

  it('uses a fresh IV each time', async () => {
    const codec = new EncryptionCodec(randomBytes(32));
    const p = converter.toPayload('same');
    const [a] = await codec.encode([p]);
    const [b] = await codec.encode([p]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  it('refuses a tampered payload', async () => {
    const codec = new EncryptionCodec(randomBytes(32));
    const [enc] = await codec.encode([converter.toPayload(identity)]);
    const data = Buffer.from(enc!.data!);
    data[20] = data[20]! ^ 0xff;
    await expect(codec.decode([{ ...enc!, data }])).rejects.toThrow();
  });

  it('decrypts with a previous key during rotation, and names the gap otherwise', async () => {
    const oldKey = randomBytes(32);
    const [enc] = await new EncryptionCodec(oldKey).encode([converter.toPayload(identity)]);
    const rotated = new EncryptionCodec(randomBytes(32), [oldKey]);
    expect(converter.fromPayload((await rotated.decode([enc!]))[0]!)).toEqual(identity);
    await expect(new EncryptionCodec(randomBytes(32)).decode([enc!])).rejects.toThrow(
      /CONCORDAT_PAYLOAD_KEY_PREVIOUS/,
    );
  });

  it('passes through payloads it did not encrypt', async () => {
    const codec = new EncryptionCodec(randomBytes(32));
    const plain = converter.toPayload(42);
    expect(await codec.decode([plain])).toEqual([plain]);
  });
});

describe('loadPayloadCodec', () => {
  it('generates a dev key once and reuses it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'codec-'));
    const a = loadPayloadCodec({}, dir);
    const file = path.join(dir, 'secrets.json');
    const key = (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>).CONCORDAT_PAYLOAD_KEY;
    expect(key).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const b = loadPayloadCodec({}, dir);
    expect((JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>).CONCORDAT_PAYLOAD_KEY).toBe(
      key,
    );
    const [enc] = await a.encode([converter.toPayload('x')]);
    expect(converter.fromPayload((await b.decode([enc!]))[0]!)).toBe('x');
  });

  it('requires the key in production, naming the variable', () => {
    expect(() => loadPayloadCodec({ NODE_ENV: 'production' }, '/nonexistent')).toThrow(
      /CONCORDAT_PAYLOAD_KEY/,
    );
  });

  it('rejects a key of the wrong size, naming the variable', () => {
    expect(() => loadPayloadCodec({ CONCORDAT_PAYLOAD_KEY: 'c2hvcnQ=' })).toThrow(
      /CONCORDAT_PAYLOAD_KEY must be a 32-byte key/,
    );
  });
});
