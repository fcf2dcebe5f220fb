import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bucketOf, HISTOGRAM_EXACT_LIMIT } from '@finops/analyzers';
import { csvHeaderLine, formatCsvRecords } from '@finops/schema';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  analyzeWarehouse,
  CALLS_TABLE,
  CallWarehouse,
  ClickHouseError,
  loadCalls,
  MIGRATIONS_TABLE,
  migrate,
} from '../src';
import { bucketSql, LN_GAMMA, LN_GAMMA_SQL } from '../src/scope';
import { readTabSeparated } from '../src/connection';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { randomLogV2 } from '../../analyzers/tests/fixtures';
import { freshWarehouse } from './engine';

const folder = mkdtempSync(join(tmpdir(), 'finops-ch-checks-'));
const open: CallWarehouse[] = [];

async function warehouse(): Promise<CallWarehouse> {
  const connection = await freshWarehouse('checks');
  open.push(connection);
  return connection;
}

afterAll(async () => {
  for (const connection of open) await connection.close();
  rmSync(folder, { recursive: true, force: true });
});

/** The smallest integer of each logarithmic bucket up to `limit`, by bisection on the in-process function. */
function bucketEdges(limit: number): number[] {
  const edges: number[] = [];
  let low = HISTOGRAM_EXACT_LIMIT;
  while (low <= limit) {
    edges.push(low);
    const bucket = bucketOf(low);
    let high = low * 2;
    while (bucketOf(high) === bucket) high *= 2;
    let first = low;
    while (high - first > 1) {
      const middle = Math.floor((first + high) / 2);
      if (bucketOf(middle) === bucket) first = middle;
      else high = middle;
    }
    low = high;
  }
  return edges;
}

describe('the engine against the in-process functions', () => {
  it('puts every bucket edge up to $1M a call in the same bucket as the in-process histogram', async () => {
    const edges = bucketEdges(1e12);
    const values = [...edges, ...edges.map((edge) => edge - 1), 0, 1, 127];
    const target = await warehouse();
    const rows = await target.rows<{ value: string; bucket: string }>({
      sql: `SELECT value, ${bucketSql('value')} AS bucket FROM (SELECT arrayJoin({values:Array(Int64)}) AS value)`,
      params: { values },
    });
    const differing = rows.filter((row) => Number(row.bucket) !== bucketOf(Number(row.value)));
    expect(rows).toHaveLength(values.length);
    expect(differing).toEqual([]);
  });

  it('reads the literal of ln γ as the very double JavaScript computed', async () => {
    const target = await warehouse();
    const [row] = await target.rows<{ same: number; text: string }>({
      sql: `SELECT ${LN_GAMMA_SQL} = {ln_gamma:Float64} AS same, toString(${LN_GAMMA_SQL}) AS text`,
      params: { ln_gamma: LN_GAMMA },
    });
    expect(row).toEqual({ same: 1, text: String(LN_GAMMA) });
  });

  it('returns 64-bit integers and decimals exactly', async () => {
    const target = await warehouse();
    const [row] = await target.rows({
      sql: "SELECT toInt64('9007199254740993') AS big, toDecimal128('123456789012.123456', 6) AS money, timezone() AS zone",
      params: {},
    });
    expect(row).toEqual({ big: '9007199254740993', money: '123456789012.123456', zone: 'UTC' });
  });
});

describe('flat reads', () => {
  /** Texts whose escapes the engine's tab-separated output must spell and the reader undo. */
  const HOSTILE = [
    '',
    'plain',
    'tab\there',
    'line\nbreak',
    'back\\slash',
    '\\N',
    'quote\'s "double"',
    'nul\u0000bell\u0007vt\u000bff\u000cbs\u0008cr\r',
    'ünïcødé 💸',
    '\\t literal',
  ];

  it('hands over the same values as the JSON read, nulls and every escape included', async () => {
    const target = await warehouse();
    const query = {
      sql: `SELECT value, length(value) AS size, if(value = '', NULL, toInt64(length(value))) AS maybe, toInt64('9007199254740993') AS big FROM (SELECT arrayJoin({values:Array(String)}) AS value)`,
      params: { values: HOSTILE },
    };
    const json = (await target.rows<Record<string, unknown>>(query)).map((row) =>
      Object.fromEntries(
        Object.entries(row).map(([name, value]) => [name, value === null ? null : String(value)]),
      ),
    );
    const flat: Record<string, unknown>[] = [];
    await target.eachFlat(query, (row) => void flat.push({ ...row }));
    expect(flat).toEqual(json);
    expect(flat.map((row) => row.value)).toEqual(HOSTILE);
    expect(flat[0]?.maybe).toBeNull();
  });

  it('reads a row of one empty field as a row', () => {
    const rows: Record<string, string | null>[] = [];
    readTabSeparated('name\n\na\\tb\n\\N\n', (row) => void rows.push({ ...row }));
    expect(rows).toEqual([{ name: '' }, { name: 'a\tb' }, { name: null }]);
  });
});

