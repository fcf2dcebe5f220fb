import { microsToUsd } from '@finops/schema';
import { type FinishContext, byKey, round, shareOf } from '../../context';
import { type ModelTaskTotals, modelTaskTotals, modelTotals } from '../../groups';
import {
  type HistogramData,
  HISTOGRAM_EXACT_LIMIT,
  HISTOGRAM_RAW_LIMIT,
  HISTOGRAM_RELATIVE_ERROR,
  mergeHistogram,
  newHistogram,
  percentile,
} from '../../histogram';
import { type Recommendation, recommend } from '../../recommend';
import type { AggregateReader } from '../../store/reader';
import type { PerformanceConfig } from './settings';

/** Latency and efficiency figures of a set of calls. */
export interface PerformanceFigures {
  calls: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  /** Output tokens / latency seconds, summed over calls. */
  tokensPerSecond: number;
  costPer1kTokensUsd: number;
  /** Tokens per second / cost per 1K tokens (0 when the cost is 0). */
  efficiencyScore: number;
  /** Share of calls at or under the SLA threshold, 0–1 (of the calls with a latency). */
  slaCompliance: number;
  /** Calls the log gives no latency for: kept out of every latency figure ("no latency data"). */
  callsWithoutLatency: number;
}

/** Figures of one model. */
export interface ModelPerformance extends PerformanceFigures {
  model: string;
  provider: string;
  /** Composite of speed and cost, 0–1 (1 = fastest and cheapest). */
  compositeScore: number;
  slaBreaches: number;
}

/** A latency histogram for charts: bins of fixed width, the last open-ended. */
export interface LatencyHistogram {
  binMs: number;
  /** Lower edge of each bin in ms. */
  edges: number[];
  counts: number[];
}

/** Result of analysis 2: performance tracking. */
export interface PerformanceResult {
  overall: PerformanceFigures;
  byModel: ModelPerformance[];
  rankings: { byCost: string[]; bySpeed: string[]; byComposite: string[] };
  sla: {
    thresholdMs: number;
    compliance: number;
    breaches: number;
    worstModels: { model: string; provider: string; compliance: number; breaches: number }[];
  };
  histograms: { overall: LatencyHistogram; byProvider: ({ provider: string } & LatencyHistogram)[] };
  bestByTaskType: {
    taskType: string;
    model: string;
    provider: string;
    calls: number;
    tokensPerSecond: number;
    costPer1kTokensUsd: number;
    meanMs: number;
    compositeScore: number;
  }[];
  /** How the percentiles are computed. */
  percentileMethod: string;
  recommendations: Recommendation[];
}

/** The sums a group of calls is measured by. */
type Sums = Omit<ModelTaskTotals, 'model' | 'task'>;

function figures(sums: Sums, histogram: HistogramData): PerformanceFigures {
  const tokens = sums.input + sums.output;
  // Speed is measured on the calls with a latency; their output is taken at the group's mean.
  const timedOutput =
    sums.timed === sums.calls ? sums.output : (sums.output * sums.timed) / Math.max(1, sums.calls);
  const tokensPerSecond = sums.latency === 0 ? 0 : (timedOutput * 1000) / sums.latency;
  const costPer1k = tokens === 0 ? 0 : (microsToUsd(sums.cost) / tokens) * 1000;
  return {
    calls: sums.calls,
    meanMs: sums.timed === 0 ? 0 : round(sums.latency / sums.timed, 2),
    p50Ms: round(percentile(histogram, 0.5), 1),
    p95Ms: round(percentile(histogram, 0.95), 1),
    p99Ms: round(percentile(histogram, 0.99), 1),
    tokensPerSecond: round(tokensPerSecond, 2),
    costPer1kTokensUsd: round(costPer1k, 6),
    efficiencyScore: costPer1k === 0 ? 0 : round(tokensPerSecond / costPer1k, 2),
    slaCompliance: round(shareOf(sums.underSla, sums.timed), 6),
    callsWithoutLatency: sums.calls - sums.timed,
  };
}

