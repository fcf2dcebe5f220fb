import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AnalysisResults, analyzeCosts } from '@finops/analyzers';
import { CallLogRowError, csvHeaderLine, formatCsvRecords } from '@finops/schema';
import {
  analyzeWarehouse,
  CALLS_TABLE,
  type CallWarehouse,
  GeneratedGrouping,
  loadCalls,
  MIGRATIONS_TABLE,
  migrate,
  PAIR_HASH_COLUMNS,
  projectionsFor,
  readMode,
  scopeOf,
  syncProjections,
} from '../src';
import { CostAnalyzer } from '@finops/analyzers';
// Parity runs on the analyzers' own fixture logs, not on copies of them.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { randomLogV2 } from '../../analyzers/tests/fixtures';
import { minuteProfileQueries } from '../src/digests/minute-profiles';
import { freshWarehouse } from './engine';

const folder = mkdtempSync(join(tmpdir(), 'finops-ch-load-'));
const open: CallWarehouse[] = [];

async function warehouse(): Promise<CallWarehouse> {
  const connection = await freshWarehouse('load');
  open.push(connection);
  return connection;
}

afterAll(async () => {
  for (const connection of open) await connection.close();
  rmSync(folder, { recursive: true, force: true });
});

function comparable(results: AnalysisResults, withMessages = true): unknown {
  const meta = { ...results.meta, source: '' };
  if (!withMessages) meta.rejections = meta.rejections.map((rejection) => ({ ...rejection, message: '' }));
  return JSON.parse(JSON.stringify({ ...results, meta }));
}

/** A log with every kind of trouble: bad rows, blank lines, repeated ids, rows without an id or a latency, weighted rows. */
function troubledLog(): string {
  const records = randomLogV2(400, 10, 21);
  const lines = formatCsvRecords(records).split('\n');
  const header = csvHeaderLine().trimEnd();
  const columns = header.split(',');
  const blank = (): string[] => columns.map(() => '');
  const row = (values: Record<string, string>): string => {
    const fields = blank();
    for (const [column, value] of Object.entries(values)) fields[columns.indexOf(column)] = value;
    return fields.join(',');
  };
  const base = {
    timestamp: '2025-11-05T10:00:00Z',
    provider: 'openai',
    model: 'gpt-4o',
    input_tokens: '100',
    output_tokens: '50',
  };
  const extra = [
    row({ ...base, timestamp: '2025-02-30T10:00:00Z', call_id: 'bad_date' }),
    row({ ...base, input_tokens: '-5', call_id: 'bad_tokens' }),
    lines[3] as string,
    '',
    row({ ...base, call_id: '' }),
    row({ ...base, call_id: '', latency_ms: '' }),
    row({ ...base, call_id: 'weighted_1', calls: '250', cost_usd: '1.000001', latency_ms: '' }),
    row({ ...base, call_id: 'weighted_2', calls: '3', cost_usd: '0.000010', latency_ms: '900' }),
    row({ ...base, call_id: 'error_1', status: 'error', error_type: 'rate_limit', region: 'eu-west-1' }),
    row({ ...base, call_id: 'unpriced', model: 'nobody-knows-me', cost_usd: '' }),
    'not,a,valid,"row',
  ];
  return `${header}\n${[...lines.slice(0, 200), ...extra, ...lines.slice(200)].join('\n')}`;
}

