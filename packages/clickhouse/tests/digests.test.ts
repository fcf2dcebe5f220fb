import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AnalysisResults,
  CostAnalyzer,
  type CostlyTrace,
  SESSIONS_DIGEST,
  type SessionsDigest,
  analyzeCosts,
  analyzeInto,
  costlierFirst,
} from '@finops/analyzers';
import { Cube } from '@finops/analyzers/internal';
import { type CallRecord, csvHeaderLine, formatCsvRecords } from '@finops/schema';
import {
  type AggregateRow,
  answerQueries,
  type BoundQuery,
  type CallFilter,
  type CallWarehouse,
  analyzeWarehouse,
  COMPILE_DIGESTS_FROM_ROWS,
  DIGEST_SUPPLIERS,
  digestSendingFor,
  digestSuppliersFor,
  loadCalls,
  nearestRanksOfArraysSql,
  nearestRanksSql,
  readMode,
  scopeOf,
  sortedNearestRankSql,
  sqlOf,
} from '../src';
import { candidateOf } from '../src/digests/sessions';
import { freshWarehouse } from './engine';
// The analyzers' own fixture log (record v2: bucketed rows, calls without a customer or a latency).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { randomLogV2 } from '../../analyzers/tests/fixtures';

/**
 * Ids whose order differs between UTF-16 code units (JavaScript's, the
 * finish's) and bytes (the engine's): an astral character sorts below
 * U+FF21 in UTF-16 and above it in UTF-8; the empty id is "none".
 */
const HOSTILE = ['\u{1F600}', '\uFF21', 'é', 'a"b,c', ' lead', 'z\u{10FFFF}', '\u00A0', ''];

/**
 * The fixture log with hostile session and trace ids (some shared by two
 * customers, some rows bucketed), and calls that make the costliest sessions
 * and traces tie on cost right at the top-N boundary, their order decided by
 * ids that bytes and UTF-16 order differently.
 */
function hostileLog(): CallRecord[] {
  const log = randomLogV2(1500, 12, 21).map((record, index) => ({
    ...record,
    sessionId: `${HOSTILE[index % HOSTILE.length]}${index % 5 === 0 ? '' : String(index % 13)}`,
    traceId: index % 7 === 0 ? '' : `${HOSTILE[(index + 3) % HOSTILE.length]}${index % 11}`,
  }));
  const base = log[0] as CallRecord;
  const costly = (sessionId: string, traceId: string, customerId: string, costMicros: number, calls = 1) => ({
    ...base,
    callId: `costly-${sessionId}-${traceId}-${customerId}-${costMicros}-${calls}`,
    sessionId,
    traceId,
    customerId,
    costMicros,
    calls,
  });
  return [
    ...log,
    costly('top', 'top', 'vip-a', 9_000_000_000),
    // Tied at 5,000 dollars: ordered by id in UTF-16 ('\u{1F600}' before '\uFF21'), then by customer.
    costly('\uFF21', '\uFF21', 'vip-a', 5_000_000_000),
    costly('\u{1F600}', '\u{1F600}', 'vip-b', 5_000_000_000),
    costly('\u{1F600}', '\u{1F600}', 'vip-a', 2_500_000_000),
    costly('\u{1F600}', '\u{1F600}', 'vip-a', 2_500_000_000, 3),
    costly('\uFF21x', '\uFF21x', 'vip-c', 5_000_000_000, 7),
  ];
}

const folder = mkdtempSync(join(tmpdir(), 'finops-ch-digests-'));
const records = hostileLog();
let path: string;
let warehouse: CallWarehouse;

beforeAll(async () => {
  path = logOf('hostile.csv', records);
  warehouse = await freshWarehouse('digests');
  await loadCalls(warehouse, path);
}, 120_000);

afterAll(async () => {
  await warehouse.close();
  rmSync(folder, { recursive: true, force: true });
});

