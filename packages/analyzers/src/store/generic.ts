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
  /**
   * Per dimension, each cell's id; plain arrays, or typed arrays when a
   * state is moved between threads (`Int32Array`: ids are 32-bit integers,
   * so a moved key takes half the memory of a double).
   */
  keys: ArrayLike<number>[];
  /** Per measure, each cell's value (±∞ written as ±1e300). */
  measures: ArrayLike<number>[];
  histograms: HistogramData[][];
  /**
   * Whether rows may repeat a key (a state handed to another thread before
   * its rows were combined, {@link GenericGrouping.takeData}): the reader
   * combines them. Absent: the cells' keys are distinct.
   */
  repeats?: boolean;
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

/** The hash of a key tuple (ids are small integers: the final mix spreads them over the low bits the table uses). */
function tupleHash(ids: readonly number[]): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < ids.length; index++)
    hash = Math.imul(hash ^ ((ids[index] as number) + 1), 0x01000193);
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
}

/** Whether an id can be a key part: an integer of 32 bits (ids are indexes, or −1 for none). */
function isKeyId(id: number): boolean {
  return (id | 0) === id;
}

/** A condition's settings resolved: the bounds a call must meet. */
export interface ResolvedCondition {
  inputAtLeast: number;
  outputAtMost: number;
  ratioAtLeast: number;
  ratioAtMost: number;
}

/** Input / output tokens as a condition compares them: 0 without either, infinite with input and no output. */
export function tokenRatio(input: number, output: number): number {
  return output === 0 ? (input === 0 ? 0 : Infinity) : input / output;
}

/** Whether mean tokens per call (and their {@link tokenRatio}) meet a condition's bounds. */
export function meetsBounds(
  condition: ResolvedCondition,
  input: number,
  output: number,
  ratio: number,
): boolean {
  return (
    input >= condition.inputAtLeast &&
    output <= condition.outputAtMost &&
    ratio >= condition.ratioAtLeast &&
    ratio <= condition.ratioAtMost
  );
}

/** Whether a call meets a condition, judged by its mean tokens per call. */
function meetsCondition(condition: ResolvedCondition, call: GenericCall): boolean {
  const input = call.calls === 1 ? call.inputTokens : call.inputTokens / call.calls;
  const output = call.calls === 1 ? call.outputTokens : call.outputTokens / call.calls;
  return meetsBounds(condition, input, output, tokenRatio(input, output));
}

/** The figures a measure can sum, by code (a code is an index here; `firstDay` is a minimum, `lastDay` a maximum). */
const FIGURES = [
  'calls',
  'cost',
  'inputTokens',
  'outputTokens',
  'cachedInputTokens',
  'cacheWriteInputTokens',
  'reasoningTokens',
  'latencySum',
  'timedCalls',
  'untimedCalls',
  'failedCalls',
  'failedCost',
  'premiumCost',
  'firstDay',
  'lastDay',
] as const;
/** The code of `firstDay`. */
const FIRST_DAY = FIGURES.indexOf('firstDay');
/** The code of `lastDay`. */
const LAST_DAY = FIGURES.indexOf('lastDay');

/** How a measure's cells start and combine: sums from 0, minimums from +∞, maximums from −∞. */
type Combine = 'sum' | 'min' | 'max';

/** The starting value of a cell of a measure that combines by `combine`. */
function startOf(combine: Combine): number {
  return combine === 'min' ? Infinity : combine === 'max' ? -Infinity : 0;
}

/** Two values of a measure combined (a cell and a call, or the cells of two stores). */
function combined(combine: Combine, a: number, b: number): number {
  return combine === 'min' ? Math.min(a, b) : combine === 'max' ? Math.max(a, b) : a + b;
}

/** Stands for ±∞ in plain data (JSON keeps no infinity). */
const INFINITE_DATA = 1e300;
/** A measure's value as {@link GenericGrouping.toData} wrote it, with ±∞ back. */
function fromData(value: number): number {
  return Math.abs(value) >= INFINITE_DATA ? Math.sign(value) * Infinity : value;
}

/** The code of a measure with a parameter: calls whose latency is at most the setting's value. */
const LATENCY_AT_MOST = FIGURES.length;

/** The code of a figure's name (judged once per grouping, not once per call). */
function figureCode(figure: string): number {
  const code = (FIGURES as readonly string[]).indexOf(figure);
  return code < 0 ? LATENCY_AT_MOST : code;
}

/** The figure a measure adds for one call, by its code (`firstDay` and `lastDay` are a minimum and a maximum, handled apart). */
function measureValue(code: number, call: GenericCall, limit: number): number {
  const timed = !Number.isNaN(call.latency);
  switch (code) {
    case 0:
      return call.calls;
    case 1:
      return call.cost;
    case 2:
      return call.inputTokens;
    case 3:
      return call.outputTokens;
    case 4:
      return call.cachedInputTokens;
    case 5:
      return call.cacheWriteInputTokens;
    case 6:
      return call.reasoningTokens;
    case 7:
      return timed ? call.latency * call.calls : 0;
    case 8:
      return timed ? call.calls : 0;
    case 9:
      return timed ? 0 : call.calls;
    case 10:
      return call.failed ? call.calls : 0;
    case 11:
      return call.failed ? call.cost : 0;
    case 12:
      return call.premium ? call.cost : 0;
    default:
      return timed && call.latency <= limit ? call.calls : 0;
  }
}

/** Rows a grouping keeps beyond four times its cells before combining them ({@link GenericGrouping.settle}). */
const ROWS_BEFORE_SETTLING = 1 << 16;
/**
 * The same for rows a fill keeps in typed arrays ({@link GenericGrouping.appendTyped}):
 * a quarter of a million rows of a few 32-bit ids and sums is a few
 * megabytes, and a log of up to that many calls then sorts its rows once,
 * in the canonical copy.
 */
const TYPED_ROWS_BEFORE_SETTLING = 1 << 18;

/**
 * Lengthens `column` to `length` values at once, the new ones `start`: one
 * allocation of the final size, where an array grown value by value leaves
 * a discarded copy at each step (for columns of millions of cells, hundreds
 * of megabytes waiting for the collector).
 */
function lengthen(column: number[], length: number, start: number): void {
  const from = column.length;
  column.length = length;
  column.fill(start, from, length);
}

/**
 * An empty column whose values V8 keeps as doubles from the start. A new
 * array holds small integers; the first fractional or large value written
 * into a column of millions then makes V8 copy it into a new store of
 * doubles and leave the old one to the collector, so that every measure of
 * a canonical copy once stood twice in memory. An array keeps its kind of
 * values when emptied (its kind never goes back), so a column made here
 * stays one of doubles however often it is emptied and lengthened.
 */
function doubleColumn(): number[] {
  const column = [0.5];
  column.length = 0;
  return column;
}

