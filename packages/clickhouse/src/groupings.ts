/**
 * Groupings filled by SQL generated from their declaration: one `GROUP BY`
 * per declared grouping — the dimensions are the keys, the measures integer
 * sums (`firstDay` a `min`, `lastDay` a `max`), the histograms the in-process histogram's own
 * buckets (and, for small cells, the values themselves). A grouping an
 * analysis declares that the store's fused layout does not know is filled
 * this way, so a new analysis needs no SQL of its own.
 */
import {
  type BinsSpec,
  type Dimension,
  type GroupingSpec,
  HISTOGRAM_RAW_LIMIT,
  type HistogramData,
  type HistogramKind,
  type AnyMeasure,
  type ConditionMeasure,
  type Measure,
  measureName,
  RATIO_BIN_COUNT,
  RATIO_BIN_OFFSET,
  RATIO_BINS_PER_OCTAVE,
  newHistogram,
} from '@finops/analyzers';
import type { CellColumns, GenericGroupingData } from '@finops/analyzers/internal';
import { type AggregateRow, keyCondition, numberOf, pairsOf, textOf } from './aggregates/aggregate';
import { addBucket, addValues, type CubeBuilder, setRawValues } from './builder';
import type { BoundQuery, CallWarehouse, QueryParams } from './connection';
import { ClickHouseError } from './errors';
import { bucketSql, DAY_SQL, type Scope } from './scope';

/** How a dimension is keyed in SQL: its key expressions (named `alias`) and the store's id of a row's value. */
interface DimensionSql {
  /** `[expression, alias]` pairs of the GROUP BY keys. */
  keys: readonly (readonly [string, string])[];
  /** The store's id of the row's value; −1 for a call the in-process store keys as "none". */
  id(builder: CubeBuilder, row: AggregateRow): number;
}

/** The id of a key that only some calls have (a region, an error type), −1 for the others, as in-process. */
function optionalId(has: boolean, id: () => number): number {
  return has ? id() : -1;
}

/**
 * The ratio bin of a row, as `ratioBin` of @finops/analyzers computes it: no input the bottom bin,
 * input without output the top one, else ⌊bins per octave × log₂(input / output)⌋ + offset, clamped.
 */
const RATIO_BIN_SQL =
  `multiIf(input_tokens <= 0, 0, output_tokens <= 0, ${RATIO_BIN_COUNT - 1}, ` +
  `least(${RATIO_BIN_COUNT - 1}, greatest(0, toInt64(floor(${RATIO_BINS_PER_OCTAVE} * log2(input_tokens / output_tokens))) + ${RATIO_BIN_OFFSET})))`;

/** A row's mean input and output tokens per call (a bucketed row is judged by its means, as in-process). */
const MEAN_INPUT_SQL = 'if(calls = 1, toFloat64(input_tokens), input_tokens / calls)';
const MEAN_OUTPUT_SQL = 'if(calls = 1, toFloat64(output_tokens), output_tokens / calls)';
/** The mean input / output ratio: no output an infinite ratio, nothing at all 0. */
const MEAN_RATIO_SQL = `if(output_tokens = 0, if(input_tokens = 0, 0, inf), ${MEAN_INPUT_SQL} / ${MEAN_OUTPUT_SQL})`;

/** The column a condition measure sums. */
const CONDITION_FIGURE_SQL: Readonly<Record<ConditionMeasure['sum'], string>> = {
  calls: 'calls',
  cost: 'cost_micros',
  inputTokens: 'input_tokens',
  outputTokens: 'output_tokens',
};

