import type { ModelPrice } from '@finops/schema';
import { type FinishContext, byKey, round, shareOf } from './context';
import { type HistogramData, newHistogram, percentile } from './histogram';

/** What prompt caching did: tokens read from the cache and what they would have cost uncached. */
export interface CachingFigures {
  /** Input tokens read from the prompt cache. */
  cachedInputTokens: number;
  /** Input tokens written to the prompt cache. */
  cacheWriteInputTokens: number;
  /** Cached input tokens / all input tokens, 0–1. */
  hitShare: number;
  /** The cached tokens at the uncached input price minus what they cost at the cache-read price, by the catalog. */
  savedMicros: number;
  byModel: {
    provider: string;
    model: string;
    cachedInputTokens: number;
    hitShare: number;
    savedMicros: number;
  }[];
}

/** What failed calls cost: every figure over the calls whose `status` is `error`. */
export interface FailureFigures {
  calls: number;
  costMicros: number;
  /** Failed calls / all calls, 0–1. */
  share: number;
  byErrorType: { errorType: string; calls: number; costMicros: number }[];
  byModel: { provider: string; model: string; calls: number; costMicros: number }[];
  byCustomer: { customer: string; calls: number; costMicros: number }[];
}

/** Reasoning tokens and what they cost at the model's output price. */
export interface ReasoningFigures {
  reasoningTokens: number;
  outputTokens: number;
  /** Reasoning tokens / output tokens, 0–1. */
  share: number;
  /** Reasoning tokens at the catalog's reasoning price (its output price unless it prices reasoning apart). */
  costMicros: number;
  /** All output tokens of the same models at the catalog's prices, reasoning included. */
  outputCostMicros: number;
  /** {@link costMicros} / {@link outputCostMicros}, 0–1: reasoning's share of output cost. */
  shareOfOutputCost: number;
  byModel: {
    provider: string;
    model: string;
    reasoningTokens: number;
    share: number;
    costMicros: number;
    shareOfOutputCost: number;
  }[];
}

/** Calls, cost and latency of one region. */
export interface RegionFigures {
  region: string;
  calls: number;
  costMicros: number;
  /** Latency quantiles of the calls with a latency; `null` when none has one. */
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  byProvider: { provider: string; calls: number; costMicros: number; meanMs: number | null }[];
}

/** The version-2 fields at work: prompt caching, failures, reasoning and regions. */
export interface UsageFigures {
  caching: CachingFigures;
  failures: FailureFigures;
  reasoning: ReasoningFigures;
  /** By cost descending; calls without a region are not in any. */
  regions: RegionFigures[];
  /** Calls without a region. */
  callsWithoutRegion: number;
  /** Calls without a latency (kept out of every latency figure). */
  callsWithoutLatency: number;
}

/** Pico-dollars as whole micro-dollars. */
export const picosToMicros = (picos: number): number => Math.round(picos / 1_000_000);

/** Largest first by cost, ties by name: the order of every list here. */
function byCost<T extends { costMicros: number }>(rows: T[], name: (row: T) => string): T[] {
  return rows.sort((a, b) => b.costMicros - a.costMicros || byKey(name(a), name(b)));
}

/** Per model: the catalog's price, and the model's label parts. */
function modelsOf(
  context: FinishContext,
): { provider: string; model: string; price: ModelPrice | undefined }[] {
  const { aggregates, catalog } = context;
  return aggregates.values('model').map((model, id) => {
    const provider = aggregates.values('provider')[aggregates.modelProviders()[id] as number] as string;
    return { provider, model, price: catalog.get(provider, model) };
  });
}

/** Input and output tokens per model id, from the model × task × day cells. */
export function tokensByModel(context: FinishContext): { input: number[]; output: number[] } {
  const { aggregates } = context;
  const input = aggregates.values('model').map(() => 0);
  const output = aggregates.values('model').map(() => 0);
  const table = aggregates.grouping('modelTaskDay');
  const cellModel = table.keys('model');
  const cellInput = table.measure('inputTokens');
  const cellOutput = table.measure('outputTokens');
  for (let cell = 0; cell < table.size; cell++) {
    const model = cellModel[cell] as number;
    input[model] = (input[model] as number) + (cellInput[cell] as number);
    output[model] = (output[model] as number) + (cellOutput[cell] as number);
  }
  return { input, output };
}

