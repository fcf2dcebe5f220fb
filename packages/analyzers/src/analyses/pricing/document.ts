import type { MetricCard, ReportDocument, ReportSection } from '@finops/schema';
import type { PricingModelName, PricingReplay, PricingResult } from './finish';
import type { AnalysisMeta } from '../../engine';
import { bucketedRowsNote } from '../../documents/limits';
import { ABOUT_PRICING } from './about';
import {
  type DocumentOptions,
  categoryChart,
  col,
  count,
  countCard,
  figureLabel,
  money,
  moneyCard,
  moneyOfUsd,
  percentOfShare,
  percent,
  plural,
  recommendationsBlock,
  resolveDocumentOptions,
  standardDocument,
  table,
  textCard,
  usd,
} from '../../documents/shared';

/** What the pricing analysis cannot compute from bucketed rows (stated on the page and in the docs). */
export const PRICING_BUCKETED_LIMITS = [
  "the customer of single calls: each replayed bill counts a bucket's tokens for the customer it names, and a bucket without one for (unattributed)",
];

/** How each pricing model is described on the page. */
export const PRICING_MODEL_TITLES: Readonly<Record<PricingModelName, string>> = {
  flat: 'Flat (today’s tiers)',
  tiered: 'Tiered (base fee, included tokens, overage)',
  usage: 'Usage (price per 1K tokens)',
  hybrid: 'Hybrid (base fee + cost with markup)',
};

/** A pricing parameter as people read it: dollars, tokens or a markup. */
export function formatPricingParameter(name: string, value: number): string {
  if (name.endsWith('Usd')) return moneyOfUsd(value, Number.isInteger(value * 100) ? 2 : 4);
  if (name.endsWith('Tokens')) return `${count(value)} tokens`;
  if (name === 'markup') return percent(value * 100);
  return count(value, Number.isInteger(value) ? 0 : 4);
}

const SEGMENTS = ['low', 'medium', 'high'] as const;

/** Margin % of a replay as a card says it. */
const marginText = (entry: PricingReplay): string =>
  entry.marginPct === null ? 'no revenue' : `${percent(entry.marginPct)} of revenue`;

/** The pricing model that is today's (flat tiers), if it was replayed. */
const flatReplay = (result: PricingResult): PricingReplay | undefined =>
  result.models.find((entry) => entry.model === 'flat');

/** The recommended pricing model's replay, if one is recommended. */
const recommendedReplay = (result: PricingResult): PricingReplay | undefined =>
  result.models.find((entry) => entry.model === result.recommended);

/** The headline cards: the recommended model, revenue and margin today, and the margin and churn risk if recommended. */
function pricingMetrics(result: PricingResult): MetricCard[] {
  const flat = flatReplay(result);
  const recommended = recommendedReplay(result);
  return [
    textCard(
      'Recommended pricing',
      recommended ? recommended.model : 'none',
      recommended ? PRICING_MODEL_TITLES[recommended.model] : 'no model within the churn-risk limit',
    ),
    ...(flat
      ? [
          moneyCard('Revenue today', flat.revenueMicros, 'flat tiers, prorated to the window'),
          moneyCard('Margin today', flat.marginMicros, marginText(flat)),
        ]
      : []),
    ...(recommended
      ? [
          moneyCard(
            'Margin if recommended',
            recommended.marginMicros,
            flat
              ? `${recommended.marginMicros >= flat.marginMicros ? '+' : ''}${money(
                  recommended.marginMicros - flat.marginMicros,
                )} against today`
              : marginText(recommended),
          ),
          countCard(
            'Churn risk if recommended',
            recommended.churnRisk.customers,
            `${percent(percentOfShare(recommended.churnRisk.share))} of customers, ${money(recommended.churnRisk.revenueMicros)} of revenue`,
          ),
        ]
      : []),
  ];
}

/** Revenue, cost, margin and churn risk of the four models, and the parameters each was replayed with. */
function comparisonSectionOf(result: PricingResult): ReportSection {
  const { models } = result;
  const labels = models.map((entry) => entry.model);
  return {
    title: 'The four models compared',
    intro: `The window’s actual usage replayed under each pricing model — ${models
      .map((entry) => PRICING_MODEL_TITLES[entry.model])
      .join('; ')} — and the margin over the same AI cost.`,
    blocks: [
      categoryChart(
        'bar',
        'Revenue, cost and margin by pricing model',
        'Revenue, AI cost and margin of the window under each pricing model, in dollars.',
        labels,
        [
          { label: 'Revenue', values: models.map((entry) => usd(entry.revenueMicros)) },
          { label: 'AI cost', values: models.map((entry) => usd(entry.costMicros)) },
          { label: 'Margin', values: models.map((entry) => usd(entry.marginMicros)) },
        ],
        { xAxis: { title: 'Pricing model' }, yAxis: { title: 'Dollars', format: 'money' } },
      ),
      table(
        'Pricing models',
        'Revenue, cost, margin and churn risk of each model.',
        [
          col.text('Model'),
          col.money('Revenue'),
          col.money('AI cost'),
          col.money('Margin'),
          col.percent('Margin %'),
          col.number('Customers at churn risk'),
          col.percent('Share at churn risk'),
          col.money('Revenue at churn risk'),
          col.text('Recommended'),
        ],
        models.map((entry) => [
          entry.model,
          usd(entry.revenueMicros),
          usd(entry.costMicros),
          usd(entry.marginMicros),
          entry.marginPct,
          entry.churnRisk.customers,
          percentOfShare(entry.churnRisk.share),
          usd(entry.churnRisk.revenueMicros),
          entry.model === result.recommended ? 'yes' : 'no',
        ]),
      ),
      table(
        'Parameters',
        'The parameters each model was replayed with.',
        [col.text('Model'), col.text('Parameter'), col.text('Value')],
        models.flatMap((entry) =>
          Object.entries(entry.parameters).map(([name, value]) => [
            entry.model,
            figureLabel(name.replace(/Usd$/, '')),
            formatPricingParameter(name, value),
          ]),
        ),
      ),
    ],
  };
}

