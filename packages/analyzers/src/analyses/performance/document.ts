import type { MetricCard, ReportBlock, ReportDocument, ReportSection, ScatterSeries } from '@finops/schema';
import type { LatencyHistogram, ModelPerformance, PerformanceResult } from './finish';
import type { AnalysisMeta } from '../../engine';
import { bucketedRowsNote } from '../../documents/limits';
import { ABOUT_PERFORMANCE } from './about';
import {
  type DocumentOptions,
  type ResolvedDocumentOptions,
  categoryChart,
  col,
  count,
  countCard,
  moneyOfUsd,
  percentOfShare,
  percent,
  percentCard,
  plural,
  recommendationsBlock,
  resolveDocumentOptions,
  standardDocument,
  table,
  textCard,
} from '../../documents/shared';

/** What the performance analysis cannot compute from bucketed rows (stated on the page and in the docs). */
export const PERFORMANCE_BUCKETED_LIMITS = [
  "latency percentiles, SLA compliance and speed of single calls: each row's calls are counted at the row's mean latency, so a slow call inside a bucket is not seen",
];

const modelLabel = (entry: { provider: string; model: string }): string => `${entry.provider}/${entry.model}`;

/** The bins of a histogram up to its last non-empty one, labelled `0–250 ms`, the open last bin `≥ 9,750 ms`. */
function histogramBins(histogram: LatencyHistogram, last: number): string[] {
  return histogram.edges
    .slice(0, last + 1)
    .map((edge, index) =>
      index === histogram.counts.length - 1
        ? `≥ ${count(edge)} ms`
        : `${count(edge)}–${count(edge + histogram.binMs)} ms`,
    );
}

function lastNonEmpty(counts: readonly number[]): number {
  for (let index = counts.length - 1; index >= 0; index--) if ((counts[index] as number) > 0) return index;
  return -1;
}

function distributionBlocks(result: PerformanceResult): ReportBlock[] {
  const { overall, byProvider } = result.histograms;
  const last = Math.max(
    lastNonEmpty(overall.counts),
    ...byProvider.map((entry) => lastNonEmpty(entry.counts)),
  );
  if (last < 0) return [];
  const labels = histogramBins(overall, last);
  const blocks: ReportBlock[] = [
    categoryChart(
      'bar',
      'Latency distribution',
      `Number of calls by latency, in bins of ${count(overall.binMs)} ms; the last bin of the histogram is open-ended.`,
      labels,
      [{ label: 'Calls', values: overall.counts.slice(0, last + 1) }],
      { xAxis: { title: 'Latency' }, yAxis: { title: 'Calls', format: 'number' } },
    ),
  ];
  if (byProvider.length > 1) {
    blocks.push(
      categoryChart(
        'stacked-bar',
        'Latency distribution by provider',
        `Number of calls of each provider by latency, in bins of ${count(overall.binMs)} ms.`,
        labels,
        byProvider.map((entry) => ({ label: entry.provider, values: entry.counts.slice(0, last + 1) })),
        { xAxis: { title: 'Latency' }, yAxis: { title: 'Calls', format: 'number' } },
      ),
    );
  }
  return blocks;
}

function costSpeedScatter(models: readonly ModelPerformance[]): ReportBlock[] {
  const providers = [...new Set(models.map((entry) => entry.provider))].sort();
  const series: ScatterSeries[] = providers.map((provider) => ({
    label: provider,
    points: models
      .filter((entry) => entry.provider === provider)
      .map((entry) => ({ x: entry.costPer1kTokensUsd, y: entry.tokensPerSecond, label: modelLabel(entry) })),
  }));
  if (models.length === 0) return [];
  return [
    {
      kind: 'chart',
      chart: 'scatter',
      title: 'Cost versus speed',
      description:
        'Each model by its cost per thousand tokens (across) and its output tokens per second (up): cheap and fast is top left.',
      series,
      xAxis: { title: 'Cost per 1K tokens', format: 'money', decimals: 4 },
      yAxis: { title: 'Tokens per second', format: 'number', decimals: 1 },
    },
  ];
}

/** The figures every part of the performance page reads. */
interface PerformancePage {
  readonly result: PerformanceResult;
  readonly settings: ResolvedDocumentOptions;
  /** The busiest models, as many as a chart shows. */
  readonly chartModels: readonly ModelPerformance[];
}

