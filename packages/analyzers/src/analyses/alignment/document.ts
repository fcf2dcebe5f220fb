import type { ReportBlock, ReportDocument, ReportSection } from '@finops/schema';
import type { AlignmentResult, Invoice } from './finish';
import type { AnalysisMeta } from '../../engine';
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
  pct,
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

/** The "Organizational Alignment" document of analysis 5. */
export function alignmentDocument(
  result: AlignmentResult,
  meta: AnalysisMeta,
  options: DocumentOptions = {},
): ReportDocument {
  const settings = resolveDocumentOptions(options);
  const { organizations, invoices, showback, crossTeam } = result;
  const largest = organizations[0];
  const metrics = [
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
        sum(organizations, (org) => org.calls),
        'call',
      )}`,
    ),
    textCard(
      'Largest spender',
      largest?.organization ?? 'none',
      largest ? `${money(largest.costMicros)}, ${percent(pct(largest.share))} of cost` : undefined,
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

  const orgChart = chartTop(
    organizations,
    settings.chartTopN,
    (org) => org.organization,
    (org) => usd(org.costMicros),
    true,
  );
  const stackedOrgs = organizations.slice(0, settings.chartTopN);
  const environments = ENVIRONMENT_ORDER.filter((environment) =>
    organizations.some((org) => org.byEnvironment.some((row) => row.environment === environment)),
  );
  const productRows = organizations.flatMap((org) =>
    org.byProduct.map((row) => ({ organization: org.organization, ...row })),
  );
  const costSection: ReportSection = {
    title: 'Cost by organization',
    intro: `${plural(organizations.length, 'organization')} share ${money(result.grandTotalMicros)} of AI cost.`,
    blocks:
      organizations.length === 0
        ? []
        : [
            categoryChart(
              'doughnut',
              'Share of cost by organization',
              'AI cost of each organization, in dollars.',
              orgChart.labels,
              [{ label: 'Cost', values: orgChart.values }],
              { xAxis: { title: 'Organization' }, yAxis: { title: 'Cost', format: 'money' } },
            ),
            categoryChart(
              'stacked-bar',
              'Cost by organization and environment',
              `AI cost of ${
                organizations.length > stackedOrgs.length
                  ? `the ${count(stackedOrgs.length)} costliest organizations`
                  : 'each organization'
              } split by environment, in dollars.`,
              stackedOrgs.map((org) => org.organization),
              environments.map((environment) => ({
                label: environment,
                values: stackedOrgs.map((org) =>
                  usd(org.byEnvironment.find((row) => row.environment === environment)?.costMicros ?? 0),
                ),
              })),
              { xAxis: { title: 'Organization' }, yAxis: { title: 'Cost', format: 'money' } },
            ),
            table(
              'Organizations',
              'Calls, cost and share of cost of each organization, costliest first.',
              [
                col.text('Organization'),
                col.number('Calls'),
                col.money('Cost'),
                col.percent('Share of cost'),
              ],
              topWithRest(
                organizations,
                settings.topN,
                (org) => [org.organization, org.calls, usd(org.costMicros), pct(org.share)],
                (rest) => {
                  const cost = sum(rest, (org) => org.costMicros);
                  return [
                    `All other ${plural(rest.length, 'organization')}`,
                    sum(rest, (org) => org.calls),
                    usd(cost),
                    result.grandTotalMicros === 0 ? 0 : (cost / result.grandTotalMicros) * 100,
                  ];
                },
              ),
              {
                footer: [
                  'Total',
                  sum(organizations, (org) => org.calls),
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
          ],
  };

  const detailed = invoices.slice(0, settings.topN);
  const chargebackSection: ReportSection = {
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

  const showbackRows = showback.slice(0, settings.topN);
  const per1kChart = showbackRows.slice(0, settings.chartTopN);
  const showbackSection: ReportSection = {
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
      ...(per1kChart.length > 0
        ? [
            categoryChart(
              'bar',
              'Cost per 1K tokens by organization',
              'Dollars each organization pays per thousand tokens.',
              per1kChart.map((row) => row.organization),
              [{ label: 'Cost per 1K tokens', values: per1kChart.map((row) => row.costPer1kTokensUsd) }],
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
          pct(row.share),
          row.costPerCallUsd,
          row.costPer1kTokensUsd,
          pct(row.premiumShare),
          pct(row.nonProductionShare),
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

  return standardDocument(ABOUT_ALIGNMENT, meta, metrics, [
    costSection,
    chargebackSection,
    showbackSection,
    {
      title: 'Recommendations',
      blocks: [recommendationsBlock(result.recommendations, 'Organizations pay alike; nothing to act on.')],
    },
  ]);
}
