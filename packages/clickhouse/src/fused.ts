/**
 * The groupings the in-process store fills in its fused loop keep a layout
 * of their own in the state ({@link CubeData}): this is where the cells of
 * their generated queries go in that layout — the mirror of how the store's
 * reader lays them out as cells. The SQL stays generated from the
 * declarations; only the placing is per grouping.
 */
import type { HistogramData } from '@finops/analyzers';
import {
  type CellColumns,
  ENVIRONMENT_COUNT,
  FUSED_GROUPING_NAMES,
  MODEL_USAGE_COLUMNS,
  MODEL_USAGE_WIDTH,
  TOTALS_WIDTH,
} from '@finops/analyzers/internal';
import type { CubeBuilder } from './builder';
import { ClickHouseError } from './errors';

/** Places a grouping's cells (ids of the builder's dictionaries) into the builder's layout. */
type Placement = (builder: CubeBuilder, cells: CellColumns) => void;

const TOTALS = ['calls', 'cost', 'inputTokens', 'outputTokens'] as const;

/** A column of the cells, which the declaration guarantees. */
function column(cells: CellColumns, name: string): readonly number[] {
  return cells.measures?.[name] as readonly number[];
}

function keys(cells: CellColumns, dimension: keyof CellColumns['keys']): readonly number[] {
  return cells.keys[dimension] as readonly number[];
}

/** Adds calls, cost and tokens of each cell to a table of {@link TOTALS_WIDTH} figures per id. */
function placeTotals(
  table: (builder: CubeBuilder) => number[],
  dimension: 'plan' | 'hour' | 'weekday',
): Placement {
  return (builder, cells) => {
    const target = table(builder);
    const ids = keys(cells, dimension);
    for (let cell = 0; cell < cells.size; cell++)
      TOTALS.forEach((name, offset) => {
        const at = (ids[cell] as number) * TOTALS_WIDTH + offset;
        target[at] = (target[at] as number) + (column(cells, name)[cell] as number);
      });
  };
}

/** Adds the named measures of each cell into a two-key table of the builder (`[measure, table column]` pairs). */
function placePairs(
  first: (builder: CubeBuilder, cells: CellColumns, cell: number) => number,
  second: (builder: CubeBuilder, cells: CellColumns, cell: number) => number,
  table: (builder: CubeBuilder) => CubeBuilder['customerDay'],
  figures: readonly (readonly [string, string])[],
): Placement {
  return (builder, cells) => {
    const target = table(builder);
    for (let cell = 0; cell < cells.size; cell++) {
      const at = target.cell(first(builder, cells, cell), second(builder, cells, cell));
      for (const [measure, name] of figures) target.add(at, name, column(cells, measure)[cell] as number);
    }
  };
}

/** The id of a cell's `dimension`. */
function idOf(dimension: keyof CellColumns['keys']) {
  return (_: CubeBuilder, cells: CellColumns, cell: number): number => keys(cells, dimension)[cell] as number;
}

/** The model × task type cell of a cell (with its cost histogram). */
function modelTaskOf(builder: CubeBuilder, cells: CellColumns, cell: number): number {
  return builder.modelTaskCell(keys(cells, 'model')[cell] as number, keys(cells, 'taskType')[cell] as number);
}

const TOTALS_FIGURES = [
  ['calls', 'calls'],
  ['cost', 'cost'],
  ['inputTokens', 'input'],
  ['outputTokens', 'output'],
] as const;

