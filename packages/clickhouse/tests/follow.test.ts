import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnalysisResults } from '@finops/analyzers';
import { csvHeaderLine, formatCsvRecords } from '@finops/schema';
import {
  analyzeWarehouse,
  type BoundQuery,
  CALLS_TABLE,
  type CallFilter,
  type CallWarehouse,
  LOADS_TABLE,
  loadCalls,
  migrate,
  WarehouseFollower,
} from '../src';
// The follower runs on the analyzers' own fixture logs, not on copies of them.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { randomLogV2 } from '../../analyzers/tests/fixtures';
import { freshWarehouse } from './engine';

const folder = mkdtempSync(join(tmpdir(), 'finops-ch-follow-'));
const open: CallWarehouse[] = [];

async function warehouse(): Promise<CallWarehouse> {
  const connection = await freshWarehouse('follow');
  open.push(connection);
  return connection;
}

afterAll(async () => {
  for (const connection of open) await connection.close();
  rmSync(folder, { recursive: true, force: true });
});

/** Results as JSON (what the pages and `--json` show). */
function json(results: AnalysisResults): unknown {
  return JSON.parse(JSON.stringify(results));
}

/** Writes `records` of a seeded log as a CSV file; `extra` lines go at the end. */
function logFile(name: string, records: ReturnType<typeof randomLogV2>, extra: string[] = []): string {
  const path = join(folder, name);
  writeFileSync(
    path,
    csvHeaderLine() + formatCsvRecords(records) + extra.map((line) => `${line}\n`).join(''),
  );
  return path;
}

/** Records the queries a connection sends (the real connection answers them). */
function recordQueries(target: CallWarehouse): BoundQuery[] {
  const sent: BoundQuery[] = [];
  // Both reads: JSON rows, and the flat rows most grouping queries are read as.
  const each = target.each.bind(target);
  target.each = (async (query: BoundQuery, onRow: (row: never) => void) => {
    sent.push(query);
    return each(query, onRow);
  }) as CallWarehouse['each'];
  const eachFlat = target.eachFlat.bind(target);
  target.eachFlat = (async (query: BoundQuery, onRow: (row: never) => void) => {
    sent.push(query);
    return eachFlat(query, onRow);
  }) as CallWarehouse['eachFlat'];
  return sent;
}

async function rowsOf(target: CallWarehouse, from: string, params: Record<string, unknown>): Promise<number> {
  const [row] = await target.rows<{ rows: string }>({ sql: `SELECT count() AS rows ${from}`, params });
  return Number(row?.rows);
}

describe('WarehouseFollower', () => {
  it('reads only the loads committed since its last look, with the figures of a full analysis', async () => {
    const records = randomLogV2(900, 12, 71);
    const first = logFile('first.csv', records.slice(0, 500));
    // The second load repeats 40 ids of the first (rejected at load as duplicates) and adds a bad row.
    const second = logFile('second.csv', records.slice(460), ['not-a-date,openai,gpt-4o,1,1']);
    const target = await warehouse();
    await loadCalls(target, first);
    const follower = new WarehouseFollower(target);

    const initial = await follower.look();
    expect(initial).toMatchObject({ kind: 'initial', range: { after: 0, through: 1 }, rowsRead: 500 });
    expect(json(follower.finish())).toEqual(json(await analyzeWarehouse(target)));
    expect(await follower.look()).toBeUndefined();

    const loaded = await loadCalls(target, second);
    expect(loaded.tally.rejectedByReason.duplicate_call_id).toBe(40);
    expect(await follower.backlog()).toMatchObject({ loads: 1, rows: 400 });
    const sent = recordQueries(target);
    const look = await follower.look();
    expect(look).toMatchObject({
      kind: 'append',
      range: { after: 1, through: 2 },
      loadIds: [loaded.loadId],
      rowsRead: 400,
      loadsHeld: 2,
      rowsHeld: 900,
    });
    // Every query of the look that reads calls is bound to the new load's range: no row of the first load is
    // read. (The table's row count, which the engine keeps per part, tells how to read it: see readMode.)
    const tableCount = `(SELECT count() FROM {database:Identifier}.${CALLS_TABLE})`;
    const callQueries = sent.filter((query) => query.sql.replace(tableCount, '').includes(CALLS_TABLE));
    expect(callQueries.length).toBeGreaterThan(5);
    for (const query of callQueries) expect(query.params).toMatchObject({ loads_after: 1, loads_through: 2 });
    expect(await rowsOf(target, look?.scope.from ?? '', look?.scope.params ?? {})).toBe(400);
    expect(await rowsOf(target, `FROM {database:Identifier}.${CALLS_TABLE}`, {})).toBe(900);
    // The merged state gives exactly what reading the whole table gives, tallies and rejections included.
    const full = await analyzeWarehouse(target);
    expect(full.meta.rowsRejected).toBe(41);
    expect(json(follower.finish())).toEqual(json(full));
    expect(await follower.backlog()).toEqual({ loads: 0, rows: 0, oldestLoadMs: null });
  });

  it('gives the full figures after any number of loads, looked at one by one, under a filter', async () => {
    const records = randomLogV2(1200, 20, 72);
    const filter: CallFilter = { since: '2025-01-03', where: { environment: ['production', 'eu-prod'] } };
    const target = await warehouse();
    const follower = new WarehouseFollower(target, { filter });
    const cuts = [0, 90, 400, 410, 1000, 1200];
    for (let part = 0; part + 1 < cuts.length; part++) {
      await loadCalls(target, logFile(`part-${part}.csv`, records.slice(cuts[part], cuts[part + 1])));
      const look = await follower.look();
      expect(look?.kind).toBe(part === 0 ? 'initial' : 'append');
      expect(look?.rowsRead).toBe((cuts[part + 1] as number) - (cuts[part] as number));
      expect(json(follower.finish())).toEqual(json(await analyzeWarehouse(target, { filter })));
    }
  });

  it('reads everything again when a load it holds disappears', async () => {
    const records = randomLogV2(300, 6, 73);
    const target = await warehouse();
    await loadCalls(target, logFile('keep.csv', records.slice(0, 150)));
    await loadCalls(target, logFile('drop.csv', records.slice(150)));
    const follower = new WarehouseFollower(target);
    await follower.look();
    await target.command({
      sql: `ALTER TABLE {database:Identifier}.${LOADS_TABLE} DELETE WHERE load_seq = 2 SETTINGS mutations_sync = 2`,
      params: {},
    });
    const look = await follower.look();
    expect(look).toMatchObject({ kind: 'reset', range: { after: 0, through: 1 }, rowsHeld: 150 });
    expect(json(follower.finish())).toEqual(json(await analyzeWarehouse(target)));
  });

  it('waits for the first load: no table is a clear error, an empty one nothing to read', async () => {
    const target = await warehouse();
    const follower = new WarehouseFollower(target);
    await expect(follower.look()).rejects.toMatchObject({ code: 'clickhouse_missing_table' });
    expect(() => follower.finish()).toThrow(/before the first look/);
    await migrate(target);
    expect(await follower.look()).toBeUndefined();
    expect(await follower.backlog()).toEqual({ loads: 0, rows: 0, oldestLoadMs: null });
  });
});