/** The least and greatest of the first `count` ids (`Infinity` and `-Infinity` when there are none). */
function idRange(ids: ArrayLike<number>, count: number): { low: number; high: number } {
  let low = Infinity;
  let high = -Infinity;
  for (let at = 0; at < count; at++) {
    const id = ids[at] as number;
    if (id < low) low = id;
    if (id > high) high = id;
  }
  return { low, high };
}

/** The cells 0 … size − 1 in their own order. */
function identityOrder(size: number): Int32Array {
  const order = new Int32Array(size);
  for (let cell = 0; cell < size; cell++) order[cell] = cell;
  return order;
}

/**
 * The cells ordered by their key tuples (`keys` by dimension, compared
 * dimension by dimension; equal tuples keep their order): one stable
 * counting sort per dimension, the last first, so that a table of a
 * million traces is ordered in linear time rather than by a million-fold
 * comparison of tuples. A dimension whose ids spread far wider than the
 * cells are many is ordered by a stable comparison sort instead.
 */
export function keyOrder(keys: readonly (readonly number[])[], size: number): Int32Array {
  let order: Int32Array = identityOrder(size);
  let next: Int32Array = new Int32Array(size);
  for (let dimension = keys.length - 1; dimension >= 0 && size > 1; dimension--) {
    const ids = keys[dimension] as readonly number[];
    const { low, high } = idRange(ids, size);
    const span = high - low + 1;
    if (span > 2 * size + 1024) {
      // Ids spread far wider than the cells (a part of a log, or a few cells of many traces): two passes of 16 bits.
      orderByBits(order, next, ids, low, 0);
      orderByBits(next, order, ids, low, 16);
      continue;
    }
    // starts[v − low]: where the cells of id v go, once the counts are summed.
    const starts = new Int32Array(span + 1);
    for (let cell = 0; cell < size; cell++) {
      const slot = (ids[cell] as number) - low + 1;
      starts[slot] = (starts[slot] as number) + 1;
    }
    for (let index = 1; index <= span; index++)
      starts[index] = (starts[index] as number) + (starts[index - 1] as number);
    for (let at = 0; at < size; at++) {
      const cell = order[at] as number;
      const slot = (ids[cell] as number) - low;
      const to = starts[slot] as number;
      starts[slot] = to + 1;
      next[to] = cell;
    }
    [order, next] = [next, order];
  }
  return order;
}

/**
 * `order` stably sorted by 16 bits of each cell's id less `low` (from bit
 * `shift`), written into `into`: one pass of a radix sort.
 */
function orderByBits(
  order: Int32Array,
  into: Int32Array,
  ids: readonly number[],
  low: number,
  shift: number,
): void {
  const starts = new Int32Array(65_537);
  const digit = (cell: number): number =>
    (Math.floor(((ids[cell] as number) - low) / 2 ** shift) & 0xffff) + 1;
  for (let at = 0; at < order.length; at++) {
    const slot = digit(order[at] as number);
    starts[slot] = (starts[slot] as number) + 1;
  }
  for (let slot = 1; slot <= 65_536; slot++)
    starts[slot] = (starts[slot] as number) + (starts[slot - 1] as number);
  for (let at = 0; at < order.length; at++) {
    const cell = order[at] as number;
    const slot = digit(cell) - 1;
    const to = starts[slot] as number;
    starts[slot] = to + 1;
    into[to] = cell;
  }
}

/** Each row's key tuple as one number below 2³², with what reads it back (see {@link compositeKeys}). */
interface CompositeKeys {
  keys: Uint32Array;
  /** Per dimension: the smallest id, the number of ids from it to the largest, and its weight in a key. */
  low: number[];
  span: number[];
  stride: number[];
}

/**
 * Each row's ids (`ids` by dimension, mapped by `maps` where given; the
 * rows of `tail` follow those of `ids`) as one number, the last dimension
 * varying fastest, so that the numbers order as the tuples do; undefined
 * when the ranges' product passes 2³² or an id is not an integer (nothing
 * then is read past the ranges).
 */
function compositeKeys(
  ids: readonly (readonly number[])[],
  maps: readonly (readonly number[] | undefined)[],
  rows: number,
  tail?: PendingRows,
): CompositeKeys | undefined {
  const tailRows = tail?.rows ?? 0;
  const low: number[] = [];
  const span: number[] = [];
  let product = 1;
  for (let index = 0; index < ids.length; index++) {
    // A mapped dimension's ids lie within its map's range.
    const map = maps[index];
    let { low: smallest, high: largest } = map ? idRange(map, map.length) : idRange(ids[index] ?? [], rows);
    if (!map && tail) {
      const range = idRange(tail.keys[index] as ArrayLike<number>, tailRows);
      smallest = Math.min(smallest, range.low);
      largest = Math.max(largest, range.high);
    }
    if ((map ? map.length : rows + tailRows) === 0) smallest = largest = 0;
    if (!Number.isInteger(smallest) || !Number.isInteger(largest)) return undefined;
    low.push(smallest);
    span.push(largest - smallest + 1);
    product *= largest - smallest + 1;
    if (product > 2 ** 32) return undefined;
  }
  const stride = span.map(() => 1);
  for (let index = span.length - 2; index >= 0; index--)
    stride[index] = (stride[index + 1] as number) * (span[index + 1] as number);
  const keys = new Uint32Array(rows + tailRows);
  for (let index = 0; index < ids.length; index++) {
    const map = maps[index];
    const from = low[index] as number;
    const weight = stride[index] as number;
    const range = { map, from, span: span[index] as number, weight };
    if (!addKeyParts(keys, ids[index] as readonly number[], rows, range)) return undefined;
    if (tail && !addTypedKeyParts(keys, tail.keys[index] as ArrayLike<number>, rows, tailRows, range))
      return undefined;
  }
  return { keys, low, span, stride };
}

/** A dimension's part of a composite key: its map (if any), smallest id, number of ids and weight. */
interface KeyPart {
  map: readonly number[] | undefined;
  from: number;
  span: number;
  weight: number;
}

/**
 * Adds each row's part of its composite key for one dimension, from a
 * grouping's own column; false when an id is out of the range (none, or
 * not an integer), which would make a wrong key: the caller falls back.
 */
function addKeyParts(keys: Uint32Array, column: readonly number[], rows: number, part: KeyPart): boolean {
  const { map, from, span, weight } = part;
  for (let row = 0; row < rows; row++) {
    const id = map ? (map[column[row] as number] as number) : (column[row] as number);
    if (!(id >= from && id - from < span) || (id | 0) !== id) return false;
    keys[row] = (keys[row] as number) + (id - from) * weight;
  }
  return true;
}

/**
 * {@link addKeyParts} for pending rows in a typed array, keyed from
 * `offset` on: a function of its own, so that each reads one kind of
 * array (a loop that reads both is several times slower).
 */
