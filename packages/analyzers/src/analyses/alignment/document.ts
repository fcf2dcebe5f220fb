import type { MetricCard, ReportBlock, ReportDocument, ReportSection } from '@finops/schema';
import type { AlignmentResult, Invoice } from './finish';
import type { AnalysisMeta } from '../../engine';
import { bucketedRowsNote } from '../../documents/limits';
import { ABOUT_ALIGNMENT } from './about';
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
  textCard,
  topWithRest,
  usd,
} from '../../documents/shared';

/** What the alignment analysis cannot compute from bucketed rows (stated on the page and in the docs). */
export const ALIGNMENT_BUCKETED_LIMITS = [
  'the organization, product and feature of single calls: a bucket names at most one of each (often only a project or a key), and the rest is (unattributed) on the invoices',
];

const ENVIRONMENT_ORDER = ['production', 'staging', 'development'];

/** Cents as dollars (invoice amounts are whole cents). */
const dollarsOfCents = (cents: number): number => cents / 100;

function invoiceTable(invoice: Invoice, options: ResolvedDocumentOptions): ReportBlock {
  const { lines } = invoice;
  return table(
    `Invoice: ${invoice.organization}`,
    `Chargeback of ${invoice.organization}: one line per product and feature; lines add up to the invoice to the cent.`,
    [
      col.text('Product'),
      col.text('Feature'),
      col.number('Calls'),
      col.number('Input tokens'),
      col.number('Output tokens'),
      col.money('Amount'),
    ],
    topWithRest(
      lines,
      options.topN,
      (line) => [
        line.product,
        line.feature,
        line.calls,
        line.inputTokens,
        line.outputTokens,
        dollarsOfCents(line.amountCents),
      ],
      (rest) => [
        `All other ${plural(rest.length, 'line')}`,
        '',
        sum(rest, (line) => line.calls),
        sum(rest, (line) => line.inputTokens),
        sum(rest, (line) => line.outputTokens),
        dollarsOfCents(sum(rest, (line) => line.amountCents)),
      ],
    ),
    {
      footer: [
        'Total',
        '',
        invoice.calls,
        sum(lines, (line) => line.inputTokens),
        sum(lines, (line) => line.outputTokens),
        dollarsOfCents(invoice.totalCents),
      ],
      note:
        lines.length > options.topN
          ? `The ${count(options.topN)} largest of ${count(lines.length)} lines; the others are summed in one row.`
          : undefined,
    },
  );
}

/** The figures every part of the alignment page reads. */
interface AlignmentPage {
  readonly result: AlignmentResult;
  readonly settings: ResolvedDocumentOptions;
}

/** The headline cards: the amount charged back, the organizations, the largest spender and the efficiency gap. */
function alignmentMetrics(result: AlignmentResult): MetricCard[] {
  const { organizations, invoices, crossTeam } = result;
  const largest = organizations[0];
  return [
    {
      label: 'Charged back',
      value: moneyOfUsd(dollarsOfCents(result.grandTotalCents)),
      rawValue: dollarsOfCents(result.grandTotalCents),
      detail: `${plural(invoices.length, 'invoice')} to the cent`,
    },
    countCard(
      'Organizations',
      organizations.length,
      `${plural(
        sum(organizations, (organization) => organization.calls),
        'call',
      )}`,
    ),
    textCard(
      'Largest spender',
      largest?.organization ?? 'none',
      largest ? `${money(largest.costMicros)}, ${percent(percentOfShare(largest.share))} of cost` : undefined,
    ),
    {
      label: 'Best cost per 1K tokens',
      value: moneyOfUsd(crossTeam.bestCostPer1kTokensUsd, 4),
      rawValue: crossTeam.bestCostPer1kTokensUsd,
      detail: crossTeam.best ?? 'no organization compared',
    },
    moneyCard(
      'Efficiency gap',
      crossTeam.gapMicros,
      crossTeam.worst && crossTeam.best && crossTeam.gapMicros > 0
        ? `${crossTeam.worst} at ${crossTeam.best}'s rate`
        : 'organizations pay alike',
    ),
  ];
}

