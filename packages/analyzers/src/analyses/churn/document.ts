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
  moneyCard,
  plural,
  recommendationsBlock,
  resolveDocumentOptions,
  standardDocument,
  sum,
  table,
  topWithRest,
  usd,
} from '../../documents/shared';
import { ABOUT_CHURN } from './about';
import type { ChurnCandidate, ChurnResult, ChurnSignalKind, CustomerEngagement } from './finish';

/** What the churn analysis cannot compute from bucketed rows (stated on the page and in the docs). */
export const CHURN_BUCKETED_LIMITS = [
  "the day of each single call: a row's calls all count on the day of its time, so with buckets longer than a day the velocity, the active days and the days since the last call are only as fine as the buckets",
  'the error share of single calls within a row: a row is failed or not as a whole',
];

/** The signals as the page names them. */
export const SIGNAL_TITLES: Record<ChurnSignalKind, string> = {
  velocity_drop: 'velocity drop',
  silence: 'days since the last call',
  feature_loss: 'features dropped',
  error_rise: 'rising error share',
  growth: 'growing fast',
  outgrowing: 'uses like the next plan',
  underuse: 'barely uses its plan',
};

function signalsText(candidate: ChurnCandidate): string {
  return candidate.signals
    .map((signal) => `${SIGNAL_TITLES[signal.kind]} (${count(signal.points, 1)})`)
    .join(', ');
}

function velocityCell(velocity: number | null): TableCell {
  return velocity === null ? 'n/a' : velocity;
}

function periodsBlocks(result: ChurnResult): ReportBlock[] {
  const { recent, prior, windowEnd } = result.periods;
  if (recent === null || windowEnd === null) return [];
  const paragraphs = [
    `The recent period is ${plural(recent.days, 'day')}, ${recent.start} to ${recent.end}, ending on the last day of the log (not today).`,
    prior === null
      ? 'The log holds no day before the recent period, so no customer has a velocity: churn risk and growth need a period before (a shorter recent period, or a longer log).'
      : `It is compared with the ${plural(prior.days, 'day')} before, ${prior.start} to ${prior.end}, by calls a day. ${plural(result.totals.judged, 'customer')} of ${count(result.totals.customers)} had enough calls before for their velocity to be judged.`,
  ];
  return [{ kind: 'text', paragraphs }];
}

function velocityBlocks(result: ChurnResult): ReportBlock[] {
  if (result.customers.length === 0) return [];
  const bands = result.velocityBands;
  return [
    categoryChart(
      'bar',
      'Customers by velocity',
      'Customers by their calls a day in the recent period against the period before (1: no change).',
      bands.map((band) => band.band),
      [{ label: 'Customers', values: bands.map((band) => band.customers) }],
      { xAxis: { title: 'Velocity' }, yAxis: { title: 'Customers', format: 'number' } },
    ),
    table(
      'Velocity bands',
      'How many customers fall in each band of velocity.',
      [col.text('Velocity'), col.number('Customers')],
      bands.map((band) => [band.band, band.customers]),
      { footer: ['All', sum(bands, (band) => band.customers)] },
    ),
  ];
}

/** A candidates table whose money column closes with the rest and the total, so that it adds up. */
function candidatesTable<T extends ChurnCandidate>(
  title: string,
  caption: string,
  rows: readonly T[],
  money: [label: string, value: (row: T) => number],
  extra: [label: string, value: (row: T) => TableCell, format: 'text' | 'number'][],
  options: ResolvedDocumentOptions,
): ReportBlock {
  const [moneyLabel, moneyOf] = money;
  const columns = [
    col.text('Customer'),
    col.text('Plan'),
    col.number('Score', 1),
    ...extra.map(([label, , format]) => (format === 'text' ? col.text(label) : col.number(label, 2))),
    col.text('Signals'),
    col.money(moneyLabel),
  ];
  const blank = extra.map((): TableCell => '');
  return table(
    title,
    caption,
    columns,
    topWithRest(
      rows,
      options.topN,
      (row) => [
        row.customer,
        row.plan,
        row.score,
        ...extra.map(([, value]) => value(row)),
        signalsText(row),
        usd(moneyOf(row)),
      ],
      (rest) => [
        `All other ${plural(rest.length, 'customer')}`,
        '',
        '',
        ...blank,
        '',
        usd(sum(rest, moneyOf)),
      ],
    ),
    { footer: ['All', '', '', ...blank, '', usd(sum(rows, moneyOf))] },
  );
}

