import { DAY_SQL } from '../scope';
import type { Aggregate } from './aggregate';
import { numberOf, SUMS_SQL } from './aggregate';
import { addTotals } from './add-totals';

/** Calls, cost and tokens by hour of the day (UTC). */
export const hourTotals: Aggregate = {
  name: 'hour-totals',
  query: (scope) => ({
    sql: `SELECT toInt64(floor((time_ms - ${DAY_SQL} * 86400000) / 3600000)) AS hour, ${SUMS_SQL} ${scope.from} GROUP BY hour`,
    params: scope.params,
  }),
  fold: (builder, row) => addTotals(builder.hourTotals, numberOf(row, 'hour'), row),
};
