import type { ReportBlock, ReportDocument, ReportSection, TableCell } from '@finops/schema';
import type {
  BreakdownDimension,
  BreakdownRow,
  DriverDimension,
  PeriodSeries,
  UnderstandingResult,
} from './finish';
import type { AnalysisMeta } from '../../engine';
import { bucketedRowsNote } from '../../documents/limits';
import { ABOUT_UNDERSTANDING } from './about';
import {
  type DocumentOptions,
  type ResolvedDocumentOptions,
  categoryChart,
  chartTop,
  col,
  count,
  countCard,
  money,
  moneyCard,
  moneyOfUsd,
  percentOfShare,
  percent,
  plural,
  recommendationsBlock,
  resolveDocumentOptions,
  standardDocument,
  sum,
  table,
  topWithRest,
  usd,
} from '../../documents/shared';

/** What the understanding analysis cannot compute from bucketed rows (stated on the page and in the docs). */
export const UNDERSTANDING_BUCKETED_LIMITS = [
  "the hour of day and weekday of single calls: a row's calls all fall at the row's timestamp (a daily bucket puts them all at its start)",
  "latency figures of single calls: each row's calls are counted at the row's mean latency",
];

/** How each breakdown dimension is named on the page: singular, plural. */
const DIMENSION_NAMES: Record<BreakdownDimension, [string, string]> = {
  provider: ['Provider', 'providers'],
  model: ['Model', 'models'],
  customer: ['Customer', 'customers'],
  organization: ['Organization', 'organizations'],
  product: ['Product', 'products'],
  feature: ['Feature', 'features'],
  taskType: ['Task type', 'task types'],
  environment: ['Environment', 'environments'],
  tier: ['Tier', 'tiers'],
};

/**
 * A breakdown as a table (top N rows and one row for all the others, with a
 * total footer, so that the cost column adds up to the total) and a chart.
 */
function breakdownBlocks(
  dimension: BreakdownDimension,
  rows: readonly BreakdownRow[],
  totals: UnderstandingResult['totals'],
  options: ResolvedDocumentOptions,
  chart: 'bar' | 'doughnut',
): ReportBlock[] {
  const [singular, pluralName] = DIMENSION_NAMES[dimension];
  const toRow = (row: BreakdownRow): TableCell[] => [
    row.key,
    row.calls,
    usd(row.costMicros),
    percentOfShare(row.share),
    row.inputTokens,
    row.outputTokens,
  ];
  const tableRows = topWithRest(rows, options.topN, toRow, (rest) => {
    const cost = sum(rest, (row) => row.costMicros);
    return [
      `All other ${plural(rest.length, singular.toLowerCase(), pluralName)}`,
      sum(rest, (row) => row.calls),
      usd(cost),
      totals.costMicros === 0 ? 0 : (cost / totals.costMicros) * 100,
      sum(rest, (row) => row.inputTokens),
      sum(rest, (row) => row.outputTokens),
    ];
  });
  const shown = chartTop(
    rows,
    options.chartTopN,
    (row) => row.key,
    (row) => usd(row.costMicros),
    chart === 'doughnut',
  );
  const blocks: ReportBlock[] = [];
  if (rows.length > 0) {
    blocks.push(
      categoryChart(
        chart,
        `Cost by ${singular.toLowerCase()}`,
        rows.length > options.chartTopN && chart === 'bar'
          ? `AI cost of the ${count(options.chartTopN)} costliest ${pluralName} of ${count(rows.length)}, in dollars.`
          : `AI cost of each of the ${plural(rows.length, singular.toLowerCase(), pluralName)}, in dollars.`,
        shown.labels,
        [{ label: 'Cost', values: shown.values }],
        chart === 'bar'
          ? { xAxis: { title: singular }, yAxis: { title: 'Cost', format: 'money' }, horizontal: true }
          : { xAxis: { title: singular }, yAxis: { title: 'Cost', format: 'money' } },
      ),
    );
  }
  blocks.push(
    table(
      `${singular} breakdown`,
      `Calls, cost, share of cost and tokens by ${singular.toLowerCase()}, costliest first.`,
      [
        col.text(singular),
        col.number('Calls'),
        col.money('Cost'),
        col.percent('Share of cost'),
        col.number('Input tokens'),
        col.number('Output tokens'),
      ],
      tableRows,
      {
        footer: [
          'Total',
          totals.calls,
          usd(totals.costMicros),
          totals.costMicros === 0 ? 0 : 100,
          totals.inputTokens,
          totals.outputTokens,
        ],
        note:
          rows.length > options.topN
            ? `The first ${count(options.topN)} of ${count(rows.length)} ${pluralName}; the others are summed in one row.`
            : undefined,
      },
    ),
  );
  return blocks;
}