function moneyChart<T extends ChurnCandidate>(
  title: string,
  description: string,
  rows: readonly T[],
  money: (row: T) => number,
  options: ResolvedDocumentOptions,
): ReportBlock[] {
  if (rows.length === 0) return [];
  const shown = chartTop(
    rows,
    options.chartTopN,
    (row) => row.customer,
    (row) => usd(money(row)),
    false,
  );
  return [
    categoryChart('bar', title, description, shown.labels, [{ label: 'A month', values: shown.values }], {
      xAxis: { title: 'Customer' },
      yAxis: { title: 'Dollars a month', format: 'money' },
    }),
  ];
}

function emptyText(text: string): ReportBlock {
  return { kind: 'text', paragraphs: [text] };
}

function riskBlocks(result: ChurnResult, options: ResolvedDocumentOptions): ReportBlock[] {
  if (result.periods.prior === null) return [];
  if (result.atRisk.length === 0)
    return [emptyText(`No customer reaches the churn-risk score that flags it.`)];
  return [
    ...moneyChart(
      'Revenue at risk by customer',
      'Monthly revenue of each customer at risk, the largest first.',
      result.atRisk,
      (row) => row.revenueAtRiskMicros,
      options,
    ),
    candidatesTable(
      'Customers at risk',
      'Each customer whose churn-risk score reaches the threshold: its velocity, days since its last call, the signals with the points each adds, and its monthly revenue.',
      result.atRisk,
      ['Revenue at risk a month', (row) => row.revenueAtRiskMicros],
      [
        ['Velocity', (row) => row.figures['velocity'] as number, 'number'],
        ['Days since last call', (row) => row.figures['daysSinceLastCall'] as number, 'number'],
      ],
      options,
    ),
  ];
}

function expansionBlocks(result: ChurnResult, options: ResolvedDocumentOptions): ReportBlock[] {
  if (result.expansion.length === 0)
    return [emptyText('No customer grows fast or uses like the next plan’s customers.')];
  return [
    ...moneyChart(
      'Expansion revenue by customer',
      'What moving each candidate to the next plan adds a month (next plan price − current price).',
      result.expansion,
      (row) => row.expansionMicros,
      options,
    ),
    candidatesTable(
      'Expansion candidates',
      'Customers growing fast or using as much as the next plan’s median customer, with the next plan and what it adds a month.',
      result.expansion,
      ['Expansion a month', (row) => row.expansionMicros],
      [
        ['Next plan', (row) => row.nextPlan, 'text'],
        ['Velocity', (row) => row.figures['velocity'] as number, 'number'],
        ['Monthly calls', (row) => row.figures['monthlyCalls'] as number, 'number'],
      ],
      options,
    ),
  ];
}

function downgradeBlocks(result: ChurnResult, options: ResolvedDocumentOptions): ReportBlock[] {
  if (result.downgrade.length === 0) return [emptyText('No customer barely uses its plan.')];
  return [
    candidatesTable(
      'Downgrade candidates',
      'Customers using a small share of what their plan’s median customer uses, with the plan below and the revenue lost a month if they move to it.',
      result.downgrade,
      ['Revenue lost a month', (row) => row.revenueLossMicros],
      [
        ['Plan below', (row) => row.lowerPlan, 'text'],
        ['Monthly calls', (row) => row.figures['monthlyCalls'] as number, 'number'],
        ['Share of plan median %', (row) => row.figures['usagePct'] as number, 'number'],
      ],
      options,
    ),
  ];
}

