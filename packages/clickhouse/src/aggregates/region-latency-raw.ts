import { HISTOGRAM_RAW_LIMIT, type HistogramData } from '@finops/analyzers';
import { setRawValues } from '../builder';
import type { Aggregate } from './aggregate';
import { keyCondition, pairsOf, textOf } from './aggregate';

/** The latencies themselves of regions with few timed calls (exact percentiles, as in-process). */
export const regionLatencyRaw: Aggregate = {
  name: 'region-latency-raw',
  query(scope, builder) {
    // Only the regions whose bucket counts (fetched before) show few timed calls.
    const small = builder.regions.values.filter((_, id) => {
      const n = (builder.regionLatency[id] as HistogramData).n;
      return n > 0 && n <= HISTOGRAM_RAW_LIMIT;
    });
    if (small.length === 0) return undefined;
    const keys = keyCondition(
      ['region'],
      small.map((region) => [region]),
    );
    return {
      sql: `SELECT region, groupArray((latency_ms, calls)) AS value_pairs ${scope.from} AND latency_ms IS NOT NULL AND ${keys.sql} GROUP BY region`,
      params: { ...scope.params, ...keys.params },
    };
  },
  fold(builder, row) {
    setRawValues(
      builder.regionLatency[builder.region(textOf(row, 'region'))] as HistogramData,
      pairsOf(row, 'value_pairs'),
    );
  },
};