function timeSection(result: UnderstandingResult): ReportSection {
  const days = result.daily.map((entry) => entry.day);
  const blocks: ReportBlock[] = [];
  if (days.length > 0) {
    blocks.push(
      categoryChart(
        'line',
        'Daily cost',
        `AI cost of each UTC day of the window (${plural(days.length, 'day')}), in dollars.`,
        days,
        [{ label: 'Daily cost', values: result.daily.map((entry) => entry.costUsd) }],
        { xAxis: { title: 'Day' }, yAxis: { title: 'Cost', format: 'money' } },
      ),
      categoryChart(
        'line',
        'Cumulative cost',
        'AI cost summed from the first day of the window to each day, in dollars.',
        days,
        [{ label: 'Cumulative cost', values: result.daily.map((entry) => entry.cumulativeUsd) }],
        { xAxis: { title: 'Day' }, yAxis: { title: 'Cost', format: 'money' } },
      ),
    );
  }
  const hours = result.byHour.map((entry) => `${String(entry.hour).padStart(2, '0')}:00`);
  const weekdays = result.byWeekday.map((entry) => entry.name);
  blocks.push(
    categoryChart(
      'bar',
      'Cost by hour of day',
      'AI cost of all calls by the UTC hour they started in, in dollars.',
      hours,
      [{ label: 'Cost', values: result.byHour.map((entry) => usd(entry.costMicros)) }],
      { xAxis: { title: 'Hour (UTC)' }, yAxis: { title: 'Cost', format: 'money' } },
    ),
    categoryChart(
      'bar',
      'Calls by hour of day',
      'Number of calls by the UTC hour they started in.',
      hours,
      [{ label: 'Calls', values: result.byHour.map((entry) => entry.calls) }],
      { xAxis: { title: 'Hour (UTC)' }, yAxis: { title: 'Calls', format: 'number' } },
    ),
    categoryChart(
      'bar',
      'Cost by day of week',
      'AI cost of all calls by UTC day of the week, in dollars.',
      weekdays,
      [{ label: 'Cost', values: result.byWeekday.map((entry) => usd(entry.costMicros)) }],
      { xAxis: { title: 'Day of week' }, yAxis: { title: 'Cost', format: 'money' } },
    ),
    categoryChart(
      'bar',
      'Calls by day of week',
      'Number of calls by UTC day of the week.',
      weekdays,
      [{ label: 'Calls', values: result.byWeekday.map((entry) => entry.calls) }],
      { xAxis: { title: 'Day of week' }, yAxis: { title: 'Calls', format: 'number' } },
    ),
  );
  return {
    title: 'Over time',
    intro: 'Daily and cumulative cost, and when in the day and the week the money is spent.',
    blocks,
  };
}

function forecastSection(result: UnderstandingResult): ReportSection {
  const { forecast } = result;
  const confidence = percent(forecast.confidence * 100, 0);
  const horizons = [
    ['Next 30 days', 30, forecast.days30],
    ['Next 90 days', 90, forecast.days90],
    ['Next 365 days', 365, forecast.days365],
  ] as const;
  const slope = forecast.slopeUsdPerDay;
  return {
    title: 'Forecast',
    intro: `Projected AI cost, from ${plural(forecast.basedOnDays, 'day')} of data.`,
    blocks: [
      {
        kind: 'text',
        paragraphs: [
          `Method: ${forecast.method}, with a ${confidence} prediction interval. ` +
            `Trend: ${slope < 0 ? '-' : '+'}${moneyOfUsd(Math.abs(slope), 4)} a day. ` +
            `Run-rate: ${moneyOfUsd(forecast.runRateMonthlyUsd)} a month (the window's cost × 30 / its days).`,
        ],
      },
      table(
        'Projections',
        `Expected cost for each horizon with its ${confidence} prediction interval, beside the plain run-rate.`,
        [
          col.text('Horizon'),
          col.money('Expected'),
          col.money(`Low (${confidence})`),
          col.money(`High (${confidence})`),
          col.money('At run-rate'),
        ],
        horizons.map(([label, days, horizon]) => [
          label,
          horizon.expectedUsd,
          horizon.lowUsd,
          horizon.highUsd,
          (forecast.runRateMonthlyUsd * days) / 30,
        ]),
      ),
      categoryChart(
        'bar',
        'Forecast by horizon',
        `Expected cost over the next 30, 90 and 365 days with the low and high ends of the ${confidence} interval, in dollars.`,
        horizons.map(([label]) => label),
        [
          { label: 'Low', values: horizons.map(([, , horizon]) => horizon.lowUsd) },
          { label: 'Expected', values: horizons.map(([, , horizon]) => horizon.expectedUsd) },
          { label: 'High', values: horizons.map(([, , horizon]) => horizon.highUsd) },
        ],
        { xAxis: { title: 'Horizon' }, yAxis: { title: 'Cost', format: 'money' } },
      ),
    ],
  };
}

