import { DAY_SQL } from '../scope';
import type { Aggregate } from './aggregate';
import { numberOf, SUMS_SQL, textOf } from './aggregate';

/** Calls, cost and tokens per customer × UTC day. */
export const customerDay: Aggregate = {
  name: 'customer-day',
  query: (scope) => ({
    sql: `SELECT customer_id, ${DAY_SQL} AS day, ${SUMS_SQL} ${scope.from} GROUP BY customer_id, day`,
    params: scope.params,
  }),
  fold(builder, row) {
    const cells = builder.customerDay;
    const cell = cells.cell(builder.customer(textOf(row, 'customer_id')), builder.day(numberOf(row, 'day')));
    for (const column of ['calls', 'cost', 'input', 'output']) cells.add(cell, column, numberOf(row, column));
  },
};
