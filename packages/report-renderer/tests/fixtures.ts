import {
  type DatasetSummary,
  type ExecutiveSummary,
  type ReportDocument,
  type StandardReport,
  type SummaryAction,
  rankActions,
  topActions,
} from '@finops/schema';

/**
 * Reports as a set of analyses produces them (the renderer takes whatever
 * list of documents it is given; these are the shapes of the built-in eight).
 */
export const REPORTS: readonly StandardReport[] = [
  { id: 'understanding', title: 'Understanding Usage & Cost', category: 'finops' },
  { id: 'performance', title: 'Performance Tracking', category: 'finops' },
  { id: 'realtime', title: 'Real-Time Decision Making', category: 'finops' },
  { id: 'optimization', title: 'Rate Optimization', category: 'finops' },
  { id: 'alignment', title: 'Organizational Alignment', category: 'finops' },
  { id: 'profitability', title: 'Customer Profitability', category: 'ubr' },
  { id: 'pricing', title: 'Pricing Strategy', category: 'ubr' },
  { id: 'features', title: 'Feature Economics', category: 'ubr' },
];

/** A customer id that tries to end a script element and run its own. */
export const HOSTILE_ID = '</script><script>alert(1)</script>';
/** Every character that HTML or JSON escaping must handle. */
export const QUOTES = `"q" 'a' & <b>x</b> \u2028\u2029 <!-- -->`;

/** A value carrying both hostile strings. */
export function hostile(prefix: string): string {
  return `${prefix} ${HOSTILE_ID} ${QUOTES}`;
}

/** A document with one block of each kind and every chart kind; `text` wraps every string that comes from data. */
export function fullDocument(
  id = 'understanding',
  text: (prefix: string) => string = (prefix) => prefix,
  category: 'finops' | 'ubr' = 'finops',
): ReportDocument {
  const customers = ['cust_001', HOSTILE_ID, 'cust_003', QUOTES];
  return {
    id,
    title: text('Understanding Usage & Cost'),
    purpose: text('Where the money goes'),
    category,
    window: { start: '2025-01-01', end: '2025-01-30', days: 30 },
    source: { path: text('data/calls.csv'), bytes: 52_428_800, rows: 309_000 },
    metrics: [
      { label: text('Total cost'), value: '$12,345.67', rawValue: 12_345.67, detail: text('over 30 days') },
      {
        label: 'Calls',
        value: '309,000',
        rawValue: 309_000,
        trend: { direction: 'up', text: text('+4.2% on the previous week'), sentiment: 'bad' },
      },
      { label: 'Customers', value: '4' },
      { label: 'Daily burn', value: '$411.52', trend: { direction: 'down', text: '-1.0%' } },
    ],
    sections: [
      {
        title: text('Customers'),
        intro: text('Cost and margin of each customer.'),
        blocks: [
          {
            kind: 'table',
            title: text('Customer margins'),
            caption: text('All customers by margin'),
            note: text('4 of 4 customers'),
            columns: [
              { label: text('Customer'), format: 'text' },
              { label: 'Calls', format: 'number' },
              { label: 'Cost', format: 'money' },
              { label: 'Margin %', format: 'percent', decimals: 2 },
              { label: 'Tier', format: 'text', align: 'center' },
            ],
            rows: customers.map((customer, index) => [
              customer,
              1_000 * (index + 1),
              12.5 * (index + 1),
              -3.25 + index,
              null,
            ]),
            footer: ['Total', 10_000, 125, 0.75, '—'],
          },
          {
            kind: 'chart',
            chart: 'bar',
            title: text('Cost by customer'),
            description: text('AI cost of each customer in the window'),
            labels: customers,
            series: [{ label: text('Cost'), values: [12.5, 25, 37.5, 50] }],
            xAxis: { title: text('Customer') },
            yAxis: { title: 'Cost', format: 'money' },
            horizontal: true,
          },
          {
            kind: 'chart',
            chart: 'stacked-bar',
            title: 'Revenue and cost by tier',
            description: 'Revenue and cost of each tier',
            labels: ['starter', 'pro', 'enterprise'],
            series: [
              { label: 'Revenue', values: [290, 990, 2_990] },
              { label: 'Cost', values: [120, null, 800] },
            ],
            yAxis: { title: 'Dollars', format: 'money' },
          },
          {
            kind: 'chart',
            chart: 'line',
            title: 'Daily cost',
            description: 'Cost per UTC day',
            labels: ['2025-01-01', '2025-01-02', '2025-01-03'],
            series: [{ label: 'Cost', values: [400.25, 410.5, 423.75] }],
            yAxis: { title: 'Cost', format: 'money' },
          },
          {
            kind: 'chart',
            chart: 'doughnut',
            title: 'Cost by provider',
            description: 'Share of cost by provider',
            labels: ['openai', text('anthropic')],
            series: [{ label: 'Cost', values: [75, 25] }],
            yAxis: { title: 'Cost', format: 'money' },
          },
          {
            kind: 'chart',
            chart: 'pie',
            title: 'Calls by environment',
            description: 'Share of calls by environment',
            labels: ['production', 'staging'],
            series: [{ label: 'Calls', values: [900, 100] }],
          },
          {
            kind: 'chart',
            chart: 'scatter',
            title: text('Cost versus speed'),
            description: 'Each model by cost per 1K tokens and tokens per second',
            series: [
              { label: 'openai', points: [{ x: 0.01, y: 80, label: text('gpt-4o') }] },
              { label: 'anthropic', points: [{ x: 0.015, y: 60, label: HOSTILE_ID }] },
            ],
            xAxis: { title: 'Cost per 1K tokens', format: 'money', decimals: 4 },
            yAxis: { title: 'Tokens per second', format: 'number' },
          },
        ],
      },
      {
        title: 'Actions',
        blocks: [
          {
            kind: 'alerts',
            title: text('Alerts'),
            items: [
              {
                severity: 'critical',
                title: text(`${HOSTILE_ID} is over budget`),
                text: text('Cap it.'),
                figures: { [text('cost')]: text('$50.00'), calls: 4_000 },
              },
              { severity: 'warning', title: 'cust_003 is ahead of pace', figures: { multiple: 3.25 } },
              { severity: 'info', title: 'Forecast rests on 30 days' },
            ],
          },
          { kind: 'alerts', items: [], emptyText: text('Nothing to report.') },
          {
            kind: 'recommendations',
            title: 'Recommendations',
            items: [
              {
                text: text('Move qa calls on gpt-4 to gpt-4o-mini'),
                figures: { calls: 1_204, 'saves in window': '$312.40', share: 12.345 },
              },
            ],
          },
          { kind: 'recommendations', items: [] },
          { kind: 'text', paragraphs: [text('First paragraph.'), 'Second paragraph.'] },
        ],
      },
    ],
  };
}