function efficiencySection(result: UnderstandingResult, options: ResolvedDocumentOptions): ReportSection {
  const { efficiency } = result;
  const byModel = efficiency.byModel;
  const models = byModel.slice(0, options.chartTopN);
  const blocks: ReportBlock[] = [
    {
      kind: 'text',
      paragraphs: [
        `On average a call uses ${count(efficiency.avgTokensPerCall, 2)} tokens (input and output).`,
      ],
    },
  ];
  if (models.length > 0) {
    blocks.push(
      categoryChart(
        'bar',
        'Cost per 1K tokens by model',
        byModel.length > models.length
          ? `Dollars per thousand tokens of the ${count(models.length)} dearest models of ${count(byModel.length)}.`
          : 'Dollars per thousand tokens (input and output) of each model.',
        models.map((entry) => `${entry.provider}/${entry.model}`),
        [{ label: 'Cost per 1K tokens', values: models.map((entry) => entry.costPer1kTokensUsd) }],
        {
          xAxis: { title: 'Model' },
          yAxis: { title: 'Cost per 1K tokens', format: 'money', decimals: 4 },
          horizontal: true,
        },
      ),
    );
  }
  blocks.push(
    table(
      'By provider',
      'Cost per thousand tokens and tokens per call of each provider, dearest first.',
      [col.text('Provider'), col.money('Cost per 1K tokens', 4), col.number('Tokens per call', 1)],
      efficiency.byProvider.map((entry) => [
        entry.provider,
        entry.costPer1kTokensUsd,
        entry.avgTokensPerCall,
      ]),
    ),
    table(
      'By model',
      'Cost per thousand tokens and tokens per call of each model, dearest first.',
      [
        col.text('Model'),
        col.text('Provider'),
        col.money('Cost per 1K tokens', 4),
        col.number('Tokens per call', 1),
      ],
      byModel
        .slice(0, options.topN)
        .map((entry) => [entry.model, entry.provider, entry.costPer1kTokensUsd, entry.avgTokensPerCall]),
      {
        note:
          byModel.length > options.topN
            ? `The first ${count(options.topN)} of ${count(byModel.length)} models.`
            : undefined,
      },
    ),
    table(
      'By task type',
      'Input and output tokens per call of each task type and their ratio.',
      [
        col.text('Task type'),
        col.number('Input tokens per call', 1),
        col.number('Output tokens per call', 1),
        col.number('Input / output', 2),
      ],
      efficiency.byTaskType.map((entry) => [
        entry.taskType,
        entry.avgInputTokens,
        entry.avgOutputTokens,
        entry.inputOutputRatio,
      ]),
    ),
  );
  return {
    title: 'Token efficiency',
    intro: 'What a thousand tokens cost at each provider and model, and how many tokens the work takes.',
    blocks,
  };
}