/** Each dimension's GROUP BY keys and how a result row's keys become the store's ids. */
export const DIMENSION_SQL: Readonly<Record<Dimension, DimensionSql>> = {
  provider: {
    keys: [['provider', 'provider']],
    id: (builder, row) => builder.providers.id(textOf(row, 'provider')),
  },
  model: {
    keys: [
      ['provider', 'provider'],
      ['model', 'model'],
    ],
    id: (builder, row) => builder.model(textOf(row, 'provider'), textOf(row, 'model')),
  },
  customer: {
    keys: [['customer_id', 'customer_id']],
    id: (builder, row) => builder.customer(textOf(row, 'customer_id')),
  },
  organization: {
    keys: [['organization_id', 'organization_id']],
    id: (builder, row) => builder.organizations.id(textOf(row, 'organization_id')),
  },
  product: {
    keys: [['product_id', 'product_id']],
    id: (builder, row) => builder.products.id(textOf(row, 'product_id')),
  },
  feature: {
    keys: [['feature_id', 'feature_id']],
    id: (builder, row) => builder.features.id(textOf(row, 'feature_id')),
  },
  taskType: {
    keys: [['task_type', 'task_type']],
    id: (builder, row) => builder.taskTypes.id(textOf(row, 'task_type')),
  },
  plan: {
    keys: [['subscription_tier', 'subscription_tier']],
    id: (builder, row) => builder.plan(textOf(row, 'subscription_tier')),
  },
  environment: {
    keys: [['environment', 'environment']],
    id: (builder, row) => builder.environments.id(textOf(row, 'environment')),
  },
  region: {
    keys: [['region', 'region']],
    id: (builder, row) =>
      optionalId(textOf(row, 'region') !== '', () => builder.region(textOf(row, 'region'))),
  },
  errorType: {
    keys: [
      ["status = 'error'", 'failed'],
      ["if(status = 'error', error_type, '')", 'error_type_key'],
    ],
    id: (builder, row) =>
      optionalId(numberOf(row, 'failed') === 1, () => builder.errorTypes.id(textOf(row, 'error_type_key'))),
  },
  day: { keys: [[DAY_SQL, 'day']], id: (builder, row) => builder.day(numberOf(row, 'day')) },
  hour: {
    keys: [[`toInt64(floor((time_ms - ${DAY_SQL} * 86400000) / 3600000))`, 'hour']],
    id: (_, row) => numberOf(row, 'hour'),
  },
  weekday: {
    keys: [[`((${DAY_SQL} + 3) % 7 + 7) % 7`, 'weekday']],
    id: (_, row) => numberOf(row, 'weekday'),
  },
  ratioBin: {
    keys: [[RATIO_BIN_SQL, 'ratio_bin']],
    id: (_, row) => numberOf(row, 'ratio_bin'),
  },
  minute: {
    keys: [['toInt64(floor(time_ms / 60000))', 'minute']],
    id: (_, row) => numberOf(row, 'minute'),
  },
  session: {
    keys: [['session_id', 'session_id']],
    id: (builder, row) => builder.sessions.id(textOf(row, 'session_id')),
  },
  trace: {
    keys: [['trace_id', 'trace_id']],
    id: (builder, row) => builder.traces.id(textOf(row, 'trace_id')),
  },
};

/** Each plain measure as an aggregate expression over the calls (integer sums; `firstDay` a min, `lastDay` a max). */
export const MEASURE_SQL: Readonly<Record<Measure, string>> = {
  calls: 'sum(calls)',
  cost: 'sum(cost_micros)',
  inputTokens: 'sum(input_tokens)',
  outputTokens: 'sum(output_tokens)',
  cachedInputTokens: 'sum(cached_input_tokens)',
  cacheWriteInputTokens: 'sum(cache_write_input_tokens)',
  reasoningTokens: 'sum(reasoning_tokens)',
  latencySum: 'sumIf(latency_ms * calls, latency_ms IS NOT NULL)',
  timedCalls: 'sumIf(calls, latency_ms IS NOT NULL)',
  untimedCalls: 'sumIf(calls, latency_ms IS NULL)',
  failedCalls: "sumIf(calls, status = 'error')",
  failedCost: "sumIf(cost_micros, status = 'error')",
  // Which models are premium is the catalog's word: the cost is grouped per model too and classed here.
  premiumCost: 'sum(cost_micros)',
  firstDay: `min(${DAY_SQL})`,
  lastDay: `max(${DAY_SQL})`,
};

/** The condition of a grouping's filter, appended to the scope's `WHERE`. */
const FILTER_SQL = { all: '', failed: " AND status = 'error'", withRegion: " AND region != ''" } as const;

