/**
 * Model-switch savings: what each (task type, model) group would cost on a
 * cheaper model of a lower class, from the catalog's prices and the group's
 * own tokens. A shared computation: the optimization analysis lists and
 * counts the switches, the understanding analysis recommends the largest.
 */
import { type ModelClass, type ModelPrice, priceTokensMicros } from '@finops/schema';
import type { AnalysisName } from '../analyses/registry';
import { type FinishContext, byKey, monthly, round } from '../context';
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