/** The headline cards: latency, SLA compliance, throughput, cost per thousand tokens and the best model. */
function performanceMetrics(result: PerformanceResult): MetricCard[] {
  const { overall, sla, rankings } = result;
  const best = rankings.byComposite[0];
  return [
    {
      label: 'Median latency',
      value: `${count(overall.p50Ms)} ms`,
      rawValue: overall.p50Ms,
      detail: `mean ${count(overall.meanMs)} ms`,
    },
    {
      label: 'p95 latency',
      value: `${count(overall.p95Ms)} ms`,
      rawValue: overall.p95Ms,
      detail: `p99 ${count(overall.p99Ms)} ms`,
    },
    percentCard(
      'SLA compliance',
      percentOfShare(sla.compliance),
      `${plural(sla.breaches, 'call')} over ${count(sla.thresholdMs)} ms`,
    ),
    countCard('Tokens per second', overall.tokensPerSecond, 'output tokens over latency, all calls', 1),
    {
      label: 'Cost per 1K tokens',
      value: moneyOfUsd(overall.costPer1kTokensUsd, 4),
      rawValue: overall.costPer1kTokensUsd,
      detail: `efficiency score ${count(overall.efficiencyScore)}`,
    },
    textCard('Best overall model', best ?? 'none', best ? 'by composite of speed and cost' : 'too few calls'),
  ];
}

/** Latency, throughput, cost and SLA compliance of the busiest models, with the whole log as the footer. */
function modelTableOf({ result, settings }: PerformancePage): ReportBlock {
  const { overall, byModel } = result;
  const shown = byModel.slice(0, settings.topN);
  return table(
    'Latency and efficiency by model',
    'Calls, latency percentiles, throughput, cost per thousand tokens, efficiency and SLA compliance of each model, busiest first.',
    [
      col.text('Model'),
      col.text('Provider'),
      col.number('Calls'),
      col.number('Mean (ms)'),
      col.number('p50 (ms)'),
      col.number('p95 (ms)'),
      col.number('p99 (ms)'),
      col.number('Tokens/s', 1),
      col.money('Cost per 1K tokens', 4),
      col.number('Efficiency score'),
      col.percent('SLA compliance'),
      col.number('Composite score', 2),
    ],
    shown.map((entry) => [
      entry.model,
      entry.provider,
      entry.calls,
      entry.meanMs,
      entry.p50Ms,
      entry.p95Ms,
      entry.p99Ms,
      entry.tokensPerSecond,
      entry.costPer1kTokensUsd,
      entry.efficiencyScore,
      percentOfShare(entry.slaCompliance),
      entry.compositeScore,
    ]),
    {
      footer: [
        'All models',
        '',
        overall.calls,
        overall.meanMs,
        overall.p50Ms,
        overall.p95Ms,
        overall.p99Ms,
        overall.tokensPerSecond,
        overall.costPer1kTokensUsd,
        overall.efficiencyScore,
        percentOfShare(overall.slaCompliance),
        null,
      ],
      note:
        byModel.length > settings.topN
          ? `The ${count(settings.topN)} busiest of ${count(byModel.length)} models.`
          : undefined,
    },
  );
}

/** The models section: the percentile chart, the model table and how percentiles are computed. */
function modelSectionOf(page: PerformancePage): ReportSection {
  const { result, chartModels } = page;
  const { overall, byModel } = result;
  const percentileChart = categoryChart(
    'bar',
    'Latency percentiles by model',
    `p50, p95 and p99 latency of the ${plural(chartModels.length, 'busiest model')}, in milliseconds.`,
    chartModels.map(modelLabel),
    [
      { label: 'p50', values: chartModels.map((entry) => entry.p50Ms) },
      { label: 'p95', values: chartModels.map((entry) => entry.p95Ms) },
      { label: 'p99', values: chartModels.map((entry) => entry.p99Ms) },
    ],
    { xAxis: { title: 'Model' }, yAxis: { title: 'Latency (ms)', format: 'number' } },
  );
  return {
    title: 'Models',
    intro: `${plural(byModel.length, 'model')} over ${plural(overall.calls, 'call')}.`,
    blocks:
      byModel.length === 0
        ? []
        : [
            percentileChart,
            modelTableOf(page),
            { kind: 'text', paragraphs: [`Percentiles: ${result.percentileMethod}.`] },
          ],
  };
}

