import { DAY_SQL } from '../scope';
import type { Aggregate } from './aggregate';
import { modelOf, numberOf, SUMS_SQL, textOf } from './aggregate';

/** Calls, cost, tokens, summed latency, calls within the SLA and timed calls per model × task type × UTC day. */
export const modelTaskDay: Aggregate = {
  name: 'model-task-day',
  query: (scope, builder) => ({
    sql: `SELECT provider, model, task_type, ${DAY_SQL} AS day, ${SUMS_SQL}, sumIf(latency_ms * calls, latency_ms IS NOT NULL) AS latency, sumIf(calls, latency_ms <= {sla_ms:Float64}) AS under_sla, sumIf(calls, latency_ms IS NOT NULL) AS timed ${scope.from} GROUP BY provider, model, task_type, day`,
    params: { ...scope.params, sla_ms: builder.settings.slaMs },
  }),
  fold(builder, row) {
    const modelTask = builder.modelTaskCell(
      modelOf(builder, row),
      builder.taskTypes.id(textOf(row, 'task_type')),
    );
    const cells = builder.modelTaskDay;
    const cell = cells.cell(modelTask, builder.day(numberOf(row, 'day')));
    cells.add(cell, 'calls', numberOf(row, 'calls'));
    cells.add(cell, 'cost', numberOf(row, 'cost'));
    cells.add(cell, 'input', numberOf(row, 'input'));
    cells.add(cell, 'output', numberOf(row, 'output'));
    cells.add(cell, 'latency', numberOf(row, 'latency'));
    cells.add(cell, 'underSla', numberOf(row, 'under_sla'));
    cells.add(cell, 'timed', numberOf(row, 'timed'));
  },
};
