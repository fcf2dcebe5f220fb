import type { AnalysisConfig, Digest } from '@finops/analyzers';
import type { AggregateRow } from '../aggregates/aggregate';
import type { BoundQuery, CallWarehouse } from '../connection';
import type { Scope } from '../scope';

/** The rows of a supplier's queries, by the query's name. */
export type DigestAnswers = Readonly<Record<string, readonly AggregateRow[]>>;

/**
 * A digest computed in SQL: queries over the calls relation whose answers
 * are small (counts, sums, a few ranked values, the first few of a list)
 * however many calls they read, and how those answers become the digest's
 * value. The value must be the one the digest's own `compute` gives over
 * the same calls, which a test of the supplier holds it to; the groupings
 * the digest reads are then never filled from the engine.
 */
export interface DigestSupplier<Value = unknown> {
  /** The digest supplied (its name is the supplier's). */
  readonly digest: Digest<Value>;
  /**
   * The queries to send, by name, given the answers so far (`{}` at
   * first). Asked again once every query asked is answered, so that an
   * answer can call for another query (one whose exact answer may be long
   * is sent only when a first answer shows it is needed); a name already
   * answered is not sent again, and the digest is complete when nothing new
   * is asked. Each query reads `scope` (append conditions with `AND …`),
   * binds every value (never spliced into the text) and is answered in
   * rows of scalars, arrays or tuples. A query never asked is answered by
   * no rows.
   */
  queries(scope: Scope, config: AnalysisConfig, answers: DigestAnswers): Readonly<Record<string, BoundQuery>>;
  /** The digest's value from the answers of {@link queries}. */
  value(answers: DigestAnswers, config: AnalysisConfig): Value;
  /**
   * Names of queries answered in scalars only (no arrays or tuples) and in
   * many rows: read as tab-separated text ({@link CallWarehouse.eachFlat}),
   * which costs less than JSON per row; the values are the same text.
   */
  readonly flat?: readonly string[];
  /**
   * Bodies of projections of the calls table (by the name of the query they
   * answer) from which the engine answers a query of the digest over a
   * whole table; the table gets them as the analyses' own (see
   * `projectionsFor`).
   */
  readonly projections?: Readonly<Record<string, string>>;
}

/**
 * How a digest's query names an id it groups by (a customer, a feature):
 * by a 64-bit hash of it (`hashed`: a number carried through every step,
 * which the engine copies far more cheaply than a string), or by the id
 * itself (`ids`). The hashed form is sent first; each supplier checks its
 * answer for two ids of one hash and then asks the form by ids: exact
 * either way.
 */
export type Naming = 'hashed' | 'ids';

/** A supplier of any digest (what the list holds). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- values differ per digest; each supplier is typed where it is written
export type AnyDigestSupplier = DigestSupplier<any>;

/** A quantile written as its shortest literal; one in (0, 1] only. */
function quantileLiteral(quantile: number): string {
  if (!(quantile > 0 && quantile <= 1)) throw new RangeError(`a quantile is in (0, 1], got ${quantile}`);
  return String(quantile);
}

/**
 * The values of nearest ranks ⌈`quantile` × n⌉ (at least 1), one per
 * quantile, of the values `value` of the n rows where `condition` holds, as
 * an aggregate giving an array, as the in-process `nearestRanks` finds them;
 * no rows give zeros. It is the engine's `quantilesExactWeighted` with
 * every weight 1: it counts each distinct value in one map for all the
 * ranks, sorts them and returns, per rank, the first whose running count
 * reaches ⌈n × `quantile`⌉, the same double product rounded up (a test
 * checks every count up to 2,000 and some up to ten million against that
 * rank of the sorted values) — a map of the distinct values per group, not
 * an array of every value sorted. Each quantile is a constant of the
 * digest, written as its shortest literal.
 */
export function nearestRanksSql(value: string, quantiles: readonly number[], condition = '1'): string {
  return `quantilesExactWeightedIf(${quantiles.map(quantileLiteral).join(', ')})(${value}, 1, ${condition})`;
}

/**
 * {@link nearestRanksSql} over the elements of the arrays `values` of the
 * rows (of those where `condition` holds, when given), all taken together
 * (the `-Array` form of the same aggregate): the ranks of a whole set from
 * the values its parts collected.
 */
