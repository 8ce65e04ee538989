import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '../../temporal-dev/dev-server.js';

export interface BenchPostgres {
  url: string;
  /** Where it came from, for the printed table. */
  source: string;
  stop(): Promise<void>;
}

/**
 * A Postgres for a benchmark whose processes share one database: DATABASE_URL_TEST or
 * DATABASE_URL when set; otherwise Debian's server (`apt-get install postgresql`) in a throwaway
 * data directory on a free loopback port, started as `.ci/run` starts it (initdb as the postgres
 * user, trust auth, fsync off) and removed at the end.
 */
export async function benchPostgres(log: (line: string) => void): Promise<BenchPostgres> {
  const given = process.env.DATABASE_URL_TEST?.trim() || process.env.DATABASE_URL?.trim();
  if (given) return { url: given, source: 'DATABASE_URL(_TEST)', stop: () => Promise.resolve() };
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(a) - Number(b));
  const version = versions.at(-1);
  if (!version) throw new Error('no Postgres: set DATABASE_URL_TEST or apt-get install postgresql');
  const bin = (name: string) => join('/usr/lib/postgresql', version, 'bin', name);
  const root = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) =>
    execFileSync(root ? 'runuser' : cmd, root ? ['-u', 'postgres', '--', cmd, ...args] : args, {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  const dir = mkdtempSync(join(tmpdir(), 'concordat-bench-pg-'));
  chmodSync(dir, 0o755);
  if (root) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const port = await findFreePort();
  const data = join(dir, 'data');
  run(bin('initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale']);
  run(bin('pg_ctl'), [
    '-D',
    data,
    '-l',
    join(dir, 'server.log'),
    '-w',
    '-t',
    '60',
    '-o',
    `-c listen_addresses=127.0.0.1 -p ${port} -c unix_socket_directories='${dir}' -c fsync=off -c max_connections=200`,
    'start',
  ]);
  run(bin('createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'concordat_bench']);
  log(`Postgres ${version} on 127.0.0.1:${port} (${dir})`);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/concordat_bench`,
    source: `Debian Postgres ${version}, fsync off`,
    stop() {
      try {
        run(bin('pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      return Promise.resolve();
    },
  };
}
