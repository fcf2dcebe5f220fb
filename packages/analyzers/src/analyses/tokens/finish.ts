import type { ModelPrice } from '@finops/schema';
import { type FinishContext, byKey, round } from '../../context';
import { type Recommendation, recommend } from '../../recommend';
import { TOKENS_CUSTOMER_FEATURE, TOKENS_MODEL_TASK } from '../../store/builtin-groupings';
import { RATIO_BIN_COUNT, ratioBinLowerEdge } from '../../store/grouping';
import { cachingFigures, picosToMicros, reasoningFigures, tokensByModel } from '../../usage';
import type { TokensConfig } from './settings';

export { TOKENS_CUSTOMER_FEATURE, TOKENS_MODEL_TASK } from '../../store/builtin-groupings';

/** The input/output ratio of a set of calls. */
export interface RatioDistribution {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  /** Σ input / Σ output (0 without output). */
  ratio: number;
  /** Quantiles of the calls' ratios: the lower edge of the ratio bin holding the nearest-rank call. */
  p25: number;
  p50: number;
  p75: number;
  p90: number;
  /** Calls with a ratio ≥ `inputHeavyRatio`, ≤ `outputHeavyRatio`, and the rest. */
  inputHeavy: number;
  outputHeavy: number;
  balanced: number;
}

/** The waste rules. */
export type WasteRule = 'oversized_prompt' | 'long_input_tiny_output' | 'premium_on_simple_task';

/** Calls of one model on one task type that meet a waste rule, with what they cost and what the rule's fix would save. */
export interface WasteEntry {
  rule: WasteRule;
  provider: string;
  model: string;
  taskType: string;
  calls: number;
  costMicros: number;
  /** The saving of the rule's fix over the window, in micro-dollars (0 when the catalog cannot price it). */
  savingMicros: number;
  /** The fix, one sentence. */
  fix: string;
  /** The figures the saving rests on. */
  figures: Record<string, number | string>;
}

/** Result of the tokens analysis. */
export interface TokensResult {
  thresholds: { inputHeavyRatio: number; outputHeavyRatio: number };
  overall: RatioDistribution;
  byModel: (RatioDistribution & { provider: string; model: string })[];
  byFeature: (RatioDistribution & { feature: string })[];
  byCustomer: (RatioDistribution & { customer: string })[];
  /** Calls of the rules, by saving descending (a call may meet several rules; their savings are not to be added). */
  waste: WasteEntry[];
  /** Per rule: calls, cost and saving. */
  wasteByRule: { rule: WasteRule; calls: number; costMicros: number; savingMicros: number }[];
  cache: { hitShare: number; savedMicros: number; cachedInputTokens: number };
  reasoning: { share: number; reasoningTokens: number; costMicros: number };
  /** Per task type with at least two models of `minCalls` calls: cost per 1K tokens of each model and the spread. */
  costSpread: {
    taskType: string;
    models: { provider: string; model: string; calls: number; costPer1kTokensMicros: number }[];
    /** Dearest / cheapest cost per 1K tokens. */
    spread: number;
  }[];
  recommendations: Recommendation[];
}

/** Per-bin calls and the sums of one group of cells. */
interface RatioSums {
  bins: number[];
  calls: number;
  input: number;
  output: number;
  inputHeavy: number;
  outputHeavy: number;
}

function emptyRatio(): RatioSums {
  return {
    bins: new Array<number>(RATIO_BIN_COUNT).fill(0),
    calls: 0,
    input: 0,
    output: 0,
    inputHeavy: 0,
    outputHeavy: 0,
  };
}

/** The nearest-rank quantile of binned ratios: the lower edge of the bin holding it. */
function binQuantile(bins: readonly number[], total: number, q: number): number {
  if (total === 0) return 0;
  const rank = Math.min(total, Math.max(1, Math.ceil(q * total)));
  let seen = 0;
  for (let bin = 0; bin < bins.length; bin++) {
    seen += bins[bin] as number;
    if (seen >= rank) return round(ratioBinLowerEdge(bin), 4);
  }
  return round(ratioBinLowerEdge(bins.length - 1), 4);
}

function distribution(sums: RatioSums): RatioDistribution {
  return {
    calls: sums.calls,
    inputTokens: sums.input,
    outputTokens: sums.output,
    ratio: sums.output === 0 ? 0 : round(sums.input / sums.output, 4),
    p25: binQuantile(sums.bins, sums.calls, 0.25),
    p50: binQuantile(sums.bins, sums.calls, 0.5),
    p75: binQuantile(sums.bins, sums.calls, 0.75),
    p90: binQuantile(sums.bins, sums.calls, 0.9),
    inputHeavy: sums.inputHeavy,
    outputHeavy: sums.outputHeavy,
    balanced: sums.calls - sums.inputHeavy - sums.outputHeavy,
  };
}