/** Where each grouping of the fused layout goes, by name. */
export const FUSED_PLACEMENTS: Readonly<Record<string, Placement>> = {
  customerDay: placePairs(idOf('customer'), idOf('day'), (builder) => builder.customerDay, TOTALS_FIGURES),
  // Each cell comes once, so adding its first day to the new cell's zero sets it.
  customerFeature: placePairs(idOf('customer'), idOf('feature'), (builder) => builder.customerFeature, [
    ['calls', 'calls'],
    ['cost', 'cost'],
    ['firstDay', 'firstDay'],
  ]),
  modelTaskDay: placePairs(modelTaskOf, idOf('day'), (builder) => builder.modelTaskDay, [
    ...TOTALS_FIGURES,
    ['latencySum', 'latency'],
    ['withinSla', 'underSla'],
    ['timedCalls', 'timed'],
  ]),
  modelTaskCost: (builder, cells) => {
    const histograms = cells.histograms?.costPerCall as readonly HistogramData[];
    for (let cell = 0; cell < cells.size; cell++)
      builder.modelTaskCost[modelTaskOf(builder, cells, cell)] = histograms[cell] as HistogramData;
  },
  modelLatency: (builder, cells) => {
    const histograms = cells.histograms?.latency as readonly HistogramData[];
    const bins = cells.bins?.latencyBins as readonly number[][];
    for (let cell = 0; cell < cells.size; cell++) {
      const model = keys(cells, 'model')[cell] as number;
      builder.modelLatency[model] = histograms[cell] as HistogramData;
      builder.modelLatencyBins[model] = bins[cell] as number[];
    }
  },
  modelUsage: (builder, cells) => {
    for (let cell = 0; cell < cells.size; cell++) {
      const at = (keys(cells, 'model')[cell] as number) * MODEL_USAGE_WIDTH;
      MODEL_USAGE_COLUMNS.forEach((name, offset) => {
        builder.modelUsage[at + offset] =
          (builder.modelUsage[at + offset] as number) + (column(cells, name)[cell] as number);
      });
    }
  },
  planTotals: placeTotals((builder) => builder.tierTotals, 'plan'),
  hourTotals: placeTotals((builder) => builder.hourTotals, 'hour'),
  weekdayTotals: placeTotals((builder) => builder.weekdayTotals, 'weekday'),
  teamFeature: placePairs(
    (builder, cells, cell) =>
      builder.orgProduct.cell(
        keys(cells, 'organization')[cell] as number,
        keys(cells, 'product')[cell] as number,
      ),
    (_, cells, cell) =>
      (keys(cells, 'feature')[cell] as number) * ENVIRONMENT_COUNT +
      (keys(cells, 'environment')[cell] as number),
    (builder) => builder.orgProductFeatureEnv,
    [...TOTALS_FIGURES, ['premiumCost', 'premiumCost']],
  ),
  regionProvider: placePairs(idOf('region'), idOf('provider'), (builder) => builder.regionProvider, [
    ['calls', 'calls'],
    ['cost', 'cost'],
    ['latencySum', 'latency'],
    ['timedCalls', 'timed'],
  ]),
  regionLatency: (builder, cells) => {
    const histograms = cells.histograms?.latency as readonly HistogramData[];
    for (let cell = 0; cell < cells.size; cell++)
      builder.regionLatency[keys(cells, 'region')[cell] as number] = histograms[cell] as HistogramData;
  },
  errorModel: placePairs(idOf('errorType'), idOf('model'), (builder) => builder.errorModel, [
    ['calls', 'calls'],
    ['cost', 'cost'],
  ]),
  customerError: placePairs(idOf('customer'), idOf('errorType'), (builder) => builder.customerError, [
    ['calls', 'calls'],
    ['cost', 'cost'],
  ]),
};

/**
 * Where a grouping's cells go: the placement of a grouping of the fused
 * layout, `undefined` for one the store keeps as generic cells.
 *
 * @throws ClickHouseError `clickhouse_query` for a grouping of the fused layout this package cannot place.
 */
export function placementOf(name: string): Placement | undefined {
  if (!FUSED_GROUPING_NAMES.includes(name)) return undefined;
  const placement = FUSED_PLACEMENTS[name];
  if (placement === undefined)
    throw new ClickHouseError(
      'clickhouse_query',
      `the analyses' store keeps the grouping "${name}" in a layout this version cannot fill`,
    );
  return placement;
}