/** Composite scores: speed relative to the fastest, cost relative to the cheapest, weighted. */
function composite(
  entries: { tokensPerSecond: number; costPer1kTokensUsd: number }[],
  speedWeight: number,
): number[] {
  const fastest = Math.max(0, ...entries.map((entry) => entry.tokensPerSecond));
  const cheapest = Math.min(...entries.map((entry) => entry.costPer1kTokensUsd).filter((cost) => cost > 0));
  return entries.map((entry) => {
    const speed = fastest === 0 ? 0 : entry.tokensPerSecond / fastest;
    const cost =
      entry.costPer1kTokensUsd === 0
        ? 1
        : Number.isFinite(cheapest)
          ? cheapest / entry.costPer1kTokensUsd
          : 0;
    return round(speedWeight * speed + (1 - speedWeight) * cost, 4);
  });
}

function chartOf(bins: readonly number[], binMs: number): LatencyHistogram {
  return { binMs, edges: bins.map((_, index) => index * binMs), counts: bins.slice() };
}

/** Per task type, the model with the highest composite score among those with at least `minCalls` calls there. */
function bestByTaskTypeOf(
  aggregates: AggregateReader,
  groups: readonly ModelTaskTotals[],
  settings: PerformanceConfig,
): PerformanceResult['bestByTaskType'] {
  const bestByTaskType: PerformanceResult['bestByTaskType'] = [];
  aggregates.values('taskType').forEach((taskType, task) => {
    const candidates = groups
      .filter((group) => group.task === task && group.calls >= settings.minCalls)
      .map((group) => {
        const tokens = group.input + group.output;
        return {
          group,
          tokensPerSecond: group.latency === 0 ? 0 : round((group.output * 1000) / group.latency, 2),
          costPer1kTokensUsd: tokens === 0 ? 0 : round((microsToUsd(group.cost) / tokens) * 1000, 6),
        };
      });
    if (candidates.length === 0) return;
    const taskScores = composite(candidates, settings.speedWeight);
    let bestIndex = 0;
    const name = (index: number): string => {
      const group = (candidates[index] as (typeof candidates)[number]).group;
      return `${aggregates.values('provider')[aggregates.modelProviders()[group.model] as number]}/${aggregates.values('model')[group.model]}`;
    };
    taskScores.forEach((score, index) => {
      const bestScore = taskScores[bestIndex] as number;
      if (score > bestScore || (score === bestScore && byKey(name(index), name(bestIndex)) < 0))
        bestIndex = index;
    });
    const best = candidates[bestIndex] as (typeof candidates)[number];
    bestByTaskType.push({
      taskType,
      model: aggregates.values('model')[best.group.model] as string,
      provider: aggregates.values('provider')[
        aggregates.modelProviders()[best.group.model] as number
      ] as string,
      calls: best.group.calls,
      tokensPerSecond: best.tokensPerSecond,
      costPer1kTokensUsd: best.costPer1kTokensUsd,
      meanMs: best.group.timed === 0 ? 0 : round(best.group.latency / best.group.timed, 2),
      compositeScore: taskScores[bestIndex] as number,
    });
  });
  return bestByTaskType;
}

