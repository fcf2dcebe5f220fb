import { CallIdSet } from './call-id-set';
import { FinopsError } from './errors';
import {
  type PriceCatalog,
  type ModelPrice,
  type PriceTier,
  priceCallPicos,
  priceTokensPicos,
} from './catalog';
import { parseMicros } from './money';
import {
  ATTRIBUTION_COLUMNS,
  CALL_STATUSES,
  type CallRecord,
  type CallStatus,
  COST_SOURCES,
  type CostSource,
  CSV_COLUMNS,
  type CsvColumn,
  MAX_FIELD_LENGTH,
  MAX_TAGS_LENGTH,
  REQUIRED_COLUMNS,
  UNATTRIBUTED,
} from './record';
import { CallColumns, DIMENSION_COUNT, DIMENSION_FIELD_INDEX, SESSION_DIMENSIONS } from './columns';
import {
  type ReadTally,
  type Rejection,
  type RejectionReason,
  WARNING_KINDS,
  type WarningKind,
} from './quality';
import { parseTimestamp } from './time';
import { StringInterner } from './intern';

/** A header that cannot be read as a call log: names what was expected and what was found. */
export class CsvHeaderError extends FinopsError {
  declare readonly code: 'invalid_header';

  constructor(
    readonly source: string,
    readonly missing: readonly string[],
    readonly found: readonly string[],
    detail?: string,
  ) {
    super(
      'invalid_header',
      detail ??
        `${source}: the header lacks ${missing.length === 1 ? 'the column' : 'the columns'} ${missing.join(', ')}.\n` +
          `  required: ${REQUIRED_COLUMNS.join(', ')} (optional: the other columns of the record)\n` +
          `  found:    ${found.join(', ') || '(an empty line)'}`,
    );
    this.name = 'CsvHeaderError';
  }
}

/** Where each schema column sits in a file's rows, and the extra columns. */
export interface HeaderLayout {
  /** Column position of each schema column, in canonical order ({@link CSV_COLUMNS}); -1 for a column the file lacks. */
  positions: readonly number[];
  /** Names and positions of the columns outside the schema. */
  extras: readonly { name: string; position: number }[];
  /** Number of columns the header has. */
  width: number;
  /** The header's names as written. */
  names: readonly string[];
}

/** How a file's own column names map onto the schema: our column → the file's header name. */
export type ColumnMapping = Readonly<Partial<Record<CsvColumn, string>>>;

/** A column mapping that does not fit the schema or the header. */
export class ColumnMappingError extends FinopsError {
  declare readonly code: 'invalid_mapping';

  constructor(readonly issues: readonly string[]) {
    super('invalid_mapping', `invalid column mapping:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
    this.name = 'ColumnMappingError';
  }
}

/**
 * Reads `ours=theirs,…` pairs (the CLI's `--map`) into a {@link ColumnMapping};
 * throws a {@link ColumnMappingError} naming every pair that is not one of
 * our columns or is given twice.
 */
export function parseColumnMapping(pairs: readonly string[]): ColumnMapping {
  const mapping: Partial<Record<CsvColumn, string>> = {};
  const issues: string[] = [];
  for (const pair of pairs.flatMap((text) => text.split(','))) {
    if (pair.trim() === '') continue;
    const equals = pair.indexOf('=');
    const ours = (equals < 0 ? pair : pair.slice(0, equals)).trim().toLowerCase();
    const theirs = equals < 0 ? '' : pair.slice(equals + 1).trim();
    if (!(CSV_COLUMNS as readonly string[]).includes(ours)) {
      issues.push(
        `${JSON.stringify(pair)}: ${ours} is not a column of the record (one of ${CSV_COLUMNS.join(', ')})`,
      );
    } else if (theirs === '') {
      issues.push(`${JSON.stringify(pair)}: expected ${ours}=<the log's column name>`);
    } else if (mapping[ours as CsvColumn] !== undefined) {
      issues.push(`${JSON.stringify(pair)}: ${ours} is mapped twice`);
    } else mapping[ours as CsvColumn] = theirs;
  }
  if (issues.length > 0) throw new ColumnMappingError(issues);
  return mapping;
}

/**
 * Maps a header row to the schema: columns are found by name (trimmed, any
 * case), in any order, or by the names a {@link ColumnMapping} gives; extra
 * columns are kept aside. Only the {@link REQUIRED_COLUMNS} must be there.
 * Throws a {@link CsvHeaderError} when a required column is missing or a
 * column is named twice.
 */