export function nearestRanksOfArraysSql(
  values: string,
  quantiles: readonly number[],
  condition?: string,
): string {
  const weights = `arrayWithConstant(length(${values}), 1)`;
  const levels = quantiles.map(quantileLiteral).join(', ');
  return condition === undefined
    ? `quantilesExactWeightedArray(${levels})(${values}, ${weights})`
    : `quantilesExactWeightedArrayIf(${levels})(${values}, ${weights}, ${condition})`;
}

/**
 * The value of nearest rank ⌈`quantile` × `count`⌉ of an ascending array
 * `sorted` of `count` values, as an expression: the element at that
 * (1-based) position, the product in doubles as in-process; a count of 0
 * gives position 0, which the engine answers with 0. Cheaper than
 * {@link nearestRanksSql} for many small groups (a sort of each group's
 * values instead of a map per group), as exact.
 */
export function sortedNearestRankSql(sorted: string, count: string, quantile: number): string {
  return `${sorted}[toUInt64(ceil(${quantileLiteral(quantile)} * ${count}))]`;
}

/**
 * Rows of the calls table from which `analyzeWarehouse` has the digests'
 * queries compiled on their first use (see {@link DigestSending}).
 * Compiling them costs about 0.6 s of the process. Measured on a 2-core
 * machine over the whole analysis, alternating with and without: over
 * 9.8 M calls it took a median 11 % less time (11 pairs, 2 of them
 * slower); over 2.45 M calls and fewer it cost 0.1–0.6 s more than it saved.
 */
export const COMPILE_DIGESTS_FROM_ROWS = 5_000_000;

/** How a digest's queries are sent. */
export interface DigestSending {
  /**
   * Have the engine compile each query's expressions and aggregate
   * functions to machine code when first used. By default it does so only
   * after three uses in the process, and a process that runs one analysis
   * (the command line) sends each query once; the digests' groupings of
   * about a key per call then run about a tenth faster, for a fixed cost
   * (see {@link COMPILE_DIGESTS_FROM_ROWS}).
   */
  compiled?: boolean;
}

/** The settings of a compiled query (see {@link DigestSending.compiled}). */
const COMPILED_ON_FIRST_USE = {
  min_count_to_compile_expression: 0,
  min_count_to_compile_aggregate_expression: 0,
};

/** `query` with {@link COMPILED_ON_FIRST_USE} among its settings. */
function compiledQuery(query: BoundQuery): BoundQuery {
  return { ...query, settings: { ...query.settings, ...COMPILED_ON_FIRST_USE } };
}

/**
 * The rows of the query `name` of `supplier`: read flat when the supplier
 * says so (see {@link DigestSupplier.flat}), compiled when `sending` says so.
 */
export async function answerOf(
  warehouse: CallWarehouse,
  supplier: AnyDigestSupplier,
  name: string,
  query: BoundQuery,
  sending: DigestSending = {},
): Promise<AggregateRow[]> {
  const sent = sending.compiled === true ? compiledQuery(query) : query;
  if (supplier.flat?.includes(name) !== true) return warehouse.rows<AggregateRow>(sent);
  const rows: AggregateRow[] = [];
  // The reader refills one object per line: each row is copied.
  await warehouse.eachFlat<AggregateRow>(sent, (row) => void rows.push({ ...row }));
  return rows;
}

/**
 * Sends the queries `supplier` asks for, given `answers` (filled here),
 * round after round until it asks nothing new; returns the rows received.
 */
export async function answerQueries(
  warehouse: CallWarehouse,
  supplier: AnyDigestSupplier,
  scope: Scope,
  config: AnalysisConfig,
  answers: Record<string, AggregateRow[]>,
  sending: DigestSending = {},
): Promise<number> {
  let rows = 0;
  for (;;) {
    const asked = Object.entries(supplier.queries(scope, config, answers)).filter(
      ([name]) => answers[name] === undefined,
    );
    if (asked.length === 0) return rows;
    for (const [name, query] of asked) {
      const answer = await answerOf(warehouse, supplier, name, query, sending);
      answers[name] = answer;
      rows += answer.length;
    }
  }
}

/** A digest's value computed by the engine over `scope`: every query its supplier asks, then its value. */
export async function supplyDigest<Value>(
  warehouse: CallWarehouse,
  supplier: DigestSupplier<Value>,
  scope: Scope,
  config: AnalysisConfig,
): Promise<Value> {
  const answers: Record<string, AggregateRow[]> = {};
  await answerQueries(warehouse, supplier, scope, config, answers);
  return supplier.value(answers, config);
}
