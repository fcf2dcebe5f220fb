import type { AggregateReader } from './store/reader';

/** Totals of one model × task type group over the window. */
export interface ModelTaskTotals {
  model: number;
  task: number;
  calls: number;
  cost: number;
  input: number;
  output: number;
  latency: number;
  underSla: number;
  /** Calls with a latency (the others' latency is unknown). */
  timed: number;
}

/** The model × task type groups of the `modelTaskDay` grouping, and the group of each of its cells. */
export interface ModelTaskGroups {
  /** Groups in key order (model, then task type). */
  groups: ModelTaskTotals[];
  /** Per `modelTaskDay` cell, the index of its group. */
  cellGroup: number[];
}

/** Sums the `modelTaskDay` cells of each model × task type (cells come in key order, so groups do too). */
export function modelTaskGroups(aggregates: AggregateReader): ModelTaskGroups {
  const table = aggregates.grouping('modelTaskDay');
  const models = table.keys('model');
  const tasks = table.keys('taskType');
  const calls = table.measure('calls');
  const cost = table.measure('cost');
  const input = table.measure('inputTokens');
  const output = table.measure('outputTokens');
  const latency = table.measure('latencySum');
  const withinSla = table.measure('withinSla');
  const timed = table.measure('timedCalls');
  const groups: ModelTaskTotals[] = [];
  const cellGroup = new Array<number>(table.size);
  let group: ModelTaskTotals | undefined;
  for (let cell = 0; cell < table.size; cell++) {
    const model = models[cell] as number;
    const task = tasks[cell] as number;
    if (group === undefined || group.model !== model || group.task !== task) {
      group = { model, task, calls: 0, cost: 0, input: 0, output: 0, latency: 0, underSla: 0, timed: 0 };
      groups.push(group);
    }
    cellGroup[cell] = groups.length - 1;
    group.calls += calls[cell] as number;
    group.cost += cost[cell] as number;
    group.input += input[cell] as number;
    group.output += output[cell] as number;
    group.latency += latency[cell] as number;
    group.underSla += withinSla[cell] as number;
    group.timed += timed[cell] as number;
  }
  return { groups, cellGroup };
}

/** Totals of every model × task type group, in key order. */
export function modelTaskTotals(aggregates: AggregateReader): ModelTaskTotals[] {
  return modelTaskGroups(aggregates).groups;
}

/** Totals per model (index = model id), summed from {@link modelTaskTotals}. */
export function modelTotals(
  aggregates: AggregateReader,
  groups: readonly ModelTaskTotals[],
): Omit<ModelTaskTotals, 'task'>[] {
  const models = aggregates.values('model').map((_, model) => ({
    model,
    calls: 0,
    cost: 0,
    input: 0,
    output: 0,
    latency: 0,
    underSla: 0,
    timed: 0,
  }));
  for (const group of groups) {
    const totals = models[group.model] as Omit<ModelTaskTotals, 'task'>;
    totals.calls += group.calls;
    totals.cost += group.cost;
    totals.input += group.input;
    totals.output += group.output;
    totals.latency += group.latency;
    totals.underSla += group.underSla;
    totals.timed += group.timed;
  }
  return models;
}
