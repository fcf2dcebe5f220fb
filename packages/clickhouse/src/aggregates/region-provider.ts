import type { Aggregate } from './aggregate';
import { numberOf, textOf } from './aggregate';

/** Calls, cost, summed latency and timed calls per region × provider (calls with a region). */
export const regionProvider: Aggregate = {
  name: 'region-provider',
  query: (scope) => ({
    sql: `SELECT region, provider, sum(calls) AS calls, sum(cost_micros) AS cost, sumIf(latency_ms * calls, latency_ms IS NOT NULL) AS latency, sumIf(calls, latency_ms IS NOT NULL) AS timed ${scope.from} AND region != '' GROUP BY region, provider`,
    params: scope.params,
  }),
  fold(builder, row) {
    const cells = builder.regionProvider;
    const cell = cells.cell(
      builder.region(textOf(row, 'region')),
      builder.providers.id(textOf(row, 'provider')),
    );
    for (const column of ['calls', 'cost', 'latency', 'timed'])
      cells.add(cell, column, numberOf(row, column));
  },
};
