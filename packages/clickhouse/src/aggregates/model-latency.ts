import type { HistogramData } from '@finops/analyzers';
import { addBucket } from '../builder';
import { bucketParams, bucketSql } from '../scope';
import type { Aggregate } from './aggregate';
import { modelOf, numberOf } from './aggregate';

/** Latency histogram per model: calls per bucket of the in-process histogram (calls with a latency). */
export const modelLatency: Aggregate = {
  name: 'model-latency',
  query: (scope) => ({
    sql: `SELECT provider, model, ${bucketSql('latency_ms')} AS bucket, sum(calls) AS count ${scope.from} AND latency_ms IS NOT NULL GROUP BY provider, model, bucket`,
    params: { ...scope.params, ...bucketParams() },
  }),
  fold(builder, row) {
    const histogram = builder.modelLatency[modelOf(builder, row)] as HistogramData;
    addBucket(histogram, numberOf(row, 'bucket'), numberOf(row, 'count'), 0);
  },
};
