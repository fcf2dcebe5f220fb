import type { Aggregate } from './aggregate';
import { modelOf, numberOf, textOf } from './aggregate';

/** Failed calls and their cost per error type × model. */
export const errorModel: Aggregate = {
  name: 'error-model',
  query: (scope) => ({
    sql: `SELECT error_type, provider, model, sum(calls) AS calls, sum(cost_micros) AS cost ${scope.from} AND status = 'error' GROUP BY error_type, provider, model`,
    params: scope.params,
  }),
  fold(builder, row) {
    const cells = builder.errorModel;
    const cell = cells.cell(builder.errorTypes.id(textOf(row, 'error_type')), modelOf(builder, row));
    cells.add(cell, 'calls', numberOf(row, 'calls'));
    cells.add(cell, 'cost', numberOf(row, 'cost'));
  },
};
