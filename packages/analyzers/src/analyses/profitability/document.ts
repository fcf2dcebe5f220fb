import type { MetricCard, ReportDocument, ReportSection, ScatterSeries, TableCell } from '@finops/schema';
import type { CustomerProfit, ProfitabilityResult } from './finish';
import type { AnalysisMeta } from '../../engine';
import { bucketedRowsNote } from '../../documents/limits';
import { ABOUT_PROFITABILITY } from './about';
import {
  type DocumentOptions,
  type ResolvedDocumentOptions,
  categoryChart,
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
  topWithRest,
  usd,
} from '../../documents/shared';

/** What the profitability analysis cannot compute from bucketed rows (stated on the page and in the docs). */
export const PROFITABILITY_BUCKETED_LIMITS = [
  'the customer of single calls: a bucket names at most one customer (usage reports often none), and the calls of a bucket without one are (unattributed), of unknown revenue',
];

const customerColumns = [
  col.text('Customer'),
  col.text('Tier'),
  col.money('Revenue'),
  col.money('AI cost'),
  col.money('Margin'),
  col.percent('Margin %'),
  col.number('Calls'),
  col.text('Status'),
];

const customerRow = (entry: CustomerProfit): TableCell[] => [
  entry.customer,
  entry.tier,
  usd(entry.revenueMicros),
  usd(entry.costMicros),
  usd(entry.marginMicros),
  entry.marginPct,
  entry.calls,
  entry.status,
];

/** The headline cards: revenue, AI cost, margin, the unprofitable customers and, when some, the revenue unknown. */
function profitabilityMetrics(result: ProfitabilityResult): MetricCard[] {
  const { totals, unprofitable, distribution, customers } = result;
  const marginDetail = totals.marginPct === null ? 'no revenue' : `${percent(totals.marginPct)} of revenue`;
  const metrics: MetricCard[] = [
    moneyCard('Revenue', totals.revenueMicros, 'monthly revenue or plan price, prorated to the window'),
    moneyCard(
      'AI cost',
      totals.costMicros,
      `${plural(
        sum(customers, (entry) => entry.calls),
        'call',
      )}`,
    ),
    moneyCard('Margin', totals.marginMicros, marginDetail),
    countCard(
      'Unprofitable customers',
      unprofitable.count,
      `${percent(percentOfShare(unprofitable.share))} of customers, ${money(unprofitable.lossMicros)} lost`,
    ),
    countCard(
      'Customers',
      totals.customers,
      result.tierConflicts > 0
        ? `${plural(result.tierConflicts, 'customer')} seen under two tiers (latest counts)`
        : `${count(distribution.high)} with a high margin`,
    ),
  ];
  if (result.revenueUnknown.customers > 0) {
    metrics.push(
      moneyCard(
        'Revenue unknown',
        result.revenueUnknown.costMicros,
        `AI cost of ${plural(result.revenueUnknown.customers, 'customer')} with no revenue in the customers file and no priced plan, left out of the margins`,
      ),
    );
  }
  return metrics;
}

/** Revenue, AI cost and margin of each subscription tier. */
function tierSectionOf(result: ProfitabilityResult): ReportSection {
  const { totals, byTier } = result;
  return {
    title: 'By tier',
    intro: 'Revenue, AI cost and margin of each subscription tier.',
    blocks: [
      categoryChart(
        'bar',
        'Revenue and cost by tier',
        'Prorated subscription revenue and AI cost of each tier, in dollars.',
        byTier.map((row) => row.tier),
        [
          { label: 'Revenue', values: byTier.map((row) => usd(row.revenueMicros)) },
          { label: 'AI cost', values: byTier.map((row) => usd(row.costMicros)) },
          { label: 'Margin', values: byTier.map((row) => usd(row.marginMicros)) },
        ],
        { xAxis: { title: 'Tier' }, yAxis: { title: 'Dollars', format: 'money' } },
      ),
      table(
        'Tiers',
        'Customers, revenue, cost, margin and the average margin % of the customers of each tier.',
        [
          col.text('Tier'),
          col.number('Customers'),
          col.money('Revenue'),
          col.money('AI cost'),
          col.money('Margin'),
          col.percent('Average margin %'),
        ],
        byTier.map((row) => [
          row.tier,
          row.customers,
          usd(row.revenueMicros),
          usd(row.costMicros),
          usd(row.marginMicros),
          row.avgMarginPct,
        ]),
        {
          footer: [
            'All tiers',
            totals.customers,
            usd(totals.revenueMicros),
            usd(totals.costMicros),
            usd(totals.marginMicros),
            totals.marginPct,
          ],
          note: 'The total row shows the margin % of all revenue.',
        },
      ),
    ],
  };
}

