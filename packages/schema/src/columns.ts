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
] as const;
/** A dimension of {@link CallColumns}. */
export type Dimension = (typeof DIMENSIONS)[number];
/** Ids per call in {@link CallColumns.ids}. */
export const DIMENSION_COUNT = DIMENSIONS.length;
/** The CSV column (index in canonical order) of each dimension. */
export const DIMENSION_FIELD_INDEX: readonly number[] = [2, 3, 8, 10, 11, 12, 13];

/** A growable batch of calls in columns; see {@link CallLogParser} with `columns: true`. */
export class CallColumns {
  /** Calls held. */
  length = 0;
  timeMs: Float64Array;
  inputTokens: Float64Array;
  outputTokens: Float64Array;
  /** Integer micro-dollars. */
  costMicros: Float64Array;
  latencyMs: Float64Array;
  /** Index in `SUBSCRIPTION_TIERS`. */
  tier: Uint8Array;
  /** Index in `ENVIRONMENTS`. */
  environment: Uint8Array;
  /** {@link DIMENSION_COUNT} ids per call, in {@link DIMENSIONS} order. */
  ids: Int32Array;

  constructor(capacity = 4096) {
    this.timeMs = new Float64Array(capacity);
    this.inputTokens = new Float64Array(capacity);
    this.outputTokens = new Float64Array(capacity);
    this.costMicros = new Float64Array(capacity);
    this.latencyMs = new Float64Array(capacity);
    this.tier = new Uint8Array(capacity);
    this.environment = new Uint8Array(capacity);
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
    this.timeMs = grown(this.timeMs, capacity);
    this.inputTokens = grown(this.inputTokens, capacity);
    this.outputTokens = grown(this.outputTokens, capacity);
    this.costMicros = grown(this.costMicros, capacity);
    this.latencyMs = grown(this.latencyMs, capacity);
    this.tier = grown(this.tier, capacity);
    this.environment = grown(this.environment, capacity);
    this.ids = grown(this.ids, capacity * DIMENSION_COUNT);
  }
}