/** What prompt caching did, overall and per model (savings at the catalog's cache-read discount). */
export function cachingFigures(context: FinishContext, tokens: { input: number[] }): CachingFigures {
  const usage = context.aggregates.grouping('modelUsage');
  const byModel: CachingFigures['byModel'] = [];
  let cached = 0;
  let written = 0;
  let saved = 0;
  modelsOf(context).forEach(({ provider, model, price }, id) => {
    const modelCached = usage.measure('cachedInputTokens')[id] as number;
    written += usage.measure('cacheWriteInputTokens')[id] as number;
    if (modelCached === 0) return;
    const discount = price === undefined ? 0 : price.inputPicosPerToken - price.cacheReadPicosPerToken;
    const savedMicros = picosToMicros(modelCached * discount);
    cached += modelCached;
    saved += savedMicros;
    byModel.push({
      provider,
      model,
      cachedInputTokens: modelCached,
      hitShare: round(shareOf(modelCached, tokens.input[id] as number), 6),
      savedMicros,
    });
  });
  return {
    cachedInputTokens: cached,
    cacheWriteInputTokens: written,
    hitShare: round(shareOf(cached, context.aggregates.inputTokens), 6),
    savedMicros: saved,
    byModel: byModel.sort(
      (a, b) =>
        b.savedMicros - a.savedMicros || byKey(`${a.provider}/${a.model}`, `${b.provider}/${b.model}`),
    ),
  };
}

function failureFigures(context: FinishContext, topCustomers: number): FailureFigures {
  const { aggregates } = context;
  const models = modelsOf(context);
  const errorModel = aggregates.grouping('errorModel');
  const errorModelCalls = errorModel.measure('calls');
  const errorModelCost = errorModel.measure('cost');
  const errorModelType = errorModel.keys('errorType');
  const errorModelModel = errorModel.keys('model');
  const customerError = aggregates.grouping('customerError');
  const errorName = (id: number): string => aggregates.values('errorType')[id] || 'unknown';
  const byErrorType = new Map<string, { errorType: string; calls: number; costMicros: number }>();
  const byModel = models.map(({ provider, model }) => ({ provider, model, calls: 0, costMicros: 0 }));
  for (let cell = 0; cell < errorModel.size; cell++) {
    const calls = errorModelCalls[cell] as number;
    const cost = errorModelCost[cell] as number;
    const name = errorName(errorModelType[cell] as number);
    const entry = byErrorType.get(name) ?? { errorType: name, calls: 0, costMicros: 0 };
    entry.calls += calls;
    entry.costMicros += cost;
    byErrorType.set(name, entry);
    const model = byModel[errorModelModel[cell] as number] as (typeof byModel)[number];
    model.calls += calls;
    model.costMicros += cost;
  }
  const byCustomer = new Map<string, { customer: string; calls: number; costMicros: number }>();
  for (let cell = 0; cell < customerError.size; cell++) {
    const customer = aggregates.values('customer')[customerError.keys('customer')[cell] as number] as string;
    const entry = byCustomer.get(customer) ?? { customer, calls: 0, costMicros: 0 };
    entry.calls += customerError.measure('calls')[cell] as number;
    entry.costMicros += customerError.measure('cost')[cell] as number;
    byCustomer.set(customer, entry);
  }
  const calls = [...byErrorType.values()].reduce((sum, entry) => sum + entry.calls, 0);
  const cost = [...byErrorType.values()].reduce((sum, entry) => sum + entry.costMicros, 0);
  return {
    calls,
    costMicros: cost,
    share: round(shareOf(calls, aggregates.calls), 6),
    byErrorType: byCost([...byErrorType.values()], (row) => row.errorType),
    byModel: byCost(
      byModel.filter((row) => row.calls > 0),
      (row) => `${row.provider}/${row.model}`,
    ),
    byCustomer: byCost([...byCustomer.values()], (row) => row.customer).slice(0, topCustomers),
  };
}

