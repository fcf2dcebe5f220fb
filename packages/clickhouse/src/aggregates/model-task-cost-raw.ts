import { HISTOGRAM_RAW_LIMIT, type HistogramData } from '@finops/analyzers';
import { setRawValues } from '../builder';
import type { Aggregate } from './aggregate';
import { modelOf, pairsOf, textOf } from './aggregate';

/** The costs per call themselves of model × task type cells with few calls (exact percentiles, as in-process). */
export const modelTaskCostRaw: Aggregate = {
  name: 'model-task-cost-raw',
  query: (scope) => ({
    // The values of small groups only: a cheap count picks the groups before any value is gathered.
    sql: `SELECT provider, model, task_type, groupArray((cost_micros, calls)) AS value_pairs ${scope.from} AND (provider, model, task_type) IN (SELECT provider, model, task_type ${scope.from} GROUP BY provider, model, task_type HAVING sum(calls) <= {raw_limit:UInt64}) GROUP BY provider, model, task_type`,
    params: { ...scope.params, raw_limit: HISTOGRAM_RAW_LIMIT },
  }),
  fold(builder, row) {
    const cell = builder.modelTaskCell(modelOf(builder, row), builder.taskTypes.id(textOf(row, 'task_type')));
    // A row of several calls holds its mean cost once per call, as the in-process histogram does.
    const values = pairsOf(row, 'value_pairs').map(
      ([cost, calls]) => [calls === 1 ? cost : cost / calls, calls] as [number, number],
    );
    setRawValues(builder.modelTaskCost[cell] as HistogramData, values);
  },
};
