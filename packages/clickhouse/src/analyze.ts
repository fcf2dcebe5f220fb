import {
  type AnalysisResults,
  type AnalyzeOptions,
  type AnalyzerState,
  CostAnalyzer,
  MAX_LISTED_REJECTIONS,
} from '@finops/analyzers';
import { defaultCatalog, emptyTally, mergeTally, type ReadTally, type Rejection } from '@finops/schema';
import type { GenericGroupingData } from '@finops/analyzers/internal';
import type { GroupingSpec } from '@finops/analyzers';
import { AGGREGATES } from './aggregates/index';
import { CubeBuilder } from './builder';
import type { CallWarehouse } from './connection';
import { placementOf } from './fused';
import { GeneratedGrouping } from './groupings';
import { CALLS_TABLE, checkSchema, LOADS_TABLE } from './migrations';
import { type CallFilter, type LoadRange, loadRangeSql, scopeOf } from './scope';

/** Options of {@link analyzeWarehouse}: those of the in-process analyses (less the file readers') and a filter. */
export interface WarehouseAnalyzeOptions extends Pick<
  AnalyzeOptions,
  'analyses' | 'registry' | 'config' | 'catalog' | 'customers' | 'source'
> {
  /** Which calls to read (all by default). */
  filter?: CallFilter;
  /**
   * Called after each step with its name (an aggregate's, or a grouping's for
   * its queries), the rows it returned, its time in ms and the number of steps.
   */
  onAggregate?: (name: string, rows: number, milliseconds: number, total: number) => void;
}

/** How many groupings are filled at once (see {@link warehouseState}). */
const CONCURRENT_GROUPINGS = 2;

/** A listed rejection (what the results keep of it). */
type ListedRejection = Omit<Rejection, 'raw' | 'value'>;

/**
 * The read tally and first rejections of every committed load (or of those
 * in `range`), merged in load order: what reading the loaded logs one after
 * the other counted.
 */
export async function loadTallies(
  warehouse: CallWarehouse,
  range?: LoadRange,
): Promise<{ tally: ReadTally; rejections: ListedRejection[] }> {
  const only = range === undefined ? { sql: '1', params: {} } : loadRangeSql(range);
  const tally = emptyTally();
  const rejections: ListedRejection[] = [];
  await warehouse.each<{ tally: string; rejections: string }>(
    {
      sql: `SELECT tally, rejections FROM {database:Identifier}.${LOADS_TABLE} WHERE ${only.sql} ORDER BY load_seq`,
      params: only.params,
    },
    (row) => {
      mergeTally(tally, JSON.parse(row.tally) as ReadTally);
      for (const rejection of JSON.parse(row.rejections) as ListedRejection[])
        if (rejections.length < MAX_LISTED_REJECTIONS) rejections.push(rejection);
    },
  );
  return { tally, rejections };
}

/** How the analyses read the calls table (see {@link readMode}). */
export interface ReadMode {
  /** Collapse rows of one call id with `FINAL` (a merge on every read). */
  final: boolean;
  /** Keep only rows of committed loads. */
  committedOnly: boolean;
}

/**
 * How to read the calls table, exactly and cheaply. A load never writes a
 * call id that a committed load holds (it is rejected as a duplicate at
 * load), and its rows count only once its row in the loads table is
 * written. So while the table holds exactly the rows the committed loads
 * wrote (`count()`, which the engine keeps per part, equals their sum) no id
 * can repeat and no row is uncommitted: reads need neither `FINAL` nor the
 * filter on loads. Rows written by other means, collapsed by the engine or
 * left by a load that stopped change that count and bring both back.
 */
export async function readMode(warehouse: CallWarehouse): Promise<ReadMode> {
  const [row] = await warehouse.rows<{ stored: string; loaded: string }>({
    sql: `SELECT (SELECT count() FROM {database:Identifier}.${CALLS_TABLE}) AS stored, (SELECT sum(rows) FROM {database:Identifier}.${LOADS_TABLE}) AS loaded`,
    params: {},
  });
  const exact = row !== undefined && row.stored === row.loaded;
  return { final: !exact, committedOnly: !exact };
}

