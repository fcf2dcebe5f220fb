/**
 * A mergeable histogram of non-negative values (latencies in ms, costs in
 * micro-dollars) for percentiles.
 *
 * Method: integer values below {@link HISTOGRAM_EXACT_LIMIT} each have their
 * own bucket (exact). Larger values fall in logarithmic buckets
 * `(γ^(k-1), γ^k]` with γ = {@link HISTOGRAM_GAMMA}; a bucket is reported as
 * `2γ^k / (γ + 1)`, which is within {@link HISTOGRAM_RELATIVE_ERROR} (< 1 %)
 * of every value in it. While a group has at most {@link HISTOGRAM_RAW_LIMIT}
 * values, the values themselves are kept too and percentiles are exact.
 * Percentiles use the nearest-rank definition: the value at rank ⌈p × n⌉.
 * Merging adds bucket counts (and concatenates raw values while the total
 * stays within the limit), so any split of the data merges to the same state.
 * The quantiles of every analysis come from here (users declared below).
 */

/** The analyses whose figures use these quantiles (a test holds this list to their imports). */
export const QUANTILE_USERS: readonly string[] = [
  'understanding',
  'performance',
  'realtime',
  'overview',
  'geography',
  'tokens',
];

/** Integer values below this have a bucket of their own (exact). */
export const HISTOGRAM_EXACT_LIMIT = 128;
/** Growth factor of the logarithmic buckets. */
export const HISTOGRAM_GAMMA = 1.02;
/** Largest relative error of a percentile read from the logarithmic buckets: (γ − 1) / (γ + 1) ≈ 0.0099. */
export const HISTOGRAM_RELATIVE_ERROR = (HISTOGRAM_GAMMA - 1) / (HISTOGRAM_GAMMA + 1);
/** Groups with at most this many values keep them all and give exact percentiles. */
export const HISTOGRAM_RAW_LIMIT = 256;

const LN_GAMMA = Math.log(HISTOGRAM_GAMMA);
const FIRST_LOG_EXPONENT = Math.ceil(Math.log(HISTOGRAM_EXACT_LIMIT) / LN_GAMMA);

/** The state of a histogram: plain data, serialisable as JSON. */
export interface HistogramData {
  /** Number of values. */
  n: number;
  /** Count of values per bucket. */
  counts: number[];
  /** Sum of the values per bucket (kept only by histograms made with sums). */
  sums: number[] | null;
  /** The values themselves while there are at most {@link HISTOGRAM_RAW_LIMIT}; `null` after. */
  raw: number[] | null;
}

/** A new empty histogram; `withSums` keeps the sum of values per bucket as well. */
export function newHistogram(withSums = false): HistogramData {
  return { n: 0, counts: [], sums: withSums ? [] : null, raw: [] };
}

/** The bucket index of a value. */
export function bucketOf(value: number): number {
  if (value < HISTOGRAM_EXACT_LIMIT) return value <= 0 ? 0 : Math.floor(value);
  // Latencies and most call costs are small integers: their buckets come from a table, not a logarithm.
  if (value < BUCKET_TABLE_SIZE && value === Math.floor(value)) return BUCKET_TABLE[value] as number;
  return logBucketOf(value);
}

function logBucketOf(value: number): number {
  return HISTOGRAM_EXACT_LIMIT + Math.ceil(Math.log(value) / LN_GAMMA) - FIRST_LOG_EXPONENT;
}

const BUCKET_TABLE_SIZE = 1 << 17;
const BUCKET_TABLE = new Uint16Array(BUCKET_TABLE_SIZE);
for (let value = HISTOGRAM_EXACT_LIMIT; value < BUCKET_TABLE_SIZE; value++)
  BUCKET_TABLE[value] = logBucketOf(value);

/** The value a bucket stands for (exact for the integer buckets). */
export function bucketValue(bucket: number): number {
  if (bucket < HISTOGRAM_EXACT_LIMIT) return bucket;
  const exponent = bucket - HISTOGRAM_EXACT_LIMIT + FIRST_LOG_EXPONENT;
  return (2 * Math.pow(HISTOGRAM_GAMMA, exponent)) / (HISTOGRAM_GAMMA + 1);
}

/** The largest value below every value of a bucket (values of the bucket are greater than it). */
export function bucketLowerBound(bucket: number): number {
  if (bucket < HISTOGRAM_EXACT_LIMIT) return bucket - 1;
  return Math.pow(HISTOGRAM_GAMMA, bucket - HISTOGRAM_EXACT_LIMIT + FIRST_LOG_EXPONENT - 1);
}