export function layoutFromHeader(
  names: readonly string[],
  source = 'input',
  mapping: ColumnMapping = {},
): HeaderLayout {
  const normalized = names.map((name) => name.trim().toLowerCase());
  const positions: number[] = [];
  const missing: string[] = [];
  const used = new Set<number>();
  for (const column of CSV_COLUMNS) {
    const wanted = (mapping[column] ?? column).trim().toLowerCase();
    const position = normalized.indexOf(wanted);
    if (position >= 0 && normalized.indexOf(wanted, position + 1) >= 0) {
      throw new CsvHeaderError(source, [], names, `${source}: the header names the column ${wanted} twice`);
    }
    if (position >= 0 && used.has(position)) {
      throw new CsvHeaderError(
        source,
        [],
        names,
        `${source}: the column ${names[position]?.trim() ?? wanted} is mapped to two fields of the record`,
      );
    }
    if (position >= 0) used.add(position);
    else if (REQUIRED_COLUMNS.includes(column))
      missing.push(mapping[column] ? `${column} (mapped to ${mapping[column]})` : column);
    positions.push(position);
  }
  if (missing.length > 0) throw new CsvHeaderError(source, missing, names);
  const extras = normalized
    .map((name, position) => ({ name: names[position]?.trim() ?? name, position }))
    .filter((entry) => !used.has(entry.position));
  return { positions, extras, width: names.length, names };
}

/** Thresholds of the plausibility warnings. */
export interface WarningThresholds {
  minTokens: number;
  maxTokens: number;
  minCostMicros: number;
  maxCostMicros: number;
  minLatencyMs: number;
  maxLatencyMs: number;
  /** Largest accepted relative gap between a row's cost and its catalog price. */
  costTolerance: number;
}

/** The warning thresholds of the data format: tokens 1–10,000, cost $0.00001–$100, latency 10–30,000 ms, price ±1 %. */
export const DEFAULT_WARNING_THRESHOLDS: Readonly<WarningThresholds> = {
  minTokens: 1,
  maxTokens: 10_000,
  minCostMicros: 10,
  maxCostMicros: 100_000_000,
  minLatencyMs: 10,
  maxLatencyMs: 30_000,
  costTolerance: 0.01,
};

/** Result of validating one row: a record (possibly with warnings) or a rejection. */
export type RowOutcome =
  | { ok: true; record: CallRecord; warnings: readonly WarningKind[] }
  | { ok: false; rejection: Omit<Rejection, 'raw'> };

const NO_WARNINGS: readonly WarningKind[] = [];

function parseNonNegativeInteger(text: string, start: number, end: number): number {
  const length = end - start;
  if (length === 0 || length > 15) return -1;
  let value = 0;
  for (let index = start; index < end; index++) {
    const code = text.charCodeAt(index);
    if (code < 48 || code > 57) return -1;
    value = value * 10 + (code - 48);
  }
  return value;
}

function clip(value: string): string {
  return value.length > 100 ? `${value.slice(0, 97)}...` : value;
}

// Canonical column indexes (positions in CSV_COLUMNS) the validator reads by number.
const TIMESTAMP = 0;
const CALL_ID = 1;
const PROVIDER = 2;
const MODEL = 3;
const INPUT = 4;
const OUTPUT = 5;
const COST = 6;
const LATENCY = 7;
const PLAN = 9;
const TRACE_ID = 16;
const SESSION_ID = 17;
const CACHED_INPUT = 19;
const CACHE_WRITE = 20;
const REASONING = 21;
const STATUS = 22;
const TTFT = 26;
const TAGS = 30;
const WEIGHT = 31;
const COLUMN_COUNT = CSV_COLUMNS.length;
const PLAN_DIMENSION = DIMENSION_FIELD_INDEX.indexOf(PLAN);
const IS_REQUIRED: readonly boolean[] = CSV_COLUMNS.map((column) => REQUIRED_COLUMNS.includes(column));
const IS_ATTRIBUTION: readonly boolean[] = CSV_COLUMNS.map((column) => ATTRIBUTION_COLUMNS.includes(column));
const UNATTRIBUTED_LENGTH = UNATTRIBUTED.length;

/** Pico-dollars to micro-dollars, rounded half up. */
function picosToMicros(picos: number): number {
  return Math.floor((picos + 500_000) / 1_000_000);
}

/** Whether a span is a JSON object (the `tags` column). */
function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/**
 * Validates rows of a call log (data.md's rules) and turns them into
 * {@link CallRecord}s, keeping the tally. Duplicate call ids are detected
 * across every row it sees (the first kept row with an id wins); rows
 * without an id are kept and counted.
 */
export class RowValidator {
  private readonly positions: readonly number[];
  private readonly idSet: CallIdSet | undefined;
  private readonly thresholds: WarningThresholds;

