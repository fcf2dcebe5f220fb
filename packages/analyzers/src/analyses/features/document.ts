import type { MetricCard, ReportBlock, ReportDocument, ReportSection, ScatterSeries } from '@finops/schema';
import type { FeatureEconomics, FeaturesResult, PerSession, Quadrant } from './finish';
import { bucketedRowsNote } from '../../documents/limits';
import type { AnalysisMeta } from '../../engine';
import { ABOUT_FEATURES } from './about';
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
  shownNote,
  standardDocument,
  sum,
  table,
  textCard,
  topWithRest,
  usd,
} from '../../documents/shared';

/** What the features analysis cannot compute from bucketed rows (stated on the page and in the docs). */
export const FEATURES_BUCKETED_LIMITS = [
  "which customers use a feature, call by call: a bucket names at most one feature and one customer, and a feature's first use is the day of the first bucket that names it",
];

/** The investment quadrants in the order pages list them, with what each means. */
export const QUADRANT_TITLES: Readonly<Record<Quadrant, string>> = {
  invest: 'Invest (high adoption, high margin)',
  optimize: 'Optimize (high adoption, low margin)',
  maintain: 'Maintain (low adoption, high margin)',
  sunset: 'Sunset (low adoption, low margin)',
};

const QUADRANTS = Object.keys(QUADRANT_TITLES) as Quadrant[];

/** The figures every part of the feature page reads. */
interface FeaturePage {
  readonly result: FeaturesResult;
  readonly settings: ResolvedDocumentOptions;
  /** AI cost of every feature, in micro-dollars. */
  readonly cost: number;
  /** Revenue attributed to every feature, in micro-dollars. */
  readonly revenue: number;
}

/** The headline cards: features, cost, revenue, the most adopted feature, the quadrants and the top bundle. */
function featureMetrics({ result, cost, revenue }: FeaturePage): MetricCard[] {
  const { features, bundles } = result;
  const mostAdopted = features.reduce<FeatureEconomics | undefined>(
    (best, row) =>
      best === undefined ||
      row.adoption > best.adoption ||
      (row.adoption === best.adoption && row.feature < best.feature)
        ? row
        : best,
    undefined,
  );
  const quadrantCount = (quadrant: Quadrant): number =>
    features.filter((row) => row.quadrant === quadrant).length;
  const topBundle = bundles[0];
  return [
    countCard('Features', features.length, `${plural(quadrantCount('invest'), 'feature')} to invest in`),
    moneyCard(
      'Feature cost',
      cost,
      `${plural(
        sum(features, (row) => row.calls),
        'call',
      )}`,
    ),
    moneyCard(
      'Attributed revenue',
      revenue,
      revenue === 0 ? 'no revenue' : `margin ${percent(((revenue - cost) / revenue) * 100)}`,
    ),
    textCard(
      'Most adopted',
      mostAdopted?.feature ?? 'none',
      mostAdopted ? `${percent(percentOfShare(mostAdopted.adoption))} of customers` : undefined,
    ),
    countCard(
      'To optimize or sunset',
      quadrantCount('optimize') + quadrantCount('sunset'),
      `${count(quadrantCount('optimize'))} optimize, ${count(quadrantCount('sunset'))} sunset`,
    ),
    textCard(
      'Top bundle',
      topBundle ? `${topBundle.features[0]} + ${topBundle.features[1]}` : 'none',
      topBundle
        ? `lift ${count(topBundle.lift, 2)}, ${plural(topBundle.customers, 'customer')}`
        : 'no pair above the support',
    ),
  ];
}

