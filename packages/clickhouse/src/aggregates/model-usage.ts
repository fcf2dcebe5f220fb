import { MODEL_USAGE_WIDTH } from '@finops/analyzers/internal';
import type { Aggregate } from './aggregate';
import { modelOf, numberOf } from './aggregate';

/** Per model: cache reads and writes, reasoning tokens, failed calls and their cost, calls without a latency. */
export const modelUsage: Aggregate = {
  name: 'model-usage',
  query: (scope) => ({
    sql: `SELECT provider, model, sum(cached_input_tokens) AS cached, sum(cache_write_input_tokens) AS cache_write, sum(reasoning_tokens) AS reasoning, sumIf(calls, status = 'error') AS error_calls, sumIf(cost_micros, status = 'error') AS error_cost, sumIf(calls, latency_ms IS NULL) AS untimed ${scope.from} GROUP BY provider, model`,
    params: scope.params,
  }),
  fold(builder, row) {
    const at = modelOf(builder, row) * MODEL_USAGE_WIDTH;
    const figures = ['cached', 'cache_write', 'reasoning', 'error_calls', 'error_cost', 'untimed'];
    figures.forEach((column, index) => {
      builder.modelUsage[at + index] = (builder.modelUsage[at + index] as number) + numberOf(row, column);
    });
  },
};
