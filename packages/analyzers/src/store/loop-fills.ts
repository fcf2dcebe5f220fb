/**
 * The fused loop's fills of {@link LOOP_FILLED_GROUPINGS}: groupings whose
 * cells the store keeps as the generic path does (the same state, merge and
 * read), filled with code written for their declarations. The generic path
 * finds a cell by hashing its key tuple and reads every measure's
 * declaration for every call; here the key is found through a
 * {@link PairTable} of two ids, the ratio bin and the token conditions are
 * judged once per call for all three, and each measure is one addition.
 * Each addition is the one the generic path makes, in the same order, so
 * the cells are the same to the bit (a test fills both ways and compares).
 */
import { FinopsError } from '@finops/schema';
import { type HistogramData, addToHistogramTimes } from '../histogram';
import { PairTable } from '../pair-table';
import {
  ABUSE_MINUTE_MODEL,
  LOOP_FILLED_GROUPINGS,
  REGION_MODEL,
  SESSION_CELLS,
  TOKENS_CUSTOMER_FEATURE,
  TOKENS_MODEL_TASK,
  TRACE_CELLS,
} from './builtin-groupings';
import { type GenericGrouping, type ResolvedCondition, meetsBounds, tokenRatio } from './generic';
import { RATIO_BIN_COUNT, type GroupingSpec, ratioBin } from './grouping';

/** Whether `spec` is the declaration of a grouping the fused loop fills (same name, same content). */
export function isLoopFilled(spec: GroupingSpec): boolean {
  const declared = LOOP_FILLED_GROUPINGS.find((candidate) => candidate.name === spec.name);
  return declared !== undefined && JSON.stringify(declared) === JSON.stringify(spec);
}

/**
 * Cells of a generic grouping found by two ids (a pair of the grouping's
 * key, or of the key with the ratio bin folded into the second id): a
 * {@link PairTable} cell maps to the grouping's cell, looked up by tuple once
 * per pair. Cells the grouping gained otherwise (a merge, a loaded state) are
 * found by that lookup too.
 */
class PairedCells {
  private readonly pairs = new PairTable();
  /** Per pair, its cell + 1 (0: not known yet): a typed array, read once per call, never sparse. */
  private cells = new Int32Array(1024);
  private readonly key: number[];
  /** The grouping's {@link GenericGrouping.generation} the remembered cells belong to. */
  private generation: number;

  constructor(private readonly grouping: GenericGrouping) {
    this.key = grouping.spec.dimensions.map(() => 0);
    this.generation = grouping.generation;
  }

  /** The cell of the key (`first`, `second`, `third`), found by the pair (`first`, `pairSecond`). */
  cell(first: number, pairSecond: number, second: number, third: number): number {
    // Cells renumbered (rows of another part combined): what was remembered is forgotten.
    if (this.grouping.generation !== this.generation) this.forget();
    const pair = this.pairs.cell(first, pairSecond);
    if (pair >= this.cells.length) this.widen(pair);
    const known = this.cells[pair] as number;
    if (known !== 0) return known - 1;
    const key = this.key;
    key[0] = first;
    key[1] = second;
    if (key.length > 2) key[2] = third;
    const cell = this.grouping.cellOf(key);
    if (this.grouping.generation !== this.generation) this.forget();
    this.cells[pair] = cell + 1;
    return cell;
  }

  private forget(): void {
    this.cells.fill(0);
    this.generation = this.grouping.generation;
  }

  private widen(pair: number): void {
    let length = this.cells.length;
    while (length <= pair) length *= 2;
    const widened = new Int32Array(length);
    widened.set(this.cells);
    this.cells = widened;
  }
}

/** The token conditions of the tokens groupings, judged once per call. */
interface TokenVerdicts {
  inputHeavy: boolean;
  outputHeavy: boolean;
  oversized: boolean;
  longTiny: boolean;
}

/** Model × task type × ratio bin ({@link TOKENS_MODEL_TASK}). */
class TokensModelTaskFill {
  private readonly cells: PairedCells;
  private readonly calls: number[];
  private readonly cost: number[];
  private readonly input: number[];
  private readonly output: number[];
  private readonly inputHeavyCalls: number[];
  private readonly outputHeavyCalls: number[];
  private readonly oversizedCalls: number[];
  private readonly oversizedCost: number[];
  private readonly oversizedInput: number[];
  private readonly oversizedOutput: number[];
  private readonly longTinyCalls: number[];
  private readonly longTinyCost: number[];
  private readonly longTinyInput: number[];
  readonly inputHeavy: ResolvedCondition;
  readonly outputHeavy: ResolvedCondition;
  readonly oversized: ResolvedCondition;
  readonly longTiny: ResolvedCondition;

