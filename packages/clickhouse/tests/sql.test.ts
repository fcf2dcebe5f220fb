import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ANALYSIS_REGISTRY, bucketOf, type HistogramData, resolveConfig } from '@finops/analyzers';
import { FUSED_GROUPINGS, MODEL_TASK_COST, MODEL_TASK_DAY, TEAM_FEATURE } from '@finops/analyzers/internal';
import { defaultCatalog } from '@finops/schema';
import {
  AGGREGATES,
  type AggregateRow,
  type BoundQuery,
  CubeBuilder,
  ClickHouseError,
  DIGEST_SUPPLIERS,
  DIMENSION_SQL,
  digestSuppliersFor,
  GeneratedGrouping,
  nearestRanksOfArraysSql,
  nearestRanksSql,
  FILTER_COLUMNS,
  checkClickHouseSection,
  describeTarget,
  parseTarget,
  parseWhere,
  projectionsFor,
  querySettings,
  resolveClickHouseSettings,
  scopeOf,
  sortedNearestRankSql,
  UNPROJECTED_DIMENSIONS,
  sqlOf,
} from '../src';
import { bucketSql, FIRST_LOG_EXPONENT, LN_GAMMA, LN_GAMMA_SQL, narrowedFrom } from '../src/scope';
import { mergeByKeys } from '../src/projections';

/** The values of the settings the built-in groupings name. */
const PARAMETERS = {
  'performance.slaMs': 2000,
  'performance.latencyBinMs': 250,
  'performance.latencyBinCount': 40,
};

function builder(): CubeBuilder {
  const cube = new CubeBuilder(defaultCatalog(), { slaMs: 2000, latencyBinMs: 250, latencyBinCount: 40 });
  cube.model('openai', 'gpt-4o');
  cube.model('anthropic', 'claude-opus-4-1');
  // Small groups, whose raw values the raw aggregates ask for.
  (cube.modelLatency[0] as HistogramData).n = 3;
  (cube.modelTaskCost[cube.modelTaskCell(1, cube.taskTypes.id('chat'))] as HistogramData).n = 4;
  (cube.regionLatency[cube.region('eu-west-1')] as HistogramData).n = 2;
  return cube;
}

