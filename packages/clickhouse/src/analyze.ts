import {
  type AnalysisResults,
  type AnalyzeOptions,
  type AnalyzerState,
  CostAnalyzer,
  MAX_LISTED_REJECTIONS,
} from '@finops/analyzers';
import { defaultCatalog, emptyTally, mergeTally, type ReadTally, type Rejection } from '@finops/schema';
import { type CubeSettings, digestsOf, type GenericGroupingData } from '@finops/analyzers/internal';
import type { AnalysisConfig, SuppliedDigests } from '@finops/analyzers';
import { AGGREGATES, type AggregateRow } from './aggregates/index';
import { CubeBuilder } from './builder';
import type { CallWarehouse } from './connection';
import {
  answerOf,
  answerQueries,
  type AnyDigestSupplier,
  COMPILE_DIGESTS_FROM_ROWS,
  DIGEST_SUPPLIERS,
  type DigestSending,
} from './digests/index';
import { placementOf } from './fused';
import { GeneratedGrouping } from './groupings';
import { withMergesPaused } from './merges';
import { CALLS_TABLE, checkSchema, LOADS_TABLE } from './migrations';
import { type CallFilter, type LoadRange, loadRangeSql, type Scope, scopeOf } from './scope';

/**
 * Options of {@link analyzeWarehouse}: those of the in-process analyses (less the file readers') and a filter.
 * `suppliedDigests` (for {@link warehouseState}) leaves out the groupings of digests computed otherwise.
 */
export interface WarehouseAnalyzeOptions extends Pick<
  AnalyzeOptions,
  'analyses' | 'registry' | 'config' | 'catalog' | 'customers' | 'source' | 'suppliedDigests'
> {
  /** Which calls to read (all by default). */
  filter?: CallFilter;
  /**
   * Called after each step with its name (an aggregate's, a grouping's for
   * its queries, or `digest.query` for a query of a digest computed in SQL),
   * the rows it returned, its time in ms and the number of steps.
   */
  onAggregate?: (name: string, rows: number, milliseconds: number, total: number) => void;
}

/** How many groupings (and queries of digests) are filled at once (see {@link warehouseState}). */
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
  /** The rows the calls table holds (every row, before `FINAL` and the filter on loads). */
  rows: number;
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
  return { final: !exact, committedOnly: !exact, rows: Number(row?.stored ?? 0) };
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
  const scope = scopeOf(options.filter, await readMode(warehouse));
  return withMergesPaused(warehouse, () => stateIn(warehouse, options, settings, scope, []));
}

/** A query of a digest computed in SQL, with where its answer goes. */
interface DigestQuery {
  name: string;
  run(warehouse: CallWarehouse): Promise<number>;
}

/**
 * {@link warehouseState} over `scope`, with the queries of `digests` sent
 * beside the groupings' (the engine answers one while JavaScript folds the
 * rows of another).
 */
async function stateIn(
  warehouse: CallWarehouse,
  options: WarehouseAnalyzeOptions,
  settings: CubeSettings,
  scope: Scope,
  digests: readonly DigestQuery[],
): Promise<AnalyzerState> {
  const builder = new CubeBuilder(options.catalog ?? defaultCatalog(), settings);
  const specs = settings.groupings ?? [];
  const total = AGGREGATES.length + specs.length + digests.length;
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
  // Two at a time: while one folds the rows it read, the engine answers the other's query on its own
  // threads. The builder names keys in whatever order they come; the analyses read its canonical form.
  const generic: (GenericGroupingData | undefined)[] = specs.map(() => undefined);
  const steps = [
    ...specs.map((spec, index) => ({
      name: spec.name,
      run: async (): Promise<number> => {
        const grouping = new GeneratedGrouping(spec, settings.parameters ?? {});
        let rows = 0;
        await grouping.fill(warehouse, scope, builder, (count) => (rows += count));
        const placement = placementOf(spec.name);
        if (placement) placement(builder, grouping.columns());
        else generic[index] = grouping.toData();
        return rows;
      },
    })),
    ...digests.map((query) => ({ name: query.name, run: () => query.run(warehouse) })),
  ];
  let next = 0;
  const runNext = async (): Promise<void> => {
    for (let index = next++; index < steps.length; index = next++) {
      const step = steps[index] as (typeof steps)[number];
      const started = performance.now();
      const rows = await step.run();
      options.onAggregate?.(step.name, rows, performance.now() - started, total);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENT_GROUPINGS }, runNext));
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

