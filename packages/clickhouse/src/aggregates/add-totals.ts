import { TOTALS_WIDTH } from '@finops/analyzers/internal';
import type { AggregateRow } from './aggregate';
import { numberOf } from './aggregate';

/** Adds a row's calls, cost, input and output tokens to entry `index` of a totals array. */
export function addTotals(totals: number[], index: number, row: AggregateRow): void {
  const base = index * TOTALS_WIDTH;
  totals[base] = (totals[base] as number) + numberOf(row, 'calls');
  totals[base + 1] = (totals[base + 1] as number) + numberOf(row, 'cost');
  totals[base + 2] = (totals[base + 2] as number) + numberOf(row, 'input');
  totals[base + 3] = (totals[base + 3] as number) + numberOf(row, 'output');
}