function addTypedKeyParts(
  keys: Uint32Array,
  column: ArrayLike<number>,
  offset: number,
  rows: number,
  part: KeyPart,
): boolean {
  const { map, from, span, weight } = part;
  for (let row = 0; row < rows; row++) {
    const id = map ? (map[column[row] as number] as number) : (column[row] as number);
    if (!(id >= from && id - from < span) || (id | 0) !== id) return false;
    keys[offset + row] = (keys[offset + row] as number) + (id - from) * weight;
  }
  return true;
}

/**
 * The rows ordered by their {@link compositeKeys}, ties in row order: two
 * stable counting passes of 16 bits, each reading the keys in sequence.
 * `keys` is sorted in place; the returned order says which row each came from.
 */
function orderByComposite(keys: Uint32Array): Int32Array {
  const rows = keys.length;
  let order: Int32Array = identityOrder(rows);
  let sortedKeys: Uint32Array = keys;
  let nextOrder: Int32Array = new Int32Array(rows);
  let nextKeys: Uint32Array = new Uint32Array(rows);
  const starts = new Int32Array(65_537);
  for (const shift of [0, 16]) {
    starts.fill(0);
    for (let at = 0; at < rows; at++) {
      const slot = (((sortedKeys[at] as number) >>> shift) & 0xffff) + 1;
      starts[slot] = (starts[slot] as number) + 1;
    }
    // A digit every key shares orders nothing.
    if (starts.some((count) => count === rows)) continue;
    for (let slot = 1; slot <= 65_536; slot++)
      starts[slot] = (starts[slot] as number) + (starts[slot - 1] as number);
    for (let at = 0; at < rows; at++) {
      const key = sortedKeys[at] as number;
      const slot = (key >>> shift) & 0xffff;
      const to = starts[slot] as number;
      starts[slot] = to + 1;
      nextKeys[to] = key;
      nextOrder[to] = order[at] as number;
    }
    [order, nextOrder] = [nextOrder, order];
    [sortedKeys, nextKeys] = [nextKeys, sortedKeys];
  }
  if (sortedKeys !== keys) keys.set(sortedKeys);
  return order;
}

/**
 * Rows kept in typed arrays, not copied into a grouping's columns: those
 * of another part of a log as they came from its thread (see
 * {@link GenericGrouping.takeData}; keys in this store's ids once merged),
 * or those a fill appended ({@link GenericGrouping.appendTyped}).
 */
interface PendingRows {
  rows: number;
  keys: (Float64Array | Int32Array)[];
  measures: Float64Array[];
  /** Whether the measures are as plain data writes them (±∞ as ±1e300). */
  encoded: boolean;
  /**
   * Whether a merge appended them: a row then holds its value combined
   * with the measure's start, as {@link GenericGrouping.appendRows} writes it;
   * else (a state loaded as it came) the value itself.
   */
  merged: boolean;
}

/**
 * Row `row` of a grouping's measure whose settled cells are `from` and
 * whose pending rows (from `split` on) are `tail`, stored as data when
 * `encoded`.
 */
function rowValue(
  from: number[],
  tail: ArrayLike<number>,
  encoded: boolean,
  split: number,
  row: number,
): number {
  if (row < split) return from[row] as number;
  const value = tail[row - split] as number;
  return encoded ? fromData(value) : value;
}

/** Writes `gathered[at]` = `from[order[at]]` for the rows of `order` below `split` (a grouping's own rows). */
function gatherRows(gathered: Float64Array, order: Int32Array, from: readonly number[], split: number): void {
  for (let at = 0; at < order.length; at++) {
    const row = order[at] as number;
    if (row < split) gathered[at] = from[row] as number;
  }
}

/** {@link gatherRows} for the pending rows (from `split` on), read from their typed array (`encoded`: as plain data writes them). */
function gatherPendingRows(
  gathered: Float64Array,
  order: Int32Array,
  tail: Float64Array,
  split: number,
  encoded: boolean,
): void {
  for (let at = 0; at < order.length; at++) {
    const row = order[at] as number;
    if (row >= split)
      gathered[at] = encoded ? fromData(tail[row - split] as number) : (tail[row - split] as number);
  }
}

/** Sums the sorted values into cells, a new cell where the key changes: each cell from 0, as a sum starts. */
function addSortedRows(to: number[], gathered: Float64Array, sortedKeys: Uint32Array): void {
  let cell = -1;
  for (let at = 0; at < gathered.length; at++) {
    if (at === 0 || sortedKeys[at] !== sortedKeys[at - 1]) to[++cell] = 0 + (gathered[at] as number);
    else to[cell] = (to[cell] as number) + (gathered[at] as number);
  }
}

/** A column with no rows (a released pending column). */
const EMPTY_COLUMN = new Float64Array(0);

/** Whether every column is a `Float64Array` (a state moved from another thread). */
function isTyped(columns: readonly ArrayLike<number>[]): columns is Float64Array[] {
  return columns.every((column) => column instanceof Float64Array);
}