/** The share-of-cost doughnut and the cost of the costliest organizations by environment. */
function organizationChartsOf({ result, settings }: AlignmentPage): ReportBlock[] {
  const { organizations } = result;
  const organizationChart = chartTop(
    organizations,
    settings.chartTopN,
    (organization) => organization.organization,
    (organization) => usd(organization.costMicros),
    true,
  );
  const stackedOrganizations = organizations.slice(0, settings.chartTopN);
  const environments = ENVIRONMENT_ORDER.filter((environment) =>
    organizations.some((organization) =>
      organization.byEnvironment.some((row) => row.environment === environment),
    ),
  );
  return [
    categoryChart(
      'doughnut',
      'Share of cost by organization',
      'AI cost of each organization, in dollars.',
      organizationChart.labels,
      [{ label: 'Cost', values: organizationChart.values }],
      { xAxis: { title: 'Organization' }, yAxis: { title: 'Cost', format: 'money' } },
    ),
    categoryChart(
      'stacked-bar',
      'Cost by organization and environment',
      `AI cost of ${
        organizations.length > stackedOrganizations.length
          ? `the ${count(stackedOrganizations.length)} costliest organizations`
          : 'each organization'
      } split by environment, in dollars.`,
      stackedOrganizations.map((organization) => organization.organization),
      environments.map((environment) => ({
        label: environment,
        values: stackedOrganizations.map((organization) =>
          usd(organization.byEnvironment.find((row) => row.environment === environment)?.costMicros ?? 0),
        ),
      })),
      { xAxis: { title: 'Organization' }, yAxis: { title: 'Cost', format: 'money' } },
    ),
  ];
}

/** The organizations table and the cost of each organization by product. */
function organizationTablesOf({ result, settings }: AlignmentPage): ReportBlock[] {
  const { organizations } = result;
  const productRows = organizations.flatMap((organization) =>
    organization.byProduct.map((row) => ({ organization: organization.organization, ...row })),
  );
  return [
    table(
      'Organizations',
      'Calls, cost and share of cost of each organization, costliest first.',
      [col.text('Organization'), col.number('Calls'), col.money('Cost'), col.percent('Share of cost')],
      topWithRest(
        organizations,
        settings.topN,
        (organization) => [
          organization.organization,
          organization.calls,
          usd(organization.costMicros),
          percentOfShare(organization.share),
        ],
        (rest) => {
          const cost = sum(rest, (organization) => organization.costMicros);
          return [
            `All other ${plural(rest.length, 'organization')}`,
            sum(rest, (organization) => organization.calls),
            usd(cost),
            result.grandTotalMicros === 0 ? 0 : (cost / result.grandTotalMicros) * 100,
          ];
        },
      ),
      {
        footer: [
          'Total',
          sum(organizations, (organization) => organization.calls),
          usd(result.grandTotalMicros),
          result.grandTotalMicros === 0 ? 0 : 100,
        ],
      },
    ),
    table(
      'By product',
      'Cost of each organization by product.',
      [col.text('Organization'), col.text('Product'), col.number('Calls'), col.money('Cost')],
      productRows
        .slice(0, settings.topN * 5)
        .map((row) => [row.organization, row.product, row.calls, usd(row.costMicros)]),
      {
        footer: [
          'Total',
          '',
          sum(productRows, (row) => row.calls),
          usd(sum(productRows, (row) => row.costMicros)),
        ],
        note:
          productRows.length > settings.topN * 5
            ? `The first ${count(settings.topN * 5)} of ${count(productRows.length)} rows; the total counts them all.`
            : undefined,
      },
    ),
  ];
}

/** Cost by organization: the charts and the tables, or nothing when no organization was seen. */
function costSectionOf(page: AlignmentPage): ReportSection {
  const { organizations } = page.result;
  return {
    title: 'Cost by organization',
    intro: `${plural(organizations.length, 'organization')} share ${money(page.result.grandTotalMicros)} of AI cost.`,
    blocks: organizations.length === 0 ? [] : [...organizationChartsOf(page), ...organizationTablesOf(page)],
  };
}