/** Totals of one model × task type, over its ratio bins. */
interface ModelTask {
  model: number;
  task: number;
  calls: number;
  cost: number;
  input: number;
  output: number;
  oversized: { calls: number; cost: number; input: number; output: number };
  longTiny: { calls: number; cost: number; input: number };
}

function readModelTask(context: FinishContext): {
  groups: ModelTask[];
  overall: RatioSums;
  byModel: RatioSums[];
} {
  const { aggregates } = context;
  const table = aggregates.grouping(TOKENS_MODEL_TASK.name);
  const column = (name: string): readonly number[] => table.measure(name);
  const [models, tasks, bins] = [table.keys('model'), table.keys('taskType'), table.keys('ratioBin')];
  const [calls, cost, input, output] = ['calls', 'cost', 'inputTokens', 'outputTokens'].map(column) as [
    readonly number[],
    readonly number[],
    readonly number[],
    readonly number[],
  ];
  const [inputHeavy, outputHeavy] = [column('inputHeavyCalls'), column('outputHeavyCalls')];
  const oversized = ['oversizedCalls', 'oversizedCost', 'oversizedInput', 'oversizedOutput'].map(column);
  const longTiny = ['longTinyCalls', 'longTinyCost', 'longTinyInput'].map(column);
  const overall = emptyRatio();
  const byModel = aggregates.values('model').map(() => emptyRatio());
  const groups: ModelTask[] = [];
  let group: ModelTask | undefined;
  for (let cell = 0; cell < table.size; cell++) {
    const model = models[cell] as number;
    const task = tasks[cell] as number;
    if (group === undefined || group.model !== model || group.task !== task) {
      group = {
        model,
        task,
        calls: 0,
        cost: 0,
        input: 0,
        output: 0,
        oversized: { calls: 0, cost: 0, input: 0, output: 0 },
        longTiny: { calls: 0, cost: 0, input: 0 },
      };
      groups.push(group);
    }
    const cellCalls = calls[cell] as number;
    group.calls += cellCalls;
    group.cost += cost[cell] as number;
    group.input += input[cell] as number;
    group.output += output[cell] as number;
    group.oversized.calls += oversized[0]?.[cell] as number;
    group.oversized.cost += oversized[1]?.[cell] as number;
    group.oversized.input += oversized[2]?.[cell] as number;
    group.oversized.output += oversized[3]?.[cell] as number;
    group.longTiny.calls += longTiny[0]?.[cell] as number;
    group.longTiny.cost += longTiny[1]?.[cell] as number;
    group.longTiny.input += longTiny[2]?.[cell] as number;
    for (const sums of [overall, byModel[model] as RatioSums]) {
      const bin = bins[cell] as number;
      sums.bins[bin] = (sums.bins[bin] as number) + cellCalls;
      sums.calls += cellCalls;
      sums.input += input[cell] as number;
      sums.output += output[cell] as number;
      sums.inputHeavy += inputHeavy[cell] as number;
      sums.outputHeavy += outputHeavy[cell] as number;
    }
  }
  return { groups, overall, byModel };
}

/** Ratio sums per customer and per feature (their tokens are added from other groupings). */
function readCustomerFeature(context: FinishContext): { byCustomer: RatioSums[]; byFeature: RatioSums[] } {
  const { aggregates } = context;
  const table = aggregates.grouping(TOKENS_CUSTOMER_FEATURE.name);
  const [customers, features, bins] = [table.keys('customer'), table.keys('feature'), table.keys('ratioBin')];
  const calls = table.measure('calls');
  const inputHeavy = table.measure('inputHeavyCalls');
  const outputHeavy = table.measure('outputHeavyCalls');
  const byCustomer = aggregates.values('customer').map(() => emptyRatio());
  const byFeature = aggregates.values('feature').map(() => emptyRatio());
  for (let cell = 0; cell < table.size; cell++) {
    for (const sums of [
      byCustomer[customers[cell] as number],
      byFeature[features[cell] as number],
    ] as RatioSums[]) {
      const bin = bins[cell] as number;
      sums.bins[bin] = (sums.bins[bin] as number) + (calls[cell] as number);
      sums.calls += calls[cell] as number;
      sums.inputHeavy += inputHeavy[cell] as number;
      sums.outputHeavy += outputHeavy[cell] as number;
    }
  }
  return { byCustomer, byFeature };
}

/** The cheapest model of a provider that is not of the premium class, by list price of the given tokens. */
function cheapestNonPremium(
  context: FinishContext,
  provider: string,
  input: number,
  output: number,
): { model: string; costMicros: number } | undefined {
  let best: { model: string; costMicros: number } | undefined;
  for (const price of context.catalog.models()) {
    if (price.provider !== provider || price.class === 'premium' || price.effectiveUntilMs !== undefined)
      continue;
    const cost = context.catalog.costOf(provider, price.model, input, output);
    if (cost === undefined) continue;
    if (
      best === undefined ||
      cost < best.costMicros ||
      (cost === best.costMicros && price.model < best.model)
    )
      best = { model: price.model, costMicros: cost };
  }
  return best;
}

