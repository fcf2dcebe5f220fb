import type { Aggregate } from './aggregate';
import { numberOf, textOf } from './aggregate';

/** Failed calls and their cost per customer × error type. */
export const customerError: Aggregate = {
  name: 'customer-error',
  query: (scope) => ({
    sql: `SELECT customer_id, error_type, sum(calls) AS calls, sum(cost_micros) AS cost ${scope.from} AND status = 'error' GROUP BY customer_id, error_type`,
    params: scope.params,
  }),
  fold(builder, row) {
    const cells = builder.customerError;
    const cell = cells.cell(
      builder.customer(textOf(row, 'customer_id')),
      builder.errorTypes.id(textOf(row, 'error_type')),
    );
    cells.add(cell, 'calls', numberOf(row, 'calls'));
    cells.add(cell, 'cost', numberOf(row, 'cost'));
  },
};
