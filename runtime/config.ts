import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describeConfigError, protocolSchema, type Protocol } from '../domain/protocol.js';

// The environment's flags, ports and keys are parsed with the rest of it, in runtime/env.ts.
export { envBoolean } from './env.js';

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

/** Loads the protocol file (CONCORDAT_CONFIG, as parsed by runtime/env.ts). Called once at start-up. */
export function loadProtocolFile(configPath: string, cwd = process.cwd()): Protocol {
  const file = path.resolve(cwd, configPath);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(file, `cannot read the file: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  return parseProtocol(text, file);
}

/** The same, from a raw environment's CONCORDAT_CONFIG or the shipped example; for tools and tests. */
export function loadProtocol(env: { CONCORDAT_CONFIG?: string | undefined }, cwd = process.cwd()): Protocol {
  return loadProtocolFile(env.CONCORDAT_CONFIG?.trim() || DEFAULT_CONFIG_PATH, cwd);
}
