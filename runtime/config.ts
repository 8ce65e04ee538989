import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { describeConfigError, protocolSchema, type Protocol } from '../domain/protocol.js';

/**
 * An environment flag, parsed explicitly (z.coerce.boolean() would read "false" as true): only
 * true/false/1/0/yes/no. Unset or blank stays undefined, so each caller chooses its default.
 */
export const envBoolean = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { errorMap: () => ({ message: 'Write true or false' }) })
    .transform((v) => v === 'true' || v === '1' || v === 'yes')
    .optional(),
);

export const DEFAULT_CONFIG_PATH = 'config/concordat.example.yaml';

export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly details: string,
  ) {
    super(`Configuration error in ${source}:\n${details}`);
    this.name = 'ConfigError';
  }
}

/** Parses protocol text (YAML or JSON). Throws ConfigError naming each bad field. */
export function parseProtocol(text: string, source = 'protocol'): Protocol {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new ConfigError(source, `not valid YAML: ${(e as Error).message}`);
  }
  const result = protocolSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(source, describeConfigError(result.error));
  return result.data;
}

/** Loads the protocol file named by CONCORDAT_CONFIG, or the shipped example. Called once at start-up. */
export function loadProtocol(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Protocol {
  const file = path.resolve(cwd, env.CONCORDAT_CONFIG ?? DEFAULT_CONFIG_PATH);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(file, `cannot read the file: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  return parseProtocol(text, file);
}