describe('bad targets and tables', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
    server = createServer(handler);
    await new Promise<void>((done) => server?.listen(0, '127.0.0.1', done));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('says when the server cannot be reached', async () => {
    const url = await listen(() => undefined);
    server?.close();
    const target = await CallWarehouse.open({ target: url, timeoutSeconds: 5 });
    open.push(target);
    await expect(analyzeWarehouse(target)).rejects.toMatchObject({
      code: 'clickhouse_unreachable',
      message: expect.stringContaining(`cannot reach ClickHouse at ${url}`),
    });
  });

  it('says when the server refuses the credentials, without the password', async () => {
    const url = await listen((_request, response) => {
      response.writeHead(403, { 'X-ClickHouse-Exception-Code': '516', 'Content-Type': 'text/plain' });
      response.end(
        'Code: 516. DB::Exception: alice: Authentication failed: password is incorrect, or there is no user with such name. (AUTHENTICATION_FAILED) (version 26.7.2.1)\n',
      );
    });
    const target = await CallWarehouse.open({ target: url, user: 'alice', password: 'hunter2' });
    open.push(target);
    const failure = await analyzeWarehouse(target).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ClickHouseError);
    expect(failure).toMatchObject({ code: 'clickhouse_auth' });
    expect((failure as Error).message).not.toContain('hunter2');
  });

  it('says when nothing was loaded into the database', async () => {
    const target = await warehouse();
    await target.command({ sql: 'CREATE DATABASE IF NOT EXISTS {database:Identifier}', params: {} });
    await expect(analyzeWarehouse(target)).rejects.toMatchObject({
      code: 'clickhouse_missing_table',
      message: expect.stringContaining('load calls first'),
    });
  });

  it('refuses tables of another schema version, to read or to load', async () => {
    const target = await warehouse();
    await migrate(target);
    await target.command({
      sql: `INSERT INTO {database:Identifier}.${MIGRATIONS_TABLE} VALUES (99, 'from the future', now64(3, 'UTC'))`,
      params: {},
    });
    await expect(analyzeWarehouse(target)).rejects.toMatchObject({
      code: 'clickhouse_schema_version',
      message: expect.stringContaining('schema version 99, newer than'),
    });
    const log = join(folder, 'log.csv');
    writeFileSync(log, csvHeaderLine() + formatCsvRecords(randomLogV2(20, 2)));
    await expect(loadCalls(target, log)).rejects.toMatchObject({ code: 'clickhouse_schema_version' });
  });

  it('refuses a calls table the toolkit did not make', async () => {
    const target = await warehouse();
    await target.command({ sql: 'CREATE DATABASE IF NOT EXISTS {database:Identifier}', params: {} });
    await target.command({
      sql: `CREATE TABLE {database:Identifier}.${CALLS_TABLE} (id String) ENGINE = MergeTree ORDER BY id`,
      params: {},
    });
    await expect(migrate(target)).rejects.toMatchObject({ code: 'clickhouse_schema_version' });
  });

  it('tells how to install the embedded engine when it is absent', async () => {
    await expect(
      CallWarehouse.open({ target: 'chdb:somewhere' }, () =>
        Promise.reject(new Error("Cannot find module 'chdb'")),
      ),
    ).rejects.toMatchObject({ code: 'chdb_missing', message: expect.stringContaining('npm install chdb') });
  });
});