/** The cost-and-revenue chart and the per-feature economics table. */
function economicsSectionOf({ result, settings, cost, revenue }: FeaturePage): ReportSection {
  const { features } = result;
  const chartRows = features.slice(0, settings.chartTopN);
  const economicsBlocks: ReportBlock[] = [];
  if (chartRows.length > 0) {
    economicsBlocks.push(
      categoryChart(
        'bar',
        'Cost and attributed revenue by feature',
        `AI cost, attributed revenue and margin of ${
          features.length > chartRows.length
            ? `the ${count(chartRows.length)} costliest features`
            : 'each feature'
        }, in dollars.`,
        chartRows.map((row) => row.feature),
        [
          { label: 'AI cost', values: chartRows.map((row) => usd(row.costMicros)) },
          { label: 'Attributed revenue', values: chartRows.map((row) => usd(row.revenueMicros)) },
          { label: 'Margin', values: chartRows.map((row) => usd(row.marginMicros)) },
        ],
        { xAxis: { title: 'Feature' }, yAxis: { title: 'Dollars', format: 'money' } },
      ),
    );
  }
  economicsBlocks.push(
    table(
      'Per-feature economics',
      'Cost, calls, adoption, attributed revenue, margin and ROI of each feature, costliest first.',
      [
        col.text('Feature'),
        col.number('Calls'),
        col.money('AI cost'),
        col.number('Adopters'),
        col.percent('Adoption'),
        col.money('Cost per adopter'),
        col.number('Calls per adopter', 1),
        col.money('Attributed revenue'),
        col.money('Margin'),
        col.percent('Margin %'),
        col.number('ROI', 2),
        col.text('Quadrant'),
        col.text('First seen'),
        col.number('Recent adopters'),
      ],
      topWithRest(
        features,
        settings.topN,
        (row) => [
          row.feature,
          row.calls,
          usd(row.costMicros),
          row.adopters,
          percentOfShare(row.adoption),
          usd(row.costPerAdopterMicros),
          row.callsPerAdopter,
          usd(row.revenueMicros),
          usd(row.marginMicros),
          row.marginPct,
          row.roi,
          row.quadrant,
          row.firstSeen,
          row.recentAdopters,
        ],
        (rest) => [
          `All other ${plural(rest.length, 'feature')}`,
          sum(rest, (row) => row.calls),
          usd(sum(rest, (row) => row.costMicros)),
          null,
          null,
          null,
          null,
          usd(sum(rest, (row) => row.revenueMicros)),
          usd(sum(rest, (row) => row.marginMicros)),
          null,
          null,
          '',
          '',
          null,
        ],
      ),
      {
        footer: [
          'Total',
          sum(features, (row) => row.calls),
          usd(cost),
          null,
          null,
          null,
          null,
          usd(revenue),
          usd(revenue - cost),
          revenue === 0 ? null : ((revenue - cost) / revenue) * 100,
          cost === 0 ? null : (revenue - cost) / cost,
          '',
          '',
          null,
        ],
        note:
          features.length > settings.topN
            ? `The ${count(settings.topN)} costliest of ${count(features.length)} features; the others are summed in one row.`
            : undefined,
      },
    ),
  );
  return {
    title: 'Per-feature economics',
    intro: 'Each customer’s revenue split across its features by their cost.',
    blocks: economicsBlocks,
  };
}

/** The adoption-against-margin scatter and the features counted by quadrant. */
function quadrantSectionOf({ result, settings, cost, revenue }: FeaturePage): ReportSection {
  const { features, medians } = result;
  const plotted = features.filter((row) => row.marginPct !== null);
  const scatter: ScatterSeries[] = QUADRANTS.map((quadrant) => ({
    label: quadrant,
    points: plotted
      .filter((row) => row.quadrant === quadrant)
      .map((row) => ({ x: percentOfShare(row.adoption), y: row.marginPct ?? 0, label: row.feature })),
  }));
  return {
    title: 'Investment quadrant',
    intro: `Features placed by adoption and margin % against their medians: ${percent(
      percentOfShare(medians.adoption),
    )} adoption and a ${percent(medians.marginPct)} margin.`,
    blocks: [
      ...(plotted.length > 0
        ? [
            {
              kind: 'chart' as const,
              chart: 'scatter' as const,
              title: 'Adoption against margin',
              description: `Each feature by the share of customers using it (across) and its margin % (up)${
                plotted.length < features.length
                  ? `; ${plural(features.length - plotted.length, 'feature')} without attributed revenue left out`
                  : ''
              }.`,
              series: scatter,
              xAxis: { title: 'Adoption', format: 'percent' as const },
              yAxis: { title: 'Margin %', format: 'percent' as const },
            },
          ]
        : []),
      table(
        'Features by quadrant',
        'How many features fall in each quadrant, their cost and their margin.',
        [
          col.text('Quadrant'),
          col.number('Features'),
          col.money('AI cost'),
          col.money('Margin'),
          col.text('Features'),
        ],
        QUADRANTS.map((quadrant) => {
          const members = features.filter((row) => row.quadrant === quadrant);
          const names = members.slice(0, settings.topN).map((row) => row.feature);
          if (members.length > names.length) names.push(`and ${count(members.length - names.length)} more`);
          return [
            QUADRANT_TITLES[quadrant],
            members.length,
            usd(sum(members, (row) => row.costMicros)),
            usd(sum(members, (row) => row.marginMicros)),
            names.join(', '),
          ];
        }),
        { footer: ['All features', features.length, usd(cost), usd(revenue - cost), ''] },
      ),
    ],
  };
}

