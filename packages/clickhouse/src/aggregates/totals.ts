import type { Aggregate } from './aggregate';
import { DAY_SQL } from '../scope';
import { numberOf, SUMS_SQL } from './aggregate';

/** Calls, cost, tokens and the first and last instant of the whole scope. */
export const totals: Aggregate = {
  name: 'totals',
  query: (scope) => ({
    sql: `SELECT count() AS rows, ${SUMS_SQL}, min(time_ms) AS first_ms, max(time_ms) AS last_ms ${scope.from}`,
    params: scope.params,
  }),
  // Per day: the engine sums the days' rows, far fewer than the calls.
  projection: `SELECT ${DAY_SQL}, count(), sum(calls), sum(cost_micros), sum(input_tokens), sum(output_tokens), min(time_ms), max(time_ms) GROUP BY ${DAY_SQL}`,
  fold(builder, row) {
    if (numberOf(row, 'rows') === 0) return;
    builder.calls += numberOf(row, 'calls');
    builder.costMicros += numberOf(row, 'cost');
    builder.inputTokens += numberOf(row, 'input');
    builder.outputTokens += numberOf(row, 'output');
    builder.firstMs = numberOf(row, 'first_ms');
    builder.lastMs = numberOf(row, 'last_ms');
  },
};
