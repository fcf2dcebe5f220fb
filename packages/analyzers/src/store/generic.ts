/**
 * The generic path of the in-process store: any declared grouping that the
 * fused loop does not fill is kept here, cell by key tuple. Slower per call
 * than the fused loop, which is why the built-in groupings stay there; it is
 * what makes a new analysis one folder and one registry line.
 */
import { FinopsError } from '@finops/schema';
import { type HistogramData, addToHistogramTimes, mergeHistogram, newHistogram } from '../histogram';
import type { CellColumns } from './cells';
import { DIMENSIONS, type Dimension, type GroupingSpec, measureName, ratioBin } from './grouping';

/** One call as the generic path sees it: dimension ids (in {@link DIMENSIONS} order) and figures. */
export interface GenericCall {
  /** Ids by dimension, in {@link DIMENSIONS} order. */
  ids: number[];
  calls: number;
  cost: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  cacheWriteInputTokens: number;
  reasoningTokens: number;
  /** NaN when unknown. */
  latency: number;
  failed: boolean;
  hasRegion: boolean;
  premium: boolean;
  day: number;
}

/** A generic grouping as plain data. */
export interface GenericGroupingData {
  name: string;
  keys: number[][];
  measures: number[][];
  histograms: HistogramData[][];
}

const DIMENSION_INDEX = new Map(DIMENSIONS.map((dimension, index) => [dimension, index]));
/** The dimension computed from a call's figures rather than given by the store. */
const RATIO_BIN_INDEX = DIMENSIONS.indexOf('ratioBin');

/** A call's id of a dimension (the ratio bin is computed from its tokens). */
function dimensionId(call: GenericCall, index: number): number {
  return index === RATIO_BIN_INDEX
    ? ratioBin(call.inputTokens, call.outputTokens)
    : (call.ids[index] as number);
}

/** Ids below this (plus one) pack three to a safe integer. */
const PACKED_LIMIT = 1 << 17;

/**
 * The key of a cell: up to three ids packed in one number (each + 1, so
 * that −1 packs too), else the ids joined. The two kinds never collide in
 * one map: a number is never equal to a string.
 */
function cellKey(ids: readonly number[]): number | string {
  if (ids.length <= 3) {
    let key = 0;
    let packed = true;
    for (const id of ids) {
      if (id + 1 >= PACKED_LIMIT || id < -1) {
        packed = false;
        break;
      }
      key = key * PACKED_LIMIT + id + 1;
    }
    if (packed) return key;
  }
  return ids.join(',');
}

/** A condition's settings resolved: the bounds a call must meet. */
interface ResolvedCondition {
  inputAtLeast: number;
  outputAtMost: number;
  ratioAtLeast: number;
  ratioAtMost: number;
}

/** Whether a call meets a condition, judged by its mean tokens per call. */
function meetsCondition(condition: ResolvedCondition, call: GenericCall): boolean {
  const input = call.calls === 1 ? call.inputTokens : call.inputTokens / call.calls;
  const output = call.calls === 1 ? call.outputTokens : call.outputTokens / call.calls;
  const ratio = output === 0 ? (input === 0 ? 0 : Infinity) : input / output;
  return (
    input >= condition.inputAtLeast &&
    output <= condition.outputAtMost &&
    ratio >= condition.ratioAtLeast &&
    ratio <= condition.ratioAtMost
  );
}

/** The figure a measure adds for one call (`firstDay` is a minimum, handled apart). */
function measureValue(measure: string, call: GenericCall, limit: number): number {
  const timed = !Number.isNaN(call.latency);
  switch (measure) {
    case 'calls':
      return call.calls;
    case 'cost':
      return call.cost;
    case 'inputTokens':
      return call.inputTokens;
    case 'outputTokens':
      return call.outputTokens;
    case 'cachedInputTokens':
      return call.cachedInputTokens;
    case 'cacheWriteInputTokens':
      return call.cacheWriteInputTokens;
    case 'reasoningTokens':
      return call.reasoningTokens;
    case 'latencySum':
      return timed ? call.latency * call.calls : 0;
    case 'timedCalls':
      return timed ? call.calls : 0;
    case 'untimedCalls':
      return timed ? 0 : call.calls;
    case 'failedCalls':
      return call.failed ? call.calls : 0;
    case 'failedCost':
      return call.failed ? call.cost : 0;
    case 'premiumCost':
      return call.premium ? call.cost : 0;
    default:
      // A measure with a parameter: calls whose latency is at most the setting's value.
      return timed && call.latency <= limit ? call.calls : 0;
  }
}