describe('finops load', () => {
  it('counts rejected rows at load as the file reader does', async () => {
    const path = join(folder, 'troubled.csv');
    writeFileSync(path, troubledLog());
    const expected = comparable(await analyzeCosts(path));
    const target = await warehouse();
    const summary = await loadCalls(target, path, { batchRows: 97 });
    expect(summary.tally.rowsRejected).toBeGreaterThanOrEqual(3);
    expect(comparable(await analyzeWarehouse(target))).toEqual(expected);
  });

  it('rejects an id of an earlier load as a duplicate, as one read of both files does', async () => {
    const records = randomLogV2(300, 8, 33);
    const parts = join(folder, 'parts');
    mkdirSync(parts);
    writeFileSync(join(parts, 'a.csv'), csvHeaderLine() + formatCsvRecords(records.slice(0, 200)));
    writeFileSync(join(parts, 'b.csv'), csvHeaderLine() + formatCsvRecords(records.slice(150)));
    const expected = await analyzeCosts(parts);
    expect(expected.meta.rejectedByReason.duplicate_call_id).toBe(50);
    const target = await warehouse();
    await loadCalls(target, join(parts, 'a.csv'));
    const second = await loadCalls(target, join(parts, 'b.csv'));
    expect(second.tally.rejectedByReason.duplicate_call_id).toBe(50);
    // One read of the folder prefixes each message with its file: compare all but the messages.
    expect(comparable(await analyzeWarehouse(target), false)).toEqual(comparable(expected, false));
  });

  it('changes no figure when the same data is loaded twice', async () => {
    const path = join(folder, 'twice.csv');
    writeFileSync(path, csvHeaderLine() + formatCsvRecords(randomLogV2(200, 5, 44)));
    const target = await warehouse();
    const first = await loadCalls(target, path);
    const once = comparable(await analyzeWarehouse(target));
    const again = await loadCalls(target, path);
    expect(again).toMatchObject({ alreadyLoaded: true, rowsWritten: 0, loadId: first.loadId });
    expect(comparable(await analyzeWarehouse(target))).toEqual(once);
  });

  it('finds the same data loaded before after its rows are written when the size check misses it', async () => {
    const path = join(folder, 'twice-late.csv');
    writeFileSync(path, csvHeaderLine() + formatCsvRecords(randomLogV2(120, 5, 45)));
    const target = await warehouse();
    const first = await loadCalls(target, path);
    // An earlier load whose tally counted its bytes otherwise: the fingerprint is read beside the load.
    await target.command({
      sql: `ALTER TABLE {database:Identifier}.finops_loads UPDATE tally = replaceRegexpOne(tally, '"bytesRead":[0-9]+', '"bytesRead":1') WHERE 1 SETTINGS mutations_sync = 2`,
      params: {},
    });
    const once = comparable(await analyzeWarehouse(target));
    const again = await loadCalls(target, path);
    expect(again).toMatchObject({ alreadyLoaded: true, rowsWritten: 0, loadId: first.loadId });
    const [stored] = await target.rows<{ rows: string }>({
      sql: `SELECT count() AS rows FROM {database:Identifier}.${CALLS_TABLE}`,
      params: {},
    });
    expect(Number(stored?.rows)).toBe(first.rowsWritten);
    expect(comparable(await analyzeWarehouse(target))).toEqual(once);
  });

  it('fills the projections as the engine writes a first load, and after the rows when it falls back', async () => {
    const projectedParts = async (target: CallWarehouse): Promise<number> => {
      const [row] = await target.rows<{ parts: string }>({
        sql: `SELECT count() AS parts FROM system.projection_parts WHERE database = {database:String} AND table = {table:String} AND active`,
        params: { table: CALLS_TABLE },
      });
      return Number(row?.parts ?? 0);
    };
    const records = randomLogV2(150, 5, 78);
    const plain = join(folder, 'projected-engine.csv');
    writeFileSync(plain, csvHeaderLine() + formatCsvRecords(records));
    const engine = await warehouse();
    expect((await loadCalls(engine, plain, { path: 'engine' })).via).toBe('engine');
    expect(await projectedParts(engine)).toBeGreaterThan(0);
    // A repeated id sends the file to the reader's path: the projections are built over its rows all the same.
    const repeated = join(folder, 'projected-reader.csv');
    writeFileSync(repeated, csvHeaderLine() + formatCsvRecords([...records, ...records.slice(0, 3)]));
    const reader = await warehouse();
    expect((await loadCalls(reader, repeated, { path: 'engine' })).via).toBe('reader');
    expect(await projectedParts(reader)).toBeGreaterThan(0);
    expect(comparable(await analyzeWarehouse(reader))).toEqual(comparable(await analyzeCosts(repeated)));
  });

  it('collapses rows of one call id written by other means (FINAL comes back)', async () => {
    const path = join(folder, 'foreign.csv');
    writeFileSync(path, csvHeaderLine() + formatCsvRecords(randomLogV2(150, 5, 66)));
    const expected = comparable(await analyzeCosts(path));
    const target = await warehouse();
    await loadCalls(target, path);
    expect(await readMode(target)).toEqual({ final: false, committedOnly: false, rows: 150 });
    await target.command({
      sql: `INSERT INTO {database:Identifier}.${CALLS_TABLE} SELECT * FROM {database:Identifier}.${CALLS_TABLE} ORDER BY call_key LIMIT 7`,
      params: {},
    });
    expect(await readMode(target)).toEqual({ final: true, committedOnly: true, rows: 157 });
    expect(comparable(await analyzeWarehouse(target))).toEqual(expected);
  });

  it('leaves no row behind when a load fails half-way', async () => {
    const good = join(folder, 'good.csv');
    writeFileSync(good, csvHeaderLine() + formatCsvRecords(randomLogV2(100, 5, 55)));
    const target = await warehouse();
    await loadCalls(target, good);
    const before = comparable(await analyzeWarehouse(target));
    const bad = join(folder, 'bad.csv');
    const lines = formatCsvRecords(randomLogV2(300, 5, 56)).split('\n');
    lines.splice(250, 0, lines[0]?.replace(/^[^,]+/, 'not-a-date') ?? '');
    writeFileSync(bad, csvHeaderLine() + lines.join('\n'));
    await expect(loadCalls(target, bad, { strict: true, batchRows: 50 })).rejects.toBeInstanceOf(
      CallLogRowError,
    );
    const [left] = await target.rows<{ rows: string }>({
      sql: `SELECT count() AS rows FROM {database:Identifier}.${CALLS_TABLE}`,
      params: {},
    });
    expect(Number(left?.rows)).toBe(100);
    expect(comparable(await analyzeWarehouse(target))).toEqual(before);
  });

  it('takes a table of schema version 1 to 2, its rows hashed as they are read until their parts are rewritten', async () => {
    const records = randomLogV2(300, 8, 91);
    const parts = join(folder, 'version-1');
    mkdirSync(parts);
    const path = join(parts, 'a.csv');
    writeFileSync(path, csvHeaderLine() + formatCsvRecords(records.slice(0, 200)));
    const target = await warehouse();
    await loadCalls(target, path);
    const expected = comparable(await analyzeWarehouse(target));
    expect(expected).toEqual(comparable(await analyzeCosts(path)));
    // As a table loaded before version 2: no hash columns, version 1 recorded.
    const hashColumns = Object.values(PAIR_HASH_COLUMNS).flatMap(({ key, check }) => [key, check]);
    await target.command({
      sql: `ALTER TABLE {database:Identifier}.${CALLS_TABLE} ${hashColumns.map((column) => `DROP COLUMN ${column}`).join(', ')} SETTINGS mutations_sync = 2`,
      params: {},
    });
    await target.command({
      sql: `ALTER TABLE {database:Identifier}.${MIGRATIONS_TABLE} DELETE WHERE version > 1 SETTINGS mutations_sync = 2`,
      params: {},
    });
    await expect(analyzeWarehouse(target)).rejects.toMatchObject({ code: 'clickhouse_schema_version' });
    expect(await migrate(target)).toEqual([2]);
    const stored = async (): Promise<string[]> =>
      (
        await target.rows<{ name: string }>({
          sql: `SELECT DISTINCT column AS name FROM system.parts_columns WHERE database = {database:String} AND table = {table:String} AND active AND column IN {names:Array(String)}`,
          params: { table: CALLS_TABLE, names: hashColumns },
        })
      )
        .map((row) => row.name)
        .sort();
    const partsWithoutHashes = async (): Promise<number> => {
      const [found] = await target.rows<{ parts: string }>({
        sql: `SELECT count() AS parts FROM system.parts WHERE database = {database:String} AND table = {table:String} AND active AND name NOT IN (SELECT name FROM system.parts_columns WHERE database = {database:String} AND table = {table:String} AND active AND column = {column:String})`,
        params: { table: CALLS_TABLE, column: PAIR_HASH_COLUMNS.session.key },
      });
      return Number(found?.parts);
    };
    // The parts have no hash columns: the engine computes them as it reads, to the same results.
    expect(await stored()).toEqual([]);
    expect(comparable(await analyzeWarehouse(target))).toEqual(expected);
    // A load after the migration writes parts that store them, beside the others.
    writeFileSync(join(parts, 'b.csv'), csvHeaderLine() + formatCsvRecords(records.slice(200)));
    await loadCalls(target, join(parts, 'b.csv'));
    expect(await stored()).toEqual([...hashColumns].sort());
    expect(await partsWithoutHashes()).toBeGreaterThan(0);
    const both = comparable(await analyzeCosts(parts), false);
    expect(comparable(await analyzeWarehouse(target), false)).toEqual(both);
    // Rewritten, every part stores them.
    await target.command({ sql: `OPTIMIZE TABLE {database:Identifier}.${CALLS_TABLE} FINAL`, params: {} });
    expect(await partsWithoutHashes()).toBe(0);
    expect(comparable(await analyzeWarehouse(target), false)).toEqual(both);
  });

  it('gives the table the projections of the analyses, which the engine answers their queries from', async () => {
    const path = join(folder, 'projected.csv');
    writeFileSync(path, csvHeaderLine() + formatCsvRecords(randomLogV2(200, 6, 77)));
    const target = await warehouse();
    await loadCalls(target, path);
    const wanted = projectionsFor();
    const names = async (): Promise<string[]> =>
      (
        await target.rows<{ name: string }>({
          sql: `SELECT name FROM system.projections WHERE database = {database:String} AND table = {table:String} ORDER BY name`,
          params: { table: CALLS_TABLE },
        })
      ).map((row) => row.name);
    expect(await names()).toEqual(wanted.map((projection) => projection.name).sort());
    expect(new Set(wanted.map((projection) => projection.select)).size).toBe(wanted.length);
    // In step already: nothing to do. A projection of the toolkit no longer wanted goes; others stay.
    expect(await syncProjections(target)).toEqual({ added: [], dropped: [] });
    await target.command({
      sql: `ALTER TABLE {database:Identifier}.${CALLS_TABLE} ADD PROJECTION finops_retired_0 (SELECT model, count() GROUP BY model), ADD PROJECTION by_region (SELECT region, count() GROUP BY region)`,
      params: {},
    });
    expect(await syncProjections(target)).toEqual({ added: [], dropped: ['finops_retired_0'] });
    expect(await names()).toContain('by_region');
    // Every generated measures query reads one of the toolkit's projections (the engine's plan names it),
    // also with bound settings and where one projection serves several groupings of the same keys: the
    // one that serves it, or one whose keys give its keys with fewer rows (the weekday from the day).
    const settings = new CostAnalyzer({}).storeSettings();
    const scope = scopeOf({}, await readMode(target));
    const checked: string[] = [];
    for (const spec of settings.groupings ?? []) {
      const grouping = new GeneratedGrouping(spec, settings.parameters ?? {});
      if (grouping.projectionSelect() === undefined) continue;
      const projection = wanted.find((candidate) => candidate.serves.includes(spec.name));
      if (projection === undefined) continue;
      const query = grouping.measuresQuery(scope);
      const plan = await target.rows<{ explain: string }>({
        sql: `EXPLAIN projections = 1 ${query.sql}`,
        params: query.params,
      });
      expect(plan.map((row) => row.explain).join('\n')).toMatch(
        /ReadFromMergeTree \(finops_\w+_[0-9a-f]{10}\)/,
      );
      checked.push(spec.name);
    }
    expect(checked).toEqual(expect.arrayContaining(['customerDay', 'modelTaskDay', 'tokensModelTask']));
    // A digest's query that declares a projection reads it too: the minute profiles' models.
    const models = minuteProfileQueries(scope, new CostAnalyzer({}).config.abuse).models;
    const modelsPlan = await target.rows<{ explain: string }>({
      sql: `EXPLAIN projections = 1 ${models.sql}`,
      params: models.params,
    });
    const served = wanted.find((projection) => projection.serves.includes('minuteProfiles_models'));
    expect(served).toBeDefined();
    expect(modelsPlan.map((row) => row.explain).join('\n')).toContain(`ReadFromMergeTree (${served?.name})`);
    // Bodies with the same keys are one projection: fewer to fill as rows are written.
    const merged = wanted.filter((projection) => projection.serves.length > 1);
    expect(merged.length).toBeGreaterThan(0);
    const groupings = new Set(settings.groupings?.map((spec) => spec.name));
    for (const name of merged.flatMap((projection) => projection.serves))
      if (groupings.has(name)) expect(checked).toContain(name);
    // And the results are those of the calls themselves.
    expect(comparable(await analyzeWarehouse(target))).toEqual(comparable(await analyzeCosts(path)));
  });
});
