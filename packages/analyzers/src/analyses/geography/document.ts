import type { ReportBlock, ReportDocument, ReportSection, TableCell } from '@finops/schema';
import type { AnalysisMeta } from '../../engine';
import { bucketedRowsNote } from '../../documents/limits';
import {
  type DocumentOptions,
  categoryChart,
  col,
  count,
  countCard,
  moneyCard,
  percentOfShare,
  percent,
  percentCard,
  plural,
  recommendationsBlock,
  resolveDocumentOptions,
  shownNote,
  standardDocument,
  table,
  textCard,
  usd,
  yesNo,
} from '../../documents/shared';
import { ABOUT_GEOGRAPHY } from './about';
import type { GeographyResult, PlaceFigures } from './finish';

/** What the geography analysis cannot compute from bucketed rows (stated on the page and in the docs). */
export const GEOGRAPHY_BUCKETED_LIMITS = [
  "latency quantiles and SLA compliance of single calls: each row's calls are counted at the row's mean latency",
];

/** What a log needs for this page, said when it has no region. */
const WHAT_TO_LOG = [
  'Log the region that served each call in a `region` column (the cloud region or the provider endpoint, for example `us-east-1` or `eu-west-1`), with `latency_ms` on the same rows.',
  'With those two fields this page shows calls, cost and latency quantiles by region and by provider × region, the regions and routes that break the SLA, and the fastest and cheapest region for each model.',
];

const placeColumns = [
  col.number('Calls'),
  col.money('Cost'),
  col.number('p50 (ms)'),
  col.number('p95 (ms)'),
  col.number('p99 (ms)'),
  col.percent('Within SLA'),
  col.text('Breaks SLA'),
];

function placeCells(entry: PlaceFigures): TableCell[] {
  return [
    entry.calls,
    usd(entry.costMicros),
    entry.p50Ms,
    entry.p95Ms,
    entry.p99Ms,
    entry.slaCompliance === null ? null : percentOfShare(entry.slaCompliance),
    yesNo(entry.breaksSla),
  ];
}

function noRegionDocument(result: GeographyResult, meta: AnalysisMeta): ReportDocument {
  const metrics = [
    countCard('Calls', result.callsWithoutRegion, 'none of them gives a region'),
    countCard('Calls with a region', 0),
    moneyCard('Cost without a region', result.costWithoutRegionMicros),
    countCard('Regions', 0, 'the log has no `region` field filled'),
  ];
  const sections: ReportSection[] = [
    {
      title: 'No region in the log',
      blocks: [
        {
          kind: 'text',
          paragraphs: [
            `None of the ${plural(result.callsWithoutRegion, 'call')} of this log says where it was served, so no figure of this page can be computed.`,
          ],
        },
      ],
    },
    { title: 'What to log', blocks: [{ kind: 'text', paragraphs: WHAT_TO_LOG }] },
  ];
  return standardDocument(ABOUT_GEOGRAPHY, meta, metrics, sections);
}

