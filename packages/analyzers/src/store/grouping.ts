/**
 * Groupings: the aggregates an analysis reads, declared as data. A grouping
 * is what a SQL engine would compute with one `GROUP BY` over the calls
 * table — its dimensions are the `GROUP BY` keys, its measures the
 * aggregate columns — and what the in-process store fills in one pass. Both
 * fill the same cells, so an analysis finishes the same way from either.
 */

/** A field of a call that a grouping can be keyed by. */
export type Dimension =
  | 'provider'
  | 'model'
  | 'customer'
  | 'organization'
  | 'product'
  | 'feature'
  | 'taskType'
  | 'plan'
  | 'environment'
  | 'region'
  | 'errorType'
  /** UTC day number of the call (days since 1970-01-01). */
  | 'day'
  /** UTC hour of day, 0–23. */
  | 'hour'
  /** Weekday, 0 = Sunday. */
  | 'weekday';

/** Every {@link Dimension}, in a fixed order. */
export const DIMENSIONS: readonly Dimension[] = [
  'provider',
  'model',
  'customer',
  'organization',
  'product',
  'feature',
  'taskType',
  'plan',
  'environment',
  'region',
  'errorType',
  'day',
  'hour',
  'weekday',
];

/**
 * A figure of a grouping's cell, summed over its calls (weighted by a row's
 * `calls`), except `firstDay` (the smallest day number, a `min`).
 */
export type Measure =
  | 'calls'
  | 'cost'
  | 'inputTokens'
  | 'outputTokens'
  | 'cachedInputTokens'
  | 'cacheWriteInputTokens'
  | 'reasoningTokens'
  /** Σ latency × calls over the calls with a latency. */
  | 'latencySum'
  /** Calls with a latency. */
  | 'timedCalls'
  /** Calls without a latency. */
  | 'untimedCalls'
  /** Failed calls and their cost. */
  | 'failedCalls'
  | 'failedCost'
  /** Cost on models of the catalog's premium class. */
  | 'premiumCost'
  /** Smallest UTC day number of the cell's calls (`min`, not a sum). */
  | 'firstDay';

/**
 * A count that depends on a setting: calls whose latency is at most the
 * value of `parameter` (`analysis.setting`). The setting is part of the
 * grouping, so states built with different values refuse to merge.
 */
export interface ParameterMeasure {
  name: string;
  countLatencyAtMost: string;
}

/** A histogram per cell: of latency (ms) or of cost per call (micro-dollars), mergeable. */
export type HistogramKind = 'latency' | 'costPerCall';

/** Fixed-width latency bins for charts; the width and count are settings (`analysis.setting`). */
export interface BinsSpec {
  name: string;
  widthParameter: string;
  countParameter: string;
}

/** Which calls a grouping counts: all, only failed ones, or only those with a region. */
export type GroupingFilter = 'all' | 'failed' | 'withRegion';

/**
 * One grouping: keyed by `dimensions`, with `measures`, histograms and bins
 * per cell. Cells are read in the order of their keys (each dimension's
 * values sorted: days ascending, names by code point, plans by price).
 */
export interface GroupingSpec {
  /** Name the finish step reads it by. */
  readonly name: string;
  readonly dimensions: readonly Dimension[];
  readonly measures: readonly (Measure | ParameterMeasure)[];
  readonly histograms?: readonly HistogramKind[];
  readonly bins?: readonly BinsSpec[];
  /** All calls unless said otherwise. */
  readonly filter?: GroupingFilter;
}

/** Defines a grouping (typed, frozen). */
export function grouping(spec: GroupingSpec): GroupingSpec {
  return Object.freeze(spec);
}

/** The name of a measure. */
export function measureName(measure: Measure | ParameterMeasure): string {
  return typeof measure === 'string' ? measure : measure.name;
}

/** The settings (`analysis.setting`) a grouping's figures depend on. */
export function groupingParameters(spec: GroupingSpec): string[] {
  const parameters: string[] = [];
  for (const measure of spec.measures)
    if (typeof measure !== 'string') parameters.push(measure.countLatencyAtMost);
  for (const bins of spec.bins ?? []) parameters.push(bins.widthParameter, bins.countParameter);
  return parameters;
}

/** The groupings of several analyses, each once (by name; two different specs of one name are an error). */
export function unionOfGroupings(lists: readonly (readonly GroupingSpec[])[]): GroupingSpec[] {
  const byName = new Map<string, GroupingSpec>();
  for (const list of lists) {
    for (const spec of list) {
      const known = byName.get(spec.name);
      if (known === undefined) byName.set(spec.name, spec);
      else if (JSON.stringify(known) !== JSON.stringify(spec))
        throw new Error(`two different groupings are named "${spec.name}"`);
    }
  }
  return [...byName.values()];
}
