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
  | 'weekday'
  /**
   * Bin of a call's input / output token ratio on a log scale:
   * ⌊{@link RATIO_BINS_PER_OCTAVE} × log₂(input / output)⌋ + {@link RATIO_BIN_OFFSET},
   * clamped to 0 … {@link RATIO_BIN_COUNT} − 1 (no input: the bottom bin;
   * input without output: the top one). A SQL engine computes it with the same formula.
   */
  | 'ratioBin'
  /**
   * UTC minute of the call: whole minutes since 1970-01-01 (⌊time ms / 60,000⌋),
   * the number itself (no dictionary). A grouping keyed by it has a cell per
   * busy minute, so its memory grows with the minutes of the window that
   * have calls, not with the calls.
   */
  | 'minute'
  /**
   * The call's session id (`''` for a call without one). Nearly one value per
   * few calls: the store keeps a dictionary of every session id while a
   * grouping keyed by it is filled, so declare it only where the figures need it.
   */
  | 'session'
  /** The call's trace id (`''` for a call without one); like `session`, a dictionary of every id. */
  | 'trace';

/** Bins per doubling of the input / output ratio (a bin spans a factor of 2^¼ ≈ 1.19). */
export const RATIO_BINS_PER_OCTAVE = 4;
/** The bin of ratio 1 (as many output tokens as input). */
export const RATIO_BIN_OFFSET = 40;
/** Number of ratio bins: ratios from 2⁻¹⁰ to 2¹⁰, the two ends open. */
export const RATIO_BIN_COUNT = 2 * RATIO_BIN_OFFSET + 1;

/** The {@link Dimension} `ratioBin` of a call's (or a bucketed row's) input and output tokens. */
export function ratioBin(inputTokens: number, outputTokens: number): number {
  if (inputTokens <= 0) return 0;
  if (outputTokens <= 0) return RATIO_BIN_COUNT - 1;
  const bin = Math.floor(RATIO_BINS_PER_OCTAVE * Math.log2(inputTokens / outputTokens)) + RATIO_BIN_OFFSET;
  return Math.min(RATIO_BIN_COUNT - 1, Math.max(0, bin));
}

/** The lowest input / output ratio of a bin (the bottom bin: 0). */
export function ratioBinLowerEdge(bin: number): number {
  return bin <= 0 ? 0 : 2 ** ((bin - RATIO_BIN_OFFSET) / RATIO_BINS_PER_OCTAVE);
}

/** Milliseconds in a minute. */
export const MS_PER_MINUTE = 60_000;

/** The {@link Dimension} `minute` of a time: whole UTC minutes since the epoch. */
export function minuteOf(timeMs: number): number {
  return Math.floor(timeMs / MS_PER_MINUTE);
}

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
  'ratioBin',
  'minute',
  'session',
  'trace',
];

/** The dimensions whose dictionaries hold nearly one value per call: the store keeps them only when a grouping asks. */
export const SESSION_DIMENSIONS: readonly Dimension[] = ['session', 'trace'];

/** Whether any of the groupings is keyed by a session or a trace id. */
export function needsSessionIds(groupings: readonly GroupingSpec[]): boolean {
  return groupings.some((spec) =>
    spec.dimensions.some((dimension) => SESSION_DIMENSIONS.includes(dimension)),
  );
}

/**
 * A figure of a grouping's cell, summed over its calls (weighted by a row's
 * `calls`), except `firstDay` (the smallest day number, a `min`) and
 * `lastDay` (the largest, a `max`).
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
  | 'firstDay'
  /** Largest UTC day number of the cell's calls (`max`, not a sum). */
  | 'lastDay';

/**
 * A count that depends on a setting: calls whose latency is at most the
 * value of `parameter` (`analysis.setting`). The setting is part of the
 * grouping, so states built with different values refuse to merge.
 */
export interface ParameterMeasure {
  name: string;
  countLatencyAtMost: string;
}

/**
 * A sum over the calls that meet conditions on their tokens, each compared
 * with a setting (`analysis.setting`): `SUM(CASE WHEN … THEN figure END)` in
 * SQL. A bucketed row is judged by its calls' mean tokens (its sums / its
 * `calls`). Like a {@link ParameterMeasure}, the settings are part of the grouping.
 */
export interface ConditionMeasure {
  name: string;
  /** The figure summed. */
  sum: 'calls' | 'cost' | 'inputTokens' | 'outputTokens';
  /** All given conditions must hold. */
  where: {
    /** Input tokens per call ≥ the setting. */
    inputAtLeast?: string;
    /** Output tokens per call ≤ the setting. */
    outputAtMost?: string;
    /** Input / output tokens ≥ the setting (no output: an infinite ratio). */
    ratioAtLeast?: string;
    /** Input / output tokens ≤ the setting. */
    ratioAtMost?: string;
  };
}

/** Any measure of a grouping. */
export type AnyMeasure = Measure | ParameterMeasure | ConditionMeasure;

/** The conditions of a {@link ConditionMeasure}, in a fixed order. */
export const CONDITIONS = ['inputAtLeast', 'outputAtMost', 'ratioAtLeast', 'ratioAtMost'] as const;

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
  readonly measures: readonly AnyMeasure[];
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
export function measureName(measure: AnyMeasure): string {
  return typeof measure === 'string' ? measure : measure.name;
}

/** The settings (`analysis.setting`) a grouping's figures depend on. */
export function groupingParameters(spec: GroupingSpec): string[] {
  const parameters: string[] = [];
  for (const measure of spec.measures) {
    if (typeof measure === 'string') continue;
    if ('countLatencyAtMost' in measure) parameters.push(measure.countLatencyAtMost);
    else
      for (const condition of CONDITIONS) {
        const setting = measure.where[condition];
        if (setting !== undefined) parameters.push(setting);
      }
  }
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
