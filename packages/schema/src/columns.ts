/**
 * Calls held column by column: numbers in typed arrays and the repeated
 * string fields as small integer ids. A reader filling columns creates no
 * object and no string per call, which is what an aggregation over a large
 * log needs; the ids refer to tables of distinct values kept by the reader.
 */

/** The dimension columns of {@link CallColumns.ids}, in order. */
export const DIMENSIONS = [
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
  'serviceTier',
  /** The trace and session ids: ids of `''` unless the parser was asked for them (`sessionColumns`). */
  'trace',
  'session',
] as const;
/** A dimension of {@link CallColumns}. */
export type Dimension = (typeof DIMENSIONS)[number];
/** Ids per call in {@link CallColumns.ids}. */
export const DIMENSION_COUNT = DIMENSIONS.length;
/** The column (index in canonical order, `CSV_COLUMNS`) of each dimension. */
export const DIMENSION_FIELD_INDEX: readonly number[] = [2, 3, 8, 10, 11, 12, 13, 9, 14, 24, 23, 25, 16, 17];
/** The dimensions of {@link CallColumns.ids} kept only on request: trace and session ids are nearly unique per call. */
export const SESSION_DIMENSIONS: readonly number[] = [
  DIMENSIONS.indexOf('trace'),
  DIMENSIONS.indexOf('session'),
];

const NUMBER_COLUMNS = [
  'timeMs',
  'inputTokens',
  'outputTokens',
  'cachedInputTokens',
  'cacheWriteInputTokens',
  'reasoningTokens',
  'costMicros',
  'latencyMs',
  'timeToFirstTokenMs',
  'calls',
] as const;

/**
 * The columns of {@link CallColumns} with one value per call, by name (the
 * ids, {@link DIMENSION_COUNT} per call, apart): what a batch copies or moves.
 */
export const CALL_ROW_COLUMNS = [...NUMBER_COLUMNS, 'status', 'costSource'] as const;

/** A growable batch of calls in columns; see {@link CallLogParser} with `columns: true`. */
export class CallColumns {
  /** Calls held. */
  length = 0;
  timeMs: Float64Array;
  inputTokens: Float64Array;
  outputTokens: Float64Array;
  /** Cache reads, part of `inputTokens`. */
  cachedInputTokens: Float64Array;
  /** Cache writes, part of `inputTokens`. */
  cacheWriteInputTokens: Float64Array;
  /** Part of `outputTokens`. */
  reasoningTokens: Float64Array;
  /** Integer micro-dollars. */
  costMicros: Float64Array;
  /** NaN where the log gives no latency. */
  latencyMs: Float64Array;
  /** NaN where the log gives no time to first token. */
  timeToFirstTokenMs: Float64Array;
  /** Calls each row stands for (1 for a row of one call). */
  calls: Float64Array;
  /** Index in `CALL_STATUSES` (0 success, 1 error). */
  status: Uint8Array;
  /** Index in `COST_SOURCES` (0 reported, 1 catalog, 2 unpriced). */
  costSource: Uint8Array;
  /** {@link DIMENSION_COUNT} ids per call, in {@link DIMENSIONS} order. */
  ids: Int32Array;

  constructor(capacity = 4096) {
    this.timeMs = new Float64Array(capacity);
    this.inputTokens = new Float64Array(capacity);
    this.outputTokens = new Float64Array(capacity);
    this.cachedInputTokens = new Float64Array(capacity);
    this.cacheWriteInputTokens = new Float64Array(capacity);
    this.reasoningTokens = new Float64Array(capacity);
    this.costMicros = new Float64Array(capacity);
    this.latencyMs = new Float64Array(capacity);
    this.timeToFirstTokenMs = new Float64Array(capacity);
    this.calls = new Float64Array(capacity);
    this.status = new Uint8Array(capacity);
    this.costSource = new Uint8Array(capacity);
    this.ids = new Int32Array(capacity * DIMENSION_COUNT);
  }

  /** Room for one more call; returns its index. */
  append(): number {
    if (this.length === this.timeMs.length) this.grow();
    return this.length++;
  }

  private grow(): void {
    const capacity = this.timeMs.length * 2;
    const grown = <T extends Float64Array | Uint8Array | Int32Array>(array: T, size: number): T => {
      const copy = new (array.constructor as new (length: number) => T)(size);
      copy.set(array);
      return copy;
    };
    for (const name of NUMBER_COLUMNS) this[name] = grown(this[name], capacity);
    this.status = grown(this.status, capacity);
    this.costSource = grown(this.costSource, capacity);
    this.ids = grown(this.ids, capacity * DIMENSION_COUNT);
  }
}