  constructor(grouping: GenericGrouping) {
    this.cells = new PairedCells(grouping);
    this.calls = grouping.measureColumn('calls');
    this.cost = grouping.measureColumn('cost');
    this.input = grouping.measureColumn('inputTokens');
    this.output = grouping.measureColumn('outputTokens');
    this.inputHeavyCalls = grouping.measureColumn('inputHeavyCalls');
    this.outputHeavyCalls = grouping.measureColumn('outputHeavyCalls');
    this.oversizedCalls = grouping.measureColumn('oversizedCalls');
    this.oversizedCost = grouping.measureColumn('oversizedCost');
    this.oversizedInput = grouping.measureColumn('oversizedInput');
    this.oversizedOutput = grouping.measureColumn('oversizedOutput');
    this.longTinyCalls = grouping.measureColumn('longTinyCalls');
    this.longTinyCost = grouping.measureColumn('longTinyCost');
    this.longTinyInput = grouping.measureColumn('longTinyInput');
    this.inputHeavy = grouping.conditionOf('inputHeavyCalls');
    this.outputHeavy = grouping.conditionOf('outputHeavyCalls');
    this.oversized = grouping.conditionOf('oversizedCalls');
    this.longTiny = grouping.conditionOf('longTinyCalls');
  }

  add(
    model: number,
    task: number,
    bin: number,
    calls: number,
    cost: number,
    input: number,
    output: number,
    verdicts: TokenVerdicts,
  ): void {
    // The task and the bin share the pair's second id: task ids stay far below 2³¹ / RATIO_BIN_COUNT.
    const cell = this.cells.cell(model, task * RATIO_BIN_COUNT + bin, task, bin);
    this.calls[cell] = (this.calls[cell] as number) + calls;
    this.cost[cell] = (this.cost[cell] as number) + cost;
    this.input[cell] = (this.input[cell] as number) + input;
    this.output[cell] = (this.output[cell] as number) + output;
    if (verdicts.inputHeavy) this.inputHeavyCalls[cell] = (this.inputHeavyCalls[cell] as number) + calls;
    if (verdicts.outputHeavy) this.outputHeavyCalls[cell] = (this.outputHeavyCalls[cell] as number) + calls;
    if (verdicts.oversized) {
      this.oversizedCalls[cell] = (this.oversizedCalls[cell] as number) + calls;
      this.oversizedCost[cell] = (this.oversizedCost[cell] as number) + cost;
      this.oversizedInput[cell] = (this.oversizedInput[cell] as number) + input;
      this.oversizedOutput[cell] = (this.oversizedOutput[cell] as number) + output;
    }
    if (verdicts.longTiny) {
      this.longTinyCalls[cell] = (this.longTinyCalls[cell] as number) + calls;
      this.longTinyCost[cell] = (this.longTinyCost[cell] as number) + cost;
      this.longTinyInput[cell] = (this.longTinyInput[cell] as number) + input;
    }
  }
}

/** Customer × feature × ratio bin ({@link TOKENS_CUSTOMER_FEATURE}). */
class TokensCustomerFeatureFill {
  private readonly cells: PairedCells;
  private readonly calls: number[];
  private readonly inputHeavyCalls: number[];
  private readonly outputHeavyCalls: number[];
  readonly inputHeavy: ResolvedCondition;
  readonly outputHeavy: ResolvedCondition;

  constructor(grouping: GenericGrouping) {
    this.cells = new PairedCells(grouping);
    this.calls = grouping.measureColumn('calls');
    this.inputHeavyCalls = grouping.measureColumn('inputHeavyCalls');
    this.outputHeavyCalls = grouping.measureColumn('outputHeavyCalls');
    this.inputHeavy = grouping.conditionOf('inputHeavyCalls');
    this.outputHeavy = grouping.conditionOf('outputHeavyCalls');
  }

  add(
    customer: number,
    feature: number,
    bin: number,
    calls: number,
    inputHeavy: boolean,
    outputHeavy: boolean,
  ): void {
    // Feature ids stay far below 2³¹ / RATIO_BIN_COUNT.
    const cell = this.cells.cell(customer, feature * RATIO_BIN_COUNT + bin, feature, bin);
    this.calls[cell] = (this.calls[cell] as number) + calls;
    if (inputHeavy) this.inputHeavyCalls[cell] = (this.inputHeavyCalls[cell] as number) + calls;
    if (outputHeavy) this.outputHeavyCalls[cell] = (this.outputHeavyCalls[cell] as number) + calls;
  }
}