/**
 * The analyses' state filled from the calls table, with the tallies of the
 * loads: the figures outside groupings ({@link AGGREGATES}), then every
 * grouping the selected analyses declare, with `GROUP BY` queries generated
 * from its declaration ({@link GeneratedGrouping}), folded into the same
 * state the in-process reader builds. Sums are integer micro-dollars;
 * percentiles come from the in-process histogram's own buckets, never from
 * the engine's quantile functions.
 */
export async function warehouseState(
  warehouse: CallWarehouse,
  options: WarehouseAnalyzeOptions = {},
): Promise<AnalyzerState> {
  await checkSchema(warehouse);
  // The store's settings of the selected analyses: their groupings and the settings those name.
  const settings = new CostAnalyzer(analyzerOptions(options)).storeSettings();
  const builder = new CubeBuilder(options.catalog ?? defaultCatalog(), settings);
  const scope = scopeOf(options.filter, await readMode(warehouse));
  const total = AGGREGATES.length + (settings.groupings ?? []).length;
  for (const aggregate of AGGREGATES) {
    const started = performance.now();
    const query = aggregate.query(scope, builder);
    let rows = 0;
    if (query !== undefined)
      await warehouse.each(query, (row) => {
        aggregate.fold(builder, row);
        rows++;
      });
    options.onAggregate?.(aggregate.name, rows, performance.now() - started, total);
  }
  // Every declared grouping: SQL generated from its declaration, its cells placed where the store keeps them.
  // Two groupings at a time: while one folds the rows it read, the engine answers the other's query on its
  // own threads. The builder names keys in whatever order they come; the analyses read its canonical form.
  const specs = settings.groupings ?? [];
  const generic: (GenericGroupingData | undefined)[] = specs.map(() => undefined);
  let next = 0;
  const fillNext = async (): Promise<void> => {
    for (let index = next++; index < specs.length; index = next++) {
      const spec = specs[index] as GroupingSpec;
      const started = performance.now();
      const grouping = new GeneratedGrouping(spec, settings.parameters ?? {});
      let rows = 0;
      await grouping.fill(warehouse, scope, builder, (count) => (rows += count));
      const placement = placementOf(spec.name);
      if (placement) placement(builder, grouping.columns());
      else generic[index] = grouping.toData();
      options.onAggregate?.(spec.name, rows, performance.now() - started, total);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENT_GROUPINGS }, fillNext));
  const cube = builder.toData();
  cube.generic = generic.filter((data): data is GenericGroupingData => data !== undefined);
  const { tally, rejections } = await loadTallies(warehouse, options.filter?.loads);
  return {
    cube,
    tally,
    rejections,
    source: options.source ?? `clickhouse ${warehouse.where} (${warehouse.database})`,
  };
}

/**
 * Runs the analyses over the calls table: the same results as
 * `analyzeCosts` over the loaded logs (see {@link warehouseState}).
 *
 * @example
 * ```ts
 * const warehouse = await CallWarehouse.open({ target: 'chdb:finops-db' });
 * const results = await analyzeWarehouse(warehouse, { filter: { since: '2025-11-01' } });
 * console.log(results.understanding?.totals.costUsd);
 * await warehouse.close();
 * ```
 */
export async function analyzeWarehouse(
  warehouse: CallWarehouse,
  options: WarehouseAnalyzeOptions = {},
): Promise<AnalysisResults> {
  const state = await warehouseState(warehouse, options);
  return CostAnalyzer.fromState(state, analyzerOptions(options)).finish();
}

/** The options of the in-process analyzer that finishes a warehouse's state. */
function analyzerOptions(options: WarehouseAnalyzeOptions): AnalyzeOptions {
  return {
    analyses: options.analyses,
    registry: options.registry,
    config: options.config,
    catalog: options.catalog,
    customers: options.customers,
  };
}