  constructor(
    readonly layout: HeaderLayout,
    readonly catalog: PriceCatalog,
    readonly tally: ReadTally,
    options: {
      dedupe?: boolean;
      thresholds?: WarningThresholds;
      callIds?: CallIdSet;
      /** Give column batches the trace and session ids (else they read as `''`, and cost nothing). */
      sessionColumns?: boolean;
    } = {},
  ) {
    this.positions = layout.positions;
    this.idSet = options.dedupe === false ? undefined : (options.callIds ?? new CallIdSet());
    this.thresholds = options.thresholds ?? DEFAULT_WARNING_THRESHOLDS;
    this.pricedPlans = new Set(Object.keys(catalog.tierPrices()));
    this.coverage = tally.coverage;
    const present = CSV_COLUMNS.map((_, index) => index).filter(
      (index) => (this.positions[index] as number) >= 0,
    );
    this.presentColumns = Int32Array.from(present);
    this.presentPositions = Int32Array.from(present, (index) => this.positions[index] as number);
    this.presentRequired = Uint8Array.from(present, (index) => (IS_REQUIRED[index] === true ? 1 : 0));
    this.presentLimits = Int32Array.from(present, (index) =>
      index === TAGS ? MAX_TAGS_LENGTH : MAX_FIELD_LENGTH,
    );
    this.hasExtensions = present.some((index) => index >= CACHED_INPUT);
    // A column the file lacks has the same value in every row: intern it once. The trace and session
    // ids, unless asked for, are read as absent: interning them would keep every id of the file.
    const skipped = options.sessionColumns === true ? [] : SESSION_DIMENSIONS;
    this.absentDimensionIds = Int32Array.from(DIMENSION_FIELD_INDEX, (column, dimension) =>
      (this.positions[column] as number) < 0 || skipped.includes(dimension) ? this.internAbsent(column) : -1,
    );
    this.absentValues = CSV_COLUMNS.map((_, column) =>
      (this.positions[column] as number) >= 0
        ? undefined
        : IS_ATTRIBUTION[column] === true
          ? UNATTRIBUTED
          : '',
    );
  }

  /** Per canonical column, its value in every row when the file lacks it (`undefined` for a column it has). */
  private readonly absentValues: readonly (string | undefined)[];

  /** A repeated column's value in the row: interned, or the constant of a column the file lacks. */
  private valueOf(text: string, column: number): string {
    return this.absentValues[column] ?? this.internDimension(text, column);
  }

  private readonly coverage: ReadTally['coverage'];
  /** Canonical indexes of the schema columns the file has, in canonical order, and their positions in a row. */
  private readonly presentColumns: Int32Array;
  private readonly presentPositions: Int32Array;
  /** Per present column (same order): 1 for a required one, and its longest accepted length. */
  private readonly presentRequired: Uint8Array;
  private readonly presentLimits: Int32Array;
  /** Whether the file has any of the version-2 columns (a version-1 log has none: their defaults hold for every row). */
  private readonly hasExtensions: boolean;
  /** Per dimension, the id of its value when the file lacks its column (-1 for a column it has). */
  private readonly absentDimensionIds: Int32Array;

  private internAbsent(column: number): number {
    this.internDimension('', column);
    return (this.interners[column] as StringInterner).lastId;
  }

  /** Why the last row given to {@link check} was rejected (valid until the next call). */
  lastRejection: Omit<Rejection, 'raw'> | undefined;
  /** Warnings of the last row {@link check} kept (valid until the next call). */
  lastWarnings: readonly WarningKind[] = NO_WARNINGS;

  private reject(
    line: number,
    column: CsvColumn | '',
    value: string,
    reason: RejectionReason,
    why: string,
  ): false {
    const tally = this.tally;
    tally.rowsRejected++;
    tally.rejectedByReason[reason] = (tally.rejectedByReason[reason] ?? 0) + 1;
    const subject = column === '' ? 'the row' : `${column} ${JSON.stringify(clip(value))}`;
    this.lastRejection = {
      line,
      field: column,
      value: clip(value),
      reason,
      message: `line ${line}: ${subject} ${why}`,
    };
    return false;
  }

  /** Records a row that could not be split into fields (e.g. an unterminated quote) and returns its rejection. */
  malformed(line: number, why: string): Omit<Rejection, 'raw'> {
    this.tally.rowsRead++;
    this.reject(line, '', '', 'malformed_row', why);
    return this.lastRejection as Omit<Rejection, 'raw'>;
  }

  /** Validates one row given as its fields in file order. */
  validate(fields: readonly string[], line: number): RowOutcome {
    const starts = new Int32Array(fields.length);
    const ends = new Int32Array(fields.length);
    let offset = 0;
    fields.forEach((field, index) => {
      starts[index] = offset;
      offset += field.length;
      ends[index] = offset;
    });
    const record = this.check(fields.join(''), starts, ends, fields.length, line);
    return record === null
      ? { ok: false, rejection: this.lastRejection as Omit<Rejection, 'raw'> }
      : { ok: true, record, warnings: this.lastWarnings };
  }

  /**
   * Validates one row given as spans of a text: field `i` (in file order) is
   * `text.slice(starts[i], ends[i])`. Returns the record, or `null` with the
   * reason in {@link lastRejection}. Numbers and repeated strings are read in
   * place, so a valid row costs few allocations.
   */
  check(text: string, starts: Int32Array, ends: Int32Array, count: number, line: number): CallRecord | null {
    if (!this.validateRow(text, starts, ends, count, line)) return null;
    return this.buildRecord(text, starts, ends, count);
  }