/** Customers who would pay less or more than today under each model. */
function winnersSectionOf(result: PricingResult): ReportSection {
  const { models } = result;
  const labels = models.map((entry) => entry.model);
  return {
    title: 'Winners and losers',
    intro:
      'Customers who would pay less (winners) or more (losers) than today under each model, and by how much.',
    blocks: [
      categoryChart(
        'bar',
        'Winners and losers by pricing model',
        'Number of customers paying less, and more, than today under each model.',
        labels,
        [
          { label: 'Pay less', values: models.map((entry) => entry.winners.customers) },
          { label: 'Pay more', values: models.map((entry) => entry.losers.customers) },
          { label: 'At churn risk', values: models.map((entry) => entry.churnRisk.customers) },
        ],
        { xAxis: { title: 'Pricing model' }, yAxis: { title: 'Customers', format: 'number' } },
      ),
      table(
        'Winners and losers',
        'Customers paying less and more than today, and the total change of their bills.',
        [
          col.text('Model'),
          col.number('Pay less'),
          col.money('Total decrease'),
          col.number('Pay more'),
          col.money('Total increase'),
          col.money('Net change'),
        ],
        models.map((entry) => [
          entry.model,
          entry.winners.customers,
          usd(-entry.winners.changeMicros),
          entry.losers.customers,
          usd(entry.losers.changeMicros),
          usd(entry.winners.changeMicros + entry.losers.changeMicros),
        ]),
      ),
    ],
  };
}

/** What each usage third pays today and under each model. */
function segmentSectionOf(result: PricingResult): ReportSection {
  const { models } = result;
  const flat = flatReplay(result);
  return {
    title: 'Impact by usage segment',
    intro: 'Customers split in thirds by tokens used: what each third pays today and under each model.',
    blocks: [
      categoryChart(
        'bar',
        'Revenue by usage segment',
        'Revenue from the low, medium and high usage thirds today and under each model, in dollars.',
        SEGMENTS.map((segment) => `${segment} usage`),
        [
          {
            label: 'Today',
            values: SEGMENTS.map((segment) =>
              usd(flat?.segments.find((row) => row.segment === segment)?.todayMicros ?? 0),
            ),
          },
          ...models.map((entry) => ({
            label: entry.model,
            values: SEGMENTS.map((segment) =>
              usd(entry.segments.find((row) => row.segment === segment)?.revenueMicros ?? 0),
            ),
          })),
        ],
        { xAxis: { title: 'Usage segment' }, yAxis: { title: 'Revenue', format: 'money' } },
      ),
      table(
        'Segments',
        'For each model and usage third: customers, revenue today, revenue under the model and the change.',
        [
          col.text('Model'),
          col.text('Segment'),
          col.number('Customers'),
          col.money('Today'),
          col.money('Under the model'),
          col.money('Change'),
        ],
        models.flatMap((entry) =>
          entry.segments.map((row) => [
            entry.model,
            row.segment,
            row.customers,
            usd(row.todayMicros),
            usd(row.revenueMicros),
            usd(row.changeMicros),
          ]),
        ),
      ),
    ],
  };
}

/** The "Pricing Strategy" document of analysis 7. */
export function pricingDocument(
  result: PricingResult,
  meta: AnalysisMeta,
  options: DocumentOptions = {},
): ReportDocument {
  // Pricing has four models and three segments: every table is complete; the options are only checked.
  resolveDocumentOptions(options);
  const recommended = recommendedReplay(result);
  return standardDocument(ABOUT_PRICING, meta, pricingMetrics(result), [
    comparisonSectionOf(result),
    winnersSectionOf(result),
    segmentSectionOf(result),
    { title: 'Limits of the data', blocks: bucketedRowsNote(meta, PRICING_BUCKETED_LIMITS) },
    {
      title: 'Recommendation',
      intro: recommended
        ? `${PRICING_MODEL_TITLES[recommended.model]}: the best margin among models with few enough customers at churn risk.`
        : `No model keeps churn risk within the limit; ${plural(result.models.length, 'model')} compared.`,
      blocks: [
        recommendationsBlock(result.recommendations, 'No pricing model is within the churn-risk limit.'),
      ],
    },
  ]);
}