/** The invoices, with the line items of the largest ones. */
function chargebackSectionOf({ result, settings }: AlignmentPage): ReportSection {
  const { invoices } = result;
  const detailed = invoices.slice(0, settings.topN);
  return {
    title: 'Chargeback',
    intro: `One invoice per organization; invoices add up to ${moneyOfUsd(
      dollarsOfCents(result.grandTotalCents),
    )}, the grand total rounded to the cent.`,
    blocks: [
      table(
        'Invoices',
        'Each organization’s invoice: its lines, calls and amount.',
        [col.text('Organization'), col.number('Lines'), col.number('Calls'), col.money('Amount')],
        invoices.map((invoice) => [
          invoice.organization,
          invoice.lines.length,
          invoice.calls,
          dollarsOfCents(invoice.totalCents),
        ]),
        {
          footer: [
            'Grand total',
            sum(invoices, (invoice) => invoice.lines.length),
            sum(invoices, (invoice) => invoice.calls),
            dollarsOfCents(result.grandTotalCents),
          ],
        },
      ),
      ...detailed.map((invoice) => invoiceTable(invoice, settings)),
      ...(invoices.length > detailed.length
        ? [
            {
              kind: 'text' as const,
              paragraphs: [
                `Line items are shown for the ${count(detailed.length)} largest of ${count(invoices.length)} invoices.`,
              ],
            },
          ]
        : []),
    ],
  };
}

/** What each organization pays per call and per thousand tokens, and the gap between the best and the worst. */
function showbackSectionOf({ result, settings }: AlignmentPage): ReportSection {
  const { showback, crossTeam } = result;
  const showbackRows = showback.slice(0, settings.topN);
  const perThousandTokensChart = showbackRows.slice(0, settings.chartTopN);
  return {
    title: 'Showback and cross-team efficiency',
    intro:
      crossTeam.best && crossTeam.worst && crossTeam.best !== crossTeam.worst
        ? `${crossTeam.best} pays the least per thousand tokens (${moneyOfUsd(
            crossTeam.bestCostPer1kTokensUsd,
            4,
          )}), ${crossTeam.worst} the most (${moneyOfUsd(crossTeam.worstCostPer1kTokensUsd, 4)}): at the best rate, ${
            crossTeam.worst
          } would have paid ${money(crossTeam.gapMicros)} less.`
        : 'Each organization’s share of cost and what it pays per call and per thousand tokens.',
    blocks: [
      ...(perThousandTokensChart.length > 0
        ? [
            categoryChart(
              'bar',
              'Cost per 1K tokens by organization',
              'Dollars each organization pays per thousand tokens.',
              perThousandTokensChart.map((row) => row.organization),
              [
                {
                  label: 'Cost per 1K tokens',
                  values: perThousandTokensChart.map((row) => row.costPer1kTokensUsd),
                },
              ],
              {
                xAxis: { title: 'Organization' },
                yAxis: { title: 'Cost per 1K tokens', format: 'money', decimals: 4 },
                horizontal: true,
              },
            ),
          ]
        : []),
      table(
        'Showback',
        'Each organization’s share of cost, cost per call and per thousand tokens, share on premium models and outside production.',
        [
          col.text('Organization'),
          col.number('Calls'),
          col.money('Cost'),
          col.percent('Share of cost'),
          col.money('Cost per call', 4),
          col.money('Cost per 1K tokens', 4),
          col.percent('Premium models'),
          col.percent('Outside production'),
        ],
        showbackRows.map((row) => [
          row.organization,
          row.calls,
          usd(row.costMicros),
          percentOfShare(row.share),
          row.costPerCallUsd,
          row.costPer1kTokensUsd,
          percentOfShare(row.premiumShare),
          percentOfShare(row.nonProductionShare),
        ]),
        {
          note:
            showback.length > showbackRows.length
              ? `The ${count(showbackRows.length)} costliest of ${count(showback.length)} organizations.`
              : undefined,
        },
      ),
    ],
  };
}

/** The "Organizational Alignment" document of analysis 5. */
export function alignmentDocument(
  result: AlignmentResult,
  meta: AnalysisMeta,
  options: DocumentOptions = {},
): ReportDocument {
  const page: AlignmentPage = { result, settings: resolveDocumentOptions(options) };
  return standardDocument(ABOUT_ALIGNMENT, meta, alignmentMetrics(result), [
    costSectionOf(page),
    chargebackSectionOf(page),
    showbackSectionOf(page),
    { title: 'Limits of the data', blocks: bucketedRowsNote(meta, ALIGNMENT_BUCKETED_LIMITS) },
    {
      title: 'Recommendations',
      blocks: [recommendationsBlock(result.recommendations, 'Organizations pay alike; nothing to act on.')],
    },
  ]);
}
