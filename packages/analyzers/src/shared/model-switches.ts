/**
 * Model-switch savings: what each (task type, model) group would cost on a
 * cheaper model of a lower class, from the catalog's prices and the group's
 * own tokens; and the shift of the model mix over the window (each model's
 * share of calls and cost in the first and the second half). A shared
 * computation: the optimization analysis lists and counts the switches and
 * shows the shift, the understanding analysis recommends the largest switches
 * and reports the shift of cost shares.
 */
import { type ModelClass, type ModelPrice, formatUtcDay, priceTokensMicros } from '@finops/schema';
import type { AnalysisName } from '../analyses/registry';
import { type FinishContext, byKey, monthly, round, shareOf } from '../context';
import { modelTaskTotals } from '../groups';

/** The analyses that use this module (a test holds this list to their imports). */
export const MODEL_SWITCH_USERS: readonly AnalysisName[] = ['understanding', 'optimization'];

/** One model switch: a (task type, model) group priced at a cheaper model of a lower class. */
export interface ModelSwitch {
  taskType: string;
  fromProvider: string;
  fromModel: string;
  fromClass: ModelClass;
  toProvider: string;
  toModel: string;
  toClass: ModelClass;
  /** `same-provider` or `any-provider`. */
  scope: 'same-provider' | 'any-provider';
  calls: number;
  inputTokens: number;
  outputTokens: number;
  actualMicros: number;
  /** The same tokens at the target model's catalog prices. */
  targetMicros: number;
  savingsMicros: number;
  savingsPct: number;
  monthlySavingsMicros: number;
  /** Classes between the two models (1 = one class down). */
  classGap: number;
  risk: 'low' | 'medium' | 'high';
  /** The option with the larger saving for its group (the one counted in totals). */
  recommended: boolean;
}

const CLASS_RANK: Record<ModelClass, number> = { premium: 0, standard: 1, budget: 2 };

/** The cheapest of `candidates` for these tokens (ties by provider, then model). */
export function cheapest(
  candidates: readonly ModelPrice[],
  input: number,
  output: number,
): { price: ModelPrice; micros: number } | undefined {
  let best: { price: ModelPrice; micros: number } | undefined;
  for (const price of candidates) {
    const micros = priceTokensMicros(price, input, output);
    if (
      best === undefined ||
      micros < best.micros ||
      (micros === best.micros &&
        (byKey(price.provider, best.price.provider) || byKey(price.model, best.price.model)) < 0)
    ) {
      best = { price, micros };
    }
  }
  return best;
}

/**
 * The model switches of every (task type, model) group on a premium or
 * standard model: the cheapest model one class lower and the cheapest of any
 * lower class, at the same provider and at any provider. The recommended
 * switch of a group is the one that saves most among those its task type
 * allows: any class drop for the simple tasks, at most `maxClassDrop` classes
 * for the others (larger drops are listed, with their risk, but not counted).
 */
export function modelSwitches(context: FinishContext): ModelSwitch[] {
  const { aggregates, catalog, config } = context;
  const settings = config.optimization;
  const models = catalog.models();
  const switches: ModelSwitch[] = [];
  for (const group of modelTaskTotals(aggregates)) {
    const provider = aggregates.values('provider')[
      aggregates.modelProviders()[group.model] as number
    ] as string;
    const model = aggregates.values('model')[group.model] as string;
    const price = catalog.get(provider, model);
    if (price === undefined || price.class === 'budget' || group.calls === 0) continue;
    const taskType = aggregates.values('taskType')[group.task] as string;
    const allowedDrop = settings.simpleTasks.includes(taskType) ? Infinity : settings.maxClassDrop;
    const lower = models.filter((candidate) => CLASS_RANK[candidate.class] > CLASS_RANK[price.class]);
    const nextClass = lower.filter(
      (candidate) => CLASS_RANK[candidate.class] === CLASS_RANK[price.class] + 1,
    );
    const options: ModelSwitch[] = [];
    const scopes: [ModelSwitch['scope'], ModelPrice[]][] = [
      ['same-provider', nextClass.filter((candidate) => candidate.provider === provider)],
      ['any-provider', nextClass],
      ['same-provider', lower.filter((candidate) => candidate.provider === provider)],
      ['any-provider', lower],
    ];
    for (const [scope, candidates] of scopes) {
      const target = cheapest(candidates, group.input, group.output);
      if (target === undefined) continue;
      const savings = group.cost - target.micros;
      if (savings <= 0) continue;
      if (
        options.some(
          (option) => option.toProvider === target.price.provider && option.toModel === target.price.model,
        )
      )
        continue;
      const classGap = CLASS_RANK[target.price.class] - CLASS_RANK[price.class];
      options.push({
        taskType,
        fromProvider: provider,
        fromModel: model,
        fromClass: price.class,
        toProvider: target.price.provider,
        toModel: target.price.model,
        toClass: target.price.class,
        scope,
        calls: group.calls,
        inputTokens: group.input,
        outputTokens: group.output,
        actualMicros: group.cost,
        targetMicros: target.micros,
        savingsMicros: savings,
        savingsPct: round((savings / group.cost) * 100, 2),
        monthlySavingsMicros: monthly(context, savings),
        classGap,
        risk:
          classGap >= 2
            ? 'high'
            : scope === 'any-provider' && target.price.provider !== provider
              ? 'medium'
              : 'low',
        recommended: false,
      });
    }
    let best: ModelSwitch | undefined;
    for (const option of options)
      if (option.classGap <= allowedDrop && (best === undefined || option.savingsMicros > best.savingsMicros))
        best = option;
    if (best) best.recommended = true;
    switches.push(...options);
  }
  return switches.sort(
    (a, b) =>
      b.savingsMicros - a.savingsMicros ||
      byKey(a.taskType, b.taskType) ||
      byKey(a.fromModel, b.fromModel) ||
      byKey(a.scope, b.scope) ||
      byKey(a.toModel, b.toModel),
  );
}

