import type { Aggregate } from './aggregate';
import { SUMS_SQL, textOf } from './aggregate';
import { addTotals } from './add-totals';

/** Calls, cost and tokens by plan. */
export const planTotals: Aggregate = {
  name: 'plan-totals',
  query: (scope) => ({
    sql: `SELECT subscription_tier, ${SUMS_SQL} ${scope.from} GROUP BY subscription_tier`,
    params: scope.params,
  }),
  fold: (builder, row) => addTotals(builder.tierTotals, builder.plan(textOf(row, 'subscription_tier')), row),
};
