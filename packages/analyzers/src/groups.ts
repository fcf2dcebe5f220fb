import type { Cube } from './cube';

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

/** Totals of every model × task type group (index = the cube's model × task cell). */
export function modelTaskTotals(cube: Cube): ModelTaskTotals[] {
  const groups: ModelTaskTotals[] = [];
  for (let cell = 0; cell < cube.modelTask.size; cell++) {
    groups.push({
      model: cube.modelTask.first[cell] as number,
      task: cube.modelTask.second[cell] as number,
      calls: 0,
      cost: 0,
      input: 0,
      output: 0,
      latency: 0,
      underSla: 0,
      timed: 0,
    });
  }
  const mtd = cube.mtd;
  for (let cell = 0; cell < cube.modelTaskDay.size; cell++) {
    const group = groups[cube.modelTaskDay.first[cell] as number] as ModelTaskTotals;
    group.calls += mtd.calls[cell] as number;
    group.cost += mtd.cost[cell] as number;
    group.input += mtd.input[cell] as number;
    group.output += mtd.output[cell] as number;
    group.latency += mtd.latency[cell] as number;
    group.underSla += mtd.underSla[cell] as number;
    group.timed += mtd.timed[cell] as number;
  }
  return groups;
}

/** Totals per model (index = model id), summed from {@link modelTaskTotals}. */
export function modelTotals(cube: Cube, groups: readonly ModelTaskTotals[]): Omit<ModelTaskTotals, 'task'>[] {
  const models = cube.modelName.map((_, model) => ({
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