/** The "Understanding Usage & Cost" document of analysis 1. */
export function understandingDocument(
  result: UnderstandingResult,
  meta: AnalysisMeta,
  options: DocumentOptions = {},
): ReportDocument {
  const settings = resolveDocumentOptions(options);
  const { totals, breakdowns, forecast } = result;
  const metrics = [
    moneyCard('Total cost', totals.costMicros, `over ${plural(totals.windowDays, 'day')}`),
    countCard('Calls', totals.calls, `${moneyOfUsd(totals.avgCostPerCallUsd, 4)} a call on average`),
    countCard(
      'Tokens',
      totals.totalTokens,
      `${count(totals.inputTokens)} input, ${count(totals.outputTokens)} output`,
    ),
    countCard('Customers', totals.customers, `${plural(breakdowns.organization.length, 'organization')}`),
    {
      label: 'Daily burn',
      value: moneyOfUsd(totals.dailyBurnUsd),
      rawValue: totals.dailyBurnUsd,
      detail: `run-rate ${moneyOfUsd(totals.runRateMonthlyUsd)} a month`,
    },
    {
      label: '30-day forecast',
      value: moneyOfUsd(forecast.days30.expectedUsd),
      rawValue: forecast.days30.expectedUsd,
      detail: `${moneyOfUsd(forecast.days30.lowUsd)} to ${moneyOfUsd(forecast.days30.highUsd)} (${percent(forecast.confidence * 100, 0)} interval)`,
    },
  ];
  const top = result.topCustomers;
  const sections: ReportSection[] = [
    {
      title: 'Where the money goes',
      intro: `${money(totals.costMicros)} over ${plural(totals.calls, 'call')}, by provider and by model.`,
      blocks: [
        ...breakdownBlocks('provider', breakdowns.provider, totals, settings, 'doughnut'),
        ...breakdownBlocks('model', breakdowns.model, totals, settings, 'bar'),
      ],
    },
    {
      title: 'Customers',
      intro:
        top.rest.customers > 0
          ? `The ${count(top.top.length)} costliest customers account for ${percent(
              (1 - top.rest.share) * 100,
            )} of cost; the other ${count(top.rest.customers)} for ${percent(top.rest.share * 100)}.`
          : `All ${plural(totals.customers, 'customer')} by cost.`,
      blocks: breakdownBlocks('customer', breakdowns.customer, totals, settings, 'bar'),
    },
    {
      title: 'Organizations, products and features',
      intro: 'Who inside the company spends, on which product and which feature.',
      blocks: [
        ...breakdownBlocks('organization', breakdowns.organization, totals, settings, 'bar'),
        ...breakdownBlocks('product', breakdowns.product, totals, settings, 'bar'),
        ...breakdownBlocks('feature', breakdowns.feature, totals, settings, 'bar'),
      ],
    },
    {
      title: 'Task types, environments and tiers',
      intro: 'What the calls do, where they run, and the plans of the customers they serve.',
      blocks: [
        ...breakdownBlocks('taskType', breakdowns.taskType, totals, settings, 'bar'),
        ...breakdownBlocks('environment', breakdowns.environment, totals, settings, 'doughnut'),
        ...breakdownBlocks('tier', breakdowns.tier, totals, settings, 'doughnut'),
      ],
    },
    usageSection(result, settings),
    timeSection(result),
    periodSection(result, meta),
    forecastSection(result),
    efficiencySection(result, settings),
    { title: 'Limits of the data', blocks: bucketedRowsNote(meta, UNDERSTANDING_BUCKETED_LIMITS) },
    {
      title: 'Recommendations',
      blocks: [recommendationsBlock(result.recommendations, 'Nothing to act on in this window.')],
    },
  ];
  return standardDocument(ABOUT_UNDERSTANDING, meta, metrics, sections);
}

/** How each driver dimension is named on the page: singular, plural. */
const DRIVER_NAMES: Record<DriverDimension, [label: string, one: string, many: string]> = {
  provider: ['Provider', 'provider', 'providers'],
  model: ['Model', 'model', 'models'],
  customer: ['Customer', 'customer', 'customers'],
  feature: ['Feature', 'feature', 'features'],
};

/** A signed amount of dollars, `+$1.00` or `-$1.00`. */
function signedMoney(micros: number): string {
  return micros > 0 ? `+${money(micros)}` : money(micros);
}