function wasteOf(group: ModelTask, context: FinishContext, settings: TokensConfig): WasteEntry[] {
  const { aggregates } = context;
  const provider = aggregates.values('provider')[
    aggregates.modelProviders()[group.model] as number
  ] as string;
  const model = aggregates.values('model')[group.model] as string;
  const taskType = aggregates.values('taskType')[group.task] as string;
  const price: ModelPrice | undefined = context.catalog.get(provider, model);
  const entries: WasteEntry[] = [];
  const base = { provider, model, taskType };
  if (group.oversized.calls > 0) {
    // Every call here has ratio ≥ oversizedRatio, so trimming each to targetRatio × its output removes Σ input − target × Σ output.
    const trimmed = Math.max(0, group.oversized.input - settings.targetRatio * group.oversized.output);
    const saving =
      price === undefined
        ? 0
        : Math.min(group.oversized.cost, picosToMicros(Math.round(trimmed) * price.inputPicosPerToken));
    entries.push({
      ...base,
      rule: 'oversized_prompt',
      calls: group.oversized.calls,
      costMicros: group.oversized.cost,
      savingMicros: saving,
      fix: `Trim the prompt to ${settings.targetRatio} input tokens per output token.`,
      figures: {
        inputTokens: group.oversized.input,
        outputTokens: group.oversized.output,
        trimmedTokens: Math.round(trimmed),
      },
    });
  }
  if (group.longTiny.calls > 0) {
    const discount = price === undefined ? 0 : price.inputPicosPerToken - price.cacheReadPicosPerToken;
    entries.push({
      ...base,
      rule: 'long_input_tiny_output',
      calls: group.longTiny.calls,
      costMicros: group.longTiny.cost,
      savingMicros: Math.min(group.longTiny.cost, picosToMicros(group.longTiny.input * discount)),
      fix: 'Serve the long prompt from the prompt cache (the saving is its input at the cache-read price).',
      figures: { inputTokens: group.longTiny.input },
    });
  }
  const premium = aggregates.premiumModels()[group.model] === true;
  if (premium && settings.simpleTasks.includes(taskType) && group.calls > 0) {
    const cheaper = cheapestNonPremium(context, provider, group.input, group.output);
    entries.push({
      ...base,
      rule: 'premium_on_simple_task',
      calls: group.calls,
      costMicros: group.cost,
      savingMicros: cheaper === undefined ? 0 : Math.max(0, group.cost - cheaper.costMicros),
      fix:
        cheaper === undefined
          ? `No model of ${provider} below the premium class is in the catalog.`
          : `Move the task to ${cheaper.model}, the cheapest model of ${provider} below the premium class.`,
      figures: {
        inputTokens: group.input,
        outputTokens: group.output,
        ...(cheaper ? { alternative: cheaper.model, alternativeMicros: cheaper.costMicros } : {}),
      },
    });
  }
  return entries;
}

function costSpread(
  groups: readonly ModelTask[],
  context: FinishContext,
  settings: TokensConfig,
): TokensResult['costSpread'] {
  const { aggregates } = context;
  return aggregates
    .values('taskType')
    .map((taskType, task) => {
      const models = groups
        .filter(
          (group) =>
            group.task === task && group.calls >= settings.minCalls && group.input + group.output > 0,
        )
        .map((group) => ({
          provider: aggregates.values('provider')[
            aggregates.modelProviders()[group.model] as number
          ] as string,
          model: aggregates.values('model')[group.model] as string,
          calls: group.calls,
          costPer1kTokensMicros: round((group.cost * 1000) / (group.input + group.output), 4),
        }))
        .sort(
          (a, b) =>
            a.costPer1kTokensMicros - b.costPer1kTokensMicros ||
            byKey(`${a.provider}/${a.model}`, `${b.provider}/${b.model}`),
        );
      const cheapest = models[0]?.costPer1kTokensMicros ?? 0;
      const dearest = models[models.length - 1]?.costPer1kTokensMicros ?? 0;
      return { taskType, models, spread: cheapest === 0 ? 0 : round(dearest / cheapest, 4) };
    })
    .filter((entry) => entry.models.length >= 2)
    .sort((a, b) => b.spread - a.spread || byKey(a.taskType, b.taskType));
}

