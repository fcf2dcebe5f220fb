/**
 * Medians of plain lists of numbers, for the analyses that compare a figure
 * with the middle of a crowd (features' adoption, abuse's yardsticks).
 */
import type { AnalysisName } from '../analyses/registry';

/** The analyses that use this module (a test holds this list to their imports). */
export const MEDIAN_USERS: readonly AnalysisName[] = ['features', 'abuse'];

/** The median of numbers: the middle one, or the mean of the two middle ones for an even count; 0 for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = values.slice().sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** The lower median: the value of nearest rank ⌈n / 2⌉, always one of the values (an integer of integers); 0 for none. */
export function lowerMedian(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.ceil(sorted.length / 2) - 1] as number;
}
