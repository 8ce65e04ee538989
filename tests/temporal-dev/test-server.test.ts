// The Java time-skipping test server from the per-user cache.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  TEST_SERVER_VERSION,
  findOrInstallTestServer,
  testServerCacheDir,
} from '../../temporal-dev/test-server.js';
import { MissingToolError } from '../../temporal-dev/util.js';

describe('findOrInstallTestServer', () => {
  test('returns an executable launcher, and a second call is a near-instant cache hit', async () => {
    const first = await findOrInstallTestServer({ log: () => {} });
    const started = performance.now();
    const second = await findOrInstallTestServer({ log: () => {} });
    expect(performance.now() - started).toBeLessThan(200);
    expect(second).toBe(first);
    expect(second).toBe(join(testServerCacheDir(TEST_SERVER_VERSION), 'temporal-test-server'));
    expect((await stat(second)).mode & 0o111).not.toBe(0);
  });

  test('without Java and Maven, says what to install', async () => {
    const root = await mkdtemp(join(tmpdir(), 'concordat-test-server-'));
    try {
      const err: unknown = await findOrInstallTestServer({
        env: { PATH: join(root, 'empty-bin'), XDG_CACHE_HOME: root },
        log: () => {},
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MissingToolError);
      expect((err as Error).message).toMatch(/Java \(17 or newer\) and Maven are not installed/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