function planBlocks(result: ChurnResult): ReportBlock[] {
  if (result.plans.length === 0) return [];
  return [
    table(
      'Plans and their customers’ usage',
      'Each plan’s price, customers and median monthly calls (at the recent rate): the reference for outgrowing or barely using a plan.',
      [
        col.text('Plan'),
        col.money('Price a month'),
        col.number('Customers'),
        col.number('Median monthly calls', 2),
      ],
      result.plans.map((plan) => [
        plan.plan === '' ? '(no plan)' : plan.plan,
        plan.priceMicros === null ? 'not priced' : usd(plan.priceMicros),
        plan.customers,
        plan.medianMonthlyCalls ?? 'too few customers',
      ]),
    ),
  ];
}

function engagementRow(entry: CustomerEngagement): TableCell[] {
  return [
    entry.customer,
    entry.plan,
    entry.calls,
    entry.activeDays,
    entry.recentActiveDays,
    entry.features,
    entry.recentFeatures,
    velocityCell(entry.velocity),
    entry.daysSinceLastCall,
    entry.riskScore,
  ];
}

function engagementBlocks(result: ChurnResult, options: ResolvedDocumentOptions): ReportBlock[] {
  if (result.customers.length === 0) return [];
  return [
    table(
      'Engagement by customer',
      'Calls, active days, distinct features (whole log and recent period), velocity, days since the last call and churn-risk score, the riskiest first.',
      [
        col.text('Customer'),
        col.text('Plan'),
        col.number('Calls'),
        col.number('Active days'),
        col.number('Recent active days'),
        col.number('Features'),
        col.number('Recent features'),
        col.number('Velocity', 2),
        col.number('Days since last call'),
        col.number('Risk score', 1),
      ],
      topWithRest(result.customers, options.topN, engagementRow, (rest) => [
        `All other ${plural(rest.length, 'customer')}`,
        '',
        sum(rest, (entry) => entry.calls),
        '',
        '',
        '',
        '',
        '',
        '',
        '',
      ]),
      { footer: ['All', '', sum(result.customers, (entry) => entry.calls), '', '', '', '', '', '', ''] },
    ),
  ];
}

/** The "Churn and Growth" document. */
export function churnDocument(
  result: ChurnResult,
  meta: AnalysisMeta,
  options: DocumentOptions = {},
): ReportDocument {
  const settings = resolveDocumentOptions(options);
  const { totals } = result;
  const metrics = [
    countCard('Customers', totals.customers, `${count(totals.judged)} with a judged velocity`),
    moneyCard(
      'Revenue at risk a month',
      totals.monthlyRevenueAtRiskMicros,
      plural(totals.atRiskCustomers, 'customer'),
    ),
    moneyCard(
      'Expansion a month',
      totals.monthlyExpansionMicros,
      plural(totals.expansionCustomers, 'candidate'),
    ),
    moneyCard(
      'Downgrade exposure a month',
      totals.monthlyRevenueLossMicros,
      plural(totals.downgradeCustomers, 'candidate'),
    ),
  ];
  const sections: ReportSection[] = [
    {
      title: 'Periods compared',
      blocks: [...periodsBlocks(result), ...bucketedRowsNote(meta, CHURN_BUCKETED_LIMITS)],
    },
    { title: 'Velocity', blocks: velocityBlocks(result) },
    { title: 'Churn risk', blocks: riskBlocks(result, settings) },
    { title: 'Expansion', blocks: result.customers.length === 0 ? [] : expansionBlocks(result, settings) },
    { title: 'Downgrade', blocks: result.customers.length === 0 ? [] : downgradeBlocks(result, settings) },
    { title: 'Plans', blocks: planBlocks(result) },
    { title: 'Engagement and feature diversity', blocks: engagementBlocks(result, settings) },
    {
      title: 'Recommendations',
      blocks: [
        recommendationsBlock(
          result.recommendations,
          'No customer is at risk, ready to expand or ready to downgrade.',
        ),
      ],
    },
  ];
  return standardDocument(ABOUT_CHURN, meta, metrics, sections);
}
