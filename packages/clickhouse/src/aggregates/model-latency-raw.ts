import { HISTOGRAM_RAW_LIMIT, type HistogramData } from '@finops/analyzers';
import { setRawValues } from '../builder';
import type { Aggregate } from './aggregate';
import { modelOf, pairsOf } from './aggregate';

/** The latencies themselves of models with few timed calls (exact percentiles, as in-process). */
export const modelLatencyRaw: Aggregate = {
  name: 'model-latency-raw',
  query: (scope) => ({
    // The values of small groups only: a cheap count picks the groups before any value is gathered.
    sql: `SELECT provider, model, groupArray((latency_ms, calls)) AS value_pairs ${scope.from} AND latency_ms IS NOT NULL AND (provider, model) IN (SELECT provider, model ${scope.from} AND latency_ms IS NOT NULL GROUP BY provider, model HAVING sum(calls) <= {raw_limit:UInt64}) GROUP BY provider, model`,
    params: { ...scope.params, raw_limit: HISTOGRAM_RAW_LIMIT },
  }),
  fold(builder, row) {
    setRawValues(builder.modelLatency[modelOf(builder, row)] as HistogramData, pairsOf(row, 'value_pairs'));
  },
};
