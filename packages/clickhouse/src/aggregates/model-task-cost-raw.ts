import { HISTOGRAM_RAW_LIMIT, type HistogramData } from '@finops/analyzers';
import { setRawValues } from '../builder';
import type { Aggregate } from './aggregate';
import { keyCondition, modelOf, pairsOf, textOf } from './aggregate';

/** The costs per call themselves of model × task type cells with few calls (exact percentiles, as in-process). */
export const modelTaskCostRaw: Aggregate = {
  name: 'model-task-cost-raw',
  query(scope, builder) {
    // Only the model × task type cells whose bucket counts (fetched before) show few calls.
    const cells = builder.modelTask;
    const small: string[][] = [];
    builder.modelTaskCost.forEach((histogram, cell) => {
      if (histogram.n === 0 || histogram.n > HISTOGRAM_RAW_LIMIT) return;
      const task = builder.taskTypes.values[cells.second[cell] as number] as string;
      small.push([...builder.modelKey(cells.first[cell] as number), task]);
    });
    if (small.length === 0) return undefined;
    const keys = keyCondition(['provider', 'model', 'task_type'], small);
    return {
      sql: `SELECT provider, model, task_type, groupArray((cost_micros, calls)) AS value_pairs ${scope.from} AND ${keys.sql} GROUP BY provider, model, task_type`,
      params: { ...scope.params, ...keys.params },
    };
  },
  fold(builder, row) {
    const cell = builder.modelTaskCell(modelOf(builder, row), builder.taskTypes.id(textOf(row, 'task_type')));
    // A row of several calls holds its mean cost once per call, as the in-process histogram does.
    const values = pairsOf(row, 'value_pairs').map(
      ([cost, calls]) => [calls === 1 ? cost : cost / calls, calls] as [number, number],
    );
    setRawValues(builder.modelTaskCost[cell] as HistogramData, values);
  },
};