/** A log file of `calls`. */
function logOf(name: string, calls: readonly CallRecord[]): string {
  const file = join(folder, name);
  writeFileSync(file, csvHeaderLine() + formatCsvRecords(calls));
  return file;
}

/** The digest's value as the in-process store computes it over the log `file`. */
async function inProcess(file: string, topSessions: number): Promise<SessionsDigest> {
  const options = { analyses: ['features'], config: { features: { topSessions } } };
  const analyzer = await analyzeInto(new CostAnalyzer(options), file, options);
  const reader = Cube.fromData(analyzer.state().cube, analyzer.catalog).canonical().reader();
  return SESSIONS_DIGEST.compute(reader, analyzer.config);
}

/** The queries the last {@link fromSql} sent, by name, and their answers. */
let asked: string[] = [];
let answered: Record<string, AggregateRow[]> = {};

/** The digest's value as the SQL supplier gives it over the table (of `over`, with `filter`). */
async function fromSql(topSessions: number, filter?: CallFilter, over = warehouse): Promise<SessionsDigest> {
  const [supplier] = digestSuppliersFor({ analyses: ['features'] });
  if (supplier === undefined) throw new Error('no supplier of the sessions digest');
  const config = new CostAnalyzer({ config: { features: { topSessions } } }).config;
  const scope = scopeOf(filter, await readMode(over));
  const answers: Record<string, AggregateRow[]> = {};
  await answerQueries(over, supplier, scope, config, answers);
  asked = Object.keys(answers).sort();
  answered = answers;
  return supplier.value(answers, config) as SessionsDigest;
}

/** A digest with its lists in one order and only the first `limit` costliest (what the finish reads of it). */
function settled(digest: SessionsDigest, limit: number): SessionsDigest {
  const byName =
    <Row extends Record<Key, string>, Key extends string>(key: Key) =>
    (a: Row, b: Row) =>
      a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : 0;
  const first = <Entry extends CostlyTrace>(entries: Entry[]) =>
    entries.slice().sort(costlierFirst).slice(0, limit);
  return {
    ...digest,
    byFeature: digest.byFeature.slice().sort(byName('feature')),
    byCustomer: digest.byCustomer.slice().sort(byName('customer')),
    costliestSessions: first(digest.costliestSessions),
    costliestTraces: first(digest.costliestTraces),
  };
}

function featuresOf(results: AnalysisResults): string {
  return JSON.stringify(results.features);
}

