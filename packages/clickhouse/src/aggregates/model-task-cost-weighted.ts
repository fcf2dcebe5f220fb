import type { HistogramData } from '@finops/analyzers';
import { addValues } from '../builder';
import type { Aggregate } from './aggregate';
import { modelOf, numberOf, textOf } from './aggregate';

/**
 * The cost histogram's rows that stand for several calls: their mean cost
 * per call is a fraction, so it is bucketed here with the in-process
 * function (grouped by cost and weight, which usage reports repeat).
 */
export const modelTaskCostWeighted: Aggregate = {
  name: 'model-task-cost-weighted',
  query: (scope) => ({
    sql: `SELECT provider, model, task_type, cost_micros, calls, count() AS rows ${scope.from} AND calls > 1 GROUP BY provider, model, task_type, cost_micros, calls ORDER BY provider, model, task_type, cost_micros, calls`,
    params: scope.params,
  }),
  fold(builder, row) {
    const cell = builder.modelTaskCell(modelOf(builder, row), builder.taskTypes.id(textOf(row, 'task_type')));
    const calls = numberOf(row, 'calls');
    const histogram = builder.modelTaskCost[cell] as HistogramData;
    for (let index = numberOf(row, 'rows'); index > 0; index--)
      addValues(histogram, numberOf(row, 'cost_micros') / calls, calls);
  },
};