/** Region × model, calls with a region only ({@link REGION_MODEL}). */
class RegionModelFill {
  private readonly cells: PairedCells;
  private readonly calls: number[];
  private readonly cost: number[];
  private readonly input: number[];
  private readonly output: number[];
  private readonly latencySum: number[];
  private readonly timedCalls: number[];
  private readonly withinSla: number[];
  private readonly latency: HistogramData[];
  private readonly slaMs: number;

  constructor(grouping: GenericGrouping) {
    this.cells = new PairedCells(grouping);
    this.calls = grouping.measureColumn('calls');
    this.cost = grouping.measureColumn('cost');
    this.input = grouping.measureColumn('inputTokens');
    this.output = grouping.measureColumn('outputTokens');
    this.latencySum = grouping.measureColumn('latencySum');
    this.timedCalls = grouping.measureColumn('timedCalls');
    this.withinSla = grouping.measureColumn('withinGeographySla');
    this.latency = grouping.histogramColumn('latency');
    this.slaMs = grouping.latencyLimitOf('withinGeographySla');
  }

  add(
    region: number,
    model: number,
    calls: number,
    cost: number,
    input: number,
    output: number,
    latency: number,
  ): void {
    const cell = this.cells.cell(region, model, model, 0);
    const timed = !Number.isNaN(latency);
    this.calls[cell] = (this.calls[cell] as number) + calls;
    this.cost[cell] = (this.cost[cell] as number) + cost;
    this.input[cell] = (this.input[cell] as number) + input;
    this.output[cell] = (this.output[cell] as number) + output;
    this.latencySum[cell] = (this.latencySum[cell] as number) + (timed ? latency * calls : 0);
    this.timedCalls[cell] = (this.timedCalls[cell] as number) + (timed ? calls : 0);
    this.withinSla[cell] = (this.withinSla[cell] as number) + (timed && latency <= this.slaMs ? calls : 0);
    if (timed) addToHistogramTimes(this.latency[cell] as HistogramData, latency, calls);
  }
}

/** Rows a {@link TypedRows} makes room for at first (it doubles when full). */
const FIRST_ROWS = 1024;

/**
 * Rows of a grouping appended by a fill in typed arrays (keys of up to three
 * 32-bit ids, measures as doubles), grown by doubling: for a grouping of
 * about a row per call, where plain arrays grown value by value cost twice
 * the memory, and copies for the collector, and are read by the canonical
 * copy at scattered places.
 */
class TypedRows {
  rows = 0;
  keys: Int32Array[];
  measures: Float64Array[];

  constructor(
    private readonly dimensions: number,
    private readonly starts: readonly number[],
  ) {
    this.keys = Array.from({ length: dimensions }, () => new Int32Array(FIRST_ROWS));
    this.measures = starts.map(() => new Float64Array(FIRST_ROWS));
    this.startRows(0, FIRST_ROWS);
  }

  /** Appends a row of the key (`first`, `second`, `third`; `third` ignored for two ids), its measures at their starts. */
  append(first: number, second: number, third: number): number {
    if (this.rows === (this.keys[0] as Int32Array).length) this.grow();
    const row = this.rows++;
    (this.keys[0] as Int32Array)[row] = first;
    (this.keys[1] as Int32Array)[row] = second;
    if (this.dimensions > 2) (this.keys[2] as Int32Array)[row] = third;
    return row;
  }

  private grow(): void {
    const capacity = 2 * (this.keys[0] as Int32Array).length;
    this.keys = this.keys.map((column) => {
      const grown = new Int32Array(capacity);
      grown.set(column);
      return grown;
    });
    this.measures = this.measures.map((column) => {
      const grown = new Float64Array(capacity);
      grown.set(column);
      return grown;
    });
    this.startRows(capacity / 2, capacity);
  }

  /** Sets the measures of rows `from` … `to` − 1 to their starts (typed arrays start at 0, the start of a sum). */
  private startRows(from: number, to: number): void {
    this.starts.forEach((start, index) => {
      if (start !== 0) (this.measures[index] as Float64Array).fill(start, from, to);
    });
  }
}

/** Whether an id fits a key column of 32-bit integers (ids are indexes, or −1 for none). */
function isKeyId(id: number): boolean {
  return (id | 0) === id;
}

/**
 * The row of a key of up to three ids remembered by the first (a session or
 * trace id, a customer): the key it last had and its row. A session's or
 * trace's calls nearly always share the rest of their key, and a customer's
 * calls of one minute follow one another, so most calls find their row
 * here; any other key gets a row of its own, combined with the others of
 * its key when the grouping {@link GenericGrouping.settle}s. The rows are
 * kept in {@link TypedRows} until {@link handOver} gives them to the grouping.
 */