/** Customers counted by margin band. */
function distributionSectionOf(result: ProfitabilityResult): ReportSection {
  const { distribution } = result;
  const bands: [string, number][] = [
    ['High margin', distribution.high],
    ['Medium margin', distribution.medium],
    ['Low margin', distribution.low],
    ['Negative margin', distribution.negative],
  ];
  return {
    title: 'Margin distribution',
    intro: 'Customers by margin band; the bands count every customer once.',
    blocks: [
      categoryChart(
        'doughnut',
        'Customers by margin band',
        'Number of customers with a high, medium, low and negative margin.',
        bands.map(([label]) => label),
        [{ label: 'Customers', values: bands.map(([, value]) => value) }],
        { xAxis: { title: 'Margin band' }, yAxis: { title: 'Customers', format: 'number' } },
      ),
    ],
  };
}

/** The customers with the largest loss. */
function worstSectionOf(result: ProfitabilityResult): ReportSection {
  const { unprofitable } = result;
  return {
    title: 'Unprofitable customers',
    intro:
      unprofitable.count > 0
        ? `${plural(unprofitable.count, 'customer')} (${percent(percentOfShare(unprofitable.share))} of the base) cost more than they pay: ${money(
            unprofitable.lossMicros,
          )} lost in this window.`
        : 'Every customer pays more than its AI cost.',
    blocks: [
      table(
        'Worst unprofitable customers',
        'The customers with the largest loss, worst first.',
        customerColumns,
        unprofitable.worst.map(customerRow),
        {
          note:
            unprofitable.count > unprofitable.worst.length
              ? `The ${count(unprofitable.worst.length)} worst of ${count(unprofitable.count)} unprofitable customers.`
              : undefined,
        },
      ),
    ],
  };
}

/** The revenue-against-cost scatter of the costliest customers and every customer's economics. */
function customerSectionOf(result: ProfitabilityResult, settings: ResolvedDocumentOptions): ReportSection {
  const { totals, customers } = result;
  const byCost = customers
    .slice()
    .sort(
      (a, b) =>
        b.costMicros - a.costMicros || (a.customer < b.customer ? -1 : a.customer > b.customer ? 1 : 0),
    )
    .slice(0, settings.maxScatterPoints);
  const scatter: ScatterSeries[] = (['profitable', 'unprofitable'] as const).map((status) => ({
    label: status,
    points: byCost
      .filter((entry) => entry.status === status)
      .map((entry) => ({ x: usd(entry.costMicros), y: usd(entry.revenueMicros), label: entry.customer })),
  }));
  return {
    title: 'Customers',
    intro: 'Every customer’s revenue, cost and margin, lowest margin first.',
    blocks: [
      ...(customers.length > 0
        ? [
            {
              kind: 'chart' as const,
              chart: 'scatter' as const,
              title: 'Revenue against AI cost',
              description: `Each customer by its AI cost (across) and its revenue (up)${
                customers.length > byCost.length
                  ? `, the ${count(byCost.length)} costliest of ${count(customers.length)}`
                  : ''
              }: customers below the diagonal lose money.`,
              series: scatter,
              xAxis: { title: 'AI cost', format: 'money' as const },
              yAxis: { title: 'Revenue', format: 'money' as const },
            },
          ]
        : []),
      table(
        'Customer economics',
        'Revenue, AI cost, margin and status of each customer, lowest margin first.',
        customerColumns,
        topWithRest(customers, settings.topN, customerRow, (rest) => [
          `All other ${plural(rest.length, 'customer')}`,
          '',
          usd(sum(rest, (entry) => entry.revenueMicros)),
          usd(sum(rest, (entry) => entry.costMicros)),
          usd(sum(rest, (entry) => entry.marginMicros)),
          null,
          sum(rest, (entry) => entry.calls),
          '',
        ]),
        {
          footer: [
            'Total',
            '',
            usd(totals.revenueMicros),
            usd(totals.costMicros),
            usd(totals.marginMicros),
            totals.marginPct,
            sum(customers, (entry) => entry.calls),
            '',
          ],
          note:
            customers.length > settings.topN
              ? `The ${count(settings.topN)} lowest margins of ${count(customers.length)} customers; the others are summed in one row.`
              : undefined,
        },
      ),
    ],
  };
}

/** The "Customer Profitability" document of analysis 6. */
export function profitabilityDocument(
  result: ProfitabilityResult,
  meta: AnalysisMeta,
  options: DocumentOptions = {},
): ReportDocument {
  return standardDocument(ABOUT_PROFITABILITY, meta, profitabilityMetrics(result), [
    tierSectionOf(result),
    distributionSectionOf(result),
    worstSectionOf(result),
    customerSectionOf(result, resolveDocumentOptions(options)),
    { title: 'Limits of the data', blocks: bucketedRowsNote(meta, PROFITABILITY_BUCKETED_LIMITS) },
    {
      title: 'Recommendations',
      blocks: [recommendationsBlock(result.recommendations, 'No customer loses money.')],
    },
  ]);
}
