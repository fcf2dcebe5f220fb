import type { HistogramData } from '@finops/analyzers';
import { addBucket } from '../builder';
import { bucketParams, bucketSql } from '../scope';
import type { Aggregate } from './aggregate';
import { modelOf, numberOf, textOf } from './aggregate';

/**
 * Cost-per-call histogram per model × task type, for rows of one call (an
 * integer cost, bucketed in SQL): calls and summed cost per bucket.
 */
export const modelTaskCost: Aggregate = {
  name: 'model-task-cost',
  query: (scope) => ({
    sql: `SELECT provider, model, task_type, ${bucketSql('cost_micros')} AS bucket, count() AS count, sum(cost_micros) AS cost ${scope.from} AND calls = 1 GROUP BY provider, model, task_type, bucket`,
    params: { ...scope.params, ...bucketParams() },
  }),
  fold(builder, row) {
    const cell = builder.modelTaskCell(modelOf(builder, row), builder.taskTypes.id(textOf(row, 'task_type')));
    addBucket(
      builder.modelTaskCost[cell] as HistogramData,
      numberOf(row, 'bucket'),
      numberOf(row, 'count'),
      numberOf(row, 'cost'),
    );
  },
};