/** Whether a call is untimed (the side of the bins query it skips), and a timed call's latency bin. */
const BIN_SIDE_SQL = 'isNull(latency_ms)';
const BIN_SQL = 'least(intDiv(ifNull(latency_ms, 0), {bin_width:UInt64}), {last_bin:UInt64})';

/**
 * A projection's text with each `{name:Type}` placeholder written as the
 * value bound to it, `_CAST(value, 'Type')` — the expression the engine
 * makes of a bound parameter, so a query binding the same value matches.
 * Only numbers (settings, never data) are written so; `undefined` when
 * another value is bound.
 */
export function withValues(sql: string, params: QueryParams): string | undefined {
  let fits = true;
  const text = sql.replace(/\{(\w+):(\w+)\}/g, (_, name: string, type: string) => {
    const value = params[name];
    if (typeof value !== 'number' || !Number.isFinite(value)) fits = false;
    return `_CAST(${String(value)}, '${type}')`;
  });
  return fits ? text : undefined;
}

/**
 * Per histogram kind, the first bucket query's side key (0 for the rows it
 * counts: timed calls; 1 for rows of one call), bucket and figures.
 */
const HISTOGRAM_SQL: Readonly<
  Record<HistogramKind, readonly [string, string, readonly (readonly [string, string])[]]>
> = {
  latency: ['isNull(latency_ms)', bucketSql('ifNull(latency_ms, 0)'), [['sum(calls)', 'count']]],
  costPerCall: [
    'calls = 1',
    bucketSql('cost_micros'),
    [
      ['count()', 'count'],
      ['sum(cost_micros)', 'cost'],
    ],
  ],
};

/** Keys without repeats (`provider` is a key of both the provider and the model dimension). */
function uniqueKeys(keys: readonly (readonly [string, string])[]): (readonly [string, string])[] {
  return keys.filter(([, alias], index) => keys.findIndex(([, other]) => other === alias) === index);
}

/** The generated queries of one grouping and the cells they fill. */
export class GeneratedGrouping {
  private readonly keys: (readonly [string, string])[];
  /** The keys of the grouping's cells (without the model added for premium cost). */
  private readonly cellKeys: (readonly [string, string])[];
  private readonly cells = new Map<string, number>();
  /** How many cells there are. */
  private size = 0;
  /**
   * Whether every row of the measures query is a cell of its own, never
   * looked up again: its `GROUP BY` is the cell's keys (no model added for
   * premium cost) and no histogram or bins query follows. The cells of the
   * groupings with nearly a row per call are found so without a key text
   * or a lookup per row.
   */
  private readonly rowPerCell: boolean;
  /** Per cell, the key texts of its row (to ask for the raw values of small cells). */
  private readonly keyTexts: string[][] = [];
  /** Per measure, its column in the measures query and how a row's value adds into a cell. */
  private readonly measureFolds: readonly { column: string; kind: 'min' | 'max' | 'premium' | 'sum' }[];
  private readonly ids: number[][];
  private readonly measures: number[][];
  private readonly histograms: HistogramData[][];
  private readonly bins: number[][][];
  private readonly premium: boolean;

  constructor(
    readonly spec: GroupingSpec,
    private readonly parameters: Readonly<Record<string, number>>,
  ) {
    this.premium = spec.measures.includes('premiumCost');
    const keys = spec.dimensions.flatMap((dimension) => DIMENSION_SQL[dimension].keys);
    // premiumCost is classed per model: the model is a key of the query, not of the cell.
    if (this.premium) keys.push(['provider', 'provider'], ['model', 'model']);
    this.keys = uniqueKeys(keys);
    this.cellKeys = uniqueKeys(spec.dimensions.flatMap((dimension) => DIMENSION_SQL[dimension].keys));
    this.rowPerCell = !this.premium && (spec.histograms ?? []).length === 0 && (spec.bins ?? []).length === 0;
    this.measureFolds = spec.measures.map((measure, index) => {
      const name = measureName(measure);
      const kind =
        name === 'firstDay' ? 'min' : name === 'lastDay' ? 'max' : name === 'premiumCost' ? 'premium' : 'sum';
      return { column: `measure_${index}`, kind };
    });
    this.ids = spec.dimensions.map(() => []);
    this.measures = spec.measures.map(() => []);
    this.histograms = (spec.histograms ?? []).map(() => []);
    this.bins = (spec.bins ?? []).map(() => []);
  }

