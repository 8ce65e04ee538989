// The Temporal CLI finder: TEMPORAL_CLI_PATH, then PATH, then the cache, then the release archive,
// then a Go build. Uses temp dirs and fake executables; never builds anything.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  TEMPORAL_CLI_VERSION,
  locateTemporalCli,
  temporalCliCacheDir,
  type FindTemporalCliOptions,
} from '../../temporal-dev/temporal-cli.js';
import { MissingToolError } from '../../temporal-dev/util.js';

const quiet = () => {};

async function fakeExecutable(path: string, output = 'fake temporal'): Promise<string> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, `#!/bin/sh\necho '${output}'\n`);
  await chmod(path, 0o755);
  return path;
}

describe('findOrBuildTemporalCli / locateTemporalCli', () => {
  let root: string;
  let envCli: string;
  let pathDir: string;
  let emptyPathDir: string;
  let cacheHome: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'concordat-cli-finder-'));
    envCli = await fakeExecutable(join(root, 'from-env', 'temporal-custom'));
    pathDir = join(root, 'bin');
    await fakeExecutable(join(pathDir, 'temporal'));
    emptyPathDir = join(root, 'empty-bin');
    await mkdir(emptyPathDir);
    cacheHome = join(root, 'xdg-cache');
    await fakeExecutable(
      join(cacheHome, 'concordat', 'temporal-cli', `v${TEMPORAL_CLI_VERSION}`, 'temporal'),
    );
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const noFetchNoBuild: FindTemporalCliOptions = { download: false, build: false, log: quiet };

  test('the cache lives under $XDG_CACHE_HOME/concordat', () => {
    expect(temporalCliCacheDir({ XDG_CACHE_HOME: '/x' })).toBe(
      `/x/concordat/temporal-cli/v${TEMPORAL_CLI_VERSION}`,
    );
    expect(temporalCliCacheDir({ HOME: '/home/u' })).toBe(
      `/home/u/.cache/concordat/temporal-cli/v${TEMPORAL_CLI_VERSION}`,
    );
  });

  test('TEMPORAL_CLI_PATH wins over PATH and the cache', async () => {
    const env = { TEMPORAL_CLI_PATH: envCli, PATH: pathDir, XDG_CACHE_HOME: cacheHome };
    expect(await locateTemporalCli({ ...noFetchNoBuild, env })).toEqual({ path: envCli, source: 'env' });
  });

  test('a TEMPORAL_CLI_PATH that is not executable is an error, not silently skipped', async () => {
    const env = { TEMPORAL_CLI_PATH: join(root, 'nope'), PATH: pathDir, XDG_CACHE_HOME: cacheHome };
    await expect(locateTemporalCli({ ...noFetchNoBuild, env })).rejects.toThrow(
      /TEMPORAL_CLI_PATH=.*not an executable/,
    );
  });

  test('`temporal` on PATH comes next, before the cache', async () => {
    const env = { PATH: `${emptyPathDir}:${pathDir}`, XDG_CACHE_HOME: cacheHome };
    expect(await locateTemporalCli({ ...noFetchNoBuild, env })).toEqual({
      path: join(pathDir, 'temporal'),
      source: 'path',
    });
  });

  test('then the per-user cache', async () => {
    const env = { PATH: emptyPathDir, XDG_CACHE_HOME: cacheHome };
    expect(await locateTemporalCli({ ...noFetchNoBuild, env })).toEqual({
      path: join(cacheHome, 'concordat', 'temporal-cli', `v${TEMPORAL_CLI_VERSION}`, 'temporal'),
      source: 'cache',
    });
  });

  test('with nothing found and Go missing, says to install Go', async () => {
    const env = { PATH: emptyPathDir, XDG_CACHE_HOME: join(root, 'empty-cache') };
    const err: unknown = await locateTemporalCli({ env, download: false, log: quiet }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(MissingToolError);
    expect((err as Error).message).toMatch(/Go is not installed\. Install Go/);
    expect((err as Error).message).toMatch(/TEMPORAL_CLI_PATH/);
  });

  describe('release archive', () => {
    let server: Server;
    let baseUrl: string;
    const files = new Map<string, Buffer>();

    beforeAll(async () => {
      // A release laid out like GitHub's: the tar.gz with `temporal` inside, and checksums.txt.
      const staging = join(root, 'release-staging');
      await fakeExecutable(join(staging, 'temporal'), 'downloaded temporal');
      const platform = process.platform === 'darwin' ? 'darwin' : 'linux';
      const arch = process.arch === 'arm64' ? 'arm64' : 'amd64';
      const archiveName = `temporal_cli_${TEMPORAL_CLI_VERSION}_${platform}_${arch}.tar.gz`;
      await promisify(execFile)('tar', ['-czf', join(root, archiveName), '-C', staging, 'temporal']);
      const archive = await readFile(join(root, archiveName));
      files.set(`/good/${archiveName}`, archive);
      files.set(
        '/good/checksums.txt',
        Buffer.from(`${createHash('sha256').update(archive).digest('hex')}  ${archiveName}\n`),
      );
      files.set(`/tampered/${archiveName}`, archive);
      files.set('/tampered/checksums.txt', Buffer.from(`${'0'.repeat(64)}  ${archiveName}\n`));
      server = createServer((req, res) => {
        const body = files.get(req.url ?? '');
        res.writeHead(body ? 200 : 404).end(body);
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const addr = server.address();
      baseUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    });

    afterAll(async () => {
      await new Promise((r) => server.close(r));
    });

    test('is downloaded, checked and cached when nothing else is found', async () => {
      const cacheDir = join(root, 'download-cache');
      const found = await locateTemporalCli({
        env: { PATH: emptyPathDir },
        cacheDir,
        releaseBaseUrl: `${baseUrl}/good`,
        build: false,
        log: quiet,
      });
      expect(found).toEqual({ path: join(cacheDir, 'temporal'), source: 'download' });
      const { stdout } = await promisify(execFile)(found.path);
      expect(stdout.trim()).toBe('downloaded temporal');
      // The second lookup is a cache hit.
      expect(
        (await locateTemporalCli({ env: { PATH: emptyPathDir }, cacheDir, ...noFetchNoBuild })).source,
      ).toBe('cache');
    });

    test('a checksum mismatch or an unreachable host falls through (fast) to the build', async () => {
      for (const releaseBaseUrl of [`${baseUrl}/tampered`, 'http://127.0.0.1:9/unreachable']) {
        const started = Date.now();
        const lines: string[] = [];
        const err: unknown = await locateTemporalCli({
          env: { PATH: emptyPathDir },
          cacheDir: join(root, 'fallthrough-cache'),
          releaseBaseUrl,
          log: (l) => lines.push(l),
        }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(MissingToolError); // the build step: no Go on this PATH
        expect(lines.some((l) => l.startsWith('release download unavailable'))).toBe(true);
        expect(Date.now() - started).toBeLessThan(5_000);
      }
    });
  });
});