/** The blocks of one kind of period: cost per period, the table of periods and the drivers of the latest change. */
function periodBlocks(series: PeriodSeries): ReportBlock[] {
  const noun = series.kind === 'month' ? 'month' : 'week';
  const title = series.kind === 'month' ? 'Cost by calendar month' : 'Cost by ISO week';
  const { periods, comparison } = series;
  if (periods.length === 0) return [];
  const blocks: ReportBlock[] = [
    categoryChart(
      'bar',
      title,
      `Cost of each ${noun} the window touches (UTC), in dollars; the first and last may be partial.`,
      periods.map((row) => row.period),
      [{ label: 'Cost', values: periods.map((row) => usd(row.costMicros)) }],
      {
        xAxis: { title: series.kind === 'month' ? 'Month' : 'Week' },
        yAxis: { title: 'Cost', format: 'money' },
      },
    ),
    table(
      `${title}: change against the ${noun} before`,
      `Each ${noun} with the days the log covers, its calls and cost, and the change against the ${noun} before.`,
      [
        col.text(series.kind === 'month' ? 'Month' : 'Week'),
        col.text('From'),
        col.text('To'),
        col.number('Days covered'),
        col.text('Complete'),
        col.number('Calls'),
        col.money('Cost'),
        col.money('Change'),
        col.percent('Change %'),
      ],
      periods.map((row) => [
        row.period,
        row.from,
        row.to,
        row.days,
        row.complete ? 'yes' : 'no',
        row.calls,
        usd(row.costMicros),
        row.changeMicros === null ? null : usd(row.changeMicros),
        row.changePct,
      ]),
      {
        footer: [
          'Window',
          '',
          '',
          sum(periods, (row) => row.days),
          '',
          sum(periods, (row) => row.calls),
          usd(sum(periods, (row) => row.costMicros)),
          null,
          null,
        ],
      },
    ),
  ];
  if (comparison === null) {
    blocks.push({ kind: 'text', paragraphs: [series.note ?? ''] });
    return blocks;
  }
  const rows: TableCell[][] = [];
  for (const drivers of comparison.drivers) {
    const [singular, one, many] = DRIVER_NAMES[drivers.dimension];
    for (const row of drivers.top)
      rows.push([
        singular,
        row.key,
        usd(row.previousMicros),
        usd(row.currentMicros),
        usd(row.changeMicros),
        comparison.changeMicros === 0 ? null : (row.changeMicros / comparison.changeMicros) * 100,
      ]);
    if (drivers.others.keys > 0)
      rows.push([
        singular,
        `All other ${plural(drivers.others.keys, one, many)}`,
        usd(drivers.others.previousMicros),
        usd(drivers.others.currentMicros),
        usd(drivers.others.changeMicros),
        comparison.changeMicros === 0 ? null : (drivers.others.changeMicros / comparison.changeMicros) * 100,
      ]);
  }
  blocks.push(
    table(
      `What drove the change from ${comparison.previous} to ${comparison.current}`,
      `The cost of ${comparison.current} against ${comparison.previous} (${signedMoney(comparison.changeMicros)}${
        comparison.changePct === null
          ? ''
          : `, ${comparison.changePct > 0 ? '+' : ''}${percent(comparison.changePct)}`
      }), split by provider, by model, by customer and by feature: within each, the rows add up to the change exactly.`,
      [
        col.text('By'),
        col.text('Key'),
        col.money(comparison.previous),
        col.money(comparison.current),
        col.money('Change'),
        col.percent('Share of change'),
      ],
      rows,
      {
        footer: [
          'Each dimension',
          'All keys',
          usd(comparison.previousMicros),
          usd(comparison.currentMicros),
          usd(comparison.changeMicros),
          comparison.changeMicros === 0 ? null : 100,
        ],
        note: 'The last two complete periods are compared; the keys whose cost moved most are named and every other key is summed in one line.',
      },
    ),
  );
  return blocks;
}

/** What the period section cannot compute from bucketed rows. */
export const PERIODS_BUCKETED_LIMITS = [
  "the split of a bucket's calls between periods: a row counts whole in the month and week of its timestamp, so a bucket that spans a period's boundary counts in the period it starts in",
];

/** Period over period: cost by calendar month and by ISO week, and what drove the latest change. */
function periodSection(result: UnderstandingResult, meta: AnalysisMeta): ReportSection {
  const { months, weeks } = result.periods;
  const latest = months.comparison ?? weeks.comparison;
  return {
    title: 'Period over period',
    intro:
      latest === null
        ? 'Cost by calendar month and by ISO week (UTC). The log is too short to compare two complete periods.'
        : `Cost by calendar month and by ISO week (UTC), and which providers, models, customers and features drove the change between the last two complete periods: ${latest.current} cost ${signedMoney(
            latest.changeMicros,
          )} against ${latest.previous}.`,
    blocks: [
      ...bucketedRowsNote(meta, PERIODS_BUCKETED_LIMITS),
      ...periodBlocks(months),
      ...periodBlocks(weeks),
    ],
  };
}

