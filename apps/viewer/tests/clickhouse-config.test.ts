import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CONFIG_FILENAME, parseViewerArgs, USAGE } from '../src/config';
import { startViewer } from '../src/app';
import { tempDir } from './support/fixtures';

let dir: string;

beforeEach(async () => {
  dir = await tempDir('finops-viewer-ch-config-');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('parseViewerArgs over ClickHouse', () => {
  it('takes the connection from flags over the config file over the environment, as the CLI does', async () => {
    await writeFile(
      join(dir, CONFIG_FILENAME),
      JSON.stringify({ clickhouse: { user: 'from_file', database: 'finops_file', timeoutSeconds: 20 } }),
    );
    const parsed = parseViewerArgs(
      [
        '--clickhouse',
        'https://ch.example.com:8443',
        '--clickhouse-database',
        'finops_flag',
        '--since',
        '2025-11-01',
        '--where',
        'environment=production',
        '--where',
        'environment=eu-prod',
        '--poll-ms',
        '250',
      ],
      { FINOPS_CLICKHOUSE_PASSWORD: 's3cret-from-env', FINOPS_CLICKHOUSE_USER: 'from_env' },
      dir,
    );
    expect(parsed).toMatchObject({
      kind: 'run',
      config: {
        clickhouse: {
          target: 'https://ch.example.com:8443',
          user: 'from_file',
          password: 's3cret-from-env',
          database: 'finops_flag',
          timeoutSeconds: 20,
        },
        filter: { since: '2025-11-01', where: { environment: ['production', 'eu-prod'] } },
        pollMs: 250,
      },
    });
  });

  it('reads the config file named by --config, and says what is wrong with its section', async () => {
    const path = join(dir, 'elsewhere.json');
    await writeFile(path, JSON.stringify({ clickhouse: { url: 'chdb:from-file', colour: 'red' } }));
    expect(parseViewerArgs(['--clickhouse', 'chdb:db', '--config', path], {}, dir)).toEqual({
      kind: 'error',
      message: expect.stringContaining('clickhouse.colour: unknown setting') as string,
    });
    await writeFile(path, '{ not json');
    expect(parseViewerArgs(['--clickhouse', 'chdb:db', '--config', path], {}, dir)).toMatchObject({
      kind: 'error',
      message: expect.stringContaining(`config file ${path}`) as string,
    });
  });

  it('refuses a log and a table at once, filters without a table, and bad targets or filters', () => {
    const error = (argv: string[]): string => {
      const parsed = parseViewerArgs(argv, {}, dir);
      return parsed.kind === 'error' ? parsed.message : 'no error';
    };
    expect(error(['--clickhouse', 'chdb:db', '--watch', 'calls.csv'])).toMatch(/not both/);
    expect(error(['--since', '2025-11-01'])).toMatch(/apply to --clickhouse/);
    expect(error(['--clickhouse', 'ftp://ch.example.com'])).toMatch(
      /http\(s\):\/\/ URL of a server or chdb:/,
    );
    expect(error(['--clickhouse', 'chdb:db', '--where', 'environment'])).toMatch(/column=value/);
    expect(error(['--clickhouse', 'chdb:db', '--poll-ms', '0'])).toMatch(/--poll-ms/);
    expect(USAGE).toContain('--clickhouse TARGET');
  });
});

describe('startViewer over ClickHouse', () => {
  it('never prints the password, even in a failure that names the server', async () => {
    const lines: string[] = [];
    const parsed = parseViewerArgs(
      ['--clickhouse', 'http://finops:hunter2-secret@127.0.0.1:9', '--port', '0', '--dir', 'reports'],
      {},
      dir,
    );
    if (parsed.kind !== 'run') throw new Error(JSON.stringify(parsed));
    await mkdir(join(dir, 'reports'));
    const viewer = await startViewer({ ...parsed.config, pollMs: 3_600_000 }, (line) => lines.push(line));
    try {
      const update = await viewer.live?.update();
      expect(update).toBeUndefined();
      const status = viewer.live?.status();
      expect(status).toMatchObject({ state: 'error', path: 'clickhouse http://127.0.0.1:9 (default)' });
      expect(status?.error).toMatch(/cannot reach ClickHouse at http:\/\/127\.0\.0\.1:9/);
      const health = await (await fetch(new URL('/health', viewer.url))).text();
      expect(health).not.toContain('hunter2');
    } finally {
      await viewer.close();
    }
    expect(lines.join('\n')).toContain('following clickhouse http://127.0.0.1:9 (default)');
    expect(lines.join('\n')).not.toContain('hunter2');
  });
});
