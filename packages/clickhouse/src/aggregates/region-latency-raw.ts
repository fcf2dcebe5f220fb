import { HISTOGRAM_RAW_LIMIT, type HistogramData } from '@finops/analyzers';
import { setRawValues } from '../builder';
import type { Aggregate } from './aggregate';
import { pairsOf, textOf } from './aggregate';

/** The latencies themselves of regions with few timed calls (exact percentiles, as in-process). */
export const regionLatencyRaw: Aggregate = {
  name: 'region-latency-raw',
  query: (scope) => ({
    // The values of small groups only: a cheap count picks the groups before any value is gathered.
    sql: `SELECT region, groupArray((latency_ms, calls)) AS value_pairs ${scope.from} AND region != '' AND latency_ms IS NOT NULL AND region IN (SELECT region ${scope.from} AND region != '' AND latency_ms IS NOT NULL GROUP BY region HAVING sum(calls) <= {raw_limit:UInt64}) GROUP BY region`,
    params: { ...scope.params, raw_limit: HISTOGRAM_RAW_LIMIT },
  }),
  fold(builder, row) {
    setRawValues(
      builder.regionLatency[builder.region(textOf(row, 'region'))] as HistogramData,
      pairsOf(row, 'value_pairs'),
    );
  },
};
