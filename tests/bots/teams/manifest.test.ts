import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BED_REQUEST_COMMAND } from '../../../bots/teams/handlers/bed-request-command.js';
import { DIGEST_COMMAND } from '../../../bots/teams/handlers/digest-command.js';
import { buildPackage } from '../../../bots/teams/manifest/build-package.js';
import { crc32 } from '../../../bots/teams/manifest/crc32.js';
import { colorIcon, outlineIcon } from '../../../bots/teams/manifest/icons.js';
import { ConfigError } from '../../../runtime/config.js';

const DIR = fileURLToPath(new URL('../../../bots/teams/manifest/', import.meta.url));
const ENV = {
  MICROSOFT_APP_ID: '6f1b2c3d-0000-4000-8000-00000000beef',
  CONCORDAT_PUBLIC_URL: 'https://concordat.example.gov.uk/',
};

/** Reads a PNG's size and RGBA pixels (8-bit RGBA, filter 0, as the encoder writes). */
function readPng(png: Buffer): { width: number; height: number; pixels: Buffer } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let offset = 8;
  const idat: Buffer[] = [];
  let width = 0;
  let height = 0;
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('ascii', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    expect(png.readUInt32BE(offset + 8 + length)).toBe(crc32(png.subarray(offset + 4, offset + 8 + length)));
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([data[8], data[9]]).toEqual([8, 6]);
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const pixels = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++)
    raw.copy(pixels, y * width * 4, y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1));
  return { width, height, pixels };
}

/** Reads a stored (uncompressed) zip's entries through its central directory. */
function readZip(zip: Buffer): Map<string, Buffer> {
  const end = zip.length - 22;
  expect(zip.readUInt32LE(end)).toBe(0x06054b50);
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(offset)).toBe(0x02014b50);
    const crc = zip.readUInt32LE(offset + 16);
    const size = zip.readUInt32LE(offset + 24);
    const nameLength = zip.readUInt16LE(offset + 28);
    const local = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    const localName = zip.readUInt16LE(local + 26);
    const data = zip.subarray(local + 30 + localName, local + 30 + localName + size);
    expect(crc32(data)).toBe(crc);
    out.set(name, data);
    offset += 46 + nameLength;
  }
  return out;
}

describe('the Teams app manifest and package', () => {
  it('ships icons of the sizes Teams requires: colour 192×192 opaque, outline 32×32 white on transparent', () => {
    const color = readPng(readFileSync(join(DIR, 'color.png')));
    expect([color.width, color.height]).toEqual([192, 192]);
    for (let i = 3; i < color.pixels.length; i += 4) expect(color.pixels[i]).toBe(255);
    const outline = readPng(readFileSync(join(DIR, 'outline.png')));
    expect([outline.width, outline.height]).toEqual([32, 32]);
    let transparent = 0;
    for (let i = 0; i < outline.pixels.length; i += 4) {
      expect([outline.pixels[i], outline.pixels[i + 1], outline.pixels[i + 2]]).toEqual([255, 255, 255]);
      if (outline.pixels[i + 3] === 0) transparent++;
    }
    expect(transparent).toBeGreaterThan(32 * 32 * 0.4);
  });

  it('has committed icons that match their generator', () => {
    expect(readFileSync(join(DIR, 'color.png')).equals(colorIcon())).toBe(true);
    expect(readFileSync(join(DIR, 'outline.png')).equals(outlineIcon())).toBe(true);
  });

  it('fills the manifest: bot ID, app ID, https URLs, the bedrequest command the bot answers to', () => {
    const { manifest } = buildPackage({ env: ENV, version: '1.2.3' });
    expect(manifest).toMatchObject({
      manifestVersion: '1.17',
      version: '1.2.3',
      id: ENV.MICROSOFT_APP_ID,
      developer: {
        websiteUrl: 'https://concordat.example.gov.uk',
        privacyUrl: 'https://concordat.example.gov.uk/privacy',
      },
      icons: { color: 'color.png', outline: 'outline.png' },
      bots: [{ botId: ENV.MICROSOFT_APP_ID, scopes: ['personal', 'team', 'groupChat'] }],
      validDomains: ['concordat.example.gov.uk'],
    });
    const json = JSON.stringify(manifest);
    expect(json).not.toMatch(/\{\{/);
    const bots = manifest.bots as Array<{
      commandLists: Array<{ commands: Array<{ title: string; description: string }> }>;
    }>;
    const commands = bots[0]?.commandLists[0]?.commands ?? [];
    expect(commands.map((c) => c.title)).toContain('bedrequest');
    expect(BED_REQUEST_COMMAND.test('bedrequest')).toBe(true);
    expect(commands.map((c) => c.title)).toContain('digest');
    expect(DIGEST_COMMAND.test('digest')).toBe(true);
    expect(BED_REQUEST_COMMAND.test('digest')).toBe(false);
    for (const c of commands) expect(c.description.length).toBeLessThanOrEqual(128);
    const m = manifest as {
      name: { short: string; full: string };
      description: { short: string; full: string };
    };
    expect(m.name.short.length).toBeLessThanOrEqual(30);
    expect(m.description.short.length).toBeLessThanOrEqual(80);
    expect(m.description.full.length).toBeLessThanOrEqual(4000);
  });

  it('zips manifest.json and both icons at the root, as Teams accepts', () => {
    const { zip } = buildPackage({ env: { ...ENV, TEAMS_APP_ID: '11111111-2222-4333-8444-555555555555' } });
    const entries = readZip(zip);
    expect([...entries.keys()]).toEqual(['manifest.json', 'color.png', 'outline.png']);
    expect(JSON.parse(entries.get('manifest.json')!.toString('utf8'))).toMatchObject({
      id: '11111111-2222-4333-8444-555555555555',
      bots: [{ botId: ENV.MICROSOFT_APP_ID }],
    });
    expect(entries.get('color.png')!.equals(readFileSync(join(DIR, 'color.png')))).toBe(true);
    // Cross-check with Info-ZIP where the machine has it.
    let unzip: string | null = null;
    try {
      execFileSync('unzip', ['-v'], { stdio: 'ignore' });
      unzip = 'unzip';
    } catch {
      unzip = null;
    }
    if (unzip) {
      const file = join(mkdtempSync(join(tmpdir(), 'teams-zip-')), 'app.zip');
      writeFileSync(file, zip);
      expect(execFileSync(unzip, ['-t', file]).toString()).toContain('No errors detected');
    }
  });

  it('refuses to build without a GUID app ID and an https address, naming the variable', () => {
    expect(() => buildPackage({ env: {} })).toThrow(ConfigError);
    expect(() => buildPackage({ env: { ...ENV, MICROSOFT_APP_ID: 'bot' } })).toThrow(
      /MICROSOFT_APP_ID: The Microsoft App ID is a GUID/,
    );
    expect(() => buildPackage({ env: { ...ENV, CONCORDAT_PUBLIC_URL: 'http://insecure.example' } })).toThrow(
      /CONCORDAT_PUBLIC_URL: Teams needs an https address/,
    );
  });
});