/** Reasoning tokens, their share of output and their cost at the catalog's prices. */
export function reasoningFigures(context: FinishContext, tokens: { output: number[] }): ReasoningFigures {
  const usage = context.aggregates.grouping('modelUsage');
  const byModel: ReasoningFigures['byModel'] = [];
  let reasoning = 0;
  let cost = 0;
  let outputCost = 0;
  modelsOf(context).forEach(({ provider, model, price }, id) => {
    const modelReasoning = usage.measure('reasoningTokens')[id] as number;
    if (modelReasoning === 0) return;
    const output = tokens.output[id] as number;
    const costMicros = price === undefined ? 0 : picosToMicros(modelReasoning * price.reasoningPicosPerToken);
    const outputMicros =
      price === undefined
        ? 0
        : costMicros + picosToMicros((output - modelReasoning) * price.outputPicosPerToken);
    reasoning += modelReasoning;
    cost += costMicros;
    outputCost += outputMicros;
    byModel.push({
      provider,
      model,
      reasoningTokens: modelReasoning,
      share: round(shareOf(modelReasoning, output), 6),
      costMicros,
      shareOfOutputCost: round(shareOf(costMicros, outputMicros), 6),
    });
  });
  return {
    reasoningTokens: reasoning,
    outputTokens: context.aggregates.outputTokens,
    share: round(shareOf(reasoning, context.aggregates.outputTokens), 6),
    costMicros: cost,
    outputCostMicros: outputCost,
    shareOfOutputCost: round(shareOf(cost, outputCost), 6),
    byModel: byCost(byModel, (row) => `${row.provider}/${row.model}`),
  };
}

/** Calls, cost and latency quantiles per region (calls with a region), by cost descending. */
export function regionFigures(context: FinishContext): RegionFigures[] {
  const { aggregates } = context;
  const latency = aggregates.grouping('regionLatency').histograms('latency');
  const table = aggregates.grouping('regionProvider');
  const cellRegion = table.keys('region');
  const cellProvider = table.keys('provider');
  const cellCalls = table.measure('calls');
  const cellCost = table.measure('cost');
  const cellLatency = table.measure('latencySum');
  const cellTimed = table.measure('timedCalls');
  const regions = aggregates.values('region').map((region, id) => ({
    region,
    calls: 0,
    costMicros: 0,
    histogram: latency[id] ?? newHistogram(),
    byProvider: [] as RegionFigures['byProvider'],
  }));
  for (let cell = 0; cell < table.size; cell++) {
    const entry = regions[cellRegion[cell] as number] as (typeof regions)[number];
    const calls = cellCalls[cell] as number;
    const cost = cellCost[cell] as number;
    const timed = cellTimed[cell] as number;
    entry.calls += calls;
    entry.costMicros += cost;
    entry.byProvider.push({
      provider: aggregates.values('provider')[cellProvider[cell] as number] as string,
      calls,
      costMicros: cost,
      meanMs: timed === 0 ? null : round((cellLatency[cell] as number) / timed, 2),
    });
  }
  const quantile = (histogram: HistogramData, q: number): number | null =>
    histogram.n === 0 ? null : round(percentile(histogram, q), 1);
  return byCost(
    regions.map(({ histogram, byProvider, ...entry }) => ({
      ...entry,
      p50Ms: quantile(histogram, 0.5),
      p95Ms: quantile(histogram, 0.95),
      p99Ms: quantile(histogram, 0.99),
      byProvider: byCost(byProvider, (row) => row.provider),
    })),
    (row) => row.region,
  );
}

/**
 * The figures of the version-2 fields, from the aggregates: what prompt caching
 * saved (cached tokens at the uncached input price minus the cache-read
 * price), what failed calls cost, reasoning tokens' share of output and
 * their cost, and cost and latency by region.
 */
export function usageFigures(context: FinishContext, topCustomers: number): UsageFigures {
  const tokens = tokensByModel(context);
  const regions = regionFigures(context);
  const untimedByModel = context.aggregates.grouping('modelUsage').measure('untimedCalls');
  let untimed = 0;
  for (let id = 0; id < context.aggregates.values('model').length; id++)
    untimed += untimedByModel[id] as number;
  return {
    caching: cachingFigures(context, tokens),
    failures: failureFigures(context, topCustomers),
    reasoning: reasoningFigures(context, tokens),
    regions,
    callsWithoutRegion: context.aggregates.calls - regions.reduce((sum, region) => sum + region.calls, 0),
    callsWithoutLatency: untimed,
  };
}
