import type { ReportBlock, ReportDocument, ReportSection, TableCell } from '@finops/schema';
import type { AnalysisMeta } from '../../engine';
import { bucketedRowsNote } from '../../documents/limits';
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
  percentOfShare,
  percent,
  plural,
  recommendationsBlock,
  resolveDocumentOptions,
  standardDocument,
  sum,
  table,
  textCard,
  topWithRest,
  usd,
  yesNo,
} from '../../documents/shared';
import { ABOUT_OVERVIEW } from './about';
import type { ConcentrationFigure, OverviewResult, ShareRow } from './finish';

/** What the overview cannot compute from bucketed rows (stated on the page and in the docs). */
export const OVERVIEW_BUCKETED_LIMITS = [
  "latency quantiles of single calls: each row's calls are counted at the row's mean latency",
];

const SHARE_NAMES: Record<
  keyof OverviewResult['shares'],
  [singular: string, plural: string, missing: string]
> = {
  provider: ['Provider', 'providers', '(no provider)'],
  model: ['Model', 'models', '(no model)'],
  feature: ['Feature', 'features', '(no feature)'],
  plan: ['Plan', 'plans', '(no plan)'],
  region: ['Region', 'regions', '(no region)'],
};

/** A share list as a doughnut of cost and a table of calls and cost shares that adds up to the totals. */
function shareBlocks(
  dimension: keyof OverviewResult['shares'],
  rows: readonly ShareRow[],
  totals: OverviewResult['totals'],
  options: ResolvedDocumentOptions,
): ReportBlock[] {
  if (rows.length === 0) return [];
  const [singular, pluralName, missing] = SHARE_NAMES[dimension];
  const label = (row: ShareRow): string => (row.key === '' ? missing : row.key);
  const shown = chartTop(rows, options.chartTopN, label, (row) => usd(row.costMicros), true);
  const toRow = (row: ShareRow): TableCell[] => [
    label(row),
    row.calls,
    percentOfShare(row.callShare),
    usd(row.costMicros),
    percentOfShare(row.costShare),
  ];
  const tableRows = topWithRest(rows, options.topN, toRow, (rest) => {
    const calls = sum(rest, (row) => row.calls);
    const cost = sum(rest, (row) => row.costMicros);
    return [
      `All other ${plural(rest.length, singular.toLowerCase(), pluralName)}`,
      calls,
      totals.calls === 0 ? 0 : (calls / totals.calls) * 100,
      usd(cost),
      totals.costMicros === 0 ? 0 : (cost / totals.costMicros) * 100,
    ];
  });
  return [
    categoryChart(
      'doughnut',
      `Cost by ${singular.toLowerCase()}`,
      `Share of the AI cost of each of the ${plural(rows.length, singular.toLowerCase(), pluralName)}, in dollars.`,
      shown.labels,
      [{ label: 'Cost', values: shown.values }],
      { xAxis: { title: singular }, yAxis: { title: 'Cost', format: 'money' } },
    ),
    table(
      `Calls and cost by ${singular.toLowerCase()}`,
      `Calls and cost of each ${singular.toLowerCase()} and their shares of the whole, costliest first.`,
      [
        col.text(singular),
        col.number('Calls'),
        col.percent('Share of calls'),
        col.money('Cost'),
        col.percent('Share of cost'),
      ],
      tableRows,
      {
        footer: [
          'All',
          totals.calls,
          totals.calls === 0 ? 0 : 100,
          usd(totals.costMicros),
          totals.costMicros === 0 ? 0 : 100,
        ],
      },
    ),
  ];
}

function sizeBlocks(result: OverviewResult, meta: AnalysisMeta): ReportBlock[] {
  const { totals, unique } = result;
  return [
    table(
      'The data set',
      'What the log holds: rows, calls, the window they span, cost and tokens.',
      [col.text('Figure'), col.text('Value')],
      [
        ['Rows read', count(meta.rowsRead)],
        ['Rows kept', count(meta.rowsKept)],
        ['Calls', count(totals.calls)],
        ['First call', totals.firstCall ?? 'none'],
        ['Last call', totals.lastCall ?? 'none'],
        ['Window', plural(totals.windowDays, 'day')],
        ['Cost', money(totals.costMicros)],
        ['Input tokens', count(totals.inputTokens)],
        ['Output tokens', count(totals.outputTokens)],
      ],
    ),
    table(
      'Who and what the log covers',
      'Distinct values seen (calls that do not name one are not counted).',
      [col.text('Dimension'), col.number('Distinct values')],
      [
        ['Customers', unique.customers],
        ['Organizations', unique.organizations],
        ['Products', unique.products],
        ['Features', unique.features],
        ['Providers', unique.providers],
        ['Models', unique.models],
        ['Regions', unique.regions],
      ],
    ),
  ];
}

/** A data-quality check: its count and its share of `of` (rows or calls). */
function qualityRow(check: string, value: number, of: number): TableCell[] {
  return [check, value, percentOfShare(of === 0 ? 0 : value / of)];
}