describe('the SQL each aggregate sends', () => {
  const scope = scopeOf({
    since: '2025-11-01',
    until: '2025-11-30',
    where: { customer_id: ["cust_'; DROP TABLE x; --"], environment: ['production', 'staging'] },
  });

  it.each(AGGREGATES.map((aggregate) => [aggregate.name, aggregate] as const))('%s', (_name, aggregate) => {
    const query = aggregate.query(scope, builder()) as BoundQuery;
    expect(query.sql).toMatchSnapshot();
    // Values are bound, never spliced into the text.
    expect(query.sql).not.toContain('DROP TABLE');
    expect(query.sql).not.toContain('2025-11');
    expect(query.sql).toContain('FINAL');
    expect(query.sql).not.toMatch(/quantile|uniq|avg\(/i);
    expect(query.params).toMatchObject({
      since_ms: Date.UTC(2025, 10, 1),
      until_ms: Date.UTC(2025, 11, 1),
      where_column_0: 'customer_id',
      where_values_0: ["cust_'; DROP TABLE x; --"],
      where_column_1: 'environment',
      where_values_1: ['production', 'staging'],
    });
  });

  it.each(FUSED_GROUPINGS.map((spec) => [spec.name, spec] as const))(
    'generates the queries of the grouping %s from its declaration',
    (_name, spec) => {
      const grouping = new GeneratedGrouping(spec, PARAMETERS);
      const queries = [
        grouping.measuresQuery(scope),
        ...(spec.bins ?? []).map((bins) => grouping.binsQuery(scope, bins)),
      ];
      for (const query of queries) {
        expect(query.sql).toMatchSnapshot();
        expect(query.sql).not.toContain('DROP TABLE');
        expect(query.sql).toContain('FINAL');
        expect(query.sql).not.toMatch(/quantile|uniq|avg\(/i);
        // Every dimension is a key of the GROUP BY.
        const groupBy = query.sql.slice(query.sql.indexOf(' GROUP BY '));
        for (const dimension of spec.dimensions)
          for (const [, alias] of DIMENSION_SQL[dimension].keys) expect(groupBy).toContain(alias);
      }
    },
  );

  it('lists every aggregate module of the folder once, named after its file', () => {
    const names = AGGREGATES.map((aggregate) => aggregate.name);
    const helpers = ['aggregate', 'add-totals', 'index'];
    const files = readdirSync(join(__dirname, '..', 'src', 'aggregates'))
      .map((file) => file.replace(/\.ts$/, ''))
      .filter((name) => !helpers.includes(name));
    expect(names.slice().sort()).toEqual(files.sort());
    expect(new Set(names).size).toBe(names.length);
  });

  it('asks for raw values only when a cell is small enough to keep them', () => {
    const grouping = new GeneratedGrouping(MODEL_TASK_COST, {});
    expect(grouping.rawQuery(scopeOf(), 'costPerCall', 0)).toBeUndefined();
    const cube = builder();
    grouping.foldMeasures(cube, {
      provider: 'anthropic',
      model: 'claude-opus-4-1',
      task_type: 'chat',
      rows: '4',
    });
    grouping.foldMeasures(cube, { provider: 'openai', model: 'gpt-4o', task_type: 'chat', rows: '900' });
    const [small, large] = grouping.columns().histograms?.costPerCall as HistogramData[];
    (small as HistogramData).n = 4;
    (large as HistogramData).n = 900;
    expect(grouping.rawQuery(scopeOf(), 'costPerCall', 0)?.params).toMatchObject({
      key_0: ['anthropic'],
      key_1: ['claude-opus-4-1'],
      key_2: ['chat'],
    });
  });

  it('sums cost on the models the catalog classes premium', () => {
    const grouping = new GeneratedGrouping(TEAM_FEATURE, {});
    const cube = builder();
    const row = {
      organization_id: 'o',
      product_id: 'p',
      feature_id: 'f',
      environment: 'e',
      measure_0: '2',
      measure_2: '9',
      measure_3: '4',
      rows: '1',
    };
    grouping.foldMeasures(cube, {
      ...row,
      provider: 'anthropic',
      model: 'claude-opus-4-1',
      measure_1: '700',
      measure_4: '700',
    });
    grouping.foldMeasures(cube, {
      ...row,
      provider: 'openai',
      model: 'gpt-4o',
      measure_1: '50',
      measure_4: '50',
    });
    expect(grouping.columns().measures).toMatchObject({ cost: [750], premiumCost: [700], calls: [4] });
  });

  it('refuses a grouping that names a setting without a value', () => {
    expect(() => new GeneratedGrouping(MODEL_TASK_DAY, {}).measuresQuery(scopeOf())).toThrow(
      /no value for the setting "performance.slaMs"/,
    );
  });

  it('buckets with the constants of the in-process histogram', () => {
    expect(bucketSql('latency_ms')).toBe(
      `if(latency_ms < 128, toInt64(greatest(latency_ms, 0)), toInt64(128 + ceil(log(latency_ms) / ${LN_GAMMA_SQL}) - ${FIRST_LOG_EXPONENT}))`,
    );
    expect(LN_GAMMA_SQL).toBe(`toFloat64(${String(LN_GAMMA)})`);
    expect(128 + Math.ceil(Math.log(5000) / LN_GAMMA) - FIRST_LOG_EXPONENT).toBe(bucketOf(5000));
  });

  it('sends the settings every query needs', () => {
    expect(querySettings(30)).toMatchObject({
      session_timezone: 'UTC',
      output_format_json_quote_64bit_integers: 1,
      output_format_json_quote_decimals: 1,
      max_execution_time: 30,
    });
  });

  it("writes a query's own settings after its text, never names or values it cannot write", () => {
    expect(sqlOf({ sql: 'SELECT 1', params: {} })).toBe('SELECT 1');
    expect(sqlOf({ sql: 'SELECT 1 -- one;\n', params: {}, settings: { max_threads: 2, a_b: 0.5 } })).toBe(
      'SELECT 1 -- one\nSETTINGS max_threads = 2, a_b = 0.5',
    );
    expect(() => sqlOf({ sql: 'SELECT 1', params: {}, settings: { 'x = 1; DROP': 1 } })).toThrow(RangeError);
    expect(() => sqlOf({ sql: 'SELECT 1', params: {}, settings: { max_threads: Number.NaN } })).toThrow(
      RangeError,
    );
    // A subquery's clause is its own.
    expect(
      sqlOf({ sql: 'SELECT * FROM (SELECT 1 SETTINGS max_threads = 1)', params: {}, settings: { a: 1 } }),
    ).toBe('SELECT * FROM (SELECT 1 SETTINGS max_threads = 1)\nSETTINGS a = 1');
  });
});

describe('filters', () => {
  it('reads without FINAL only when told', () => {
    expect(scopeOf({}, { final: false, committedOnly: false }).from).not.toMatch(/FINAL|load_id/);
    expect(scopeOf({}).from).toContain('finops_calls FINAL WHERE');
  });

  it('reads a narrowing condition first, except in a FINAL read, where it filters after the versions collapse', () => {
    const plain = scopeOf({ since: '2025-11-01' }, { final: false, committedOnly: true });
    expect(narrowedFrom(plain, 'k IN {keys:Array(UInt64)}')).toBe(
      'FROM {database:Identifier}.finops_calls PREWHERE k IN {keys:Array(UInt64)} WHERE load_id IN (SELECT load_id FROM {database:Identifier}.finops_loads) AND time_ms >= {since_ms:Int64}',
    );
    const final = scopeOf({ since: '2025-11-01' });
    expect(narrowedFrom(final, 'k = 1')).toBe(`${final.from} AND k = 1`);
    // A scope made otherwise keeps its text and gains the condition.
    expect(narrowedFrom({ from: 'FROM (SELECT 1) WHERE 1', params: {} }, 'k = 1')).toBe(
      'FROM (SELECT 1) WHERE 1 AND k = 1',
    );
  });

  it('reads a timestamp bound as inclusive and a date as its whole day', () => {
    expect(scopeOf({ until: '2025-11-30T10:00:00Z' }).params.until_ms).toBe(Date.UTC(2025, 10, 30, 10) + 1);
    expect(scopeOf({ since: '2025-11-30T10:00:00+02:00' }).params.since_ms).toBe(Date.UTC(2025, 10, 30, 8));
  });

  it('refuses columns outside the list and bad dates', () => {
    expect(() => scopeOf({ where: { 'cost_micros; DROP': ['1'] } })).toThrow(/cannot filter on/);
    expect(() => scopeOf({ since: 'yesterday' })).toThrow(ClickHouseError);
    expect(FILTER_COLUMNS).toContain('customer_id');
  });

  it('parses repeated --where pairs', () => {
    expect(parseWhere(['customer_id=a', 'customer_id=b=c', 'model=gpt-4o'])).toEqual({
      customer_id: ['a', 'b=c'],
      model: ['gpt-4o'],
    });
    expect(() => parseWhere(['customer_id'])).toThrow(/column=value/);
  });
});

describe('connection settings', () => {
  it('lays flags over the config file over the environment', () => {
    const env = {
      FINOPS_CLICKHOUSE_URL: 'http://env:8123',
      FINOPS_CLICKHOUSE_USER: 'env_user',
      FINOPS_CLICKHOUSE_PASSWORD: 'env_secret',
      FINOPS_CLICKHOUSE_DATABASE: 'env_db',
    };
    expect(resolveClickHouseSettings({ env })).toEqual({
      target: 'http://env:8123',
      user: 'env_user',
      password: 'env_secret',
      database: 'env_db',
    });
    expect(
      resolveClickHouseSettings({
        env,
        config: { target: 'chdb:data', database: 'cfg' },
        flags: { database: 'flag' },
      }),
    ).toEqual({ target: 'chdb:data', user: 'env_user', password: 'env_secret', database: 'flag' });
    expect(resolveClickHouseSettings({ env: {} })).toBeUndefined();
  });

  it('refuses bad targets, databases and timeouts', () => {
    expect(() => parseTarget('ftp://x')).toThrow(/http\(s\):\/\/ URL/);
    expect(() => parseTarget('chdb:')).toThrow(/data folder/);
    expect(() => parseTarget('nonsense')).toThrow(ClickHouseError);
    expect(() => resolveClickHouseSettings({ flags: { target: 'chdb:x', database: 'a;b' } })).toThrow(
      /database name/,
    );
    expect(() => resolveClickHouseSettings({ flags: { target: 'chdb:x', timeoutSeconds: 0 } })).toThrow(
      /timeout/,
    );
  });

  it('never shows a password', () => {
    expect(describeTarget('https://alice:s3cret@ch.example.com:8443')).toBe('https://ch.example.com:8443');
    expect(() => parseTarget('htp//alice:s3cret@x')).toThrow(/^(?!.*s3cret)/);
  });

  it('checks the config file section', () => {
    expect(checkClickHouseSection({ url: 'chdb:x', timeoutSeconds: 20 })).toEqual({
      settings: { target: 'chdb:x', timeoutSeconds: 20 },
      problems: [],
    });
    expect(checkClickHouseSection({ url: 1, port: 3, timeoutSeconds: -1 }).problems).toEqual([
      'clickhouse.url: must be a string',
      'clickhouse.port: unknown setting (known here: url, user, password, database, timeoutSeconds)',
      'clickhouse.timeoutSeconds: must be a positive number',
    ]);
    expect(checkClickHouseSection('x').problems).toHaveLength(1);
  });
});

describe('projections', () => {
  it('pre-aggregates no grouping keyed by a session, a trace or a minute, and every other unfiltered one', () => {
    const projections = projectionsFor();
    const served = projections.flatMap((projection) => projection.serves);
    for (const serves of ['sessionCells', 'traceCells', 'abuseMinuteModel'])
      expect(served.filter((name) => name.startsWith(serves))).toEqual([]);
    expect(projections.some((projection) => projection.name.startsWith('finops_customerDay_'))).toBe(true);
    expect(UNPROJECTED_DIMENSIONS).toEqual(['session', 'trace', 'minute']);
  });

  it('gives a digest the projection it declares, apart from the others, when its analysis is selected', () => {
    const own = (projections: ReturnType<typeof projectionsFor>): string[][] =>
      projections
        .filter((projection) => projection.serves.some((name) => name.startsWith('minuteProfiles')))
        .map((projection) => [...projection.serves]);
    expect(own(projectionsFor())).toEqual([['minuteProfiles_models']]);
    expect(own(projectionsFor({ analyses: ['abuse'] }))).toEqual([['minuteProfiles_models']]);
    expect(own(projectionsFor({ analyses: ['features'] }))).toEqual([]);
    // The bodies of fewer keys (provider and model) stay where they were.
    const modelUsage = projectionsFor().find((projection) => projection.serves.includes('modelUsage'));
    expect(modelUsage?.serves).toContain('modelTaskDay');
  });

  it("keeps the aggregates of bodies with the same keys, or keys among another body's, in one projection", () => {
    const merged = mergeByKeys([
      {
        serves: 'a',
        select: "SELECT provider, model, sum(calls), sumIf(calls, status = 'error') GROUP BY provider, model",
      },
      { serves: 'b', select: 'SELECT customer_id, count() GROUP BY customer_id' },
      { serves: 'c', select: 'SELECT provider, model, count(), sum(calls) GROUP BY provider, model' },
      { serves: 'd', select: 'SELECT least(intDiv(a, 2), 3), count() GROUP BY least(intDiv(a, 2), 3)' },
      { serves: 'e', select: 'SELECT count()' },
      { serves: 'f', select: 'SELECT provider, max(time_ms) GROUP BY provider' },
      {
        serves: 'g',
        select: 'SELECT provider, model, task_type, count() GROUP BY provider, model, task_type',
      },
    ]);
    expect(merged.map((projection) => [projection.serves, projection.select])).toEqual([
      [['e'], 'SELECT count()'],
      [['b'], 'SELECT customer_id, count() GROUP BY customer_id'],
      [['d'], 'SELECT least(intDiv(a, 2), 3), count() GROUP BY least(intDiv(a, 2), 3)'],
      [
        ['g', 'a', 'c', 'f'],
        "SELECT provider, model, task_type, count(), sum(calls), sumIf(calls, status = 'error'), max(time_ms) GROUP BY provider, model, task_type",
      ],
    ]);
    expect(merged[3]?.name).toMatch(/^finops_g_a_c_f_[0-9a-f]{10}$/);
    // Every projection of the analyses has keys of its own: no two bodies of one key set are left apart.
    const keys = projectionsFor().map((projection) =>
      projection.select.slice(projection.select.lastIndexOf(' GROUP BY ')),
    );
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('the digests computed in SQL', () => {
  const scope = scopeOf({
    since: '2025-11-01',
    where: { customer_id: ["cust_'; DROP TABLE x; --"] },
  });
  const config = resolveConfig({ features: { topSessions: 7 } });

  it('are one file each, named after a digest an analysis of the registry reads', () => {
    const declared = ANALYSIS_REGISTRY.flatMap((definition) => definition.digests ?? []);
    const files = readdirSync(join(__dirname, '..', 'src', 'digests')).sort();
    const kebab = (name: string): string => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
    expect(files).toEqual(
      ['index.ts', 'supplier.ts', ...DIGEST_SUPPLIERS.map(({ digest }) => `${kebab(digest.name)}.ts`)].sort(),
    );
    for (const supplier of DIGEST_SUPPLIERS) expect(declared).toContain(supplier.digest);
    expect(new Set(DIGEST_SUPPLIERS.map(({ digest }) => digest.name)).size).toBe(DIGEST_SUPPLIERS.length);
    expect(digestSuppliersFor({ analyses: ['features'] }).map(({ digest }) => digest.name)).toEqual([
      'sessions',
    ]);
    expect(digestSuppliersFor({ analyses: ['understanding'] })).toEqual([]);
  });

  /** Answers of a supplier's first round that its next round's queries are built from. */
  const FIRST_ANSWERS: Record<string, Record<string, AggregateRow[]>[]> = {
    // Sampled sessions that keep to one feature each: the one-pass sessions query. With calls of two features: the
    // sessions asked for with the session × feature cells.
    sessions: [
      { featureMix: [{ split_sessions: '0', sampled_sessions: '64' }], traces: [{}] },
      { featureMix: [{ split_sessions: '1', sampled_sessions: '64' }], traces: [{}] },
    ],
    minuteProfiles: [
      {
        models: [
          { customer_id: 'a', customer_key: '11', models: '2', model_keys: '2', model_key_list: ['5', '9'] },
        ],
      },
    ],
  };

  it.each(DIGEST_SUPPLIERS.map((supplier) => [supplier.digest.name, supplier] as const))(
    'send small answers with bound values: %s',
    (name, supplier) => {
      const queries = [{}, ...(FIRST_ANSWERS[name] ?? [])].flatMap((answers) =>
        Object.entries(supplier.queries(scope, config, answers)),
      );
      for (const [name, query] of queries) {
        expect(`${name}: ${query.sql}`).toMatchSnapshot();
        // Values are bound, never spliced into the text; the scope (FINAL, committed loads, filters) is kept.
        expect(query.sql).not.toContain('DROP TABLE');
        expect(query.sql).not.toContain('2025-11');
        expect(query.sql).toContain('FINAL');
        expect(query.sql).toContain('{where_values_0:Array(String)}');
        // Exact figures only: no approximate quantile or distinct count of the engine's.
        expect(query.sql).not.toMatch(
          /quantile(?!sExactWeighted(?:If|Array|ArrayIf)\()|(?<!group)uniq(?!Exact)|avg\(/i,
        );
        expect(query.params).toMatchObject(scope.params);
      }
    },
  );

  it('asks for the costliest sessions and traces among the first answers, and again for ties at the boundary', () => {
    const supplier = DIGEST_SUPPLIERS.find(({ digest }) => digest.name === 'sessions');
    if (supplier === undefined) throw new Error('no supplier');
    const first = supplier.queries(scope, config, {});
    expect(Object.keys(first).sort()).toEqual(['featureMix', 'traces']);
    expect(first.featureMix?.params).toMatchObject({ ...scope.params, feature_mix_sample: 64 });
    // A FINAL read takes the sample's condition in its WHERE (see narrowedFrom).
    expect(first.featureMix?.sql).toContain('AND session_hash % {feature_mix_sample:UInt64} = 0');
    // The sampled sessions keep to one feature: the sessions query gives the features' figures too; else the cells
    // are asked for beside it.
    const mix = (split: string) => ({ featureMix: [{ split_sessions: split }], traces: [{}] });
    const fused = supplier.queries(scope, config, mix('0'));
    expect(Object.keys(fused)).toEqual(['sessions']);
    expect(fused.sessions?.sql).toContain('GROUP BY GROUPING SETS ((session_customer), (session_feature))');
    expect(fused.sessions?.settings).toEqual({
      force_grouping_standard_compatibility: 1,
      group_by_use_nulls: 0,
    });
    expect(`sessions: ${fused.sessions?.sql}`).toMatchSnapshot();
    const apart = supplier.queries(scope, config, mix('2'));
    expect(Object.keys(apart).sort()).toEqual(['features', 'sessions']);
    expect(apart.sessions?.sql).not.toContain('GROUPING SETS');
    for (const query of [fused.sessions, first.traces]) {
      expect(query?.sql).toContain('groupArraySortedIf({kept:UInt64})(');
      expect(query?.params.kept).toBe(8);
    }
    const none = resolveConfig({ features: { topSessions: 0 } });
    for (const query of [
      ...Object.values(supplier.queries(scope, none, {})),
      ...Object.values(supplier.queries(scope, none, mix('0'))),
    ])
      expect(query.sql).not.toContain('{kept:');
    // Eight candidates of each (one beyond the top): the eighth session costs as much as the seventh, the eighth
    // trace less. A candidate is its negated cost and its key (a 64-bit hash, beyond 2⁵³) packed into one
    // 128-bit number, as the engine returns it: a decimal string.
    const keyOf = (index: number) => String(18_000_000_000_000_000_000n + BigInt(index));
    const packed = (negatedCost: string, key: string) => String((BigInt(negatedCost) << 64n) + BigInt(key));
    const overall = (last: string, beyond: string) => ({
      costliest: [
        ...Array.from({ length: 6 }, (_, index) => packed(String(-9000 + index), keyOf(index))),
        packed(last, keyOf(6)),
        packed(beyond, keyOf(7)),
      ],
    });
    // Each session kept to one feature: the features are those of the sessions row, no cells asked for.
    const oneFeature = { split_sessions: '0', features_exact: 1 };
    const answers = {
      featureMix: [{ split_sessions: '0' }],
      sessions: [{ ...overall('-1500', '-1500'), ...oneFeature }],
      traces: [overall('-80', '-79')],
    };
    const again = supplier.queries(scope, config, answers);
    expect(Object.keys(again).sort()).toEqual(['costliestSessions', 'topTraces']);
    expect(again.costliestSessions?.sql).toMatch(/HAVING session_cost >= \{boundary:Int64\}$/);
    expect(again.costliestSessions?.params).toMatchObject({ ...scope.params, boundary: 1500 });
    const both = supplier.queries(scope, config, { ...answers, traces: [overall('-80', '-80')] });
    expect(Object.keys(both).sort()).toEqual(['costliestSessions', 'costliestTraces']);
    expect(both.costliestTraces?.sql).toMatch(/trace_cost >= \{boundary:Int64\}$/);
    expect(
      `costliestSessions: ${both.costliestSessions?.sql}\ncostliestTraces: ${both.costliestTraces?.sql}`,
    ).toMatchSnapshot();
    // Untied: the top seven by their keys (exact 64-bit integers), their ids, sums and features read.
    const untied = supplier.queries(scope, config, {
      ...answers,
      sessions: [{ ...overall('-1500', '-1499'), ...oneFeature }],
    });
    expect(Object.keys(untied).sort()).toEqual(['topSessions', 'topTraces']);
    const topSeven = Array.from({ length: 7 }, (_, index) => BigInt(keyOf(index)));
    expect(untied.topSessions?.params).toMatchObject({ ...scope.params, session_keys: topSeven });
    expect(untied.topTraces?.params).toMatchObject({ ...scope.params, trace_keys: topSeven });
    // A FINAL read takes the lookup in its WHERE (see narrowedFrom).
    expect(untied.topSessions?.sql).toContain(
      "AND session_hash IN {session_keys:Array(UInt64)} AND session_id != ''",
    );
    expect(untied.topTraces?.sql).toContain(
      "AND trace_hash IN {trace_keys:Array(UInt64)} AND trace_id != ''",
    );
    expect(`topSessions: ${untied.topSessions?.sql}\ntopTraces: ${untied.topTraces?.sql}`).toMatchSnapshot();
    expect(nearestRanksSql('cost', [0.5, 0.95], "id != ''")).toBe(
      "quantilesExactWeightedIf(0.5, 0.95)(cost, 1, id != '')",
    );
    expect(nearestRanksOfArraysSql('costs', [0.5])).toBe(
      'quantilesExactWeightedArray(0.5)(costs, arrayWithConstant(length(costs), 1))',
    );
    expect(nearestRanksOfArraysSql('costs', [0.5], 'kept')).toBe(
      'quantilesExactWeightedArrayIf(0.5)(costs, arrayWithConstant(length(costs), 1), kept)',
    );
    expect(sortedNearestRankSql('costs', 'n', 0.95)).toBe('costs[toUInt64(ceil(0.95 * n))]');
  });

  it('fold their answers into the digest: the overall row, customers with sessions, the listed as read by id', () => {
    const supplier = DIGEST_SUPPLIERS.find(({ digest }) => digest.name === 'sessions');
    const counted = (sessions: number, extra: Record<string, unknown> = {}) => ({
      sessions: String(sessions),
      counted_calls: String(sessions * 2),
      counted_cost: String(sessions * 100),
      ranks: ['50', '90'],
      ...extra,
    });
    const value = supplier?.value(
      {
        sessions: [
          counted(3, {
            calls_without: '5',
            cost_without: '10',
            customers: [
              ['only-unsessioned', '0', '0', '0', '0', '0'],
              ['cust_a', '3', '6', '300', '50', '90'],
            ],
            costliest: [
              ['-120', '17000000000000000001'],
              ['0', '17000000000000000002'],
            ],
          }),
        ],
        topSessions: [
          {
            session_id: 's1',
            customer_id: 'cust_a',
            session_calls: '2',
            session_cost: '120',
            session_features: '1',
          },
          {
            session_id: 's2',
            customer_id: 'cust_a',
            session_calls: '1',
            session_cost: '0',
            session_features: '2',
          },
        ],
        features: [counted(2, { feature_id: 'chat' })],
        traces: [counted(4, { calls_without: '6' })],
        costliestTraces: [{ trace_id: 't', customer_id: 'cust_a', trace_calls: '2', trace_cost: '300' }],
      },
      config,
    );
    expect(value).toEqual({
      overall: { sessions: 3, calls: 6, costMicros: 300, medianCostMicros: 50, p95CostMicros: 90 },
      callsWithoutSession: 5,
      costWithoutSessionMicros: 10,
      byFeature: [
        { feature: 'chat', sessions: 2, calls: 4, costMicros: 200, medianCostMicros: 50, p95CostMicros: 90 },
      ],
      byCustomer: [
        {
          customer: 'cust_a',
          sessions: 3,
          calls: 6,
          costMicros: 300,
          medianCostMicros: 50,
          p95CostMicros: 90,
        },
      ],
      traces: { sessions: 4, calls: 8, costMicros: 400, medianCostMicros: 50, p95CostMicros: 90 },
      callsWithoutTrace: 6,
      costliestSessions: [
        { id: 's1', calls: 2, costMicros: 120, customer: 'cust_a', features: 1 },
        { id: 's2', calls: 1, costMicros: 0, customer: 'cust_a', features: 2 },
      ],
      costliestTraces: [{ id: 't', calls: 2, costMicros: 300, customer: 'cust_a' }],
    });
    // Without the cells: the features of the sessions row when each session kept to one feature and the names are
    // exact, else none (the cells were asked for).
    const featureRow = (extra: Record<string, unknown>) => ({
      sessions: [
        counted(3, {
          features: [
            ['chat', '2', '4', '200', '50', '90'],
            ['search', '1', '2', '100', '100', '100'],
          ],
          ...extra,
        }),
      ],
    });
    expect(supplier?.value(featureRow({ split_sessions: '0', features_exact: 1 }), config).byFeature).toEqual(
      [
        { feature: 'chat', sessions: 2, calls: 4, costMicros: 200, medianCostMicros: 50, p95CostMicros: 90 },
        {
          feature: 'search',
          sessions: 1,
          calls: 2,
          costMicros: 100,
          medianCostMicros: 100,
          p95CostMicros: 100,
        },
      ],
    );
    for (const unusable of [
      { split_sessions: '1', features_exact: 1 },
      { split_sessions: '0', features_exact: 0 },
    ])
      expect(supplier?.value(featureRow(unusable), config).byFeature).toEqual([]);
    // No answer at all: zeros and empty lists.
    expect(supplier?.value({}, config)).toMatchObject({
      overall: { sessions: 0, calls: 0, costMicros: 0, medianCostMicros: 0, p95CostMicros: 0 },
      byCustomer: [],
      costliestSessions: [],
    });
  });
});
