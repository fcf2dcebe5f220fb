import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { csvHeaderLine, formatCsvRecords } from '@finops/schema';
import { CallWarehouse } from '@finops/clickhouse';
import { simulate } from '@finops/simulator';
import { runCli } from '../src/cli';
import { captureOutput } from './helpers';

const folder = mkdtempSync(join(tmpdir(), 'finops-cli-clickhouse-'));
const target = `chdb:${join(folder, 'engine')}`;
let log: string;

beforeAll(async () => {
  const records = [];
  for await (const batch of simulate({ scenario: 'burst', seed: 3, days: 5, customers: 6 }))
    records.push(...batch);
  log = join(folder, 'calls.csv');
  const lines = formatCsvRecords(records);
  // Two bad rows, so that rejections counted at load show in the results too.
  writeFileSync(
    log,
    `${csvHeaderLine()}${lines}not-a-date,x,openai,gpt-4o,1,1\n2025-01-01T00:00:00Z,,openai,gpt-4o,-1,1\n`,
  );
});

afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = captureOutput();
  const code = await runCli(argv, output);
  return { code, stdout: output.stdout.join('\n'), stderr: output.stderr.join('\n') };
}

function withoutSource(json: string): unknown {
  const results = JSON.parse(json) as { meta: { source: string } };
  return { ...results, meta: { ...results.meta, source: '' } };
}

describe('finops over ClickHouse (embedded)', () => {
  it('loads a log, then analyses the table with the results of the file', async () => {
    const loaded = await cli(
      'load',
      log,
      '--clickhouse',
      target,
      '--clickhouse-database',
      'cli',
      '--batch-rows',
      '500',
    );
    expect(loaded.code).toBe(0);
    expect(loaded.stdout).toMatch(/Loaded [\d,]+ rows of .*calls\.csv/);
    expect(loaded.stdout).toContain('Rejected rows: 2');
    const fromFile = await cli('analyze', log, '--json', '-q');
    const fromTable = await cli(
      'analyze',
      '--clickhouse',
      target,
      '--clickhouse-database',
      'cli',
      '--json',
      '-q',
    );
    expect(fromTable.code).toBe(0);
    expect(withoutSource(fromTable.stdout)).toEqual(withoutSource(fromFile.stdout));
    const again = await cli('load', log, '--clickhouse', target, '--clickhouse-database', 'cli');
    expect(again.stdout).toContain('was loaded before');
  });

  it('loads an export of another source through its importer', async () => {
    const fixtures = join(__dirname, '..', '..', '..', 'packages', 'importers', 'tests', 'fixtures');
    const exported = join(fixtures, 'litellm', 'spend-logs-page.json');
    const imported = join(folder, 'imported.csv');
    // The fixture has rows the importer rejects: exit 1, the log is written all the same.
    expect((await cli('import', exported, '--out', imported)).code).toBe(1);
    const loaded = await cli('load', exported, '--clickhouse', target, '--clickhouse-database', 'cli_export');
    expect(loaded.code).toBe(0);
    expect(loaded.stderr).toContain('imported');
    const fromTable = await cli(
      'analyze',
      '--clickhouse',
      target,
      '--clickhouse-database',
      'cli_export',
      '--json',
      '-q',
    );
    const fromFile = await cli('analyze', imported, '--json', '-q');
    expect(withoutSource(fromTable.stdout)).toEqual(withoutSource(fromFile.stdout));
  });

  it('filters by time and column with bound values', async () => {
    const all = JSON.parse(
      (await cli('analyze', '--clickhouse', target, '--clickhouse-database', 'cli', '--json', '-q')).stdout,
    );
    const one = await cli(
      'analyze',
      '--clickhouse',
      target,
      '--clickhouse-database',
      'cli',
      '--where',
      `customer_id=${all.understanding.topCustomers.top[0].key}`,
      '--json',
      '-q',
    );
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout).meta.calls).toBeLessThan(all.meta.calls);
    const none = await cli(
      'analyze',
      '--clickhouse',
      target,
      '--clickhouse-database',
      'cli',
      '--since',
      '2099-01-01',
      '--json',
      '-q',
    );
    expect(JSON.parse(none.stdout).meta.calls).toBe(0);
  });

  it('writes the report pages from the table', async () => {
    const reports = join(folder, 'reports');
    const run = await cli(
      'run',
      '--clickhouse',
      target,
      '--clickhouse-database',
      'cli',
      '--reports',
      reports,
      '-q',
    );
    expect(run.code).toBe(0);
    expect(readdirSync(reports)).toEqual(
      expect.arrayContaining(['index.html', 'manifest.json', 'pricing.html']),
    );
  });

  it('takes the target from the environment', async () => {
    process.env.FINOPS_CLICKHOUSE_URL = target;
    process.env.FINOPS_CLICKHOUSE_DATABASE = 'cli';
    try {
      const result = await cli('analyze', '--json', '-q', '--only', 'understanding');
      expect(result.code).toBe(0);
    } finally {
      delete process.env.FINOPS_CLICKHOUSE_URL;
      delete process.env.FINOPS_CLICKHOUSE_DATABASE;
    }
  });

  it('exits 3 with a clear message when the database cannot be used', async () => {
    const missing = await cli(
      'analyze',
      '--clickhouse',
      target,
      '--clickhouse-database',
      'empty_one',
      '--json',
    );
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('load calls first');
    const server = createServer(() => undefined);
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const port = (server.address() as AddressInfo).port;
    server.close();
    const unreachable = await cli('analyze', '--clickhouse', `http://bob:secret@127.0.0.1:${port}`, '--json');
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toContain(`cannot reach ClickHouse at http://127.0.0.1:${port}`);
    expect(unreachable.stderr).not.toContain('secret');
    // While this process holds the embedded folder, another process cannot open it.
    const holder = await CallWarehouse.open({ target });
    try {
      await holder.ping();
      const builtCli = resolve(__dirname, '..', 'dist', 'main.js');
      const held = spawnSync(process.execPath, [builtCli, 'load', log, '--clickhouse', target], {
        encoding: 'utf8',
      });
      expect(held.status).toBe(3);
      expect(held.stderr).toContain('another process may hold it');
    } finally {
      await holder.close();
    }
  });

  it('exits 2 on flags that do not go together', async () => {
    expect((await cli('analyze', log, '--since', '2025-01-01')).code).toBe(2);
    expect((await cli('analyze', log, '--clickhouse', target)).code).toBe(2);
    expect((await cli('analyze', '--clickhouse', target, '--workers', '2')).code).toBe(2);
    expect((await cli('load', log)).stderr).toContain('load needs a database');
    expect((await cli('analyze', '--clickhouse', 'ftp://x')).code).toBe(2);
    expect((await cli('load', '--help')).stdout).toContain('Usage: finops load');
  });
});