/** A grouping kept cell by key tuple. */
export class GenericGrouping {
  readonly keys: number[][];
  readonly measures: number[][];
  readonly histograms: HistogramData[][];
  private readonly dimensionIndexes: number[];
  private readonly measureNames: string[];
  private readonly limits: number[];
  /** The distinct conditions of the condition measures (several measures often share one). */
  private readonly conditions: ResolvedCondition[] = [];
  /** Per measure, the index of its condition in {@link conditions}, or −1. */
  private readonly conditionOf: number[];
  /** Per call being added, whether it meets each condition (reused). */
  private readonly verdicts: boolean[] = [];
  /** Per measure, the figure it sums (a condition measure's `sum`, else its name). */
  private readonly figureOf: string[];
  /** Cell by key: a number packing the ids when they are small enough, else the ids joined. */
  private readonly cells = new Map<number | string, number>();
  /** The ids of the call being added (reused, so that adding allocates nothing). */
  private readonly scratch: number[];

  constructor(
    readonly spec: GroupingSpec,
    parameters: Readonly<Record<string, number>>,
  ) {
    if ((spec.bins ?? []).length > 0)
      throw new FinopsError(
        'unsupported_grouping',
        `grouping "${spec.name}": bins are filled by the fused loop only`,
      );
    this.dimensionIndexes = spec.dimensions.map((dimension) => {
      const index = DIMENSION_INDEX.get(dimension);
      if (index === undefined)
        throw new FinopsError(
          'unsupported_grouping',
          `grouping "${spec.name}": unknown dimension "${dimension}"`,
        );
      return index;
    });
    this.measureNames = spec.measures.map(measureName);
    const valueOf = (setting: string): number => {
      const value = parameters[setting];
      if (value === undefined)
        throw new FinopsError(
          'unsupported_grouping',
          `grouping "${spec.name}": no value for the setting "${setting}"`,
        );
      return value;
    };
    this.limits = spec.measures.map((measure) =>
      typeof measure === 'object' && 'countLatencyAtMost' in measure
        ? valueOf(measure.countLatencyAtMost)
        : 0,
    );
    const conditionKeys: string[] = [];
    this.conditionOf = spec.measures.map((measure) => {
      if (typeof measure !== 'object' || !('where' in measure)) return -1;
      const bound = (setting: string | undefined, none: number): number =>
        setting === undefined ? none : valueOf(setting);
      const condition = {
        inputAtLeast: bound(measure.where.inputAtLeast, -Infinity),
        outputAtMost: bound(measure.where.outputAtMost, Infinity),
        ratioAtLeast: bound(measure.where.ratioAtLeast, -Infinity),
        ratioAtMost: bound(measure.where.ratioAtMost, Infinity),
      };
      const key = JSON.stringify(measure.where);
      let index = conditionKeys.indexOf(key);
      if (index < 0) {
        index = conditionKeys.push(key) - 1;
        this.conditions.push(condition);
        this.verdicts.push(false);
      }
      return index;
    });
    this.figureOf = spec.measures.map((measure) =>
      typeof measure === 'object' && 'where' in measure ? measure.sum : measureName(measure),
    );
    this.scratch = spec.dimensions.map(() => 0);
    this.keys = spec.dimensions.map(() => []);
    this.measures = spec.measures.map(() => []);
    this.histograms = (spec.histograms ?? []).map(() => []);
  }

  /** Number of cells. */
  get size(): number {
    return this.keys[0]?.length ?? this.measures[0]?.length ?? 0;
  }

  private cell(ids: readonly number[]): number {
    const key = cellKey(ids);
    let cell = this.cells.get(key);
    if (cell === undefined) {
      cell = this.cells.size;
      this.cells.set(key, cell);
      ids.forEach((id, index) => (this.keys[index] as number[]).push(id));
      this.measureNames.forEach((name, index) =>
        (this.measures[index] as number[]).push(name === 'firstDay' ? Infinity : 0),
      );
      (this.spec.histograms ?? []).forEach((kind, index) =>
        (this.histograms[index] as HistogramData[]).push(newHistogram(kind === 'costPerCall')),
      );
    }
    return cell;
  }

