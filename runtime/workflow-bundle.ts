import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { Logger } from './logger.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** What the workflow bundle is built from: the workflows and the domain rules they import. */
const SOURCES = ['workflows', 'domain'];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

/**
 * A hash of everything that goes into the bundle: the sources, the SDK version that bundles them,
 * and the lockfile that pins the libraries bundled with them. Any change gives a new bundle, so a stale one is never run.
 */
export function workflowSourceHash(root = ROOT): string {
  const hash = createHash('sha256');
  const sdk = JSON.parse(
    readFileSync(join(root, 'node_modules/@temporalio/worker/package.json'), 'utf8'),
  ) as { version: string };
  hash.update(`sdk ${sdk.version}\n`);
  // The libraries bundled in with them (luxon, zod) are pinned by the lockfile.
  try {
    hash.update(readFileSync(join(root, 'package-lock.json')));
  } catch {
    // no lockfile: the SDK version and the sources still key the bundle
  }
  for (const file of SOURCES.flatMap((d) => sourceFiles(join(root, d)))) {
    hash.update(`${relative(root, file)}\n`);
    hash.update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
}

export function defaultBundleCacheDir(): string {
  return process.env.XDG_CACHE_HOME
    ? join(process.env.XDG_CACHE_HOME, 'concordat', 'workflow-bundles')
    : join(homedir(), '.cache', 'concordat', 'workflow-bundles');
}

/**
 * The workflow bundle as a file, built once per source version and kept in the cache. Bundling
 * takes 5–60 s on a small machine (webpack); a worker restarted after a crash that reuses it is
 * polling again in a second or two, so it can take over the dead worker's requests sooner
 * (docs/durability.md, "Recovery after a crash"). Written atomically, so two workers starting at
 * once never read half a file.
 */
export async function cachedWorkflowBundle(opts: {
  workflowsPath: string;
  cacheDir?: string;
  log?: Logger;
}): Promise<{ codePath: string }> {
  const dir = opts.cacheDir ?? defaultBundleCacheDir();
  const codePath = join(dir, `workflows-${workflowSourceHash()}.js`);
  try {
    statSync(codePath);
    opts.log?.debug({ codePath }, 'workflow bundle from the cache');
    return { codePath };
  } catch {
    // not built yet for these sources
  }
  const started = Date.now();
  const { code } = await bundleWorkflowCode({ workflowsPath: opts.workflowsPath });
  mkdirSync(dirname(codePath), { recursive: true });
  const partial = `${codePath}.${process.pid}.partial`;
  writeFileSync(partial, code);
  renameSync(partial, codePath);
  opts.log?.info({ codePath, ms: Date.now() - started }, 'workflow bundle built and cached');
  return { codePath };
}