  /** The value of a setting a grouping names (`analysis.setting`). */
  private parameter(path: string): number {
    const value = this.parameters[path];
    if (value === undefined)
      throw new ClickHouseError(
        'clickhouse_query',
        `grouping "${this.spec.name}": no value for the setting "${path}"`,
      );
    return value;
  }

  private get selectKeys(): string {
    return this.keys.map(([expression, alias]) => `${expression} AS ${alias}`).join(', ');
  }

  private get groupBy(): string {
    return this.keys.map(([, alias]) => alias).join(', ');
  }

  private where(scope: Scope): string {
    return `${scope.from}${FILTER_SQL[this.spec.filter ?? 'all']}`;
  }

  /** The query of the grouping's measures (also the one that finds its cells). */
  measuresQuery(scope: Scope): BoundQuery {
    const params: QueryParams = { ...scope.params };
    const figures = this.spec.measures.map((measure, index) => {
      const alias = `measure_${index}`;
      return `${this.measureSql(measure, index, params)} AS ${alias}`;
    });
    const select = [this.selectKeys, ...figures, 'count() AS rows'].filter((part) => part !== '');
    return {
      sql: `SELECT ${select.join(', ')} ${this.where(scope)}${this.keys.length > 0 ? ` GROUP BY ${this.groupBy}` : ''}`,
      params,
    };
  }

  /**
   * The body of a projection that holds this grouping's {@link measuresQuery}
   * pre-aggregated (`SELECT keys, measures, count() GROUP BY keys`), for a
   * grouping that reads every call (no filter); `undefined` for the others.
   * The engine answers the measures query from the projection when its
   * expressions match, which they do, as both are rendered here from the
   * same declaration; a setting the query binds is written into the
   * projection as the value it has now ({@link withValues}), so a query
   * with another value reads the calls instead.
   */
  projectionSelect(): string | undefined {
    if (this.filtered) return undefined;
    const params: QueryParams = {};
    const keys = this.keys.map(([expression]) => expression);
    const figures = this.spec.measures.map((measure, index) => this.measureSql(measure, index, params));
    const select = [...keys, ...figures, 'count()'].join(', ');
    return keys.length === 0 ? undefined : withValues(`SELECT ${select} GROUP BY ${keys.join(', ')}`, params);
  }

  /** Whether the grouping reads only some calls (its queries then never match a projection). */
  private get filtered(): boolean {
    return this.spec.filter !== undefined && this.spec.filter !== 'all';
  }

  private measureSql(measure: AnyMeasure, index: number, params: QueryParams): string {
    if (typeof measure === 'string') return MEASURE_SQL[measure];
    if ('where' in measure) return this.conditionSql(measure, index, params);
    params[`parameter_${index}`] = this.parameter(measure.countLatencyAtMost);
    return `sumIf(calls, latency_ms <= {parameter_${index}:Float64})`;
  }

  /** A sum under token conditions: each condition compares a row's mean tokens with a bound setting. */
  private conditionSql(measure: ConditionMeasure, index: number, params: QueryParams): string {
    const bounds: [string | undefined, string, string][] = [
      [measure.where.inputAtLeast, MEAN_INPUT_SQL, '>='],
      [measure.where.outputAtMost, MEAN_OUTPUT_SQL, '<='],
      [measure.where.ratioAtLeast, MEAN_RATIO_SQL, '>='],
      [measure.where.ratioAtMost, MEAN_RATIO_SQL, '<='],
    ];
    const conditions = bounds.flatMap(([setting, expression, comparison], position) => {
      if (setting === undefined) return [];
      const name = `condition_${index}_${position}`;
      params[name] = this.parameter(setting);
      return [`${expression} ${comparison} {${name}:Float64}`];
    });
    const figure = CONDITION_FIGURE_SQL[measure.sum];
    return conditions.length === 0 ? `sum(${figure})` : `sumIf(${figure}, ${conditions.join(' AND ')})`;
  }

