import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeCosts } from '@finops/analyzers';
import { csvHeaderLine, formatCsvRecords } from '@finops/schema';
import { analyzeWarehouse, CallWarehouse, loadCalls } from '../src';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { randomLogV2 } from '../../analyzers/tests/fixtures';

/**
 * The server path is the same client code as the embedded one, pointed at a
 * URL. No modern ClickHouse server installs on every machine, so this runs
 * only where `CLICKHOUSE_URL` names one (user and password in the URL or in
 * `CLICKHOUSE_USER` / `CLICKHOUSE_PASSWORD`).
 */
const url = process.env.CLICKHOUSE_URL;
const describeWithServer = url ? describe : describe.skip;
if (!url) console.info('server tests skipped: set CLICKHOUSE_URL to run them against a ClickHouse server');

describeWithServer('against a ClickHouse server', () => {
  const folder = mkdtempSync(join(tmpdir(), 'finops-ch-server-'));
  const database = `finops_test_${process.pid}`;
  let warehouse: CallWarehouse;

  beforeAll(async () => {
    warehouse = await CallWarehouse.open({
      target: url as string,
      user: process.env.CLICKHOUSE_USER,
      password: process.env.CLICKHOUSE_PASSWORD,
      database,
    });
  });

  afterAll(async () => {
    await warehouse.command({ sql: 'DROP DATABASE IF EXISTS {database:Identifier}', params: {} });
    await warehouse.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('gives the in-process results', async () => {
    const path = join(folder, 'log.csv');
    writeFileSync(path, csvHeaderLine() + formatCsvRecords(randomLogV2(1000, 15, 77)));
    const expected = await analyzeCosts(path);
    await loadCalls(warehouse, path);
    const actual = await analyzeWarehouse(warehouse);
    expect({ ...actual, meta: { ...actual.meta, source: '' } }).toEqual({
      ...expected,
      meta: { ...expected.meta, source: '' },
    });
  });
});