  /**
   * Validates one row like {@link check} and, when it is kept, appends it to
   * `columns` instead of building a record: no object and no string per
   * call, the dimensions as ids into {@link dimensionValues}. Returns whether
   * the row was kept.
   */
  checkInto(
    text: string,
    starts: Int32Array,
    ends: Int32Array,
    count: number,
    line: number,
    columns: CallColumns,
  ): boolean {
    if (!this.validateRow(text, starts, ends, count, line)) return false;
    const at = columns.append();
    const ids = columns.ids;
    const base = at * DIMENSION_COUNT;
    const absent = this.absentDimensionIds;
    for (let dimension = 0; dimension < DIMENSION_COUNT; dimension++) {
      const constant = absent[dimension] as number;
      if (constant >= 0) {
        ids[base + dimension] = constant;
        continue;
      }
      ids[base + dimension] = this.internDimensionId(text, DIMENSION_FIELD_INDEX[dimension] as number);
    }
    columns.timeMs[at] = this.parsedTimeMs;
    columns.inputTokens[at] = this.parsedInput;
    columns.outputTokens[at] = this.parsedOutput;
    columns.cachedInputTokens[at] = this.parsedCachedInput;
    columns.cacheWriteInputTokens[at] = this.parsedCacheWrite;
    columns.reasoningTokens[at] = this.parsedReasoning;
    columns.latencyMs[at] = this.parsedLatency;
    columns.timeToFirstTokenMs[at] = this.parsedTtft;
    columns.calls[at] = this.parsedWeight;
    columns.status[at] = this.parsedStatus;
    this.settleCost(ids[base] as number, ids[base + 1] as number, text, ids[base + PLAN_DIMENSION] as number);
    columns.costMicros[at] = this.parsedCost;
    columns.costSource[at] = this.parsedCostSource;
    return true;
  }

  /** The distinct values of each dimension of {@link CallColumns.ids}, by id (live: they grow as rows are read). */
  dimensionValues(): readonly (readonly string[])[] {
    return DIMENSION_FIELD_INDEX.map((column) => (this.interners[column] as StringInterner).values);
  }

  /** The version-2 fields of the row just kept. */
  private addVersion2Fields(record: CallRecord, text: string): void {
    record.cachedInputTokens = this.parsedCachedInput;
    record.cacheWriteInputTokens = this.parsedCacheWrite;
    record.reasoningTokens = this.parsedReasoning;
    record.status = CALL_STATUSES[this.parsedStatus] as CallStatus;
    record.errorType = this.valueOf(text, 23);
    record.region = this.valueOf(text, 24);
    record.serviceTier = this.valueOf(text, 25);
    record.timeToFirstTokenMs = Number.isNaN(this.parsedTtft) ? null : this.parsedTtft;
    record.apiKeyId = this.sliceOf(text, 27);
    record.userId = this.sliceOf(text, 28);
    record.teamId = this.sliceOf(text, 29);
    record.tags = this.sliceOf(text, TAGS);
    record.calls = this.parsedWeight;
  }

  /** A column's text in the row (empty for a column the file lacks). */
  private sliceOf(text: string, column: number): string {
    const start = this.fieldStarts[column] as number;
    const end = this.fieldEnds[column] as number;
    return start === end ? '' : text.slice(start, end);
  }

  /** {@link internDimension}'s id, without reading the value when the interner need not. */
  private internDimensionId(text: string, column: number): number {
    const interner = this.interners[column] as StringInterner;
    const start = this.fieldStarts[column] as number;
    const end = this.fieldEnds[column] as number;
    if (start === end && IS_ATTRIBUTION[column] === true)
      return interner.internId(UNATTRIBUTED, 0, UNATTRIBUTED_LENGTH);
    return interner.internId(text, start, end);
  }

  private internDimension(text: string, column: number): string {
    const interner = this.interners[column] as StringInterner;
    const start = this.fieldStarts[column] as number;
    const end = this.fieldEnds[column] as number;
    if (start === end && IS_ATTRIBUTION[column] === true)
      return interner.intern(UNATTRIBUTED, 0, UNATTRIBUTED_LENGTH);
    return interner.intern(text, start, end);
  }

  private rejectInteger(line: number, column: number, text: string): false {
    return this.reject(
      line,
      CSV_COLUMNS[column] as CsvColumn,
      text.slice(this.fieldStarts[column], this.fieldEnds[column]),
      'invalid_integer',
      'is not a non-negative integer',
    );
  }