class LastCellById {
  /** Per id (slot), side by side so that a call reads one cache line: second id, third id, row + 1 (0: none yet). */
  private entries: Int32Array = new Int32Array(3 * 1024);
  /** The rows not handed over yet. */
  rows: TypedRows;

  constructor(private readonly grouping: GenericGrouping) {
    this.rows = this.newRows();
  }

  /** The row of the key (`first`, `second`, `third`; `third` is ignored for a key of two ids), made when new. */
  cell(first: number, second: number, third: number): number {
    // An id of −1 (none) is kept in slot 0, the others one above.
    const at = 3 * (first + 1);
    if (at >= this.entries.length) this.widen(at);
    const entries = this.entries;
    const known = entries[at + 2] as number;
    if (known !== 0 && entries[at] === second && entries[at + 1] === third) return known - 1;
    if (!isKeyId(first) || !isKeyId(second) || !isKeyId(third))
      throw new FinopsError(
        'unsupported_grouping',
        `grouping "${this.grouping.spec.name}": the key (${first}, ${second}, ${third}) is not of integers`,
      );
    if (this.grouping.needsSettling(this.rows.rows)) {
      // Rows of one key are combined now and then, so that memory grows with the cells rather than the calls.
      this.handOver();
      this.grouping.settle();
    }
    const row = this.rows.append(first, second, third);
    entries[at] = second;
    entries[at + 1] = third;
    entries[at + 2] = row + 1;
    return row;
  }

  /** Gives the rows kept so far to the grouping (after its own) and starts afresh. */
  handOver(): void {
    const rows = this.rows;
    if (rows.rows === 0) return;
    this.grouping.appendTyped(
      rows.rows,
      rows.keys.map((column) => column.subarray(0, rows.rows)),
      rows.measures.map((column) => column.subarray(0, rows.rows)),
    );
    this.rows = this.newRows();
    // The rows remembered are the grouping's now.
    for (let at = 2; at < this.entries.length; at += 3) this.entries[at] = 0;
  }

  private newRows(): TypedRows {
    return new TypedRows(this.grouping.spec.dimensions.length, this.grouping.measureStarts());
  }

  private widen(at: number): void {
    let length = this.entries.length;
    while (length <= at + 2) length *= 2;
    const widened = new Int32Array(length);
    widened.set(this.entries);
    this.entries = widened;
  }
}

/** Calls and cost per session × customer × feature ({@link SESSION_CELLS}) or per trace × customer ({@link TRACE_CELLS}). */
class IdCallsCostFill {
  readonly cells: LastCellById;
  private readonly calls: number;
  private readonly cost: number;

  constructor(grouping: GenericGrouping) {
    this.cells = new LastCellById(grouping);
    this.calls = grouping.measurePosition('calls');
    this.cost = grouping.measurePosition('cost');
  }

  add(id: number, customer: number, feature: number, calls: number, cost: number): void {
    const row = this.cells.cell(id, customer, feature);
    const measures = this.cells.rows.measures;
    const callsColumn = measures[this.calls] as Float64Array;
    const costColumn = measures[this.cost] as Float64Array;
    callsColumn[row] = (callsColumn[row] as number) + calls;
    costColumn[row] = (costColumn[row] as number) + cost;
  }
}

/** Customer × minute × model ({@link ABUSE_MINUTE_MODEL}). */
class MinuteModelFill {
  readonly cells: LastCellById;
  private readonly calls: number;
  private readonly cost: number;
  private readonly input: number;

  constructor(grouping: GenericGrouping) {
    this.cells = new LastCellById(grouping);
    this.calls = grouping.measurePosition('calls');
    this.cost = grouping.measurePosition('cost');
    this.input = grouping.measurePosition('inputTokens');
  }

  add(customer: number, minute: number, model: number, calls: number, cost: number, input: number): void {
    const row = this.cells.cell(customer, minute, model);
    const measures = this.cells.rows.measures;
    const callsColumn = measures[this.calls] as Float64Array;
    const costColumn = measures[this.cost] as Float64Array;
    const inputColumn = measures[this.input] as Float64Array;
    callsColumn[row] = (callsColumn[row] as number) + calls;
    costColumn[row] = (costColumn[row] as number) + cost;
    inputColumn[row] = (inputColumn[row] as number) + input;
  }
}

