import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ANALYSES,
  ANALYSIS_REGISTRY,
  type AggregateReader,
  type AnalysisResults,
  DIMENSIONS,
  type GroupingSpec,
  type HistogramData,
  analyzeCosts,
  defineAnalysis,
  grouping,
  integer,
  setting,
} from '@finops/analyzers';
import { CSV_COLUMNS, csvHeaderLine, formatCsvRecords } from '@finops/schema';
import { analyzeWarehouse, type CallWarehouse, loadCalls } from '../src';
import { freshWarehouse } from './engine';
// Parity runs on the analyzers' own fixture log (record v2, every column), not on a copy of it.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { randomLogV2 } from '../../analyzers/tests/fixtures';

/** Groupings no built-in analysis declares: every dimension, measure, filter and histogram between them. */
const NEW_GROUPINGS: GroupingSpec[] = [
  grouping({
    name: 'planRegionWeekday',
    dimensions: ['plan', 'region', 'weekday', 'environment'],
    measures: ['calls', 'cost', 'cachedInputTokens', 'cacheWriteInputTokens', 'reasoningTokens', 'firstDay'],
    histograms: ['costPerCall'],
    filter: 'withRegion',
  }),
  grouping({
    name: 'failuresByTeam',
    dimensions: ['organization', 'product', 'errorType', 'day'],
    measures: ['calls', 'cost', 'premiumCost', 'untimedCalls'],
    filter: 'failed',
  }),
  grouping({
    name: 'providerHourLatency',
    dimensions: ['provider', 'model', 'hour', 'taskType'],
    measures: [
      'calls',
      'inputTokens',
      'outputTokens',
      'latencySum',
      'timedCalls',
      'failedCalls',
      'failedCost',
      { name: 'quick', countLatencyAtMost: 'groupingProbe.quickMs' },
    ],
    histograms: ['latency', 'costPerCall'],
  }),
  grouping({
    name: 'customerFeatureRegion',
    dimensions: ['customer', 'feature', 'region'],
    measures: ['calls', 'cost', 'firstDay'],
    histograms: ['latency'],
    filter: 'withRegion',
  }),
];

/** Every cell of a grouping with its key values spelled out, its measures and its histograms. */
function cellsOf(aggregates: AggregateReader, spec: GroupingSpec): unknown[] {
  const table = aggregates.grouping(spec.name);
  const days = aggregates.days();
  const valueOf = (dimension: (typeof DIMENSIONS)[number], id: number): string | number =>
    dimension === 'hour' || dimension === 'weekday' || dimension === 'ratioBin' || dimension === 'minute'
      ? id
      : dimension === 'day'
        ? (days[id] as number)
        : (aggregates.values(dimension)[id] ?? `#${id}`);
  return Array.from({ length: table.size }, (_, cell) => ({
    key: spec.dimensions.map((dimension) => valueOf(dimension, table.keys(dimension)[cell] as number)),
    measures: spec.measures.map(
      (measure) => table.measure(typeof measure === 'string' ? measure : measure.name)[cell],
    ),
    // The raw values of a small cell come in the order each engine reads them; what they give is the same sorted.
    histograms: (spec.histograms ?? []).map((kind) => {
      const histogram = table.histograms(kind)[cell] as HistogramData;
      return { ...histogram, raw: histogram.raw?.slice().sort((a, b) => a - b) ?? null };
    }),
  }));
}

/** An analysis that reads nothing but the new groupings, and returns their cells. */
const GROUPING_PROBE = defineAnalysis<'groupingProbe', { quickMs: number }, Record<string, unknown[]>>({
  name: 'groupingProbe',
  title: 'Grouping probe',
  category: 'finops',
  purpose: 'The cells of groupings no built-in analysis declares.',
  settings: { quickMs: setting(700, integer({ min: 0 }), 'A call at or under this latency (ms) is quick.') },
  groupings: NEW_GROUPINGS,
  finish: (context) =>
    Object.fromEntries(NEW_GROUPINGS.map((spec) => [spec.name, cellsOf(context.aggregates, spec)])),
  document: () => {
    throw new Error('the probe has no page');
  },
});

const REGISTRY = [...ANALYSIS_REGISTRY, GROUPING_PROBE];

const folder = mkdtempSync(join(tmpdir(), 'finops-ch-groupings-'));
const log = join(folder, 'v2.csv');
let warehouse: CallWarehouse;

beforeAll(async () => {
  // Every column of the record, so that regions, failures and cache tokens reach both engines.
  writeFileSync(
    log,
    csvHeaderLine([], CSV_COLUMNS) + formatCsvRecords(randomLogV2(1200, 31), [], CSV_COLUMNS),
  );
  warehouse = await freshWarehouse('groupings');
  await loadCalls(warehouse, log);
});

afterAll(async () => {
  await warehouse?.close();
  rmSync(folder, { recursive: true, force: true });
});

function comparable(results: AnalysisResults): unknown {
  return JSON.parse(JSON.stringify({ ...results, meta: { ...results.meta, source: '' } }));
}

describe('groupings filled by SQL generated from their declaration', () => {
  it('fill a new analysis exactly as the in-process generic path does, with no SQL of its own', async () => {
    const options = {
      registry: REGISTRY,
      analyses: ['groupingProbe'],
      config: { groupingProbe: { quickMs: 450 } },
    };
    const expected = comparable(await analyzeCosts(log, options));
    const actual = comparable(await analyzeWarehouse(warehouse, options));
    expect(actual).toEqual(expected);
    const probe = (actual as Record<string, Record<string, unknown[]>>).groupingProbe ?? {};
    for (const spec of NEW_GROUPINGS) expect(probe[spec.name]?.length).toBeGreaterThan(0);
  });

  it('fill every built-in grouping from a log of every column with the in-process results', async () => {
    expect(comparable(await analyzeWarehouse(warehouse))).toEqual(comparable(await analyzeCosts(log)));
  });

  it.each(ANALYSES.map((name) => [name]))(
    'fill only the groupings %s declares, with the same results',
    async (name) => {
      const expected = comparable(await analyzeCosts(log, { analyses: [name] }));
      const actual = comparable(await analyzeWarehouse(warehouse, { analyses: [name] }));
      expect(actual).toEqual(expected);
    },
  );
});