function qualityBlocks(result: OverviewResult, meta: AnalysisMeta): ReportBlock[] {
  const coverage = meta.coverage;
  const { rowsRead, rowsKept } = meta;
  const { calls } = result.totals;
  const rows: TableCell[][] = [
    qualityRow('Rows rejected', meta.rowsRejected, rowsRead),
    qualityRow('Rows kept with a warning', meta.rowsWarned, rowsKept),
    qualityRow('Rows whose cost the log reports', coverage.rowsReported, rowsKept),
    qualityRow('Rows priced from the catalog', coverage.rowsPriced, rowsKept),
    qualityRow('Rows the catalog cannot price (counted at $0)', coverage.rowsUnpriced, rowsKept),
    qualityRow('Rows without a call id', coverage.rowsWithoutCallId, rowsKept),
    qualityRow('Calls without a latency', result.latency.untimedCalls, calls),
    qualityRow('Failed calls', result.failures.calls, calls),
  ];
  return [
    table(
      'Data quality',
      'How complete the log is: rejected and warned rows, where costs come from, and the calls some figures cannot use.',
      [col.text('Check'), col.number('Count'), col.percent('Share')],
      rows,
    ),
    ...(Object.keys(meta.rejectedByReason).length > 0
      ? [
          table(
            'Rejected rows by reason',
            'Why rows were left out of every figure.',
            [col.text('Reason'), col.number('Rows')],
            Object.entries(meta.rejectedByReason)
              .filter(([, rows]) => (rows ?? 0) > 0)
              .map(([reason, rows]) => [reason, rows ?? 0]),
          ),
        ]
      : []),
    ...bucketedRowsNote(meta, OVERVIEW_BUCKETED_LIMITS),
  ];
}

function concentrationRow(what: string, figure: ConcentrationFigure | null): TableCell[] {
  if (figure === null) return [what, 'none', 0, 0, 0, 'no'];
  return [
    what,
    figure.name,
    usd(figure.costMicros),
    percentOfShare(figure.share),
    percentOfShare(figure.limit),
    yesNo(figure.finding),
  ];
}

/** The "Data Set Overview" document. */
export function overviewDocument(
  result: OverviewResult,
  meta: AnalysisMeta,
  options: DocumentOptions = {},
): ReportDocument {
  const settings = resolveDocumentOptions(options);
  const { totals, unique, latency, concentration } = result;
  const metrics = [
    countCard('Calls', totals.calls, `${plural(meta.rowsKept, 'row')} kept of ${count(meta.rowsRead)} read`),
    moneyCard('Total cost', totals.costMicros, `over ${plural(totals.windowDays, 'day')}`),
    countCard(
      'Tokens',
      totals.totalTokens,
      `${count(totals.inputTokens)} in, ${count(totals.outputTokens)} out`,
    ),
    countCard(
      'Customers',
      unique.customers,
      `${plural(unique.organizations, 'organization')}, ${plural(unique.features, 'feature')}`,
    ),
    {
      label: 'p95 latency',
      value: `${count(latency.p95Ms)} ms`,
      rawValue: latency.p95Ms,
      detail: `p50 ${count(latency.p50Ms)} ms, p99 ${count(latency.p99Ms)} ms`,
    },
    textCard(
      'Largest provider',
      concentration.largestProvider?.name ?? 'none',
      concentration.largestProvider
        ? `${percent(percentOfShare(concentration.largestProvider.share))} of cost`
        : 'no call',
    ),
  ];
  const shareSections: ReportSection[] = (Object.keys(SHARE_NAMES) as (keyof OverviewResult['shares'])[]).map(
    (dimension) => ({
      title: `By ${SHARE_NAMES[dimension][0].toLowerCase()}`,
      blocks: shareBlocks(dimension, result.shares[dimension], totals, settings),
    }),
  );
  const sections: ReportSection[] = [
    { title: 'Size and window', blocks: sizeBlocks(result, meta) },
    ...shareSections,
    {
      title: 'Latency',
      intro: `Over the ${plural(latency.timedCalls, 'call')} with a latency; ${plural(latency.untimedCalls, 'call')} without one are left out.`,
      blocks:
        latency.timedCalls === 0
          ? []
          : [
              categoryChart(
                'bar',
                'Latency percentiles',
                'p50, p95 and p99 latency of all calls, in milliseconds.',
                ['p50', 'p95', 'p99'],
                [{ label: 'Latency', values: [latency.p50Ms, latency.p95Ms, latency.p99Ms] }],
                { xAxis: { title: 'Percentile' }, yAxis: { title: 'Latency (ms)', format: 'number' } },
              ),
            ],
    },
    { title: 'Data quality', blocks: qualityBlocks(result, meta) },
    {
      title: 'Concentration risk',
      intro:
        'Shares of cost held by one provider, the top customers and one organization, against the limits set.',
      blocks: [
        table(
          'Concentration',
          'Who holds the largest share of cost, that share, the limit above which it is a finding, and whether it is one.',
          [
            col.text('Measure'),
            col.text('Held by'),
            col.money('Cost'),
            col.percent('Share of cost'),
            col.percent('Limit'),
            col.text('Finding'),
          ],
          [
            concentrationRow('Largest provider', concentration.largestProvider),
            concentrationRow(
              `Top ${count(concentration.topCustomers.customers)} customers`,
              concentration.topCustomers,
            ),
            concentrationRow('Largest organization', concentration.largestOrganization),
          ],
        ),
        recommendationsBlock(result.recommendations, 'No share of cost is above its limit.'),
      ],
    },
  ];
  return standardDocument(ABOUT_OVERVIEW, meta, metrics, sections);
}