/** The "Regions and Routes" document. */
export function geographyDocument(
  result: GeographyResult,
  meta: AnalysisMeta,
  options: DocumentOptions = {},
): ReportDocument {
  if (!result.hasRegion) return noRegionDocument(result, meta);
  const settings = resolveDocumentOptions(options);
  const { regions, routes } = result;
  const slowest = regions
    .filter((entry) => entry.p95Ms !== null)
    .sort((a, b) => (b.p95Ms as number) - (a.p95Ms as number))[0];
  const broken = regions.filter((entry) => entry.breaksSla).length;
  const metrics = [
    countCard('Regions', regions.length, `${plural(routes.length, 'route')} (provider × region)`),
    percentCard(
      'Calls with a region',
      percentOfShare(result.callsWithRegion / (result.callsWithRegion + result.callsWithoutRegion)),
      `${plural(result.callsWithoutRegion, 'call')} without`,
    ),
    textCard(
      'Costliest region',
      regions[0]?.region ?? 'none',
      regions[0]
        ? `${percent(
            percentOfShare(
              regions[0].costMicros /
                Math.max(
                  1,
                  regions.reduce((total, entry) => total + entry.costMicros, 0),
                ),
            ),
          )} of the cost with a region`
        : undefined,
    ),
    textCard(
      'Slowest region (p95)',
      slowest?.region ?? 'none',
      slowest ? `${count(slowest.p95Ms as number)} ms` : 'no latency in the log',
    ),
    countCard(
      'Regions breaking the SLA',
      broken,
      `under ${percent(percentOfShare(result.slaTarget))} of calls within ${count(result.slaMs)} ms`,
    ),
  ];
  const chartRegions = regions.slice(0, settings.chartTopN);
  const timedRegions = chartRegions.filter((entry) => entry.p50Ms !== null);
  const regionBlocks: ReportBlock[] = [
    categoryChart(
      'bar',
      'Cost by region',
      `AI cost of the ${plural(chartRegions.length, 'costliest region')}, in dollars.`,
      chartRegions.map((entry) => entry.region),
      [{ label: 'Cost', values: chartRegions.map((entry) => usd(entry.costMicros)) }],
      { xAxis: { title: 'Region' }, yAxis: { title: 'Cost', format: 'money' }, horizontal: true },
    ),
  ];
  if (timedRegions.length > 0)
    regionBlocks.push(
      categoryChart(
        'bar',
        'Latency by region',
        'p50, p95 and p99 latency of the calls of each region, in milliseconds.',
        timedRegions.map((entry) => entry.region),
        [
          { label: 'p50', values: timedRegions.map((entry) => entry.p50Ms) },
          { label: 'p95', values: timedRegions.map((entry) => entry.p95Ms) },
          { label: 'p99', values: timedRegions.map((entry) => entry.p99Ms) },
        ],
        { xAxis: { title: 'Region' }, yAxis: { title: 'Latency (ms)', format: 'number' } },
      ),
    );
  regionBlocks.push(
    table(
      'Regions',
      `Calls, cost and latency quantiles of each region; it breaks the SLA when under ${percent(percentOfShare(result.slaTarget))} of its timed calls finish within ${count(result.slaMs)} ms.`,
      [col.text('Region'), ...placeColumns],
      regions.slice(0, settings.topN).map((entry) => [entry.region, ...placeCells(entry)]),
      { note: shownNote(Math.min(settings.topN, regions.length), regions.length, 'regions') },
    ),
  );
  const sections: ReportSection[] = [
    {
      title: 'Regions',
      intro: `${plural(result.callsWithRegion, 'call')} give a region; ${plural(result.callsWithoutRegion, 'call')} do not and are left out of this page.`,
      blocks: regionBlocks,
    },
    {
      title: 'Routes',
      intro: 'A route is a provider serving from a region.',
      blocks: [
        table(
          'Routes by provider and region',
          'Calls, cost and latency quantiles of each provider in each region, costliest first.',
          [col.text('Provider'), col.text('Region'), ...placeColumns],
          routes.slice(0, settings.topN).map((entry) => [entry.provider, entry.region, ...placeCells(entry)]),
          { note: shownNote(Math.min(settings.topN, routes.length), routes.length, 'routes') },
        ),
      ],
    },
    {
      title: 'Fastest and cheapest region per model',
      intro:
        'Among the regions where a model has enough calls: the lowest median latency and the lowest cost per thousand tokens.',
      blocks: [
        table(
          'Best region per model',
          'For each model, its fastest region (lowest p50) and its cheapest (lowest cost against the list price of its tokens), with their figures.',
          [
            col.text('Model'),
            col.number('Regions'),
            col.text('Fastest region'),
            col.number('Its p50 (ms)'),
            col.number('Its p95 (ms)'),
            col.text('Cheapest region'),
            col.money('Its cost per 1K tokens', 4),
            col.percent('Its cost / list price'),
          ],
          result.bestRoutes
            .slice(0, settings.topN)
            .map((entry) => [
              `${entry.provider}/${entry.model}`,
              entry.regions,
              entry.fastest?.region ?? 'too few calls',
              entry.fastest?.p50Ms ?? null,
              entry.fastest?.p95Ms ?? null,
              entry.cheapest?.region ?? 'too few priced calls',
              entry.cheapest ? usd(entry.cheapest.costPer1kTokensMicros) : null,
              entry.cheapest ? percentOfShare(entry.cheapest.priceIndex) : null,
            ]),
          {
            note: shownNote(
              Math.min(settings.topN, result.bestRoutes.length),
              result.bestRoutes.length,
              'models',
            ),
          },
        ),
      ],
    },
    {
      title: 'Limits of the data',
      blocks: bucketedRowsNote(meta, GEOGRAPHY_BUCKETED_LIMITS),
    },
    {
      title: 'Recommendations',
      blocks: [
        recommendationsBlock(
          result.recommendations,
          'Every region and route keeps the SLA, and no model is dearer in one region than in another.',
        ),
      ],
    },
  ];
  return standardDocument(ABOUT_GEOGRAPHY, meta, metrics, sections);
}