  /** Adds one call (when the grouping's filter takes it). */
  add(call: GenericCall): void {
    if (this.spec.filter === 'failed' && !call.failed) return;
    if (this.spec.filter === 'withRegion' && !call.hasRegion) return;
    const ids = this.scratch;
    for (let index = 0; index < ids.length; index++)
      ids[index] = dimensionId(call, this.dimensionIndexes[index] as number);
    const cell = this.cell(ids);
    // Plain loops: this runs once per call and grouping; each condition is judged once.
    for (let index = 0; index < this.conditions.length; index++)
      this.verdicts[index] = meetsCondition(this.conditions[index] as ResolvedCondition, call);
    for (let index = 0; index < this.measureNames.length; index++) {
      const column = this.measures[index] as number[];
      const condition = this.conditionOf[index] as number;
      if (condition >= 0 && !this.verdicts[condition]) continue;
      const figure = this.figureOf[index] as string;
      if (figure === 'firstDay') column[cell] = Math.min(column[cell] as number, call.day);
      else column[cell] = (column[cell] as number) + measureValue(figure, call, this.limits[index] as number);
    }
    (this.spec.histograms ?? []).forEach((kind, index) => {
      const histogram = (this.histograms[index] as HistogramData[])[cell] as HistogramData;
      if (kind === 'costPerCall')
        addToHistogramTimes(histogram, call.calls === 1 ? call.cost : call.cost / call.calls, call.calls);
      else if (!Number.isNaN(call.latency)) addToHistogramTimes(histogram, call.latency, call.calls);
    });
  }

  /**
   * Adds another store's cells, mapping each dimension's ids with `maps`
   * (by dimension; absent: the ids are the same). With `sorted` the cells
   * are visited in the order of their mapped keys.
   */
  merge(other: GenericGrouping, maps: Partial<Record<Dimension, readonly number[]>>, sorted: boolean): void {
    const mapped = other.keys.map((ids, index) => {
      const map = maps[this.spec.dimensions[index] as Dimension];
      return map ? ids.map((id) => map[id] as number) : ids.slice();
    });
    const order = Array.from({ length: other.size }, (_, cell) => cell);
    if (sorted)
      order.sort((a, b) => {
        for (const ids of mapped) {
          const difference = (ids[a] as number) - (ids[b] as number);
          if (difference !== 0) return difference;
        }
        return 0;
      });
    for (const source of order) {
      const cell = this.cell(mapped.map((ids) => ids[source] as number));
      this.measureNames.forEach((name, index) => {
        const column = this.measures[index] as number[];
        const value = (other.measures[index] as number[])[source] as number;
        column[cell] =
          name === 'firstDay' ? Math.min(column[cell] as number, value) : (column[cell] as number) + value;
      });
      this.histograms.forEach((column, index) =>
        mergeHistogram(
          column[cell] as HistogramData,
          (other.histograms[index] as HistogramData[])[source] as HistogramData,
        ),
      );
    }
  }

  /** The cells as columns for the read interface. */
  columns(): CellColumns {
    return {
      size: this.size,
      keys: Object.fromEntries(this.spec.dimensions.map((dimension, index) => [dimension, this.keys[index]])),
      measures: Object.fromEntries(
        this.measureNames.map((name, index) => [name, this.measures[index] as number[]]),
      ),
      histograms: Object.fromEntries(
        (this.spec.histograms ?? []).map((kind, index) => [kind, this.histograms[index] as HistogramData[]]),
      ),
    };
  }

  /** The cells as plain data. */
  toData(): GenericGroupingData {
    return {
      name: this.spec.name,
      keys: this.keys.map((ids) => ids.slice()),
      measures: this.measures.map((values) =>
        values.map((value) => (Number.isFinite(value) ? value : 1e300)),
      ),
      histograms: this.histograms.map((column) => column.map((histogram) => structuredClone(histogram))),
    };
  }

  /** Adds the cells of {@link toData} (ids of the same store). */
  load(data: GenericGroupingData): void {
    const size = data.keys[0]?.length ?? data.measures[0]?.length ?? 0;
    for (let source = 0; source < size; source++) {
      const cell = this.cell(data.keys.map((ids) => ids[source] as number));
      this.measureNames.forEach((name, index) => {
        const value = (data.measures[index] as number[])[source] as number;
        (this.measures[index] as number[])[cell] = name === 'firstDay' && value >= 1e300 ? Infinity : value;
      });
      this.histograms.forEach(
        (column, index) =>
          (column[cell] = structuredClone(
            (data.histograms[index] as HistogramData[])[source] as HistogramData,
          )),
      );
    }
  }
}