const RULE_SENTENCES: Record<WasteRule, string> = {
  oversized_prompt:
    '{calls} calls of {provider}/{model} on {taskType} send at least {ratio} input tokens per output token and cost {costMicros}; trimming their prompts to {target} per output token would save {savingMicros}.',
  long_input_tiny_output:
    '{calls} calls of {provider}/{model} on {taskType} send long prompts for tiny answers and cost {costMicros}; serving those prompts from the prompt cache would save {savingMicros}.',
  premium_on_simple_task:
    '{calls} calls of {provider}/{model}, a premium model, handle the simple task {taskType} for {costMicros}; a cheaper model of the same provider would save {savingMicros}.',
};

function wasteRecommendation(entry: WasteEntry, settings: TokensConfig): Recommendation {
  const figures: Record<string, number | string> = {
    calls: entry.calls,
    provider: entry.provider,
    model: entry.model,
    taskType: entry.taskType,
    costMicros: entry.costMicros,
    savingMicros: entry.savingMicros,
  };
  if (entry.rule === 'oversized_prompt')
    Object.assign(figures, { ratio: settings.oversizedRatio, target: settings.targetRatio });
  return recommend(RULE_SENTENCES[entry.rule], figures);
}

/** Finishes the tokens analysis. */
export function finishTokens(context: FinishContext, settings: TokensConfig): TokensResult {
  const { aggregates } = context;
  const { groups, overall, byModel } = readModelTask(context);
  const { byCustomer, byFeature } = readCustomerFeature(context);
  // Tokens per customer come from the finish context (the customer × day grouping), per feature from the team grouping.
  byCustomer.forEach((sums, customer) => {
    sums.input = context.customerInput[customer] ?? 0;
    sums.output = context.customerOutput[customer] ?? 0;
  });
  const team = aggregates.grouping('teamFeature');
  const teamFeature = team.keys('feature');
  const teamInput = team.measure('inputTokens');
  const teamOutput = team.measure('outputTokens');
  for (let cell = 0; cell < team.size; cell++) {
    const sums = byFeature[teamFeature[cell] as number] as RatioSums;
    sums.input += teamInput[cell] as number;
    sums.output += teamOutput[cell] as number;
  }
  const waste = groups
    .flatMap((group) => wasteOf(group, context, settings))
    .sort(
      (a, b) =>
        b.savingMicros - a.savingMicros ||
        b.costMicros - a.costMicros ||
        byKey(
          `${a.rule}/${a.provider}/${a.model}/${a.taskType}`,
          `${b.rule}/${b.provider}/${b.model}/${b.taskType}`,
        ),
    );
  const rules: WasteRule[] = ['oversized_prompt', 'long_input_tiny_output', 'premium_on_simple_task'];
  const wasteByRule = rules.map((rule) => {
    const entries = waste.filter((entry) => entry.rule === rule);
    return {
      rule,
      calls: entries.reduce((total, entry) => total + entry.calls, 0),
      costMicros: entries.reduce((total, entry) => total + entry.costMicros, 0),
      savingMicros: entries.reduce((total, entry) => total + entry.savingMicros, 0),
    };
  });
  const tokens = tokensByModel(context);
  const caching = cachingFigures(context, tokens);
  const reasoning = reasoningFigures(context, tokens);
  const providers = aggregates.values('provider');
  const named = <T extends { calls: number }>(rows: T[], label: (row: T) => string): T[] =>
    rows.filter((row) => row.calls > 0).sort((a, b) => b.calls - a.calls || byKey(label(a), label(b)));
  return {
    thresholds: { inputHeavyRatio: settings.inputHeavyRatio, outputHeavyRatio: settings.outputHeavyRatio },
    overall: distribution(overall),
    byModel: named(
      byModel.map((sums, model) => ({
        provider: providers[aggregates.modelProviders()[model] as number] as string,
        model: aggregates.values('model')[model] as string,
        ...distribution(sums),
      })),
      (row) => `${row.provider}/${row.model}`,
    ),
    byFeature: named(
      byFeature.map((sums, feature) => ({
        feature: aggregates.values('feature')[feature] as string,
        ...distribution(sums),
      })),
      (row) => row.feature,
    ),
    byCustomer: named(
      byCustomer.map((sums, customer) => ({
        customer: aggregates.values('customer')[customer] as string,
        ...distribution(sums),
      })),
      (row) => row.customer,
    ),
    waste,
    wasteByRule,
    cache: {
      hitShare: caching.hitShare,
      savedMicros: caching.savedMicros,
      cachedInputTokens: caching.cachedInputTokens,
    },
    reasoning: {
      share: reasoning.share,
      reasoningTokens: reasoning.reasoningTokens,
      costMicros: reasoning.costMicros,
    },
    costSpread: costSpread(groups, context, settings),
    recommendations: waste
      .filter((entry) => entry.savingMicros > 0)
      .slice(0, 10)
      .map((entry) => wasteRecommendation(entry, settings)),
  };
}