/** The suppliers of the digests the selected analyses read that SQL computes (the very digests they declare). */
export function digestSuppliersFor(
  options: Pick<AnalyzeOptions, 'analyses' | 'registry'> = {},
): AnyDigestSupplier[] {
  const declared = digestsOf(new CostAnalyzer(options).selected);
  return DIGEST_SUPPLIERS.filter((supplier) => declared.includes(supplier.digest));
}

/**
 * The first queries of `suppliers` over `scope`, each a step that runs
 * beside the groupings. The step that answers the last query of the first
 * round sends the supplier's later rounds (the queries those answers call
 * for, one after another: the engine answers one bound query at a time
 * anyway), then sets the digest's value in `supplied`.
 */
function digestQueries(
  suppliers: readonly AnyDigestSupplier[],
  scope: Scope,
  config: AnalysisConfig,
  supplied: Record<string, unknown>,
  sending: DigestSending,
): DigestQuery[] {
  return suppliers.flatMap((supplier) => {
    const answers: Record<string, AggregateRow[]> = {};
    const first = Object.entries(supplier.queries(scope, config, answers));
    let waiting = first.length;
    // Once the first round is answered: the queries those answers call for, then the value.
    const settle = async (warehouse: CallWarehouse): Promise<number> => {
      const rows = await answerQueries(warehouse, supplier, scope, config, answers, sending);
      supplied[supplier.digest.name] = supplier.value(answers, config);
      return rows;
    };
    if (first.length === 0) supplied[supplier.digest.name] = supplier.value(answers, config);
    return first.map(([name, query]) => ({
      name: `${supplier.digest.name}.${name}`,
      run: async (warehouse: CallWarehouse): Promise<number> => {
        const rows = await answerOf(warehouse, supplier, name, query, sending);
        answers[name] = rows;
        return rows.length + (--waiting === 0 ? await settle(warehouse) : 0);
      },
    }));
  });
}

/**
 * How {@link analyzeWarehouse} sends the digests' queries over a table read
 * in `mode`: compiled on their first use when the table holds at least
 * {@link COMPILE_DIGESTS_FROM_ROWS} rows, which repays the compiling. The
 * table's rows, not the scope's: a filter that reads a small part of a large
 * table pays the compiling (about 0.6 s) for little.
 */
export function digestSendingFor(mode: ReadMode): DigestSending {
  return { compiled: mode.rows >= COMPILE_DIGESTS_FROM_ROWS };
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
  await checkSchema(warehouse);
  // The digests SQL computes are sent as queries of their own; their groupings are not filled.
  const suppliers = digestSuppliersFor(options);
  const finishing = {
    ...analyzerOptions(options),
    suppliedDigests: suppliers.map(({ digest }) => digest.name),
  };
  const analyzer = new CostAnalyzer(finishing);
  const mode = await readMode(warehouse);
  const scope = scopeOf(options.filter, mode);
  const supplied: Record<string, unknown> = {};
  const queries = digestQueries(suppliers, scope, analyzer.config, supplied, digestSendingFor(mode));
  const state = await withMergesPaused(warehouse, () =>
    stateIn(warehouse, options, analyzer.storeSettings(), scope, queries),
  );
  return CostAnalyzer.fromState(state, finishing).finish(supplied as SuppliedDigests);
}

/** The options of the in-process analyzer that finishes a warehouse's state. */
function analyzerOptions(options: WarehouseAnalyzeOptions): AnalyzeOptions {
  return {
    analyses: options.analyses,
    registry: options.registry,
    config: options.config,
    catalog: options.catalog,
    customers: options.customers,
    suppliedDigests: options.suppliedDigests,
  };
}
