/**
 * Medians and nearest-rank quantiles of plain lists of numbers, for the
 * analyses that compare a figure with the middle of a crowd (features'
 * adoption and cost per session, abuse's yardsticks).
 */
import type { AnalysisName } from '../analyses/registry';

/** The analyses that use this module (a test holds this list to their imports). */
export const MEDIAN_USERS: readonly AnalysisName[] = ['features', 'abuse'];

/** The median of numbers: the middle one, or the mean of the two middle ones for an even count; 0 for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const middle = Math.floor(values.length / 2);
  if (values.length % 2 === 1) return nearestRanks(Float64Array.from(values), [middle + 1])[0] as number;
  const [below, above] = nearestRanks(Float64Array.from(values), [middle, middle + 1]);
  return ((below as number) + (above as number)) / 2;
}

/** The lower median: the value of nearest rank ⌈n / 2⌉, always one of the values (an integer of integers); 0 for none. */
export function lowerMedian(values: readonly number[]): number {
  if (values.length === 0) return 0;
  return nearestRanks(Float64Array.from(values), [Math.ceil(values.length / 2)])[0] as number;
}

/**
 * The values of the nearest ranks `ranks` (1-based, ascending) among
 * `values`: what sorting them ascending and reading those positions gives,
 * found by selection instead (linear time on average; a sort of the
 * millions of session costs of a large log took seconds). `values` is
 * reordered; it holds no NaN.
 */
export function nearestRanks(values: Float64Array, ranks: readonly number[]): number[] {
  const found: number[] = [];
  let low = 0;
  for (const rank of ranks) {
    const index = Math.min(values.length, Math.max(1, rank)) - 1;
    if (index < 0) {
      found.push(0);
      continue;
    }
    // Everything after a selected position is at least its value: the next (higher) rank is there.
    selectInPlace(values, index, Math.min(low, index), values.length - 1);
    found.push(values[index] as number);
    low = index;
  }
  return found;
}

/**
 * Reorders `values[low..high]` so that position `k` holds the value a sort
 * would put there, with no greater value before it and no smaller after:
 * quickselect with a median-of-three pivot, falling back to a sort of the
 * range when the partitions stay lopsided (so the worst case stays n log n).
 */
function selectInPlace(values: Float64Array, k: number, low: number, high: number): void {
  let budget = 2 * Math.ceil(Math.log2(high - low + 2)) + 16;
  while (high > low) {
    if (budget-- === 0) {
      values.subarray(low, high + 1).sort();
      return;
    }
    const first = values[low] as number;
    const middle = values[(low + high) >>> 1] as number;
    const last = values[high] as number;
    const pivot =
      first < middle
        ? middle < last
          ? middle
          : first < last
            ? last
            : first
        : first < last
          ? first
          : middle < last
            ? last
            : middle;
    let left = low;
    let right = high;
    while (left <= right) {
      while ((values[left] as number) < pivot) left++;
      while ((values[right] as number) > pivot) right--;
      if (left <= right) {
        const swapped = values[left] as number;
        values[left] = values[right] as number;
        values[right] = swapped;
        left++;
        right--;
      }
    }
    // Now values[low..right] ≤ pivot ≤ values[left..high], and those between equal the pivot.
    if (k <= right) high = right;
    else if (k >= left) low = left;
    else return;
  }
}