/** Finishes analysis 2. */
export function finishPerformance(context: FinishContext): PerformanceResult {
  const { aggregates, config } = context;
  const settings = config.performance;
  const binMs = settings.latencyBinMs;
  const groups = modelTaskTotals(aggregates);
  const totals = modelTotals(aggregates, groups);
  // One cell per model, in model id order.
  const latency = aggregates.grouping('modelLatency');
  const modelHistograms = latency.histograms('latency');
  const modelBins = latency.bins('latencyBins');
  const overallHistogram = newHistogram();
  const overallSums: Sums = { calls: 0, cost: 0, input: 0, output: 0, latency: 0, underSla: 0, timed: 0 };
  const providerBins = aggregates
    .values('provider')
    .map(() => new Array<number>(settings.latencyBinCount).fill(0));
  const overallBins = new Array<number>(settings.latencyBinCount).fill(0);
  const byModel: ModelPerformance[] = [];
  totals.forEach((sums, model) => {
    if (sums.calls === 0) return;
    const histogram = modelHistograms[model] as HistogramData;
    mergeHistogram(overallHistogram, histogram);
    for (const key of Object.keys(overallSums) as (keyof Sums)[]) overallSums[key] += sums[key];
    const provider = aggregates.modelProviders()[model] as number;
    (modelBins[model] as number[]).forEach((count, bin) => {
      const bins = providerBins[provider] as number[];
      bins[bin] = (bins[bin] as number) + count;
      overallBins[bin] = (overallBins[bin] as number) + count;
    });
    byModel.push({
      model: aggregates.values('model')[model] as string,
      provider: aggregates.values('provider')[provider] as string,
      ...figures(sums, histogram),
      compositeScore: 0,
      slaBreaches: sums.timed - sums.underSla,
    });
  });
  const ranked = byModel.filter((entry) => entry.calls >= settings.minCalls);
  const scores = composite(ranked, settings.speedWeight);
  ranked.forEach((entry, index) => (entry.compositeScore = scores[index] as number));
  byModel.sort((a, b) => b.calls - a.calls || byKey(a.provider, b.provider) || byKey(a.model, b.model));
  const label = (entry: ModelPerformance): string => `${entry.provider}/${entry.model}`;
  const tie = (a: ModelPerformance, b: ModelPerformance): number => byKey(label(a), label(b));
  const rankings = {
    byCost: ranked
      .slice()
      .sort((a, b) => a.costPer1kTokensUsd - b.costPer1kTokensUsd || tie(a, b))
      .map(label),
    bySpeed: ranked
      .slice()
      .sort((a, b) => b.tokensPerSecond - a.tokensPerSecond || tie(a, b))
      .map(label),
    byComposite: ranked
      .slice()
      .sort((a, b) => b.compositeScore - a.compositeScore || tie(a, b))
      .map(label),
  };
  const worstModels = byModel
    .filter((entry) => entry.slaBreaches > 0)
    .sort((a, b) => a.slaCompliance - b.slaCompliance || b.slaBreaches - a.slaBreaches || tie(a, b))
    .slice(0, settings.worstSlaModels)
    .map((entry) => ({
      model: entry.model,
      provider: entry.provider,
      compliance: entry.slaCompliance,
      breaches: entry.slaBreaches,
    }));

  const bestByTaskType = bestByTaskTypeOf(aggregates, groups, settings);

  const overall = figures(overallSums, overallHistogram);
  const recommendations: Recommendation[] = [];
  const worst = worstModels[0];
  if (worst && worst.compliance < 0.95) {
    recommendations.push(
      recommend(
        '{model} ({provider}) meets the {thresholdMs} ms SLA on only {compliancePct} of calls ({breaches} breaches).',
        {
          model: worst.model,
          provider: worst.provider,
          thresholdMs: settings.slaMs,
          compliancePct: worst.compliance * 100,
          breaches: worst.breaches,
        },
      ),
    );
  }
  for (const best of bestByTaskType) {
    recommendations.push(
      recommend(
        'Best model for {taskType}: {model} ({provider}), {tokensPerSecond} tokens/s at {costPer1kMicros} per thousand tokens.',
        {
          taskType: best.taskType,
          model: best.model,
          provider: best.provider,
          tokensPerSecond: best.tokensPerSecond,
          costPer1kMicros: Math.round(best.costPer1kTokensUsd * 1e6),
        },
      ),
    );
  }
  return {
    overall,
    byModel,
    rankings,
    sla: {
      thresholdMs: settings.slaMs,
      compliance: overall.slaCompliance,
      breaches: overallSums.timed - overallSums.underSla,
      worstModels,
    },
    histograms: {
      overall: chartOf(overallBins, binMs),
      byProvider: aggregates
        .values('provider')
        .map((provider, index) => ({ provider, ...chartOf(providerBins[index] as number[], binMs) }))
        .filter((entry) => entry.counts.some((count) => count > 0)),
    },
    bestByTaskType,
    percentileMethod: `nearest rank; exact for groups of at most ${HISTOGRAM_RAW_LIMIT} calls and for latencies under ${HISTOGRAM_EXACT_LIMIT} ms, otherwise from logarithmic buckets within ${round(HISTOGRAM_RELATIVE_ERROR * 100, 2)} % relative error`,
    recommendations,
  };
}