/** Adds one value. */
export function addToHistogram(histogram: HistogramData, value: number): void {
  const bucket = bucketOf(value);
  const counts = histogram.counts;
  const sums = histogram.sums;
  while (counts.length <= bucket) {
    counts.push(0);
    if (sums !== null) sums.push(0);
  }
  counts[bucket] = (counts[bucket] as number) + 1;
  if (sums !== null) sums[bucket] = (sums[bucket] as number) + value;
  histogram.n++;
  const raw = histogram.raw;
  if (raw !== null) {
    if (raw.length < HISTOGRAM_RAW_LIMIT) raw.push(value);
    else histogram.raw = null;
  }
}

/** Adds one value `count` times (a row that stands for several calls). */
export function addToHistogramTimes(histogram: HistogramData, value: number, count: number): void {
  if (count === 1) {
    addToHistogram(histogram, value);
    return;
  }
  const bucket = bucketOf(value);
  const counts = histogram.counts;
  const sums = histogram.sums;
  while (counts.length <= bucket) {
    counts.push(0);
    if (sums !== null) sums.push(0);
  }
  counts[bucket] = (counts[bucket] as number) + count;
  if (sums !== null) sums[bucket] = (sums[bucket] as number) + value * count;
  histogram.n += count;
  const raw = histogram.raw;
  if (raw !== null) {
    if (raw.length + count <= HISTOGRAM_RAW_LIMIT)
      for (let index = 0; index < count; index++) raw.push(value);
    else histogram.raw = null;
  }
}

/** Adds `other` into `target`. */
export function mergeHistogram(target: HistogramData, other: HistogramData): void {
  const counts = target.counts;
  const sums = target.sums;
  while (counts.length < other.counts.length) {
    counts.push(0);
    if (sums !== null) sums.push(0);
  }
  for (let bucket = 0; bucket < other.counts.length; bucket++) {
    counts[bucket] = (counts[bucket] as number) + (other.counts[bucket] as number);
    if (sums !== null && other.sums !== null)
      sums[bucket] = (sums[bucket] as number) + (other.sums[bucket] as number);
  }
  target.n += other.n;
  if (
    target.raw !== null &&
    other.raw !== null &&
    target.raw.length + other.raw.length <= HISTOGRAM_RAW_LIMIT
  ) {
    for (const value of other.raw) target.raw.push(value);
  } else {
    target.raw = null;
  }
}

/** A deep copy. */
export function copyHistogram(histogram: HistogramData): HistogramData {
  return {
    n: histogram.n,
    counts: histogram.counts.slice(),
    sums: histogram.sums === null ? null : histogram.sums.slice(),
    raw: histogram.raw === null ? null : histogram.raw.slice(),
  };
}

/** Nearest-rank percentile (`p` in 0–1); `0` for an empty histogram. */
export function percentile(histogram: HistogramData, p: number): number {
  const n = histogram.n;
  if (n === 0) return 0;
  const rank = Math.min(n, Math.max(1, Math.ceil(p * n)));
  if (histogram.raw !== null) {
    const sorted = histogram.raw.slice().sort((a, b) => a - b);
    return sorted[rank - 1] as number;
  }
  let seen = 0;
  const counts = histogram.counts;
  for (let bucket = 0; bucket < counts.length; bucket++) {
    seen += counts[bucket] as number;
    if (seen >= rank) return bucketValue(bucket);
  }
  return bucketValue(counts.length - 1);
}

/**
 * Count and summed excess over `threshold` of the values above it. Exact
 * while the raw values are kept; otherwise counts the buckets that lie
 * entirely above the threshold (needs a histogram made with sums).
 */
export function excessOver(histogram: HistogramData, threshold: number): { count: number; excess: number } {
  let count = 0;
  let excess = 0;
  if (histogram.raw !== null) {
    for (const value of histogram.raw) {
      if (value > threshold) {
        count++;
        excess += value - threshold;
      }
    }
    return { count, excess };
  }
  const counts = histogram.counts;
  const sums = histogram.sums ?? [];
  for (let bucket = counts.length - 1; bucket >= 0; bucket--) {
    if (bucketLowerBound(bucket) < threshold) break;
    const bucketCount = counts[bucket] as number;
    count += bucketCount;
    excess += (sums[bucket] ?? 0) - bucketCount * threshold;
  }
  return { count, excess };
}