/** The cost-against-speed scatter and the rankings by cost, speed and composite. */
function costSpeedSectionOf({ result, settings }: PerformancePage): ReportSection {
  const { byModel, rankings } = result;
  const rankingRows = Math.min(
    settings.topN,
    Math.max(rankings.byCost.length, rankings.bySpeed.length, rankings.byComposite.length),
  );
  return {
    title: 'Cost versus speed',
    intro:
      'Rankings count only models with enough calls; the composite weighs speed against the fastest and cost against the cheapest.',
    blocks: [
      ...costSpeedScatter(byModel.filter((entry) => entry.calls > 0)),
      ...(rankingRows === 0
        ? []
        : [
            table(
              'Rankings',
              'Models ranked by cost per thousand tokens (cheapest first), by speed (fastest first) and by the composite score.',
              [col.number('Rank'), col.text('By cost'), col.text('By speed'), col.text('By composite')],
              Array.from({ length: rankingRows }, (_, index) => [
                index + 1,
                rankings.byCost[index] ?? null,
                rankings.bySpeed[index] ?? null,
                rankings.byComposite[index] ?? null,
              ]),
              {
                note:
                  rankingRows < rankings.byComposite.length
                    ? `The first ${count(rankingRows)} of ${count(rankings.byComposite.length)} ranked models.`
                    : undefined,
              },
            ),
          ]),
    ],
  };
}

/** SLA compliance of the busiest models and the models that break it most. */
function slaSectionOf({ result, chartModels }: PerformancePage): ReportSection {
  const { sla } = result;
  const slaChart = categoryChart(
    'bar',
    'SLA compliance by model',
    `Share of each model's calls at or under ${count(sla.thresholdMs)} ms, for the ${plural(chartModels.length, 'busiest model')}.`,
    chartModels.map(modelLabel),
    [{ label: 'SLA compliance', values: chartModels.map((entry) => percentOfShare(entry.slaCompliance)) }],
    { xAxis: { title: 'Model' }, yAxis: { title: 'Calls within SLA', format: 'percent' }, horizontal: true },
  );
  return {
    title: 'SLA compliance',
    intro: `${percent(percentOfShare(sla.compliance))} of calls finished within ${count(sla.thresholdMs)} ms; ${plural(
      sla.breaches,
      'call',
    )} did not.`,
    blocks: [
      ...(chartModels.length > 0 ? [slaChart] : []),
      table(
        'Models that break the SLA most',
        `Models with the lowest share of calls within ${count(sla.thresholdMs)} ms.`,
        [col.text('Model'), col.text('Provider'), col.percent('Compliance'), col.number('Breaches')],
        sla.worstModels.map((entry) => [
          entry.model,
          entry.provider,
          percentOfShare(entry.compliance),
          entry.breaches,
        ]),
      ),
    ],
  };
}

/** The best model by composite score for each task type. */
function bestByTaskTypeSectionOf(result: PerformanceResult): ReportSection {
  return {
    title: 'Best model per task type',
    intro:
      'The model with the best composite of speed and cost for each task type, among models with enough calls.',
    blocks: [
      table(
        'Best model per task type',
        'For each task type, the best model by composite score and its figures on that task.',
        [
          col.text('Task type'),
          col.text('Model'),
          col.text('Provider'),
          col.number('Calls'),
          col.number('Tokens/s', 1),
          col.money('Cost per 1K tokens', 4),
          col.number('Mean (ms)'),
          col.number('Composite score', 2),
        ],
        result.bestByTaskType.map((entry) => [
          entry.taskType,
          entry.model,
          entry.provider,
          entry.calls,
          entry.tokensPerSecond,
          entry.costPer1kTokensUsd,
          entry.meanMs,
          entry.compositeScore,
        ]),
      ),
    ],
  };
}

/** The "Performance Tracking" document of analysis 2. */
export function performanceDocument(
  result: PerformanceResult,
  meta: AnalysisMeta,
  options: DocumentOptions = {},
): ReportDocument {
  const settings = resolveDocumentOptions(options);
  const page: PerformancePage = {
    result,
    settings,
    chartModels: result.byModel.slice(0, settings.chartTopN),
  };
  return standardDocument(ABOUT_PERFORMANCE, meta, performanceMetrics(result), [
    modelSectionOf(page),
    costSpeedSectionOf(page),
    slaSectionOf(page),
    {
      title: 'Latency distribution',
      intro: 'How long calls take, overall and by provider.',
      blocks: distributionBlocks(result),
    },
    bestByTaskTypeSectionOf(result),
    { title: 'Limits of the data', blocks: bucketedRowsNote(meta, PERFORMANCE_BUCKETED_LIMITS) },
    {
      title: 'Recommendations',
      blocks: [recommendationsBlock(result.recommendations, 'Every model meets the SLA; nothing to act on.')],
    },
  ]);
}
