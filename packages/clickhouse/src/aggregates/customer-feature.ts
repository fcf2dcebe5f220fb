import { DAY_SQL } from '../scope';
import type { Aggregate } from './aggregate';
import { numberOf, textOf } from './aggregate';

/** Calls, cost and first UTC day per customer × feature. */
export const customerFeature: Aggregate = {
  name: 'customer-feature',
  query: (scope) => ({
    sql: `SELECT customer_id, feature_id, sum(calls) AS calls, sum(cost_micros) AS cost, min(${DAY_SQL}) AS first_day ${scope.from} GROUP BY customer_id, feature_id`,
    params: scope.params,
  }),
  fold(builder, row) {
    const cells = builder.customerFeature;
    const cell = cells.cell(
      builder.customer(textOf(row, 'customer_id')),
      builder.features.id(textOf(row, 'feature_id')),
    );
    cells.add(cell, 'calls', numberOf(row, 'calls'));
    cells.add(cell, 'cost', numberOf(row, 'cost'));
    (cells.columns.firstDay as number[])[cell] = numberOf(row, 'first_day');
  },
};