describe('the sessions digest computed in SQL', () => {
  it.each([1, 2, 3, 4, 10])(
    'equals the in-process one on hostile ids, ties at the boundary and bucketed rows (top %i)',
    async (topSessions) => {
      const expected = await inProcess(path, topSessions);
      const actual = await fromSql(topSessions);
      expect(settled(actual, topSessions)).toEqual(settled(expected, topSessions));
      // The engine gives every candidate tied with the last: more than asked when the boundary is a tie.
      expect(actual.costliestSessions.length).toBeGreaterThanOrEqual(
        Math.min(topSessions, expected.overall.sessions),
      );
    },
  );

  it('puts the astral id first among equal costs, as UTF-16 order does (bytes would not)', async () => {
    const results = await analyzeWarehouse(warehouse, {
      analyses: ['features'],
      config: { features: { topSessions: 2 } },
    });
    expect(results.features?.sessions.map((entry) => [entry.id, entry.customer])).toEqual([
      ['top', 'vip-a'],
      ['\u{1F600}', 'vip-a'],
    ]);
    expect(results.features?.traces.map((entry) => entry.id)).toEqual(['top', '\u{1F600}']);
    // Ties straddle the boundary: the engine was asked again for every one as costly as the last candidate,
    // the top one and the four at 5,000 dollars.
    const answered = await fromSql(2);
    expect(asked).toEqual([
      'costliestSessions',
      'costliestTraces',
      'featureMix',
      'features',
      'sessions',
      'traces',
    ]);
    expect(answered.costliestSessions).toHaveLength(5);
    expect(answered.costliestTraces).toHaveLength(5);
    // Without ties at the boundary, the candidates of the first answers are the costliest, their ids and features asked
    // for by key.
    const untied = await fromSql(1);
    expect(asked).toEqual(['featureMix', 'features', 'sessions', 'topSessions', 'topTraces', 'traces']);
    expect(untied.costliestSessions.map((entry) => entry.id)).toEqual(['top']);
  });

  it('gives the in-process features result byte for byte, all of it and over a filter', async () => {
    for (const topSessions of [0, 3, 25]) {
      const config = { features: { topSessions } };
      const expected = await analyzeCosts(path, { analyses: ['features'], config });
      const actual = await analyzeWarehouse(warehouse, { analyses: ['features'], config });
      expect(featuresOf(actual)).toBe(featuresOf(expected));
    }
    const from = Math.min(...records.map((record) => record.timeMs)) + 3 * 86_400_000;
    const customers = ['cust_1', 'cust_3'];
    const kept = logOf(
      'kept.csv',
      records.filter((record) => record.timeMs >= from && customers.includes(record.customerId)),
    );
    const filter: CallFilter = { since: new Date(from).toISOString(), where: { customer_id: customers } };
    const expected = await analyzeCosts(kept, { analyses: ['features'] });
    expect(expected.meta.calls).toBeGreaterThan(50);
    expect(featuresOf(await analyzeWarehouse(warehouse, { analyses: ['features'], filter }))).toBe(
      featuresOf(expected),
    );
    expect(settled(await fromSql(10, filter), 10)).toEqual(settled(await inProcess(kept, 10), 10));
  });

  it('ranks as the in-process quantiles do: the values of rank ⌈0.5 n⌉ and ⌈0.95 n⌉ of n values, in each form', async () => {
    const counts = [
      ...Array.from({ length: 2_001 }, (_, count) => count),
      ...[20_000, 99_999, 123_457, 333_333, 999_999, 1_000_001],
    ];
    const quantiles = [0.5, 0.95];
    // The values 1..n (the value of a rank is the rank) and the same in threes (1, 1, 1, 2, …: ties); value 0 is left
    // out, so a count of 0 ranks no value and gives 0. Each form: one map for both ranks, the same over arrays
    // collected in parts (seven per count), and positions in the sorted values.
    const forms = ['value', 'intDiv(value + 2, 3)'].map((value, index) => ({
      ranks: `${nearestRanksSql(value, quantiles, 'value > 0')} AS ranks_${index}`,
      part: `groupArrayIf(${value}, value > 0) AS part_${index}`,
      ofParts: `${nearestRanksOfArraysSql(`part_${index}`, quantiles)} AS parts_${index}`,
      sorted: `arraySort(groupArrayIf(${value}, value > 0)) AS sorted_${index}`,
      bySort: quantiles
        .map((quantile) => sortedNearestRankSql(`sorted_${index}`, 'ranked', quantile))
        .join(', '),
    }));
    const values = 'arrayJoin({counts:Array(UInt64)}) AS count, arrayJoin(range(0, count + 1)) AS value';
    const rows = await warehouse.rows<Record<string, unknown>>({
      sql: `SELECT count, ${forms.map((form) => form.ranks).join(', ')}, countIf(value > 0) AS ranked, ${forms.map((form) => form.sorted).join(', ')}, [${forms.map((form) => `[${form.bySort}]`).join(', ')}] AS by_sort FROM (SELECT ${values}) GROUP BY count ORDER BY count`,
      params: { counts },
    });
    const parted = await warehouse.rows<Record<string, unknown>>({
      sql: `SELECT count, ${forms.map((form) => form.ofParts).join(', ')} FROM (SELECT count, ${forms.map((form) => form.part).join(', ')} FROM (SELECT ${values}) GROUP BY count, value % 7) GROUP BY count ORDER BY count`,
      params: { counts },
    });
    const ranksOf = (list: unknown) => (list as unknown[]).map(Number);
    const expected = counts.map((count) => {
      const [median, p95] = quantiles.map((quantile) => (count === 0 ? 0 : Math.ceil(quantile * count))) as [
        number,
        number,
      ];
      return { count, plain: [median, p95], tied: [Math.ceil(median / 3), Math.ceil(p95 / 3)] };
    });
    expect(
      rows.map((row) => ({
        count: Number(row.count),
        plain: ranksOf(row.ranks_0),
        tied: ranksOf(row.ranks_1),
      })),
    ).toEqual(expected);
    expect(
      rows.map((row) => {
        const [plain, tied] = row.by_sort as unknown[][];
        return { count: Number(row.count), plain: ranksOf(plain), tied: ranksOf(tied) };
      }),
    ).toEqual(expected);
    expect(
      parted.map((row) => ({
        count: Number(row.count),
        plain: ranksOf(row.parts_0),
        tied: ranksOf(row.parts_1),
      })),
    ).toEqual(expected);
    expect(() => nearestRanksSql('value', [0.5, 0])).toThrow(RangeError);
    expect(() => sortedNearestRankSql('sorted', 'count', 1.5)).toThrow(RangeError);
  });

  it('gives the same answers with its queries compiled on their first use, as over a large table', async () => {
    const mode = await readMode(warehouse);
    expect(mode.rows).toBe(records.length);
    // The hostile table is far below the size that repays compiling: analyzeWarehouse sends them as they are.
    expect(mode.rows).toBeLessThan(COMPILE_DIGESTS_FROM_ROWS);
    expect(digestSendingFor(mode)).toEqual({ compiled: false });
    expect(digestSendingFor({ ...mode, rows: COMPILE_DIGESTS_FROM_ROWS })).toEqual({ compiled: true });
    const scope = scopeOf(undefined, mode);
    const config = new CostAnalyzer({ config: { features: { topSessions: 2 } } }).config;
    const sent: string[] = [];
    const text = (warehouse as unknown as { text: (query: BoundQuery, format: string) => Promise<string> })
      .text;
    const spied = Object.assign(Object.create(warehouse) as CallWarehouse, {
      text: (query: BoundQuery, format: string) => {
        sent.push(sqlOf(query));
        return text.call(warehouse, query, format);
      },
    });
    for (const supplier of DIGEST_SUPPLIERS) {
      const plain: Record<string, AggregateRow[]> = {};
      const compiled: Record<string, AggregateRow[]> = {};
      await answerQueries(warehouse, supplier, scope, config, plain);
      sent.length = 0;
      await answerQueries(spied, supplier, scope, config, compiled, { compiled: true });
      expect(compiled).toEqual(plain);
      expect(sent).toHaveLength(Object.keys(plain).length);
      for (const sql of sent)
        expect(sql).toMatch(
          /\nSETTINGS (.+, )?min_count_to_compile_expression = 0, min_count_to_compile_aggregate_expression = 0$/,
        );
    }
  });

  it('asks for the customers and features by id when two share a hash, with the same result', async () => {
    const expected = settled(await inProcess(path, 3), 3);
    const [supplier] = digestSuppliersFor({ analyses: ['features'] });
    if (supplier === undefined) throw new Error('no supplier of the sessions digest');
    const config = new CostAnalyzer({ config: { features: { topSessions: 3 } } }).config;
    const scope = scopeOf(undefined, await readMode(warehouse));
    const answers: Record<string, AggregateRow[]> = {};
    await answerQueries(warehouse, supplier, scope, config, answers);
    expect(Object.keys(answers)).not.toContain('sessionsByIds');
    expect(Object.keys(answers)).not.toContain('featuresByIds');
    // A collision is never seen for real (64-bit hashes of a few ids): the hashed answers are made to show one.
    const collided = (rows: AggregateRow[] | undefined): AggregateRow[] =>
      (rows ?? []).map((row) => ({
        ...row,
        names_exact: 0,
        features_exact: 0,
        customers: [],
        feature_id: '?',
      }));
    const shown: Record<string, AggregateRow[]> = {
      ...answers,
      sessions: collided(answers.sessions),
      features: collided(answers.features),
    };
    const byIds = supplier.queries(scope, config, shown);
    expect(Object.keys(byIds)).toEqual(expect.arrayContaining(['sessionsByIds', 'featuresByIds']));
    expect(byIds.sessionsByIds?.sql).toContain('any(customer_id) AS session_customer');
    expect(byIds.featuresByIds?.sql).toContain('any(feature_id) AS cell_feature');
    // By ids the cells are keyed by the three ids hashed together; hashed, by the session's hashes combined
    // with the feature's, which rest on the features' hashes being distinct (what names_exact checks).
    expect(byIds.featuresByIds?.sql).toContain('cityHash64(session_id, customer_id, feature_id) AS cell_key');
    // The features of the sessions row are not used when their names collide: the hashed cells are asked for,
    // whose names are checked in turn.
    const { features: hashed } = supplier.queries(scope, config, {
      featureMix: [{ split_sessions: '0' }],
      sessions: [{ ...answers.sessions?.[0], split_sessions: '0', features_exact: 0 }],
    });
    expect(hashed?.sql).toContain('bitXor(session_hash, cityHash64(feature_id)) AS cell_key');
    expect(hashed?.sql).toContain('length(arrayDistinct(feature_names.1)) = length(feature_names.1)');
    for (const name of ['sessionsByIds', 'featuresByIds'])
      shown[name] = await warehouse.rows<AggregateRow>(byIds[name] as BoundQuery);
    // The rows by ids replace the hashed ones: the same digest as in-process.
    expect(settled(supplier.value(shown, config) as SessionsDigest, 3)).toEqual(expected);
  });

  it('reads the features from the sessions query when each session keeps to one feature, else asks for the cells', async () => {
    // The hostile log's sessions mix features: the sample shows it and the cells are asked for with the sessions.
    await fromSql(3);
    expect(asked).toContain('features');
    // The same calls, each session's feature made one of its session id; then one session split in two features
    // (missed by the sample of one session in 64, so found by the sessions' answer: the cells asked for after it);
    // then many split (seen by the sample: the cells asked for with the sessions).
    const kept = records.map((record) => ({
      ...record,
      featureId: `feature ${record.sessionId.length % 4}`,
    }));
    const mixed = (call: CallRecord, index: number) => ({
      ...call,
      callId: `split-${index}`,
      featureId: 'another feature',
      costMicros: 123_456 + index,
    });
    const logs = [
      { name: 'one_feature', calls: kept, sampledSplit: false, split: false },
      {
        name: 'one_split',
        calls: [...kept, mixed(kept[1] as CallRecord, 0)],
        sampledSplit: false,
        split: true,
      },
      { name: 'many_split', calls: [...kept, ...kept.map(mixed)], sampledSplit: true, split: true },
    ];
    for (const { name, calls, sampledSplit, split } of logs) {
      const file = logOf(`${name}.csv`, calls);
      const table = await freshWarehouse(`digests_${name}`);
      try {
        await loadCalls(table, file);
        for (const topSessions of [0, 3]) {
          const actual = await fromSql(topSessions, undefined, table);
          expect(settled(actual, topSessions)).toEqual(
            settled(await inProcess(file, topSessions), topSessions),
          );
          expect(actual.byFeature.length).toBeGreaterThan(1);
          // The sample decides the sessions query's form; the cells are asked for whenever a session is split.
          const [mix] = answered.featureMix ?? [];
          expect(Number(mix?.sampled_sessions)).toBeGreaterThan(0);
          expect(Number(mix?.split_sessions) > 0).toBe(sampledSplit);
          const [sessions] = answered.sessions ?? [];
          expect(sessions !== undefined && 'features' in sessions).toBe(!sampledSplit);
          if (!sampledSplit) expect(Number(sessions?.split_sessions) > 0).toBe(split);
          expect(asked.includes('features')).toBe(split);
        }
        if (!split) {
          // The customers' names collide (made to, as before): the sessions are asked for by ids, and the features
          // still read from the one-pass answer, whose features' names are exact.
          const [supplier] = digestSuppliersFor({ analyses: ['features'] });
          const config = new CostAnalyzer({ config: { features: { topSessions: 3 } } }).config;
          const scope = scopeOf(undefined, await readMode(table));
          await fromSql(3, undefined, table);
          const shown = {
            ...answered,
            sessions: (answered.sessions ?? []).map((row) => ({ ...row, names_exact: 0 })),
          };
          const byIds = supplier?.queries(scope, config, shown) ?? {};
          expect(Object.keys(byIds).filter((name) => !(name in shown))).toEqual(['sessionsByIds']);
          const withIds = {
            ...shown,
            sessionsByIds: await table.rows<AggregateRow>(byIds.sessionsByIds as BoundQuery),
          };
          expect(settled(supplier?.value(withIds, config) as SessionsDigest, 3)).toEqual(
            settled(await inProcess(file, 3), 3),
          );
        }
        const config = { features: { topSessions: 5 } };
        expect(featuresOf(await analyzeWarehouse(table, { analyses: ['features'], config }))).toBe(
          featuresOf(await analyzeCosts(file, { analyses: ['features'], config })),
        );
      } finally {
        await table.close();
      }
    }
  });

  it('packs a candidate into one number the engine orders by cost, then key, and reads it back exactly', async () => {
    const keys = ['0', '1', '9007199254740993', '9223372036854775808', '18446744073709551615'];
    const costs = ['0', '1', '-1', '9007199254740991', '-9007199254740991'];
    const pairs = costs.flatMap((cost) => keys.map((key) => [cost, key] as const));
    const [row] = await warehouse.rows<{ packed: string[] }>({
      sql: 'SELECT arraySort(arrayMap((cost, key) -> bitShiftLeft(toInt128(-cost), 64) + toInt128(key), {costs:Array(Int64)}, {keys:Array(UInt64)})) AS packed',
      params: { costs: pairs.map(([cost]) => BigInt(cost)), keys: pairs.map(([, key]) => BigInt(key)) },
    });
    const unpacked = (row?.packed ?? []).map(candidateOf);
    // Highest cost first, then the lower key; every key exact beyond 2⁵³.
    const expected = [...pairs]
      .sort(
        ([costA, keyA], [costB, keyB]) =>
          Number(costB) - Number(costA) || (BigInt(keyA) < BigInt(keyB) ? -1 : 1),
      )
      .map(([cost, key]) => ({ negatedCost: 0 - Number(cost), key: BigInt(key) }));
    expect(unpacked).toEqual(expected);
  });

  it('gives zeros and empty lists over a scope without calls', async () => {
    const empty = await fromSql(10, { where: { customer_id: ['nobody'] } });
    expect(empty).toEqual(await inProcess(logOf('empty.csv', []), 10));
    expect(empty.overall).toEqual({
      sessions: 0,
      calls: 0,
      costMicros: 0,
      medianCostMicros: 0,
      p95CostMicros: 0,
    });
  });

  it('is computed in-process from the groupings by a follower, whose looks merge', async () => {
    const { WarehouseFollower } = await import('../src');
    const follower = new WarehouseFollower(warehouse, { analyses: ['features'] });
    await follower.look();
    expect(featuresOf(follower.finish())).toBe(
      featuresOf(await analyzeWarehouse(warehouse, { analyses: ['features'] })),
    );
  });
});