/** One half of the window: its days (UTC, inclusive), calls and cost. */
export interface WindowHalf {
  from: string;
  to: string;
  days: number;
  calls: number;
  costMicros: number;
}

/** One model's calls and cost in each half of the window, with its shares of each half (0–1). */
export interface ModelShareRow {
  provider: string;
  model: string;
  firstCalls: number;
  secondCalls: number;
  firstCostMicros: number;
  secondCostMicros: number;
  firstCallShare: number;
  secondCallShare: number;
  firstCostShare: number;
  secondCostShare: number;
  /** Second-half share minus first-half share, of calls and of cost. */
  callShareChange: number;
  costShareChange: number;
}

/** The model mix in the first and the second half of the window. */
export interface ModelShareShift {
  /** `null` for a window of fewer than two days (no halves to compare). */
  firstHalf: WindowHalf | null;
  secondHalf: WindowHalf | null;
  /** Every model seen, by the size of its cost-share change (ties by provider, then model). */
  models: ModelShareRow[];
}

/**
 * Each model's calls and cost in the first and the second half of the
 * window, by day: the middle day of an odd window goes to the first half.
 * Read from the model × task type × day cells, so the halves add up to the
 * totals exactly.
 */
export function modelShareShift(context: FinishContext): ModelShareShift {
  const { aggregates } = context;
  const table = aggregates.grouping('modelTaskDay');
  const cellModel = table.keys('model');
  const cellDay = table.keys('day');
  const cellCalls = table.measure('calls');
  const cellCost = table.measure('cost');
  const half = Math.ceil(context.windowDays / 2);
  const modelCount = aggregates.values('model').length;
  const zeros = (): number[] => new Array<number>(modelCount).fill(0);
  const calls = [zeros(), zeros()] as const;
  const cost = [zeros(), zeros()] as const;
  const dayNumbers = aggregates.days();
  for (let cell = 0; cell < table.size; cell++) {
    const model = cellModel[cell] as number;
    const part = (dayNumbers[cellDay[cell] as number] as number) - context.firstDay < half ? 0 : 1;
    calls[part][model] = (calls[part][model] as number) + (cellCalls[cell] as number);
    cost[part][model] = (cost[part][model] as number) + (cellCost[cell] as number);
  }
  const total = (values: readonly number[]): number => values.reduce((sum, value) => sum + value, 0);
  const [firstCalls, secondCalls, firstCost, secondCost] = [
    total(calls[0]),
    total(calls[1]),
    total(cost[0]),
    total(cost[1]),
  ];
  const halfOf = (from: number, days: number, partCalls: number, partCost: number): WindowHalf => ({
    from: formatUtcDay(from),
    to: formatUtcDay(from + days - 1),
    days,
    calls: partCalls,
    costMicros: partCost,
  });
  const split = context.windowDays >= 2;
  const models = aggregates
    .values('model')
    .map((model, index): ModelShareRow => {
      const firstCallShare = round(shareOf(calls[0][index] as number, firstCalls), 6);
      const secondCallShare = round(shareOf(calls[1][index] as number, secondCalls), 6);
      const firstCostShare = round(shareOf(cost[0][index] as number, firstCost), 6);
      const secondCostShare = round(shareOf(cost[1][index] as number, secondCost), 6);
      return {
        provider: aggregates.values('provider')[aggregates.modelProviders()[index] as number] as string,
        model,
        firstCalls: calls[0][index] as number,
        secondCalls: calls[1][index] as number,
        firstCostMicros: cost[0][index] as number,
        secondCostMicros: cost[1][index] as number,
        firstCallShare,
        secondCallShare,
        firstCostShare,
        secondCostShare,
        callShareChange: round(secondCallShare - firstCallShare, 6),
        costShareChange: round(secondCostShare - firstCostShare, 6),
      };
    })
    .sort(
      (a, b) =>
        Math.abs(b.costShareChange) - Math.abs(a.costShareChange) ||
        byKey(a.provider, b.provider) ||
        byKey(a.model, b.model),
    );
  return {
    firstHalf: split ? halfOf(context.firstDay, half, firstCalls, firstCost) : null,
    secondHalf: split
      ? halfOf(context.firstDay + half, context.windowDays - half, secondCalls, secondCost)
      : null,
    models,
  };
}