  /** The cell of a result row, added when new (its ids in the store's dictionaries). */
  private cell(builder: CubeBuilder, row: AggregateRow): number {
    // The texts of the cell's keys, in the order the raw values' condition lists them.
    const texts = this.cellKeys.map(([, alias]) => textOf(row, alias));
    const key = JSON.stringify(texts);
    let cell = this.cells.get(key);
    if (cell === undefined) {
      cell = this.newCell(builder, row);
      this.cells.set(key, cell);
      this.keyTexts.push(texts);
    }
    return cell;
  }

  /** Adds the cell of a row: its ids in the store's dictionaries and the starting value of each figure. */
  private newCell(builder: CubeBuilder, row: AggregateRow): number {
    const cell = this.size++;
    const { dimensions, histograms = [], bins = [] } = this.spec;
    for (let index = 0; index < dimensions.length; index++)
      (this.ids[index] as number[]).push(DIMENSION_SQL[dimensions[index] as Dimension].id(builder, row));
    for (let index = 0; index < this.measureFolds.length; index++) {
      const { kind } = this.measureFolds[index] as (typeof this.measureFolds)[number];
      (this.measures[index] as number[]).push(kind === 'min' ? Infinity : kind === 'max' ? -Infinity : 0);
    }
    histograms.forEach((kind, index) =>
      (this.histograms[index] as HistogramData[]).push(newHistogram(kind === 'costPerCall')),
    );
    bins.forEach((spec, index) =>
      (this.bins[index] as number[][]).push(new Array<number>(this.parameter(spec.countParameter)).fill(0)),
    );
    return cell;
  }

  /** Adds a row of {@link measuresQuery}. */
  foldMeasures(builder: CubeBuilder, row: AggregateRow): void {
    if (numberOf(row, 'rows') === 0) return;
    const cell = this.rowPerCell ? this.newCell(builder, row) : this.cell(builder, row);
    for (let index = 0; index < this.measureFolds.length; index++) {
      const { column: name, kind } = this.measureFolds[index] as (typeof this.measureFolds)[number];
      const column = this.measures[index] as number[];
      const value = numberOf(row, name);
      if (kind === 'min') column[cell] = Math.min(column[cell] as number, value);
      else if (kind === 'max') column[cell] = Math.max(column[cell] as number, value);
      else if (kind === 'premium') {
        if (builder.isPremium(textOf(row, 'provider'), textOf(row, 'model')))
          column[cell] = (column[cell] as number) + value;
      } else column[cell] = (column[cell] as number) + value;
    }
  }

  /** Runs every query of the grouping and folds its rows; `onQuery` hears each one's row count. */
  async fill(
    warehouse: CallWarehouse,
    scope: Scope,
    builder: CubeBuilder,
    onQuery: (rows: number) => void = () => undefined,
  ): Promise<void> {
    // Every query but the raw values' (arrays of pairs) returns scalars only: read flat.
    const run = async (
      query: BoundQuery,
      fold: (row: AggregateRow) => void,
      read: 'flat' | 'json' = 'flat',
    ): Promise<void> => {
      let rows = 0;
      const onRow = (row: AggregateRow): void => {
        fold(row);
        rows++;
      };
      if (read === 'flat') await warehouse.eachFlat(query, onRow);
      else await warehouse.each(query, onRow);
      onQuery(rows);
    };
    // The measures first: they find every cell, which the histograms and bins then fill.
    await run(this.measuresQuery(scope), (row) => this.foldMeasures(builder, row));
    for (const [index, kind] of (this.spec.histograms ?? []).entries()) {
      for (const query of this.bucketQueries(scope, kind))
        if (query.wanted?.() ?? true)
          await run(query.bound, (row) => query.fold(this.histogramOf(builder, row, index), row));
      // The raw values only of the cells the buckets show to be small.
      const raw = this.rawQuery(scope, kind, index);
      if (raw !== undefined) await run(raw, (row) => this.foldRaw(builder, row, kind, index), 'json');
    }
    for (const [index, bins] of (this.spec.bins ?? []).entries())
      await run(this.binsQuery(scope, bins), (row) => this.foldBin(builder, row, index));
  }

