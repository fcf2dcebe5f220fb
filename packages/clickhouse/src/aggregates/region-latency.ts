import type { HistogramData } from '@finops/analyzers';
import { addBucket } from '../builder';
import { bucketParams, bucketSql } from '../scope';
import type { Aggregate } from './aggregate';
import { numberOf, textOf } from './aggregate';

/** Latency histogram per region (calls with a region and a latency). */
export const regionLatency: Aggregate = {
  name: 'region-latency',
  query: (scope) => ({
    sql: `SELECT region, ${bucketSql('latency_ms')} AS bucket, sum(calls) AS count ${scope.from} AND region != '' AND latency_ms IS NOT NULL GROUP BY region, bucket`,
    params: { ...scope.params, ...bucketParams() },
  }),
  fold(builder, row) {
    const histogram = builder.regionLatency[builder.region(textOf(row, 'region'))] as HistogramData;
    addBucket(histogram, numberOf(row, 'bucket'), numberOf(row, 'count'), 0);
  },
};