/** The fills of the loop-filled groupings a cube holds (each absent when not selected). */
export class LoopFills {
  private readonly modelTask: TokensModelTaskFill | undefined;
  private readonly customerFeature: TokensCustomerFeatureFill | undefined;
  private readonly regionModel: RegionModelFill | undefined;
  private readonly sessions: IdCallsCostFill | undefined;
  private readonly traces: IdCallsCostFill | undefined;
  private readonly minuteModel: MinuteModelFill | undefined;
  private readonly verdicts: TokenVerdicts = {
    inputHeavy: false,
    outputHeavy: false,
    oversized: false,
    longTiny: false,
  };

  /** @param groupings the cube's generic groupings; those {@link isLoopFilled} are filled here. */
  constructor(groupings: readonly GenericGrouping[]) {
    const find = (spec: GroupingSpec): GenericGrouping | undefined =>
      groupings.find((grouping) => grouping.spec.name === spec.name && isLoopFilled(grouping.spec));
    const modelTask = find(TOKENS_MODEL_TASK);
    const customerFeature = find(TOKENS_CUSTOMER_FEATURE);
    const regionModel = find(REGION_MODEL);
    this.modelTask = modelTask && new TokensModelTaskFill(modelTask);
    this.customerFeature = customerFeature && new TokensCustomerFeatureFill(customerFeature);
    this.regionModel = regionModel && new RegionModelFill(regionModel);
    const sessions = find(SESSION_CELLS);
    const traces = find(TRACE_CELLS);
    const minuteModel = find(ABUSE_MINUTE_MODEL);
    this.sessions = sessions && new IdCallsCostFill(sessions);
    this.traces = traces && new IdCallsCostFill(traces);
    this.minuteModel = minuteModel && new MinuteModelFill(minuteModel);
  }

  /**
   * Gives the rows the fills keep in typed arrays to their groupings:
   * before anything reads, merges or copies the groupings.
   */
  flush(): void {
    this.sessions?.cells.handOver();
    this.traces?.cells.handOver();
    this.minuteModel?.cells.handOver();
  }

  /** Whether any grouping is filled here. */
  get any(): boolean {
    return (
      this.modelTask !== undefined ||
      this.customerFeature !== undefined ||
      this.regionModel !== undefined ||
      this.sessions !== undefined ||
      this.traces !== undefined ||
      this.minuteModel !== undefined
    );
  }

  /**
   * Adds one row (`calls` calls) with the cube's ids; `region` is −1 for a
   * call without one; `session` and `trace` are the cube's ids of the
   * call's (−1 when the cube keeps none), `minute` its UTC minute.
   */
  add(
    model: number,
    task: number,
    customer: number,
    feature: number,
    region: number,
    calls: number,
    cost: number,
    input: number,
    output: number,
    latency: number,
    session: number,
    trace: number,
    minute: number,
  ): void {
    if (this.sessions !== undefined) this.sessions.add(session, customer, feature, calls, cost);
    if (this.traces !== undefined) this.traces.add(trace, customer, 0, calls, cost);
    if (this.minuteModel !== undefined) this.minuteModel.add(customer, minute, model, calls, cost, input);
    if (this.modelTask !== undefined || this.customerFeature !== undefined) {
      const bin = ratioBin(input, output);
      // A bucketed row is judged by its calls' mean tokens, as the generic path judges it.
      const meanInput = calls === 1 ? input : input / calls;
      const meanOutput = calls === 1 ? output : output / calls;
      const ratio = tokenRatio(meanInput, meanOutput);
      const modelTask = this.modelTask;
      if (modelTask !== undefined) {
        const verdicts = this.verdicts;
        verdicts.inputHeavy = meetsBounds(modelTask.inputHeavy, meanInput, meanOutput, ratio);
        verdicts.outputHeavy = meetsBounds(modelTask.outputHeavy, meanInput, meanOutput, ratio);
        verdicts.oversized = meetsBounds(modelTask.oversized, meanInput, meanOutput, ratio);
        verdicts.longTiny = meetsBounds(modelTask.longTiny, meanInput, meanOutput, ratio);
        modelTask.add(model, task, bin, calls, cost, input, output, verdicts);
      }
      const customerFeature = this.customerFeature;
      if (customerFeature !== undefined)
        customerFeature.add(
          customer,
          feature,
          bin,
          calls,
          meetsBounds(customerFeature.inputHeavy, meanInput, meanOutput, ratio),
          meetsBounds(customerFeature.outputHeavy, meanInput, meanOutput, ratio),
        );
    }
    if (this.regionModel !== undefined && region >= 0)
      this.regionModel.add(region, model, calls, cost, input, output, latency);
  }
}