  /** Spans of every schema column (empty for a column the file lacks); false when a field is missing or too long. */
  private locateFields(
    text: string,
    starts: Int32Array,
    ends: Int32Array,
    count: number,
    line: number,
  ): boolean {
    const columns = this.presentColumns;
    const positions = this.presentPositions;
    const required = this.presentRequired;
    const limits = this.presentLimits;
    const fieldStarts = this.fieldStarts;
    const fieldEnds = this.fieldEnds;
    const present = columns.length;
    // Presence and length of every field first, so that the reported reason does not depend on column order.
    // The columns the file lacks keep the empty span they were given at the start.
    if (count < this.layout.width) {
      for (let at = 0; at < present; at++) {
        if ((positions[at] as number) >= count) {
          return this.reject(
            line,
            CSV_COLUMNS[columns[at] as number] as CsvColumn,
            '',
            'missing_field',
            'is missing or empty',
          );
        }
      }
    }
    for (let at = 0; at < present; at++) {
      const index = columns[at] as number;
      const position = positions[at] as number;
      const start = starts[position] as number;
      const end = ends[position] as number;
      if (end === start && required[at] === 1) {
        return this.reject(line, CSV_COLUMNS[index] as CsvColumn, '', 'missing_field', 'is missing or empty');
      }
      const limit = limits[at] as number;
      if (end - start > limit) {
        return this.reject(
          line,
          CSV_COLUMNS[index] as CsvColumn,
          text.slice(start, end),
          'field_too_long',
          `is ${end - start} characters long (at most ${limit})`,
        );
      }
      fieldStarts[index] = start;
      fieldEnds[index] = end;
    }
    return true;
  }

  /** An optional non-negative integer column: its value, `empty` when not given, -1 when invalid. */
  private optionalInteger(text: string, column: number, empty: number): number {
    const start = this.fieldStarts[column] as number;
    const end = this.fieldEnds[column] as number;
    return start === end ? empty : parseNonNegativeInteger(text, start, end);
  }

  private validateRow(
    text: string,
    starts: Int32Array,
    ends: Int32Array,
    count: number,
    line: number,
  ): boolean {
    this.tally.rowsRead++;
    if (count > this.layout.width) {
      return this.reject(
        line,
        '',
        '',
        'malformed_row',
        `has ${count} fields but the header has ${this.layout.width}`,
      );
    }
    if (!this.locateFields(text, starts, ends, count, line)) return false;
    const fieldStarts = this.fieldStarts;
    const fieldEnds = this.fieldEnds;
    const timeMs = parseTimestamp(text, fieldStarts[TIMESTAMP] as number, fieldEnds[TIMESTAMP] as number);
    if (Number.isNaN(timeMs)) {
      return this.reject(
        line,
        'timestamp',
        text.slice(fieldStarts[TIMESTAMP], fieldEnds[TIMESTAMP]),
        'invalid_timestamp',
        'is not an ISO 8601 date and time',
      );
    }
    const inputTokens = parseNonNegativeInteger(
      text,
      fieldStarts[INPUT] as number,
      fieldEnds[INPUT] as number,
    );
    if (inputTokens < 0) return this.rejectInteger(line, INPUT, text);
    const outputTokens = parseNonNegativeInteger(
      text,
      fieldStarts[OUTPUT] as number,
      fieldEnds[OUTPUT] as number,
    );
    if (outputTokens < 0) return this.rejectInteger(line, OUTPUT, text);
    let costMicros = NaN;
    if (fieldStarts[COST] !== fieldEnds[COST]) {
      costMicros = parseMicros(text, fieldStarts[COST] as number, fieldEnds[COST] as number);
      if (costMicros < 0) {
        return this.reject(
          line,
          'cost_usd',
          text.slice(fieldStarts[COST], fieldEnds[COST]),
          'invalid_cost',
          'is not a finite non-negative number of dollars',
        );
      }
    }
    const latencyMs = this.optionalInteger(text, LATENCY, NaN);
    if (latencyMs < 0) return this.rejectInteger(line, LATENCY, text);
    if (this.hasExtensions && !this.readExtensions(text, line, inputTokens, outputTokens)) return false;
    if (fieldStarts[CALL_ID] === fieldEnds[CALL_ID]) this.coverage.rowsWithoutCallId++;
    else if (
      this.idSet !== undefined &&
      !this.idSet.addSpan(text, fieldStarts[CALL_ID] as number, fieldEnds[CALL_ID] as number)
    ) {
      return this.reject(
        line,
        'call_id',
        text.slice(fieldStarts[CALL_ID], fieldEnds[CALL_ID]),
        'duplicate_call_id',
        'was already used by an earlier row',
      );
    }
    if (Number.isNaN(latencyMs)) this.coverage.rowsWithoutLatency++;
    this.parsedTimeMs = timeMs;
    this.parsedInput = inputTokens;
    this.parsedOutput = outputTokens;
    this.parsedCost = costMicros;
    this.parsedLatency = latencyMs;
    this.tally.rowsKept++;
    return true;
  }