/** The feature pairs used by the same customers, by lift. */
function bundleSectionOf(result: FeaturesResult): ReportSection {
  const { bundles } = result;
  return {
    title: 'Bundles',
    intro: 'Pairs of features used by the same customers, by lift (how much more often than by chance).',
    blocks: [
      table(
        'Feature pairs',
        'Each pair with the customers using both, support (share of all customers), confidence and lift.',
        [
          col.text('Feature'),
          col.text('With'),
          col.number('Customers'),
          col.percent('Support'),
          col.percent('Confidence'),
          col.number('Lift', 2),
        ],
        bundles.map((bundle) => [
          bundle.features[0],
          bundle.features[1],
          bundle.customers,
          percentOfShare(bundle.support),
          percentOfShare(bundle.confidence),
          bundle.lift,
        ]),
      ),
    ],
  };
}

/** What the sessions section cannot compute from bucketed rows. */
export const SESSIONS_BUCKETED_LIMITS = [
  'cost per session and per trace: a bucketed row gives the sums of many calls and no session or trace id, so its calls count among the calls without a session',
];

/** The columns of a cost-per-session table after its first. */
const PER_SESSION_COLUMNS = [
  col.number('Sessions'),
  col.number('Calls'),
  col.money('Cost'),
  col.number('Calls per session', 2),
  col.money('Mean per session', 4),
  col.money('Median per session', 4),
  col.money('p95 per session', 4),
];

/** The cells of a cost-per-session row after its first. */
function perSessionCells(row: PerSession): (number | string)[] {
  return [
    row.sessions,
    row.calls,
    usd(row.costMicros),
    row.meanCalls,
    usd(row.meanCostMicros),
    usd(row.medianCostMicros),
    usd(row.p95CostMicros),
  ];
}