  /** Gives a small cell's histogram its values (a row of several calls holds its mean cost once per call, as in-process). */
  private foldRaw(builder: CubeBuilder, row: AggregateRow, kind: HistogramKind, index: number): void {
    const pairs = pairsOf(row, 'value_pairs');
    const values =
      kind === 'costPerCall'
        ? pairs.map(([cost, calls]) => [calls === 1 ? cost : cost / calls, calls] as [number, number])
        : pairs;
    setRawValues(this.histogramOf(builder, row, index), values);
  }

  /** Adds a row of {@link binsQuery} to its cell's bins. */
  private foldBin(builder: CubeBuilder, row: AggregateRow, index: number): void {
    if (numberOf(row, 'side') !== 0) return;
    const counts = (this.bins[index] as number[][])[this.cell(builder, row)] as number[];
    const bin = numberOf(row, 'bin');
    counts[bin] = (counts[bin] as number) + numberOf(row, 'count');
  }

  /**
   * Calls per fixed-width latency bin of each cell (the last bin takes
   * everything above). Whether a call is timed is a key, as in the bucket
   * queries, so that the query can be answered from {@link binsProjection}.
   */
  binsQuery(scope: Scope, bins: BinsSpec): BoundQuery {
    const keys = this.cellKeys;
    const select = keys.map(([expression, alias]) => `${expression} AS ${alias}, `).join('');
    const group = keys.map(([, alias]) => `${alias}, `).join('');
    return {
      sql: `SELECT ${select}${BIN_SIDE_SQL} AS side, ${BIN_SQL} AS bin, sum(calls) AS count ${this.where(scope)} GROUP BY ${group}side, bin`,
      params: { ...scope.params, ...this.binParams(bins) },
    };
  }

  private binParams(bins: BinsSpec): QueryParams {
    return {
      bin_width: this.parameter(bins.widthParameter),
      last_bin: this.parameter(bins.countParameter) - 1,
    };
  }

  /** The body of the projection of {@link binsQuery} with the bins' settings as they are now. */
  binsProjection(bins: BinsSpec): string | undefined {
    if (this.filtered) return undefined;
    const keys = [...this.cellKeys.map(([expression]) => expression), BIN_SIDE_SQL, BIN_SQL];
    return withValues(
      `SELECT ${keys.join(', ')}, sum(calls) GROUP BY ${keys.join(', ')}`,
      this.binParams(bins),
    );
  }

  private histogramOf(builder: CubeBuilder, row: AggregateRow, index: number): HistogramData {
    return (this.histograms[index] as HistogramData[])[this.cell(builder, row)] as HistogramData;
  }

  /**
   * The bucket queries of a histogram: latencies are integers, bucketed in
   * SQL; costs of rows of one call too (with their sums), while a row of
   * several calls holds a fractional mean cost, bucketed here. Which rows
   * count (timed ones; rows of one call) is a key of the query rather than
   * a condition, so that the query is the table's projection
   * ({@link histogramProjection}) and the engine can answer it from there;
   * the rows of the other side are skipped as they arrive. Rows of several
   * calls are asked for only when the first query shows there are some.
   */
  private bucketQueries(
    scope: Scope,
    kind: HistogramKind,
  ): {
    bound: BoundQuery;
    fold: (histogram: HistogramData, row: AggregateRow) => void;
    /** Whether to send the query, asked after the earlier ones ran. */
    wanted?: () => boolean;
  }[] {
    const keys = this.cellKeys;
    const select = keys.map(([expression, alias]) => `${expression} AS ${alias}, `).join('');
    const group = keys.map(([, alias]) => `${alias}, `).join('');
    const [side, bucket, figures] = HISTOGRAM_SQL[kind];
    const histogram = {
      bound: {
        sql: `SELECT ${select}${side} AS side, ${bucket} AS bucket, ${figures.map(([expression, alias]) => `${expression} AS ${alias}`).join(', ')} ${this.where(scope)} GROUP BY ${group}side, bucket`,
        params: scope.params,
      },
    };
    if (kind === 'latency')
      return [
        {
          ...histogram,
          fold: (into, row) => {
            if (numberOf(row, 'side') === 0)
              addBucket(into, numberOf(row, 'bucket'), numberOf(row, 'count'), 0);
          },
        },
      ];
    let severalCalls = false;
    return [
      {
        ...histogram,
        fold: (into, row) => {
          if (numberOf(row, 'side') === 1)
            addBucket(into, numberOf(row, 'bucket'), numberOf(row, 'count'), numberOf(row, 'cost'));
          else severalCalls = true;
        },
      },
      {
        bound: {
          sql: `SELECT ${select}cost_micros, calls, count() AS rows ${this.where(scope)} AND calls > 1 GROUP BY ${group}cost_micros, calls ORDER BY ${group}cost_micros, calls`,
          params: scope.params,
        },
        wanted: () => severalCalls,
        fold: (into, row) => {
          const calls = numberOf(row, 'calls');
          for (let times = numberOf(row, 'rows'); times > 0; times--)
            addValues(into, numberOf(row, 'cost_micros') / calls, calls);
        },
      },
    ];
  }

