import type { CallRecord } from '@finops/schema';
import { parseUtcDay, utcDayNumber } from '@finops/schema';
import { simulate, type SimulationOptions } from '../src';

/** A Monday, so that day indices map to weekdays simply: day 0 is a Monday. */
export const MONDAY = '2025-11-03';
export const MONDAY_DAY = parseUtcDay(MONDAY);

/** Every record of a simulation, in order. */
export async function collect(options: SimulationOptions): Promise<CallRecord[]> {
  const all: CallRecord[] = [];
  for await (const batch of simulate(options)) for (const record of batch) all.push(record);
  return all;
}

/** Day index of a record from the first day of the run. */
export function dayIndex(record: CallRecord, startDay = MONDAY_DAY): number {
  return utcDayNumber(record.timeMs) - startDay;
}

/** Counts of `key` over records. */
export function countBy<T>(records: readonly CallRecord[], key: (record: CallRecord) => T): Map<T, number> {
  const counts = new Map<T, number>();
  for (const record of records) {
    const value = key(record);
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return counts;
}

/** Calls per day index, as a dense array of `days` entries. */
export function callsPerDay(
  records: readonly CallRecord[],
  days: number,
  filter: (record: CallRecord) => boolean = () => true,
): number[] {
  const counts = new Array<number>(days).fill(0);
  for (const record of records) {
    if (!filter(record)) continue;
    const day = dayIndex(record);
    if (day >= 0 && day < days) counts[day] = (counts[day] ?? 0) + 1;
  }
  return counts;
}

/** Sum of `values[from..to)`. */
export function sum(values: readonly number[], from = 0, to = values.length): number {
  let total = 0;
  for (let index = from; index < to; index++) total += values[index] ?? 0;
  return total;
}

/** The median of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Adds one to `counts[index]`. */
export function increment(counts: number[], index: number): void {
  counts[index] = (counts[index] ?? 0) + 1;
}
