import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A private PostgreSQL server for one test file: its own data folder and socket, stopped afterwards. */
export interface TestPostgres {
  url: string;
  stop(): void;
}

function binary(name: string): string | undefined {
  for (const folder of [
    '/usr/local/bin',
    '/usr/bin',
    '/usr/lib/postgresql/15/bin',
    '/usr/lib/postgresql/16/bin',
  ]) {
    const path = join(folder, name);
    if (existsSync(path)) return path;
  }
  return undefined;
}

/**
 * Starts PostgreSQL from the machine's binaries (`initdb`, `pg_ctl`) on a
 * Unix socket in a temporary folder, as the `postgres` user when run as root
 * (PostgreSQL refuses root). `undefined`, with the reason, when it cannot.
 */
export function startTestPostgres(): TestPostgres | string {
  const initdb = binary('initdb');
  const pgCtl = binary('pg_ctl');
  if (!initdb || !pgCtl) return 'no PostgreSQL binaries (initdb, pg_ctl) on this machine';
  const folder = mkdtempSync(join(tmpdir(), 'finops-pg-'));
  const data = join(folder, 'data');
  const asRoot = process.getuid?.() === 0;
  const run = (command: string, args: string[]): void => {
    const full = asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
    const result = spawnSync(full[0] as string, full[1] as string[], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.stdout}`);
  };
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chownSync(folder, uid, gid);
    chmodSync(folder, 0o700);
  }
  run(initdb, ['-D', data, '-U', 'finops', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  run(pgCtl, [
    '-D',
    data,
    '-w',
    '-l',
    join(folder, 'log'),
    '-o',
    `-k ${folder} -c listen_addresses= -c fsync=off`,
    'start',
  ]);
  return {
    url: `postgresql://finops@localhost/postgres?host=${encodeURIComponent(folder)}`,
    stop() {
      try {
        run(pgCtl, ['-D', data, '-w', '-m', 'fast', 'stop']);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
  };
}
