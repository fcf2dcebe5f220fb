import type { Aggregate } from './aggregate';
import { numberOf, textOf } from './aggregate';

/** Each customer's plans and the last instant seen on each: the latest plan counts, and the range of plans. */
export const customerPlans: Aggregate = {
  name: 'customer-plans',
  query: (scope) => ({
    sql: `SELECT customer_id, subscription_tier, max(time_ms) AS last_ms ${scope.from} GROUP BY customer_id, subscription_tier`,
    params: scope.params,
  }),
  projection: 'SELECT customer_id, subscription_tier, max(time_ms) GROUP BY customer_id, subscription_tier',
  fold(builder, row) {
    const customer = builder.customer(textOf(row, 'customer_id'));
    builder.notePlan(customer, builder.plan(textOf(row, 'subscription_tier')), numberOf(row, 'last_ms'));
  },
};
