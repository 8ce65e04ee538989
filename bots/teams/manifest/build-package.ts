/**
 * Builds the Teams app package: the zip a Teams admin uploads (Teams admin center → Manage apps →
 * Upload), with manifest.json, color.png and outline.png at its root.
 *
 *   MICROSOFT_APP_ID=<bot app id> CONCORDAT_PUBLIC_URL=https://concordat.example.gov.uk \
 *     npx tsx bots/teams/manifest/build-package.ts [--out .data/teams/concordat-teams.zip] [--version 1.0.0]
 *
 * - MICROSOFT_APP_ID: the Azure Bot's Microsoft App ID (the bot the package talks to).
 * - TEAMS_APP_ID: the Teams app's own ID (a GUID); default: the same as MICROSOFT_APP_ID.
 * - CONCORDAT_PUBLIC_URL: https address of the bot host (its /api/messages is the messaging
 *   endpoint); also the developer website, with /privacy and /terms.
 * - CONCORDAT_DEVELOPER_NAME: who publishes the app in your tenant (default "Concordat").
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { describeConfigError } from '../../../domain/protocol.js';
import { ConfigError } from '../../../runtime/config.js';
import { createZip } from './zip.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const packageEnvSchema = z.object({
  MICROSOFT_APP_ID: z
    .string({ required_error: 'Set the Azure Bot’s Microsoft App ID' })
    .trim()
    .regex(GUID, 'The Microsoft App ID is a GUID, like 6f1b2c3d-…'),
  TEAMS_APP_ID: z.string().trim().regex(GUID, 'The Teams app ID is a GUID').optional(),
  CONCORDAT_PUBLIC_URL: z
    .string({ required_error: 'Set the https address the bot is reachable at' })
    .trim()
    .url()
    .refine((u) => u.startsWith('https://'), 'Teams needs an https address')
    .transform((u) => u.replace(/\/+$/, '')),
  CONCORDAT_DEVELOPER_NAME: z.string().trim().min(1).max(32).default('Concordat'),
});

export interface PackageOptions {
  env: NodeJS.ProcessEnv;
  version?: string;
  manifestDir?: string;
}

const MANIFEST_DIR = fileURLToPath(new URL('.', import.meta.url));

/** The filled-in manifest (validated) and the zip bytes. */
export function buildPackage(options: PackageOptions): { manifest: Record<string, unknown>; zip: Buffer } {
  const parsed = packageEnvSchema.safeParse(options.env);
  if (!parsed.success)
    throw new ConfigError('environment (Teams package)', describeConfigError(parsed.error));
  const e = parsed.data;
  const version = options.version ?? '1.0.0';
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new ConfigError('--version', 'Use a version like 1.0.0');
  const dir = options.manifestDir ?? MANIFEST_DIR;
  const values: Record<string, string> = {
    VERSION: version,
    TEAMS_APP_ID: e.TEAMS_APP_ID ?? e.MICROSOFT_APP_ID,
    MICROSOFT_APP_ID: e.MICROSOFT_APP_ID,
    PUBLIC_URL: e.CONCORDAT_PUBLIC_URL,
    PUBLIC_HOST: new URL(e.CONCORDAT_PUBLIC_URL).host,
    DEVELOPER_NAME: e.CONCORDAT_DEVELOPER_NAME,
  };
  const template = readFileSync(resolve(dir, 'manifest.json'), 'utf8');
  const filled = template.replace(/\{\{([A-Z_]+)\}\}/g, (_m, key: string) => {
    const v = values[key];
    if (v === undefined) throw new ConfigError('manifest.json', `Unknown placeholder {{${key}}}`);
    return JSON.stringify(v).slice(1, -1);
  });
  const manifest = JSON.parse(filled) as Record<string, unknown>;
  const zip = createZip([
    { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8') },
    { name: 'color.png', data: readFileSync(resolve(dir, 'color.png')) },
    { name: 'outline.png', data: readFileSync(resolve(dir, 'outline.png')) },
  ]);
  return { manifest, zip };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: '.data/teams/concordat-teams.zip' },
      version: { type: 'string' },
    },
  });
  try {
    const { zip } = buildPackage({
      env: process.env,
      ...(values.version ? { version: values.version } : {}),
    });
    const out = resolve(values.out ?? '.data/teams/concordat-teams.zip');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, zip);
    console.log(
      `Wrote ${out} (${zip.length} bytes). Upload it in the Teams admin center: Manage apps → Upload new app.`,
    );
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  }
}