/** The costliest sessions and traces, and calls and cost per session by feature and by customer. */
function sessionSectionOf(
  result: FeaturesResult,
  settings: ResolvedDocumentOptions,
  meta: AnalysisMeta,
): ReportSection {
  const { sessions, traces, perSession } = result;
  const { overall } = perSession;
  const title = 'Sessions and traces';
  const limits = bucketedRowsNote(meta, SESSIONS_BUCKETED_LIMITS);
  if (overall.sessions === 0)
    return {
      title,
      blocks: [
        {
          kind: 'text',
          paragraphs: [
            `None of the ${plural(perSession.callsWithoutSession, 'call')} carries a session id, so cost per session cannot be computed. Log the conversation or workflow each call belongs to in a \`session_id\` column, and the request chain in \`trace_id\`.`,
          ],
        },
        ...limits,
      ],
    };
  const chartRows = sessions.slice(0, settings.chartTopN);
  const featureRows = perSession.byFeature;
  const chartFeatures = featureRows.slice(0, settings.chartTopN);
  const costlyColumns = [col.text('Customer'), col.number('Calls'), col.money('Cost')];
  return {
    title,
    intro: `${plural(overall.sessions, 'session')} over ${plural(overall.calls, 'call')} cost ${money(overall.costMicros)}: ${count(overall.meanCalls, 2)} calls and ${money(overall.meanCostMicros, 4)} a session on average, the median session ${money(overall.medianCostMicros, 4)}, the 95th percentile ${money(overall.p95CostMicros, 4)}. A session is a session id within one customer's calls.${
      perSession.callsWithoutSession > 0
        ? ` ${plural(perSession.callsWithoutSession, 'call')} without a session id are left out.`
        : ''
    }`,
    blocks: [
      ...limits,
      categoryChart(
        'bar',
        'Costliest sessions',
        `The ${plural(chartRows.length, 'session')} that cost most, in dollars.`,
        chartRows.map((row) => row.id),
        [{ label: 'Cost', values: chartRows.map((row) => usd(row.costMicros)) }],
        { xAxis: { title: 'Session' }, yAxis: { title: 'Cost', format: 'money' }, horizontal: true },
      ),
      table(
        'Costliest sessions',
        'The sessions that cost most, with their customer, calls and the features they used.',
        [col.text('Session'), ...costlyColumns, col.number('Features'), col.percent('Share of session cost')],
        sessions.map((row) => [
          row.id,
          row.customer,
          row.calls,
          usd(row.costMicros),
          row.features,
          overall.costMicros === 0 ? 0 : (row.costMicros / overall.costMicros) * 100,
        ]),
        { note: shownNote(sessions.length, overall.sessions, 'sessions') },
      ),
      table(
        'Costliest traces',
        'The traces (request chains) that cost most, with their customer and calls.',
        [col.text('Trace'), ...costlyColumns],
        traces.map((row) => [row.id, row.customer, row.calls, usd(row.costMicros)]),
        {
          note: `${shownNote(traces.length, perSession.traces.sessions, 'traces') ?? `All ${plural(perSession.traces.sessions, 'trace')}.`} A trace costs ${money(perSession.traces.meanCostMicros, 4)} on average.`,
        },
      ),
      categoryChart(
        'bar',
        'Cost per session by feature',
        "Mean, median and 95th-percentile cost of the sessions that used each feature (the cost of that feature's calls in them), in dollars.",
        chartFeatures.map((row) => row.feature),
        [
          { label: 'Mean', values: chartFeatures.map((row) => usd(row.meanCostMicros)) },
          { label: 'Median', values: chartFeatures.map((row) => usd(row.medianCostMicros)) },
          { label: 'p95', values: chartFeatures.map((row) => usd(row.p95CostMicros)) },
        ],
        { xAxis: { title: 'Feature' }, yAxis: { title: 'Cost per session', format: 'money' } },
      ),
      table(
        'Calls and cost per session by feature',
        "For each feature, the sessions that used it and its calls and cost in them; a session using two features counts under both, with each feature's own part.",
        [col.text('Feature'), ...PER_SESSION_COLUMNS],
        featureRows.map((row) => [row.feature, ...perSessionCells(row)]),
        { footer: ['All sessions', ...perSessionCells(overall)] },
      ),
      table(
        'Calls and cost per session by customer',
        'For each customer, its sessions, their calls and cost, and the spread of cost per session, costliest customer first.',
        [col.text('Customer'), ...PER_SESSION_COLUMNS],
        perSession.byCustomer.slice(0, settings.topN).map((row) => [row.customer, ...perSessionCells(row)]),
        {
          footer: ['All sessions', ...perSessionCells(overall)],
          note: shownNote(
            Math.min(settings.topN, perSession.byCustomer.length),
            perSession.byCustomer.length,
            'customers',
          ),
        },
      ),
    ],
  };
}

/** The "Feature Economics" document of analysis 8. */
export function featuresDocument(
  result: FeaturesResult,
  meta: AnalysisMeta,
  options: DocumentOptions = {},
): ReportDocument {
  const page: FeaturePage = {
    result,
    settings: resolveDocumentOptions(options),
    cost: sum(result.features, (row) => row.costMicros),
    revenue: sum(result.features, (row) => row.revenueMicros),
  };
  return standardDocument(ABOUT_FEATURES, meta, featureMetrics(page), [
    economicsSectionOf(page),
    quadrantSectionOf(page),
    bundleSectionOf(result),
    sessionSectionOf(result, page.settings, meta),
    { title: 'Limits of the data', blocks: bucketedRowsNote(meta, FEATURES_PAGE_BUCKETED_LIMITS) },
    {
      title: 'Recommendations',
      blocks: [
        recommendationsBlock(result.recommendations, 'Every feature pays its way; nothing to act on.'),
      ],
    },
  ]);
}

/** Everything the features page cannot compute from bucketed rows: the feature figures and the sessions section. */
export const FEATURES_PAGE_BUCKETED_LIMITS = [...FEATURES_BUCKETED_LIMITS, ...SESSIONS_BUCKETED_LIMITS];
