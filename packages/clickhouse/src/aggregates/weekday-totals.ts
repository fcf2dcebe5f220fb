import { DAY_SQL } from '../scope';
import type { Aggregate } from './aggregate';
import { numberOf, SUMS_SQL } from './aggregate';
import { addTotals } from './add-totals';

/** Calls, cost and tokens by day of the week (UTC; 0 is Sunday). */
export const weekdayTotals: Aggregate = {
  name: 'weekday-totals',
  query: (scope) => ({
    sql: `SELECT ((${DAY_SQL} + 3) % 7 + 7) % 7 AS weekday, ${SUMS_SQL} ${scope.from} GROUP BY weekday`,
    params: scope.params,
  }),
  fold: (builder, row) => addTotals(builder.weekdayTotals, numberOf(row, 'weekday'), row),
};