  /** The version-2 columns: token subsets, status, time to first token, tags and the weight. */
  private readExtensions(text: string, line: number, input: number, output: number): boolean {
    const cached = this.optionalInteger(text, CACHED_INPUT, 0);
    if (cached < 0) return this.rejectInteger(line, CACHED_INPUT, text);
    const cacheWrite = this.optionalInteger(text, CACHE_WRITE, 0);
    if (cacheWrite < 0) return this.rejectInteger(line, CACHE_WRITE, text);
    if (cached + cacheWrite > input) {
      const column = cached > input ? CACHED_INPUT : CACHE_WRITE;
      return this.reject(
        line,
        CSV_COLUMNS[column] as CsvColumn,
        text.slice(this.fieldStarts[column], this.fieldEnds[column]),
        'invalid_subset',
        `makes cache reads and writes (${cached + cacheWrite}) exceed input_tokens (${input}), which include them`,
      );
    }
    const reasoning = this.optionalInteger(text, REASONING, 0);
    if (reasoning < 0) return this.rejectInteger(line, REASONING, text);
    if (reasoning > output) {
      return this.reject(
        line,
        'reasoning_tokens',
        text.slice(this.fieldStarts[REASONING], this.fieldEnds[REASONING]),
        'invalid_subset',
        `exceeds output_tokens (${output}), which include them`,
      );
    }
    const ttft = this.optionalInteger(text, TTFT, NaN);
    if (ttft < 0) return this.rejectInteger(line, TTFT, text);
    const weight = this.optionalInteger(text, WEIGHT, 1);
    if (weight < 1) {
      return this.reject(
        line,
        'calls',
        text.slice(this.fieldStarts[WEIGHT], this.fieldEnds[WEIGHT]),
        'invalid_weight',
        'is not a whole number of calls of at least 1',
      );
    }
    let status = 0;
    const statusStart = this.fieldStarts[STATUS] as number;
    const statusEnd = this.fieldEnds[STATUS] as number;
    if (statusStart !== statusEnd) {
      status = CALL_STATUSES.indexOf(text.slice(statusStart, statusEnd).toLowerCase() as CallStatus);
      if (status < 0) {
        return this.reject(
          line,
          'status',
          text.slice(statusStart, statusEnd),
          'invalid_status',
          `is not one of ${CALL_STATUSES.join(', ')}`,
        );
      }
    }
    const tagsStart = this.fieldStarts[TAGS] as number;
    const tagsEnd = this.fieldEnds[TAGS] as number;
    if (tagsStart !== tagsEnd && !isJsonObject(text.slice(tagsStart, tagsEnd))) {
      return this.reject(
        line,
        'tags',
        text.slice(tagsStart, tagsEnd),
        'invalid_tags',
        'is not a JSON object',
      );
    }
    this.parsedCachedInput = cached;
    this.parsedCacheWrite = cacheWrite;
    this.parsedReasoning = reasoning;
    this.parsedTtft = ttft;
    this.parsedWeight = weight;
    this.parsedStatus = status;
    return true;
  }

  /** The record of the row {@link validateRow} just kept. */
  private buildRecord(text: string, starts: Int32Array, ends: Int32Array, count: number): CallRecord {
    const provider = this.internDimension(text, PROVIDER);
    const providerId = (this.interners[PROVIDER] as StringInterner).lastId;
    const model = this.internDimension(text, MODEL);
    const modelId = (this.interners[MODEL] as StringInterner).lastId;
    const plan = this.internDimension(text, PLAN);
    this.settleCost(providerId, modelId, text, (this.interners[PLAN] as StringInterner).lastId);
    const record: CallRecord = {
      timestamp: this.sliceOf(text, TIMESTAMP),
      timeMs: this.parsedTimeMs,
      callId: this.sliceOf(text, CALL_ID),
      provider,
      model,
      inputTokens: this.parsedInput,
      outputTokens: this.parsedOutput,
      costMicros: this.parsedCost,
      costSource: COST_SOURCES[this.parsedCostSource] as CostSource,
      latencyMs: Number.isNaN(this.parsedLatency) ? null : this.parsedLatency,
      customerId: this.valueOf(text, 8),
      subscriptionTier: plan,
      organizationId: this.valueOf(text, 10),
      productId: this.valueOf(text, 11),
      featureId: this.valueOf(text, 12),
      taskType: this.valueOf(text, 13),
      environment: this.valueOf(text, 14),
      requestId: this.sliceOf(text, 15),
      traceId: this.sliceOf(text, 16),
      sessionId: this.sliceOf(text, 17),
      userAgent: this.valueOf(text, 18),
    };
    // A version-1 log has none of the newer columns: its records leave them out (their defaults),
    // which keeps each record as small as it was.
    if (this.hasExtensions) this.addVersion2Fields(record, text);
    const extras = this.layout.extras;
    if (extras.length > 0) {
      const extra: Record<string, string> = {};
      for (const { name, position } of extras) {
        extra[name] = position < count ? text.slice(starts[position], ends[position]) : '';
      }
      record.extra = extra;
    }
    return record;
  }