/** Whether every key column is typed (`Int32Array`, or `Float64Array` as an older state wrote them). */
function isTypedKeys(columns: readonly ArrayLike<number>[]): columns is (Float64Array | Int32Array)[] {
  return columns.every((column) => column instanceof Int32Array || column instanceof Float64Array);
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
  private readonly conditionIndexes: number[];
  /** Per call being added, whether it meets each condition (reused). */
  private readonly verdicts: boolean[] = [];
  /** Per measure, the code of the figure it sums (a condition measure's `sum`, else its name). */
  private readonly figureOf: number[];
  /** Per measure, how its cells combine: a sum, a minimum (`firstDay`) or a maximum (`lastDay`). */
  private readonly combines: Combine[];
  /** The histogram kinds, and whether each is of cost per call. */
  private readonly costHistogram: boolean[];
  /**
   * Open-addressing table from a key tuple to its cell: slot → cell + 1
   * (0: empty); the tuples themselves are {@link keys}, so a lookup
   * allocates nothing.
   */
  private slots = new Int32Array(1024);
  /**
   * Whether {@link slots} misses cells copied in bulk: the table is built
   * when a lookup first needs it, so that a copy only read from (the
   * canonical copy, a state merged into another) never builds one.
   */
  private stale = false;
  /**
   * Whether cells may repeat a key: rows appended without a lookup
   * ({@link appendRow}, or another store's cells appended by a merge) are
   * combined by {@link settle} before anything reads or looks up a cell.
   */
  private repeats = false;
  /** Cells after the last {@link settle}: rows beyond four times as many are combined, so that memory stays bounded. */
  private settledCells = 0;
  /** Changes whenever cells are renumbered ({@link settle}), so that a fill that remembers cells forgets them. */
  generation = 0;
  /** Number of cells made so far (in the columns; {@link pending} rows come after them). */
  private cellCount = 0;
  /**
   * Another part's rows appended by a merge but not copied into the
   * columns yet, in the typed arrays they came in from another thread:
   * the canonical copy reads them where they are, and anything else first
   * copies them in ({@link materialize}).
   */
  private pending: PendingRows | undefined = undefined;
  /** Per measure, the value a new cell starts from. */
  private readonly starts: number[];
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
    this.conditionIndexes = spec.measures.map((measure) => {
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
      figureCode(typeof measure === 'object' && 'where' in measure ? measure.sum : measureName(measure)),
    );
    this.combines = this.measureNames.map((name) =>
      name === 'firstDay' ? 'min' : name === 'lastDay' ? 'max' : 'sum',
    );
    this.costHistogram = (spec.histograms ?? []).map((kind) => kind === 'costPerCall');
    this.scratch = spec.dimensions.map(() => 0);
    this.starts = this.combines.map(startOf);
    this.keys = spec.dimensions.map(() => []);
    this.measures = spec.measures.map(doubleColumn);
    this.histograms = (spec.histograms ?? []).map(() => []);
  }

  /** The column of a measure, by cell (the same array as cells are added). */
  measureColumn(name: string): number[] {
    return this.measures[this.measureIndex(name)] as number[];
  }

  /** The column of a histogram kind, by cell (the same array as cells are added). */
  histogramColumn(kind: string): HistogramData[] {
    const index = (this.spec.histograms ?? []).indexOf(kind as never);
    if (index < 0)
      throw new FinopsError('unsupported_grouping', `grouping "${this.spec.name}" has no ${kind} histogram`);
    return this.histograms[index] as HistogramData[];
  }

  /** The bounds of a condition measure, resolved from the settings. */
  conditionOf(name: string): ResolvedCondition {
    const condition = this.conditions[this.conditionIndexes[this.measureIndex(name)] as number];
    if (condition === undefined)
      throw new FinopsError(
        'unsupported_grouping',
        `measure "${name}" of "${this.spec.name}" has no condition`,
      );
    return condition;
  }

  /** The setting's value of a measure that counts calls with a latency at most it. */
  latencyLimitOf(name: string): number {
    return this.limits[this.measureIndex(name)] as number;
  }

  private measureIndex(name: string): number {
    const index = this.measureNames.indexOf(name);
    if (index < 0)
      throw new FinopsError('unsupported_grouping', `grouping "${this.spec.name}" has no measure "${name}"`);
    return index;
  }

  /** The cell of a key tuple (ids in the order of the dimensions), made (zeroed) when new. */
  cellOf(ids: readonly number[]): number {
    return this.cell(ids);
  }

  /** Number of cells (rows of a repeated key combined first). */
  get size(): number {
    this.settle();
    return this.cellCount;
  }

  /** Whether a cell's key is the tuple `ids`. */
  private holds(cell: number, ids: readonly number[]): boolean {
    for (let index = 0; index < ids.length; index++)
      if ((this.keys[index] as number[])[cell] !== ids[index]) return false;
    return true;
  }

  /** The slot of `ids` in the table: the one holding it, or the empty one where it goes. */
  private slotOf(ids: readonly number[]): number {
    const mask = this.slots.length - 1;
    let slot = tupleHash(ids) & mask;
    for (;;) {
      const entry = this.slots[slot] as number;
      if (entry === 0 || this.holds(entry - 1, ids)) return slot;
      slot = (slot + 1) & mask;
    }
  }

  /** Doubles the table when it is half full, so that probes stay short. */
  private grow(): void {
    this.rehash(this.slots.length * 2);
  }

  /** Builds the table of every cell, with room for `cells` cells. */
  private rebuild(cells: number): void {
    this.stale = false;
    let length = this.slots.length;
    while (2 * cells > length) length *= 2;
    this.rehash(length);
  }

  /** Rebuilds the table with `length` slots (a power of two above twice the cells). */
  private rehash(length: number): void {
    this.slots = new Int32Array(length);
    const mask = this.slots.length - 1;
    const ids = this.spec.dimensions.map(() => 0);
    for (let cell = 0; cell < this.cellCount; cell++) {
      for (let index = 0; index < ids.length; index++)
        ids[index] = (this.keys[index] as number[])[cell] as number;
      let slot = tupleHash(ids) & mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = cell + 1;
    }
  }

  /** Widens the table at once for `cells` cells, rather than doubling it step by step while they come. */
  private reserve(cells: number): void {
    if (this.stale) this.rebuild(cells);
    let length = this.slots.length;
    while (2 * cells > length) length *= 2;
    if (length !== this.slots.length) this.rehash(length);
  }

  /** The cell of a key tuple, made (zeroed) when new. */
  private cell(ids: readonly number[]): number {
    if (this.repeats || this.pending !== undefined) this.settle();
    if (this.stale) this.rebuild(this.cellCount + 1);
    const slot = this.slotOf(ids);
    const entry = this.slots[slot] as number;
    if (entry !== 0) return entry - 1;
    for (let index = 0; index < ids.length; index++)
      if (!isKeyId(ids[index] as number))
        throw new FinopsError(
          'unsupported_grouping',
          `grouping "${this.spec.name}": the id ${ids[index]} is not an integer`,
        );
    const cell = this.cellCount++;
    this.slots[slot] = cell + 1;
    for (let index = 0; index < ids.length; index++)
      (this.keys[index] as number[]).push(ids[index] as number);
    for (let index = 0; index < this.measures.length; index++)
      (this.measures[index] as number[]).push(this.starts[index] as number);
    for (let index = 0; index < this.histograms.length; index++)
      (this.histograms[index] as HistogramData[]).push(newHistogram(this.costHistogram[index]));
    if (2 * (cell + 1) > this.slots.length) this.grow();
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
      const condition = this.conditionIndexes[index] as number;
      if (condition >= 0 && !this.verdicts[condition]) continue;
      const figure = this.figureOf[index] as number;
      if (figure === FIRST_DAY) column[cell] = Math.min(column[cell] as number, call.day);
      else if (figure === LAST_DAY) column[cell] = Math.max(column[cell] as number, call.day);
      else column[cell] = (column[cell] as number) + measureValue(figure, call, this.limits[index] as number);
    }
    for (let index = 0; index < this.histograms.length; index++) {
      const histogram = (this.histograms[index] as HistogramData[])[cell] as HistogramData;
      if (this.costHistogram[index])
        addToHistogramTimes(histogram, call.calls === 1 ? call.cost : call.cost / call.calls, call.calls);
      else if (!Number.isNaN(call.latency)) addToHistogramTimes(histogram, call.latency, call.calls);
    }
  }

  /**
   * Adds another store's cells, mapping each dimension's ids with `maps`
   * (by dimension; absent: the ids are the same). With `sorted` the cells
   * are visited in the order of their mapped keys.
   */
  merge(
    other: GenericGrouping,
    maps: Partial<Record<Dimension, readonly number[]>>,
    sorted: boolean,
    release = false,
    joined = false,
  ): void {
    this.combineFrom(other, maps, sorted, release, joined);
    if (release) other.release();
  }

  /**
   * {@link merge} without emptying `other`; with `release` its key columns
   * may be taken over rather than copied. `joined`: a map gives two ids one
   * (a value held twice), so that two cells of `other` may share a key.
   */
  private combineFrom(
    other: GenericGrouping,
    maps: Partial<Record<Dimension, readonly number[]>>,
    sorted: boolean,
    release: boolean,
    joined: boolean,
  ): void {
    if (
      sorted &&
      this.cellCount === 0 &&
      this.pending === undefined &&
      this.copyInCompositeOrder(other, maps, release, other.repeats || joined)
    )
      return;
    if (!sorted && this.histograms.length === 0 && release && other.cellCount === 0 && other.pending) {
      // A part from another thread: its rows stay in their typed arrays until the canonical copy reads them.
      this.adoptPending(other, other.pending, maps);
      return;
    }
    this.materialize();
    other.materialize();
    const rows = other.cellCount;
    const mapped = other.keys.map((ids, index) => {
      const map = maps[this.spec.dimensions[index] as Dimension];
      if (!map) return release ? ids : ids.slice();
      const to = new Array<number>(rows);
      for (let row = 0; row < rows; row++) to[row] = map[ids[row] as number] as number;
      // The other's ids are read no more: a column of a million cells goes now, not with the whole grouping.
      if (release) ids.length = 0;
      return to;
    });
    if (!sorted && this.histograms.length === 0) {
      // Another part of the log: its cells are appended and combined with this store's when first read.
      this.appendRows(other, mapped, release);
      return;
    }
    const order = sorted ? keyOrder(mapped, rows) : identityOrder(rows);
    if (this.cellCount === 0 && (sorted || (!other.repeats && !joined))) {
      this.appendDistinct(other, mapped, order, release, other.repeats || joined);
      return;
    }
    this.reserve(this.cellCount + rows);
    const key = this.scratch;
    for (let at = 0; at < order.length; at++) {
      const source = order[at] as number;
      for (let index = 0; index < key.length; index++)
        key[index] = (mapped[index] as number[])[source] as number;
      const cell = this.cell(key);
      for (let index = 0; index < this.measures.length; index++) {
        const column = this.measures[index] as number[];
        const value = (other.measures[index] as number[])[source] as number;
        column[cell] = combined(this.combines[index] as Combine, column[cell] as number, value);
      }
      for (let index = 0; index < this.histograms.length; index++)
        mergeHistogram(
          (this.histograms[index] as HistogramData[])[cell] as HistogramData,
          (other.histograms[index] as HistogramData[])[source] as HistogramData,
        );
    }
  }

  /**
   * Appends `rows` rows a fill kept in typed arrays (keys by dimension,
   * measures by measure, each row started from the measure's start, as
   * {@link appendRow} starts one), after these and without copying them:
   * the canonical copy reads them where they are, anything else copies
   * them in first. The arrays are this grouping's from now on.
   */
  appendTyped(rows: number, keys: Int32Array[], measures: Float64Array[]): void {
    if (rows === 0) return;
    this.materialize();
    this.pending = { rows, keys, measures, merged: false, encoded: false };
    this.repeats = true;
    this.stale = true;
  }

  /**
   * Whether a fill that holds `held` rows not yet handed over should hand
   * them over and {@link settle} before adding another: the bound
   * {@link appendRow} keeps, so that memory stays bounded.
   */
  needsSettling(held: number): boolean {
    const rows = this.cellCount + (this.pending?.rows ?? 0) + held;
    return rows >= 4 * this.settledCells + TYPED_ROWS_BEFORE_SETTLING;
  }

  /** The value each measure's cells start from, in the order of the measures. */
  measureStarts(): readonly number[] {
    return this.starts;
  }

  /** The position of a measure among the grouping's measures. */
  measurePosition(name: string): number {
    return this.measureIndex(name);
  }

  /**
   * Appends a row of zeros (or the starts of minimums and maximums) for
   * the key `ids` without looking it up, and returns its index: a fill that
   * remembers its last cell by id (a session, a trace) adds a row when the
   * key changes instead of hashing the key. Rows of the same key are
   * combined by {@link settle}; after one, {@link generation} has changed
   * and the cells remembered before mean nothing. A grouping with
   * histograms looks the key up instead.
   */
  appendRow(ids: readonly number[]): number {
    if (this.histograms.length > 0) return this.cell(ids);
    this.materialize();
    if (this.cellCount >= 4 * this.settledCells + ROWS_BEFORE_SETTLING) this.settle();
    for (let index = 0; index < ids.length; index++) {
      const id = ids[index] as number;
      if (!isKeyId(id))
        throw new FinopsError(
          'unsupported_grouping',
          `grouping "${this.spec.name}": the id ${id} is not an integer`,
        );
      (this.keys[index] as number[]).push(id);
    }
    for (let index = 0; index < this.measures.length; index++)
      (this.measures[index] as number[]).push(this.starts[index] as number);
    this.repeats = true;
    this.stale = true;
    return this.cellCount++;
  }

  /**
   * Takes over the {@link pending} rows of `other` (read no more) as rows
   * appended after these, their keys mapped in place: what
   * {@link appendRows} does, without copying them into the columns.
   */
  private adoptPending(
    other: GenericGrouping,
    pending: PendingRows,
    maps: Partial<Record<Dimension, readonly number[]>>,
  ): void {
    this.materialize();
    const rows = pending.rows;
    if (this.cellCount > 0 || other.repeats) this.repeats = true;
    else this.settledCells = rows;
    this.spec.dimensions.forEach((dimension, index) => {
      const map = maps[dimension];
      const ids = pending.keys[index] as Float64Array | Int32Array;
      if (map) for (let row = 0; row < rows; row++) ids[row] = map[ids[row] as number] as number;
    });
    other.pending = undefined;
    this.pending = { ...pending, merged: true };
    this.stale = true;
  }

  /** Copies the {@link pending} rows into the columns, after the cells there. */
  private materialize(): void {
    const pending = this.pending;
    if (pending === undefined) return;
    this.pending = undefined;
    const rows = pending.rows;
    const first = this.cellCount;
    for (let index = 0; index < this.keys.length; index++) {
      const from = pending.keys[index] as Float64Array | Int32Array;
      const to = this.keys[index] as number[];
      lengthen(to, first + rows, 0);
      // Ids as small integers (a moved state holds them as doubles).
      for (let row = 0; row < rows; row++) to[first + row] = (from[row] as number) | 0;
    }
    for (let index = 0; index < this.measures.length; index++) {
      const from = pending.measures[index] as Float64Array;
      const to = this.measures[index] as number[];
      lengthen(to, first + rows, this.starts[index] as number);
      for (let row = 0; row < rows; row++)
        to[first + row] = this.pendingValue(pending, index, from[row] as number);
    }
    this.cellCount += rows;
    this.stale = true;
  }

  /** The value a pending row of measure `index` holds once copied into the columns, from its stored `value`. */
  private pendingValue(pending: PendingRows, index: number, value: number): number {
    const plain = pending.encoded ? fromData(value) : value;
    return pending.merged
      ? combined(this.combines[index] as Combine, this.starts[index] as number, plain)
      : plain;
  }

  /** Appends another store's rows (keys already mapped), to be combined with these when read. */
  private appendRows(other: GenericGrouping, mapped: readonly number[][], release: boolean): void {
    const rows = other.cellCount;
    if (this.cellCount > 0 || other.repeats) this.repeats = true;
    else this.settledCells = rows;
    const first = this.cellCount;
    for (let index = 0; index < this.keys.length; index++) {
      const from = mapped[index] as number[];
      const to = this.keys[index] as number[];
      lengthen(to, first + rows, 0);
      for (let row = 0; row < rows; row++) to[first + row] = from[row] as number;
      if (release) from.length = 0;
    }
    for (let index = 0; index < this.measures.length; index++) {
      const from = other.measures[index] as number[];
      const to = this.measures[index] as number[];
      const start = this.starts[index] as number;
      const combine = this.combines[index] as Combine;
      lengthen(to, first + rows, start);
      for (let row = 0; row < rows; row++) to[first + row] = combined(combine, start, from[row] as number);
      if (release) from.length = 0;
    }
    // Not combined here: the other's rows were in memory already, and the canonical copy that follows a
    // merge orders every row anyway (combining them now would order them twice).
    this.cellCount += rows;
    this.stale = true;
  }

  /**
   * Combines the rows of a repeated key into one cell, the cells numbered
   * in the order of their keys' first rows, which is the layout a lookup of
   * every row would have made: two counting sorts and one pass, no hashing.
   * Sums of integers, minimums and maximums do not depend on the order
   * rows are combined in.
   */
  settle(): void {
    this.materialize();
    if (!this.repeats) return;
    this.repeats = false;
    const rows = this.cellCount;
    // One composite key per row when the key tuple fits in 32 bits (see copyInCompositeOrder): the same
    // stable order as a pass per dimension, and a repeated key is told by one comparison.
    const composite = compositeKeys(
      this.keys,
      this.keys.map(() => undefined),
      rows,
    );
    const order = composite ? orderByComposite(composite.keys) : keyOrder(this.keys, rows);
    const sortedKeys = composite?.keys;
    // The first row of each row's key (the smallest, as the sort is stable).
    const firstRow = new Int32Array(rows);
    for (let at = 0; at < rows; at++) {
      const row = order[at] as number;
      const same =
        at > 0 &&
        (sortedKeys ? sortedKeys[at] === sortedKeys[at - 1] : this.sameKey(row, order[at - 1] as number));
      firstRow[row] = same ? (firstRow[order[at - 1] as number] as number) : row;
    }
    // The order is read no more: it becomes each first row's cell, numbered as the first rows come.
    const cellOfFirstRow = order;
    let cells = 0;
    for (let row = 0; row < rows; row++) if (firstRow[row] === row) cellOfFirstRow[row] = cells++;
    // In place, rows in order: a cell's index is at most its first row, which is at most any of its rows,
    // so a row's figures are read before anything is written over them.
    for (let index = 0; index < this.keys.length; index++) {
      const column = this.keys[index] as number[];
      for (let row = 0; row < rows; row++)
        if (firstRow[row] === row) column[cellOfFirstRow[row] as number] = column[row] as number;
      column.length = cells;
    }
    for (let index = 0; index < this.measures.length; index++) {
      const column = this.measures[index] as number[];
      const combine = this.combines[index] as Combine;
      const start = this.starts[index] as number;
      for (let row = 0; row < rows; row++) {
        const first = firstRow[row] as number;
        const cell = cellOfFirstRow[first] as number;
        const value = column[row] as number;
        column[cell] = combined(combine, first === row ? start : (column[cell] as number), value);
      }
      column.length = cells;
    }
    this.cellCount = cells;
    this.settledCells = cells;
    this.stale = true;
    this.generation++;
  }

  /**
   * Empties the grouping (no cell left), giving its columns' memory back:
   * a store merged into another and read no more lets its cells go as soon
   * as they are copied, rather than when the whole store goes.
   */
  release(): void {
    for (const column of this.keys) column.length = 0;
    for (const column of this.measures) column.length = 0;
    for (const column of this.histograms) column.length = 0;
    this.cellCount = 0;
    this.pending = undefined;
    this.settledCells = 0;
    this.repeats = false;
    this.stale = false;
    this.slots = new Int32Array(1024);
    this.generation++;
  }

  /** Whether two rows have the same key. */
  private sameKey(a: number, b: number): boolean {
    for (let index = 0; index < this.keys.length; index++) {
      const ids = this.keys[index] as number[];
      if (ids[a] !== ids[b]) return false;
    }
    return true;
  }

  /**
   * Copies another grouping's cells into this empty one, in `order`, keyed
   * by `mapped`: no cell is looked up. Without `repeats` the keys of
   * distinct cells stay distinct (each dimension's ids map one value to one
   * id); with it (rows of a repeated key, or ids that a map joins), rows of
   * one key, next to each other in key order, are combined as they come.
   * The table is built when a lookup first needs it.
   */
  private appendDistinct(
    other: GenericGrouping,
    mapped: readonly number[][],
    order: Int32Array,
    release: boolean,
    repeats: boolean,
  ): void {
    const rows = order.length;
    // cellOf[at]: the cell of the row at `at` of the order (the previous one's when it repeats its key).
    const cellOf = new Int32Array(rows);
    const cells = this.copyKeys(mapped, order, repeats, cellOf);
    // The other's key columns are read no more.
    if (release) for (const from of mapped) from.length = 0;
    this.copyCells(other, order, cellOf, cells, release);
  }

  /**
   * {@link appendDistinct} by one composite key per row: when the product of
   * the dimensions' id ranges (after mapping) fits in 32 bits, each row's
   * key tuple is one number, the rows are ordered by two counting passes
   * over those numbers (read in sequence, where a pass per dimension reads
   * each row's id at scattered places), and the keys are read back from the
   * sorted numbers. Ties keep the rows' order, so the order is
   * {@link keyOrder}'s. Returns false (nothing done) when the key is wider.
   */
  private copyInCompositeOrder(
    other: GenericGrouping,
    maps: Partial<Record<Dimension, readonly number[]>>,
    release: boolean,
    repeats: boolean,
  ): boolean {
    const tail = other.pending;
    const rows = other.cellCount + (tail?.rows ?? 0);
    const composite = compositeKeys(
      other.keys,
      this.spec.dimensions.map((dimension) => maps[dimension]),
      other.cellCount,
      tail,
    );
    if (composite === undefined) return false;
    if (release) {
      for (const ids of other.keys) ids.length = 0;
      if (tail) tail.keys = [];
    }
    const order = orderByComposite(composite.keys);
    const sortedKeys = composite.keys;
    // Without repeats each row is a cell of its own: no row is combined, so the cells are the rows in order.
    let cells = rows;
    if (repeats) {
      cells = rows > 0 ? 1 : 0;
      for (let at = 1; at < rows; at++) if (sortedKeys[at] !== sortedKeys[at - 1]) cells++;
    }
    this.decodeKeys(sortedKeys, composite, cells, repeats);
    if (!repeats) this.copyRows(other, order, release);
    else if (this.histograms.length === 0) this.copySortedRows(other, order, sortedKeys, cells, release);
    else {
      const cellOf = new Int32Array(rows);
      for (let at = 1; at < rows; at++)
        cellOf[at] = (cellOf[at - 1] as number) + (sortedKeys[at] === sortedKeys[at - 1] ? 0 : 1);
      this.copyCells(other, order, cellOf, cells, release);
    }
    return true;
  }

  /**
   * The measures of {@link copyInCompositeOrder} with repeated keys and no
   * histograms: row `order[at]` of `other` goes into the cell of its sorted
   * key, a new cell where the key differs from the previous row's. Each
   * cell is combined from the measure's start in the rows' order, as
   * {@link copyCells} combines it; sums in a loop of their own.
   */
  private copySortedRows(
    other: GenericGrouping,
    order: Int32Array,
    sortedKeys: Uint32Array,
    cells: number,
    release: boolean,
  ): void {
    const rows = order.length;
    // Rows from `split` on are the other's pending rows.
    const split = other.cellCount;
    // A measure's values in sorted order, gathered from each kind of array by a loop of its own.
    const gathered = new Float64Array(rows);
    for (let index = 0; index < this.measures.length; index++) {
      const from = other.measures[index] as number[];
      // A pass over every row for each kind of array, made only when there are rows of that kind.
      if (split > 0) gatherRows(gathered, order, from, split);
      const pending = other.pending;
      if (pending && pending.rows > 0)
        gatherPendingRows(gathered, order, pending.measures[index] as Float64Array, split, pending.encoded);
      const to = this.measures[index] as number[];
      const combine = this.combines[index] as Combine;
      const start = this.starts[index] as number;
      lengthen(to, cells, start);
      if (combine === 'sum') addSortedRows(to, gathered, sortedKeys);
      else {
        let cell = -1;
        for (let at = 0; at < rows; at++) {
          if (at === 0 || sortedKeys[at] !== sortedKeys[at - 1]) cell++;
          to[cell] = combined(combine, to[cell] as number, gathered[at] as number);
        }
      }
      if (release) GenericGrouping.releaseMeasure(other, index);
    }
    this.copiedAs(cells);
  }

  /** Lets a copied measure of `other` go: its settled column emptied, its pending column dropped. */
  private static releaseMeasure(other: GenericGrouping, index: number): void {
    (other.measures[index] as number[]).length = 0;
    if (other.pending) other.pending.measures[index] = EMPTY_COLUMN;
  }

  /** After a canonical copy: `cells` cells, all settled, the readers' views stale. */
  private copiedAs(cells: number): void {
    this.cellCount = cells;
    this.settledCells = cells;
    this.stale = true;
  }

  /**
   * Writes the key columns of `cells` cells from the sorted composite keys
   * (with `repeats`, a key repeated by the next rows is one cell): each
   * column is made at its final size and written in sequence.
   */
  private decodeKeys(
    sortedKeys: Uint32Array,
    composite: CompositeKeys,
    cells: number,
    repeats: boolean,
  ): void {
    const { low, span, stride } = composite;
    const rows = sortedKeys.length;
    for (let index = 0; index < low.length; index++) {
      const column = this.keys[index] as number[];
      lengthen(column, cells, 0);
      const weight = stride[index] as number;
      const range = span[index] as number;
      const from = low[index] as number;
      let cell = 0;
      for (let at = 0; at < rows; at++) {
        const key = sortedKeys[at] as number;
        if (repeats && at > 0 && key === sortedKeys[at - 1]) continue;
        // As a small integer: a key column stays an array of small integers, not of doubles.
        column[cell++] = ((Math.floor(key / weight) % range) + from) | 0;
      }
    }
  }

  /**
   * The measures of {@link copyInCompositeOrder} when no two rows share a
   * key: row `order[at]` of `other` is cell `at`. Each value is combined
   * with the measure's start as a cell of its own would be (a sum adds it
   * to 0, a minimum or maximum keeps it), one loop per kind.
   */
  private copyRows(other: GenericGrouping, order: Int32Array, release: boolean): void {
    const rows = order.length;
    // Rows from `split` on are the other's pending rows.
    const split = other.cellCount;
    for (let index = 0; index < this.measures.length; index++) {
      const from = other.measures[index] as number[];
      const tail = other.pending?.measures[index] ?? EMPTY_COLUMN;
      const encoded = other.pending?.encoded === true;
      const to = this.measures[index] as number[];
      lengthen(to, rows, this.starts[index] as number);
      const combine = this.combines[index] as Combine;
      const start = this.starts[index] as number;
      for (let at = 0; at < rows; at++) {
        const row = order[at] as number;
        const value = rowValue(from, tail, encoded, split, row);
        to[at] = combined(combine, start, value);
      }
      if (release) GenericGrouping.releaseMeasure(other, index);
    }
    for (let index = 0; index < this.histograms.length; index++) {
      const from = other.histograms[index] as HistogramData[];
      const to = this.histograms[index] as HistogramData[];
      for (let at = 0; at < rows; at++) {
        to.push(newHistogram(this.costHistogram[index]));
        mergeHistogram(to[at] as HistogramData, from[order[at] as number] as HistogramData);
      }
    }
    this.copiedAs(rows);
  }

  /** The measures and histograms of {@link appendDistinct}: row `order[at]` of `other` goes into cell `cellOf[at]`. */
  private copyCells(
    other: GenericGrouping,
    order: Int32Array,
    cellOf: Int32Array,
    cells: number,
    release: boolean,
  ): void {
    const rows = order.length;
    // Rows from `split` on are the other's pending rows.
    const split = other.cellCount;
    for (let index = 0; index < this.measures.length; index++) {
      const from = other.measures[index] as number[];
      const tail = other.pending?.measures[index] ?? EMPTY_COLUMN;
      const encoded = other.pending?.encoded === true;
      const to = this.measures[index] as number[];
      const combine = this.combines[index] as Combine;
      // This grouping is empty: every cell starts from the measure's start.
      lengthen(to, cells, this.starts[index] as number);
      for (let at = 0; at < rows; at++) {
        const cell = cellOf[at] as number;
        const row = order[at] as number;
        const value = rowValue(from, tail, encoded, split, row);
        to[cell] = combined(combine, to[cell] as number, value);
      }
      if (release) GenericGrouping.releaseMeasure(other, index);
    }
    for (let index = 0; index < this.histograms.length; index++) {
      const from = other.histograms[index] as HistogramData[];
      const to = this.histograms[index] as HistogramData[];
      for (let at = 0; at < rows; at++) {
        const cell = cellOf[at] as number;
        if (cell === to.length) to.push(newHistogram(this.costHistogram[index]));
        mergeHistogram(to[cell] as HistogramData, from[order[at] as number] as HistogramData);
      }
    }
    this.copiedAs(cells);
  }

  /**
   * Appends the keys of the rows in `order` (keyed by `mapped`) to this
   * grouping's key columns, one per cell, and writes each row's cell into
   * `cellOf`; returns the cells. Row by row, all dimensions at once: each
   * key is read once, where telling a repeated key and copying it column by
   * column read it up to three times, at rows scattered over a table too
   * large for the cache.
   */
  private copyKeys(
    mapped: readonly number[][],
    order: Int32Array,
    repeats: boolean,
    cellOf: Int32Array,
  ): number {
    const dimensions = mapped.length;
    const columns = this.keys;
    const key = new Array<number>(dimensions).fill(0);
    let cells = 0;
    for (let at = 0; at < order.length; at++) {
      const row = order[at] as number;
      let same = repeats && at > 0;
      for (let index = 0; index < dimensions; index++) {
        const id = (mapped[index] as number[])[row] as number;
        if (id !== key[index]) {
          same = false;
          key[index] = id;
        }
      }
      if (!same) {
        for (let index = 0; index < dimensions; index++)
          (columns[index] as number[]).push(key[index] as number);
        cells++;
      }
      cellOf[at] = cells - 1;
    }
    return cells;
  }

  /** {@link load} into this empty grouping: a state's cells have distinct keys, so none is looked up; the table is built once. */
  private loadDistinct(data: GenericGroupingData, size: number): void {
    if (this.histograms.length === 0 && isTypedKeys(data.keys) && isTyped(data.measures)) {
      // A state moved from another thread: its rows are merged as they are (see adoptPending), not copied here.
      this.pending = { rows: size, keys: data.keys, measures: data.measures, merged: false, encoded: true };
      this.repeats = data.repeats === true;
      this.settledCells = size;
      this.stale = true;
      return;
    }
    for (let index = 0; index < this.keys.length; index++) {
      const from = data.keys[index] as ArrayLike<number>;
      const to = this.keys[index] as number[];
      lengthen(to, size, 0);
      // Ids as small integers (a moved state holds them as doubles).
      for (let cell = 0; cell < size; cell++) to[cell] = (from[cell] as number) | 0;
    }
    for (let index = 0; index < this.measures.length; index++) {
      const from = data.measures[index] as ArrayLike<number>;
      const to = this.measures[index] as number[];
      lengthen(to, size, 0);
      for (let cell = 0; cell < size; cell++) to[cell] = fromData(from[cell] as number);
    }
    for (let index = 0; index < this.histograms.length; index++) {
      const from = data.histograms[index] as HistogramData[];
      const to = this.histograms[index] as HistogramData[];
      for (let cell = 0; cell < size; cell++) to.push(structuredClone(from[cell] as HistogramData));
    }
    this.cellCount = size;
    this.settledCells = size;
    this.repeats = data.repeats === true;
    this.stale = true;
  }

  /** The cells as columns for the read interface. */
  columns(): CellColumns {
    this.settle();
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
    this.settle();
    return {
      name: this.spec.name,
      keys: this.keys.map((ids) => ids.slice()),
      measures: this.measures.map((values) =>
        values.map((value) => (Number.isFinite(value) ? value : Math.sign(value) * INFINITE_DATA)),
      ),
      histograms: this.histograms.map((column) => column.map((histogram) => structuredClone(histogram))),
    };
  }

  /**
   * The cells as plain data in typed arrays (movable to another thread
   * without a copy), emptying the grouping column by column as it goes: for
   * a store read no more, so that its cells and their copy never stand whole
   * side by side. Rows of a repeated key are handed over as they are
   * (`repeats`): the thread that merges them orders every row for its
   * canonical copy anyway, so combining them here would only make another
   * thread wait.
   */
  takeData(): GenericGroupingData {
    const repeats = this.repeats;
    // Pending rows follow the columns' cells in the data, as they would once copied in: no copy is made first.
    const pending = this.pending;
    const tailRows = pending?.rows ?? 0;
    const take = <Typed extends Float64Array | Int32Array>(
      typed: Typed,
      column: number[],
      tail: ArrayLike<number> | undefined,
      tailValue: (value: number) => number,
      written: (value: number) => number,
    ): Typed => {
      const head = column.length;
      for (let cell = 0; cell < head; cell++) typed[cell] = written(column[cell] as number);
      if (tail !== undefined)
        for (let row = 0; row < tailRows; row++) typed[head + row] = written(tailValue(tail[row] as number));
      column.length = 0;
      return typed;
    };
    const dataValue = (value: number): number =>
      Number.isFinite(value) ? value : Math.sign(value) * INFINITE_DATA;
    const data: GenericGroupingData = {
      name: this.spec.name,
      // Keys as 32-bit integers (every id is one, see isKeyId): half the memory of doubles while they move.
      keys: this.keys.map((ids, index) =>
        take(
          new Int32Array(ids.length + tailRows),
          ids,
          pending?.keys[index],
          (id) => id | 0,
          (id) => id,
        ),
      ),
      measures: this.measures.map((values, index) =>
        take(
          new Float64Array(values.length + tailRows),
          values,
          pending?.measures[index],
          (value) => this.pendingValue(pending as PendingRows, index, value),
          dataValue,
        ),
      ),
      histograms: this.histograms.map((column) => column.map((histogram) => structuredClone(histogram))),
      ...(repeats ? { repeats } : {}),
    };
    this.release();
    return data;
  }

  /** Adds the cells of {@link toData} (ids of the same store). */
  load(data: GenericGroupingData): void {
    const size = data.keys[0]?.length ?? data.measures[0]?.length ?? 0;
    if (this.size === 0 && this.keys.length > 0) {
      this.loadDistinct(data, size);
      return;
    }
    for (let source = 0; source < size; source++) {
      const cell = this.cell(data.keys.map((ids) => ids[source] as number));
      this.measureNames.forEach((_, index) => {
        const value = fromData((data.measures[index] as ArrayLike<number>)[source] as number);
        const column = this.measures[index] as number[];
        // Rows of a repeated key add up; distinct cells are taken as they are.
        column[cell] = data.repeats
          ? combined(this.combines[index] as Combine, column[cell] as number, value)
          : value;
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