/** The eight standard reports, each a full document, with hostile strings when asked. */
export function standardDocuments(withHostileText: boolean): ReportDocument[] {
  return REPORTS.map((report) => ({
    ...fullDocument(report.id, withHostileText ? hostile : (prefix) => prefix, report.category),
    title: report.title,
  }));
}

/** A dataset summary of a 50 MB log with a few bad rows. */
export function dataset(path = 'data/calls.csv'): DatasetSummary {
  return {
    path,
    bytes: 52_428_800,
    window: { start: '2025-01-01', end: '2025-01-30', days: 30 },
    rowsRead: 309_012,
    rowsKept: 309_000,
    rowsWarned: 40,
    rowsRejected: 12,
    rejectedByReason: { missing_field: 5, invalid_cost: 7 },
    warningsByKind: { unknown_model: 40 },
  };
}

/** A candidate action of the executive summary, worth `monthlyUsd` a month. */
export function summaryAction(
  analysis: string,
  title: string,
  monthlyUsd: number,
  section?: string,
): SummaryAction {
  const monthlyMicros = Math.round(monthlyUsd * 1e6);
  return {
    title,
    text: `${title}: ${monthlyUsd} a month.`,
    monthlyUsd: monthlyMicros / 1e6,
    monthlyMicros,
    analysis,
    ...(section === undefined ? {} : { section }),
    figures: { monthlyMicros },
  };
}

/** An executive summary of candidates from `analyses`, ranked in the order of {@link REPORTS}, listing at most `maxActions`. */
export function executiveSummary(
  candidates: readonly SummaryAction[],
  analyses: readonly string[] = REPORTS.map((report) => report.id),
  maxActions = 3,
): ExecutiveSummary {
  const order = REPORTS.map((report) => report.id);
  const ranked = rankActions(candidates, order);
  return {
    actions: topActions(ranked, maxActions, 1),
    candidates: ranked,
    analyses: order.filter((id) => analyses.includes(id)),
    maxActions,
    minMonthlyUsd: 1,
    windowDays: 30,
  };
}