  /**
   * Settles the kept row's cost (reported, or priced from the catalog, or
   * unpriced at 0), notes its warnings and the coverage counts.
   */
  private settleCost(providerId: number, modelId: number, text: string, planId: number): void {
    const price = this.priceOfIds(providerId, modelId);
    const coverage = this.coverage;
    let flags = 0;
    if (Number.isNaN(this.parsedCost)) {
      if (price === undefined) {
        this.parsedCost = 0;
        this.parsedCostSource = 2;
        coverage.rowsUnpriced++;
        coverage.unpricedTokens += this.parsedInput + this.parsedOutput;
        flags |= 64;
      } else {
        this.parsedCost = picosToMicros(this.listPicos(price));
        this.parsedCostSource = 1;
        coverage.rowsPriced++;
      }
    } else {
      this.parsedCostSource = 0;
      coverage.rowsReported++;
      flags |= this.reportedCostFlags(price, text);
    }
    if (!this.planIsPriced(planId)) flags |= 128;
    this.noteWarnings(this.warningsOf(flags));
  }

  private listPicos(price: ModelPrice): number {
    // The usual row of a version-1 log: two kinds of token, no long-context tier.
    // A call at or below the first long-context threshold pays the base prices, as one without tiers.
    const tiers = price.tiers;
    if (
      this.parsedCachedInput === 0 &&
      this.parsedCacheWrite === 0 &&
      this.parsedReasoning === 0 &&
      (tiers.length === 0 || this.parsedInput <= (tiers[0] as PriceTier).aboveInputTokens)
    ) {
      return priceTokensPicos(price, this.parsedInput, this.parsedOutput);
    }
    const tokens = this.callTokens;
    tokens.inputTokens = this.parsedInput;
    tokens.cachedInputTokens = this.parsedCachedInput;
    tokens.cacheWriteInputTokens = this.parsedCacheWrite;
    tokens.outputTokens = this.parsedOutput;
    tokens.reasoningTokens = this.parsedReasoning;
    return priceCallPicos(price, tokens);
  }

  private readonly callTokens = {
    inputTokens: 0,
    cachedInputTokens: 0,
    cacheWriteInputTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
  };

  /** Warning flags of a reported cost: unknown model, a gap to the list price, digits past micro-dollars. */
  private reportedCostFlags(price: ModelPrice | undefined, text: string): number {
    let flags = 0;
    const cost = this.parsedCost;
    if (price === undefined) flags |= 8;
    else {
      // Compare in pico-dollars; a gap within half a micro-dollar is only rounding.
      const expected = this.listPicos(price);
      const coverage = this.coverage;
      coverage.reportedCostMicros += cost;
      coverage.reportedListMicros += picosToMicros(expected);
      const gap = Math.abs(cost * 1_000_000 - expected);
      if (gap > 500_000 && gap > expected * this.thresholds.costTolerance) flags |= 16;
    }
    // More than six decimals (rare): check the digits that were rounded away.
    const costStart = this.fieldStarts[COST] as number;
    const costEnd = this.fieldEnds[COST] as number;
    if (costEnd - costStart > 8) {
      const costText = text.slice(costStart, costEnd);
      const point = costText.indexOf('.');
      if (point >= 0 && costText.length - point - 1 > 6 && /[1-9]/.test(costText.slice(point + 7)))
        flags |= 32;
    }
    return flags;
  }

  /** Whether the plan of id `planId` has a price: decided once per distinct plan, then read by id. */
  private planIsPriced(planId: number): boolean {
    let known = this.planPriced[planId];
    if (known === undefined) {
      const plan = (this.interners[PLAN] as StringInterner).values[planId] as string;
      known = plan === UNATTRIBUTED || this.pricedPlans.has(plan);
      this.planPriced[planId] = known;
    }
    return known;
  }

  private noteWarnings(warnings: readonly WarningKind[]): void {
    this.lastWarnings = warnings;
    if (warnings.length === 0) return;
    this.tally.rowsWarned++;
    const byKind = this.tally.warningsByKind;
    for (const kind of warnings) byKind[kind] = (byKind[kind] ?? 0) + 1;
  }

  // The figures of the row being validated, parsed in place.
  private parsedTimeMs = 0;
  private parsedInput = 0;
  private parsedOutput = 0;
  /** Micro-dollars; NaN while the row gives no cost (before {@link settleCost}). */
  private parsedCost = 0;
  /** Index in COST_SOURCES. */
  private parsedCostSource = 0;
  /** NaN when the row gives no latency. */
  private parsedLatency = 0;
  private parsedCachedInput = 0;
  private parsedCacheWrite = 0;
  private parsedReasoning = 0;
  private parsedTtft = NaN;
  private parsedWeight = 1;
  /** Index in CALL_STATUSES. */
  private parsedStatus = 0;
  private readonly pricedPlans: ReadonlySet<string>;
  /** Per plan id, whether the plan has a price (filled as plans first appear). */
  private readonly planPriced: boolean[] = [];

