import { HISTOGRAM_RAW_LIMIT, type HistogramData } from '@finops/analyzers';
import { setRawValues } from '../builder';
import type { Aggregate } from './aggregate';
import { keyCondition, modelOf, pairsOf } from './aggregate';

/** The latencies themselves of models with few timed calls (exact percentiles, as in-process). */
export const modelLatencyRaw: Aggregate = {
  name: 'model-latency-raw',
  query(scope, builder) {
    // Only the models whose bucket counts (fetched before) show few timed calls.
    const small = builder.modelLatency
      .map((histogram, id) => ({ histogram, key: builder.modelKey(id) }))
      .filter(({ histogram }) => histogram.n > 0 && histogram.n <= HISTOGRAM_RAW_LIMIT)
      .map(({ key }) => key);
    if (small.length === 0) return undefined;
    const keys = keyCondition(['provider', 'model'], small);
    return {
      sql: `SELECT provider, model, groupArray((latency_ms, calls)) AS value_pairs ${scope.from} AND latency_ms IS NOT NULL AND ${keys.sql} GROUP BY provider, model`,
      params: { ...scope.params, ...keys.params },
    };
  },
  fold(builder, row) {
    setRawValues(builder.modelLatency[modelOf(builder, row)] as HistogramData, pairsOf(row, 'value_pairs'));
  },
};