  /**
   * The body of the projection that holds a histogram's first bucket query
   * pre-aggregated (see {@link projectionSelect}); `undefined` for a
   * grouping with a filter.
   */
  histogramProjection(kind: HistogramKind): string | undefined {
    if (this.filtered) return undefined;
    const [side, bucket, figures] = HISTOGRAM_SQL[kind];
    const keys = [...this.cellKeys.map(([expression]) => expression), side, bucket];
    return `SELECT ${[...keys, ...figures.map(([expression]) => expression)].join(', ')} GROUP BY ${keys.join(', ')}`;
  }

  /** The values themselves of the cells whose buckets show few values (exact percentiles, as in-process). */
  rawQuery(scope: Scope, kind: HistogramKind, index: number): BoundQuery | undefined {
    const column = this.histograms[index] as HistogramData[];
    const small = this.keyTexts.filter((_, cell) => {
      const histogram = column[cell] as HistogramData;
      return histogram.n > 0 && histogram.n <= HISTOGRAM_RAW_LIMIT;
    });
    if (small.length === 0) return undefined;
    const keys = this.cellKeys;
    const condition = keyCondition(
      keys.map(([expression]) => expression),
      small,
    );
    const value = kind === 'latency' ? 'latency_ms' : 'cost_micros';
    const timed = kind === 'latency' ? ' AND latency_ms IS NOT NULL' : '';
    const select = keys.map(([expression, alias]) => `${expression} AS ${alias}, `).join('');
    const group = keys.map(([, alias]) => alias).join(', ');
    return {
      sql: `SELECT ${select}groupArray((${value}, calls)) AS value_pairs ${this.where(scope)}${timed} AND ${condition.sql}${group === '' ? '' : ` GROUP BY ${group}`}`,
      params: { ...scope.params, ...condition.params },
    };
  }

  /** The cells as columns by name (ids in the builder's dictionaries). */
  columns(): CellColumns {
    return {
      size: this.size,
      keys: Object.fromEntries(this.spec.dimensions.map((dimension, index) => [dimension, this.ids[index]])),
      measures: Object.fromEntries(
        this.spec.measures.map((measure, index) => [measureName(measure), this.measures[index] as number[]]),
      ),
      histograms: Object.fromEntries(
        (this.spec.histograms ?? []).map((kind, index) => [kind, this.histograms[index] as HistogramData[]]),
      ),
      bins: Object.fromEntries(
        (this.spec.bins ?? []).map((bins, index) => [bins.name, this.bins[index] as number[][]]),
      ),
    };
  }

  /** The cells as the store's generic path keeps them. */
  toData(): GenericGroupingData {
    return {
      name: this.spec.name,
      keys: this.ids,
      measures: this.measures.map((values) =>
        values.map((value) => (Number.isFinite(value) ? value : Math.sign(value) * 1e300)),
      ),
      histograms: this.histograms,
    };
  }
}