/** Prompt caching, failed calls, reasoning tokens and regions: what the log's version-2 columns show, or what to log. */
function usageSection(result: UnderstandingResult, settings: ResolvedDocumentOptions): ReportSection {
  const { caching, failures, reasoning, regions, callsWithoutRegion, callsWithoutLatency } = result.usage;
  const blocks: ReportBlock[] = [];
  const missing: string[] = [];
  if (caching.cachedInputTokens > 0) {
    blocks.push(
      table(
        'Prompt caching',
        `${count(caching.cachedInputTokens)} input tokens (${percent(caching.hitShare * 100)}) came from the prompt cache; at the uncached input price they would have cost ${money(caching.savedMicros)} more.`,
        [
          col.text('Provider'),
          col.text('Model'),
          col.number('Cached tokens'),
          col.percent('Hit share'),
          col.money('Saved'),
        ],
        caching.byModel
          .slice(0, settings.topN)
          .map((row) => [
            row.provider,
            row.model,
            row.cachedInputTokens,
            percentOfShare(row.hitShare),
            usd(row.savedMicros),
          ]),
      ),
    );
  } else missing.push('cached_input_tokens (what prompt caching saves)');
  if (failures.calls > 0) {
    blocks.push(
      table(
        'Failed calls by error type',
        `${plural(failures.calls, 'failed call')} (${percent(failures.share * 100)} of calls) cost ${money(failures.costMicros)}.`,
        [col.text('Error type'), col.number('Calls'), col.money('Cost')],
        failures.byErrorType.map((row) => [row.errorType, row.calls, usd(row.costMicros)]),
      ),
      table(
        'Failed calls by model',
        'Where failures cost the most.',
        [col.text('Provider'), col.text('Model'), col.number('Calls'), col.money('Cost')],
        failures.byModel
          .slice(0, settings.topN)
          .map((row) => [row.provider, row.model, row.calls, usd(row.costMicros)]),
      ),
      table(
        'Failed calls by customer',
        'The customers whose failed calls cost the most.',
        [col.text('Customer'), col.number('Calls'), col.money('Cost')],
        failures.byCustomer
          .slice(0, settings.topN)
          .map((row) => [row.customer, row.calls, usd(row.costMicros)]),
      ),
    );
  } else missing.push('status and error_type (what failed calls cost)');
  if (reasoning.reasoningTokens > 0) {
    blocks.push(
      table(
        'Reasoning tokens',
        `${count(reasoning.reasoningTokens)} of ${count(reasoning.outputTokens)} output tokens (${percent(reasoning.share * 100)}) were reasoning: ${money(reasoning.costMicros)}, ${percent(reasoning.shareOfOutputCost * 100)} of the output cost of these models at list prices.`,
        [
          col.text('Provider'),
          col.text('Model'),
          col.number('Reasoning tokens'),
          col.percent('Share of output'),
          col.money('Cost'),
          col.percent('Share of output cost'),
        ],
        reasoning.byModel
          .slice(0, settings.topN)
          .map((row) => [
            row.provider,
            row.model,
            row.reasoningTokens,
            percentOfShare(row.share),
            usd(row.costMicros),
            percentOfShare(row.shareOfOutputCost),
          ]),
      ),
    );
  } else missing.push('reasoning_tokens (what thinking costs)');
  if (regions.length > 0) {
    const latency = (value: number | null): TableCell => value ?? '—';
    blocks.push(
      table(
        'Cost and latency by region',
        callsWithoutRegion > 0
          ? `${plural(callsWithoutRegion, 'call')} without a region are not in this table.`
          : 'Every call names its region.',
        [
          col.text('Region'),
          col.number('Calls'),
          col.money('Cost'),
          col.text('p50 (ms)'),
          col.text('p95 (ms)'),
          col.text('p99 (ms)'),
        ],
        regions
          .slice(0, settings.topN)
          .map((row) => [
            row.region,
            row.calls,
            usd(row.costMicros),
            latency(row.p50Ms),
            latency(row.p95Ms),
            latency(row.p99Ms),
          ]),
      ),
    );
  } else missing.push('region (cost and latency by region)');
  const paragraphs: string[] = [];
  if (missing.length > 0)
    paragraphs.push(`The log has no ${missing.join(', no ')}: add these columns to see them.`);
  if (callsWithoutLatency > 0)
    paragraphs.push(
      `${plural(callsWithoutLatency, 'call')} have no latency data and are left out of every latency figure.`,
    );
  if (paragraphs.length > 0) blocks.push({ kind: 'text', paragraphs });
  return {
    title: 'Caching, failures, reasoning and regions',
    intro: 'What prompt caching saved, what failed calls cost, what reasoning costs, and where calls run.',
    blocks,
  };
}