  private readonly fieldStarts = new Int32Array(COLUMN_COUNT);
  private readonly fieldEnds = new Int32Array(COLUMN_COUNT);
  // One interner per dimension column and the client; call and request ids are not interned.
  // The dimensions keep every value (their ids index the tables of column batches); the client is capped.
  // Trace and session ids, nearly one per call or a few, skip the interner's cache of recent values and are
  // found by their fingerprint: with a million of them, a comparison of the text is one more read from memory.
  private readonly interners: (StringInterner | undefined)[] = CSV_COLUMNS.map((_, index) =>
    DIMENSION_FIELD_INDEX.includes(index)
      ? new StringInterner(Number.POSITIVE_INFINITY, {
          seldomRepeated: index === TRACE_ID || index === SESSION_ID,
          fingerprint: index === TRACE_ID || index === SESSION_ID,
        })
      : index === 18
        ? new StringInterner()
        : undefined,
  );
  // The price period last found for each provider × model, reused while a row's time falls inside it:
  // a slot per pair, found by the provider's id, then the model's (a model sold by several providers,
  // rows of each in turn, finds its slot without a search).
  private readonly priceSlotOfPair: (number[] | undefined)[] = [];
  private slotPrice: (ModelPrice | null)[] = [];
  /** Start and end (exclusive) of each slot's period, ms; ±Infinity where the period is open. */
  private slotFrom: number[] = [];
  private slotUntil: number[] = [];

  /** The catalog's price of the row's model at the row's time (each call at the price of its own date). */
  private priceOfIds(providerId: number, modelId: number): ModelPrice | undefined {
    const timeMs = this.parsedTimeMs;
    let slot = this.priceSlotOfPair[providerId]?.[modelId];
    if (slot === undefined) slot = this.priceSlotOf(providerId, modelId);
    if (timeMs < (this.slotFrom[slot] as number) || timeMs >= (this.slotUntil[slot] as number))
      this.resolvePriceSlot(slot, providerId, modelId, timeMs);
    return this.slotPrice[slot] ?? undefined;
  }

  /** The cache slot of a provider × model pair, made (empty, so that it resolves) on first sight. */
  private priceSlotOf(providerId: number, modelId: number): number {
    const slot = this.slotPrice.length;
    (this.priceSlotOfPair[providerId] ??= [])[modelId] = slot;
    this.slotPrice.push(null);
    // An empty period: the first row resolves it.
    this.slotFrom.push(Number.POSITIVE_INFINITY);
    this.slotUntil.push(Number.NEGATIVE_INFINITY);
    return slot;
  }

  private resolvePriceSlot(slot: number, providerId: number, modelId: number, timeMs: number): void {
    const provider = (this.interners[PROVIDER] as StringInterner).values[providerId] ?? '';
    const model = (this.interners[MODEL] as StringInterner).values[modelId] ?? '';
    const price = this.catalog.resolve(provider, model, timeMs) ?? null;
    this.slotPrice[slot] = price;
    if (price !== null) {
      this.slotFrom[slot] = price.effectiveFromMs ?? Number.NEGATIVE_INFINITY;
      this.slotUntil[slot] = price.effectiveUntilMs ?? Number.POSITIVE_INFINITY;
    } else if (this.catalog.history(provider, model).length === 0) {
      // A model the catalog does not know is unknown at every time.
      this.slotFrom[slot] = Number.NEGATIVE_INFINITY;
      this.slotUntil[slot] = Number.POSITIVE_INFINITY;
    } else {
      // A known model without a period in force at this time is not remembered: a later row may have one.
      this.slotFrom[slot] = Number.POSITIVE_INFINITY;
      this.slotUntil[slot] = Number.NEGATIVE_INFINITY;
    }
  }

  private warningsOf(costFlags: number): readonly WarningKind[] {
    // Flags first (no allocation for the usual clean row), the list only when one is set.
    const limits = this.thresholds;
    let flags = costFlags;
    const input = this.parsedInput;
    const output = this.parsedOutput;
    const cost = this.parsedCost;
    const latency = this.parsedLatency;
    // A failed call often returns nothing and costs next to nothing: neither is implausible there.
    const outputFloor = this.parsedStatus === 1 ? 0 : limits.minTokens;
    if (
      input < limits.minTokens ||
      input > limits.maxTokens ||
      output < outputFloor ||
      output > limits.maxTokens
    ) {
      flags |= 1;
    }
    const costFloor = this.parsedStatus === 1 ? 0 : limits.minCostMicros;
    if (this.parsedCostSource !== 2 && (cost < costFloor || cost > limits.maxCostMicros)) flags |= 2;
    if (latency < limits.minLatencyMs || latency > limits.maxLatencyMs) flags |= 4;
    if (flags === 0) return NO_WARNINGS;
    // Bit k of the flags is WARNING_KINDS[k].
    return WARNING_KINDS.filter((_, bit) => (flags & (1 << bit)) !== 0);
  }
}
