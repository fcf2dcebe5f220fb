/**
 * The read interface: how a finish step sees the aggregates. Whatever filled
 * them — the in-process store in one pass, or a SQL engine with one GROUP BY
 * per grouping — a finish step reads dictionaries of dimension values and
 * the cells of the groupings it declared, never a store's own layout.
 */
import type { HistogramData } from '../histogram';
import type { Dimension, HistogramKind } from './grouping';

/** A dimension whose values are names (not numbers such as days or hours). */
export type NamedDimension = Exclude<Dimension, 'day' | 'hour' | 'weekday' | 'ratioBin' | 'minute'>;

/**
 * The cells of one grouping, in key order: sorted by the first dimension's
 * id, then the second's, and so on (ids are positions in the dictionaries,
 * which are sorted themselves), so that every figure summed over cells is
 * the same for any split of the data.
 */
export interface GroupingReader {
  /** Number of cells (key tuples seen). */
  readonly size: number;
  /** Per cell, its id of `dimension` (a position in {@link AggregateReader.values}, or the hour or weekday itself). */
  keys(dimension: Dimension): readonly number[];
  /** Per cell, a declared measure. */
  measure(name: string): readonly number[];
  /** Per cell, a declared histogram. */
  histograms(kind: HistogramKind): readonly HistogramData[];
  /** Per cell, declared fixed-width bins. */
  bins(name: string): readonly (readonly number[])[];
}

/** The plans each customer was seen on (plan ids), by customer id. */
export interface CustomerPlans {
  /** The plan of its latest call (at the same instant, the dearer one). */
  readonly latest: readonly number[];
  /** Its cheapest and dearest plan seen. */
  readonly lowest: readonly number[];
  readonly highest: readonly number[];
}

/** The aggregates of a log, as finish steps read them. */
export interface AggregateReader {
  /** Calls (weighted), cost in micro-dollars and tokens over the whole log. */
  readonly calls: number;
  readonly costMicros: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** First and last call (ms since the epoch); `Infinity` and `-Infinity` for an empty log. */
  readonly firstMs: number;
  readonly lastMs: number;
  /** The values of a named dimension by id, sorted (plans by monthly price, then name; environments the usual three first). */
  values(dimension: NamedDimension): readonly string[];
  /** The UTC day numbers by day id, ascending. */
  days(): readonly number[];
  /** The provider id of each model id. */
  modelProviders(): readonly number[];
  /** Whether each model id is of the catalog's premium class. */
  premiumModels(): readonly boolean[];
  /** The plans each customer was seen on. */
  customerPlans(): CustomerPlans;
  /** Whether a grouping was filled (it is, for every grouping the selected analyses declare). */
  has(grouping: string): boolean;
  /**
   * The cells of a grouping.
   *
   * @throws FinopsError `grouping_not_filled` when no selected analysis declared it.
   */
  grouping(name: string): GroupingReader;
}
