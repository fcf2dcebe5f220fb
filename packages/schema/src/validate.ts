import { CallIdSet } from './call-id-set';
import { type PriceCatalog, type ModelPrice, priceTokensPicos } from './catalog';
import { parseMicros } from './money';
import {
  type CallRecord,
  CSV_COLUMNS,
  type CsvColumn,
  type Environment,
  MAX_FIELD_LENGTH,
  type SubscriptionTier,
  ENVIRONMENTS,
  SUBSCRIPTION_TIERS,
} from './record';
import { CallColumns, DIMENSION_COUNT, DIMENSION_FIELD_INDEX } from './columns';
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
export class CsvHeaderError extends Error {
  constructor(
    readonly source: string,
    readonly missing: readonly string[],
    readonly found: readonly string[],
    detail?: string,
  ) {
    super(
      detail ??
        `${source}: the header lacks ${missing.length === 1 ? 'the column' : 'the columns'} ${missing.join(', ')}.\n` +
          `  expected: ${CSV_COLUMNS.join(', ')}\n  found:    ${found.join(', ') || '(an empty line)'}`,
    );
    this.name = 'CsvHeaderError';
  }
}

/** Where each schema column sits in a file's rows, and the extra columns. */
export interface HeaderLayout {
  /** Column position of each schema column, in canonical order ({@link CSV_COLUMNS}). */
  positions: readonly number[];
  /** Names and positions of the columns outside the schema. */
  extras: readonly { name: string; position: number }[];
  /** Number of columns the header has. */
  width: number;
  /** The header's names as written. */
  names: readonly string[];
}

/**
 * Maps a header row to the schema: columns are found by name (trimmed, any
 * case), in any order; extra columns are kept aside. Throws a
 * {@link CsvHeaderError} when a schema column is missing or named twice.
 */
export function layoutFromHeader(names: readonly string[], source = 'input'): HeaderLayout {
  const normalized = names.map((name) => name.trim().toLowerCase());
  const positions: number[] = [];
  const missing: string[] = [];
  for (const column of CSV_COLUMNS) {
    const position = normalized.indexOf(column);
    if (position < 0) missing.push(column);
    else if (normalized.indexOf(column, position + 1) >= 0) {
      throw new CsvHeaderError(source, [], names, `${source}: the header names the column ${column} twice`);
    }
    positions.push(position);
  }
  if (missing.length > 0) throw new CsvHeaderError(source, missing, names);
  const schemaColumns = new Set<string>(CSV_COLUMNS);
  const extras = normalized
    .map((name, position) => ({ name: names[position]?.trim() ?? name, position, normalized: name }))
    .filter((entry) => !schemaColumns.has(entry.normalized))
    .map(({ name, position }) => ({ name, position }));
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

/** The tier a span names, told apart by length first (the three names differ in length). */
function tierAt(text: string, start: number, end: number): SubscriptionTier | undefined {
  const length = end - start;
  const candidate =
    length === 3 ? 'pro' : length === 7 ? 'starter' : length === 10 ? 'enterprise' : undefined;
  return candidate !== undefined && text.startsWith(candidate, start) ? candidate : undefined;
}

/** The environment a span names, told apart by length first. */
function environmentAt(text: string, start: number, end: number): Environment | undefined {
  const length = end - start;
  const candidate =
    length === 10 ? 'production' : length === 7 ? 'staging' : length === 11 ? 'development' : undefined;
  return candidate !== undefined && text.startsWith(candidate, start) ? candidate : undefined;
}

function clip(value: string): string {
  return value.length > 100 ? `${value.slice(0, 97)}...` : value;
}

/**
 * Validates rows of a call log (data.md's rules) and turns them into
 * {@link CallRecord}s, keeping the tally. Duplicate call ids are detected
 * across every row it sees (the first kept row with an id wins).
 */
export class RowValidator {
  private readonly positions: readonly number[];
  private readonly idSet: CallIdSet | undefined;
  private lastPrice: ModelPrice | undefined;
  private lastProvider = '';
  private lastModel = '';

  constructor(
    readonly layout: HeaderLayout,
    readonly catalog: PriceCatalog,
    readonly tally: ReadTally,
    options: { dedupe?: boolean; thresholds?: WarningThresholds; callIds?: CallIdSet } = {},
  ) {
    this.positions = layout.positions;
    this.idSet = options.dedupe === false ? undefined : (options.callIds ?? new CallIdSet());
    this.thresholds = options.thresholds ?? DEFAULT_WARNING_THRESHOLDS;
  }

  private readonly thresholds: WarningThresholds;

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
   * reason in {@link lastRejection}. Numbers, enums and repeated strings are
   * read in place, so a valid row costs few allocations.
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
    const fieldStarts = this.fieldStarts;
    const fieldEnds = this.fieldEnds;
    const interners = this.interners;
    const at = columns.append();
    const ids = columns.ids;
    const base = at * DIMENSION_COUNT;
    for (let dimension = 0; dimension < DIMENSION_COUNT; dimension++) {
      const column = DIMENSION_FIELD_INDEX[dimension] as number;
      const interner = interners[column] as StringInterner;
      interner.intern(text, fieldStarts[column] as number, fieldEnds[column] as number);
      ids[base + dimension] = interner.lastId;
    }
    columns.timeMs[at] = this.parsedTimeMs;
    columns.inputTokens[at] = this.parsedInput;
    columns.outputTokens[at] = this.parsedOutput;
    columns.costMicros[at] = this.parsedCost;
    columns.latencyMs[at] = this.parsedLatency;
    columns.tier[at] = this.parsedTier;
    columns.environment[at] = this.parsedEnvironment;
    const price = this.priceOfIds(
      ids[base] as number,
      ids[base + 1] as number,
      (interners[2] as StringInterner).values[ids[base] as number] ?? '',
      (interners[3] as StringInterner).values[ids[base + 1] as number] ?? '',
    );
    this.noteWarnings(this.warningsOf(price, text));
    return true;
  }

  /** The distinct values of each dimension of {@link CallColumns.ids}, by id (live: they grow as rows are read). */
  dimensionValues(): readonly (readonly string[])[] {
    return DIMENSION_FIELD_INDEX.map((column) => (this.interners[column] as StringInterner).values);
  }

  private validateRow(
    text: string,
    starts: Int32Array,
    ends: Int32Array,
    count: number,
    line: number,
  ): boolean {
    this.tally.rowsRead++;
    const positions = this.positions;
    if (count > this.layout.width) {
      return this.reject(
        line,
        '',
        '',
        'malformed_row',
        `has ${count} fields but the header has ${this.layout.width}`,
      );
    }
    const fieldStarts = this.fieldStarts;
    const fieldEnds = this.fieldEnds;
    // Presence and length of every field first, so that the reported reason does not depend on column order.
    for (let index = 0; index < 19; index++) {
      const position = positions[index] as number;
      if (position >= count) {
        return this.reject(line, CSV_COLUMNS[index] as CsvColumn, '', 'missing_field', 'is missing or empty');
      }
      const start = starts[position] as number;
      const end = ends[position] as number;
      if (end === start) {
        return this.reject(line, CSV_COLUMNS[index] as CsvColumn, '', 'missing_field', 'is missing or empty');
      }
      if (end - start > MAX_FIELD_LENGTH) {
        return this.reject(
          line,
          CSV_COLUMNS[index] as CsvColumn,
          text.slice(start, end),
          'field_too_long',
          `is ${end - start} characters long (at most ${MAX_FIELD_LENGTH})`,
        );
      }
      fieldStarts[index] = start;
      fieldEnds[index] = end;
    }
    const timeMs = parseTimestamp(text, fieldStarts[0] as number, fieldEnds[0] as number);
    if (Number.isNaN(timeMs)) {
      return this.reject(
        line,
        'timestamp',
        text.slice(fieldStarts[0], fieldEnds[0]),
        'invalid_timestamp',
        'is not an ISO 8601 date and time',
      );
    }
    const inputTokens = parseNonNegativeInteger(text, fieldStarts[4] as number, fieldEnds[4] as number);
    if (inputTokens < 0) {
      return this.reject(
        line,
        'input_tokens',
        text.slice(fieldStarts[4], fieldEnds[4]),
        'invalid_integer',
        'is not a non-negative integer',
      );
    }
    const outputTokens = parseNonNegativeInteger(text, fieldStarts[5] as number, fieldEnds[5] as number);
    if (outputTokens < 0) {
      return this.reject(
        line,
        'output_tokens',
        text.slice(fieldStarts[5], fieldEnds[5]),
        'invalid_integer',
        'is not a non-negative integer',
      );
    }
    const costMicros = parseMicros(text, fieldStarts[6] as number, fieldEnds[6] as number);
    if (costMicros < 0) {
      return this.reject(
        line,
        'cost_usd',
        text.slice(fieldStarts[6], fieldEnds[6]),
        'invalid_cost',
        'is not a finite non-negative number of dollars',
      );
    }
    const latencyMs = parseNonNegativeInteger(text, fieldStarts[7] as number, fieldEnds[7] as number);
    if (latencyMs < 0) {
      return this.reject(
        line,
        'latency_ms',
        text.slice(fieldStarts[7], fieldEnds[7]),
        'invalid_integer',
        'is not a non-negative integer',
      );
    }
    const tier = tierAt(text, fieldStarts[9] as number, fieldEnds[9] as number);
    if (tier === undefined) {
      return this.reject(
        line,
        'subscription_tier',
        text.slice(fieldStarts[9], fieldEnds[9]),
        'invalid_tier',
        'is not one of starter, pro, enterprise',
      );
    }
    const environment = environmentAt(text, fieldStarts[14] as number, fieldEnds[14] as number);
    if (environment === undefined) {
      return this.reject(
        line,
        'environment',
        text.slice(fieldStarts[14], fieldEnds[14]),
        'invalid_environment',
        'is not one of production, staging, development',
      );
    }
    if (
      this.idSet !== undefined &&
      !this.idSet.addSpan(text, fieldStarts[1] as number, fieldEnds[1] as number)
    ) {
      return this.reject(
        line,
        'call_id',
        text.slice(fieldStarts[1], fieldEnds[1]),
        'duplicate_call_id',
        'was already used by an earlier row',
      );
    }
    this.parsedTimeMs = timeMs;
    this.parsedInput = inputTokens;
    this.parsedOutput = outputTokens;
    this.parsedCost = costMicros;
    this.parsedLatency = latencyMs;
    this.parsedTier = SUBSCRIPTION_TIERS.indexOf(tier);
    this.parsedEnvironment = ENVIRONMENTS.indexOf(environment);
    this.tally.rowsKept++;
    return true;
  }

  /** The record of the row {@link validateRow} just kept. */
  private buildRecord(text: string, starts: Int32Array, ends: Int32Array, count: number): CallRecord {
    const fieldStarts = this.fieldStarts;
    const fieldEnds = this.fieldEnds;
    const interners = this.interners;
    const intern = this.internField;
    const provider = intern(text, 2);
    const providerId = (interners[2] as StringInterner).lastId;
    const model = intern(text, 3);
    const modelId = (interners[3] as StringInterner).lastId;
    const record: CallRecord = {
      timestamp: text.slice(fieldStarts[0], fieldEnds[0]),
      timeMs: this.parsedTimeMs,
      callId: text.slice(fieldStarts[1], fieldEnds[1]),
      provider,
      model,
      inputTokens: this.parsedInput,
      outputTokens: this.parsedOutput,
      costMicros: this.parsedCost,
      latencyMs: this.parsedLatency,
      customerId: intern(text, 8),
      subscriptionTier: SUBSCRIPTION_TIERS[this.parsedTier] as SubscriptionTier,
      organizationId: intern(text, 10),
      productId: intern(text, 11),
      featureId: intern(text, 12),
      taskType: intern(text, 13),
      environment: ENVIRONMENTS[this.parsedEnvironment] as Environment,
      requestId: text.slice(fieldStarts[15], fieldEnds[15]),
      traceId: text.slice(fieldStarts[16], fieldEnds[16]),
      sessionId: text.slice(fieldStarts[17], fieldEnds[17]),
      userAgent: intern(text, 18),
    };
    const extras = this.layout.extras;
    if (extras.length > 0) {
      const extra: Record<string, string> = {};
      for (const { name, position } of extras) {
        extra[name] = position < count ? text.slice(starts[position], ends[position]) : '';
      }
      record.extra = extra;
    }
    this.noteWarnings(this.warningsOf(this.priceOfIds(providerId, modelId, provider, model), text));
    return record;
  }

  private readonly internField = (text: string, column: number): string =>
    (this.interners[column] as StringInterner).intern(
      text,
      this.fieldStarts[column] as number,
      this.fieldEnds[column] as number,
    );

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
  private parsedCost = 0;
  private parsedLatency = 0;
  private parsedTier = 0;
  private parsedEnvironment = 0;

  private readonly fieldStarts = new Int32Array(19);
  private readonly fieldEnds = new Int32Array(19);
  // One interner per column that repeats; call, request, trace and session ids do not.
  // The dimensions keep every value (their ids index the tables of column batches); the client is capped.
  private readonly interners: (StringInterner | undefined)[] = CSV_COLUMNS.map((_, index) =>
    DIMENSION_FIELD_INDEX.includes(index)
      ? new StringInterner(Number.POSITIVE_INFINITY)
      : index === 18
        ? new StringInterner()
        : undefined,
  );
  private readonly priceCache = new Map<number, ModelPrice | null>();

  private priceOfIds(
    providerId: number,
    modelId: number,
    provider: string,
    model: string,
  ): ModelPrice | undefined {
    if (providerId < 0 || modelId < 0) return this.priceOf(provider, model);
    const key = providerId * 65_536 + modelId;
    let price = this.priceCache.get(key);
    if (price === undefined) {
      price = this.catalog.get(provider, model) ?? null;
      this.priceCache.set(key, price);
    }
    return price ?? undefined;
  }

  private priceOf(provider: string, model: string): ModelPrice | undefined {
    if (provider !== this.lastProvider || model !== this.lastModel) {
      this.lastProvider = provider;
      this.lastModel = model;
      this.lastPrice = this.catalog.get(provider, model);
    }
    return this.lastPrice;
  }

  private warningsOf(price: ModelPrice | undefined, text: string): readonly WarningKind[] {
    // Flags first (no allocation for the usual clean row), the list only when one is set.
    const limits = this.thresholds;
    let flags = 0;
    const input = this.parsedInput;
    const output = this.parsedOutput;
    const cost = this.parsedCost;
    const latency = this.parsedLatency;
    if (
      input < limits.minTokens ||
      input > limits.maxTokens ||
      output < limits.minTokens ||
      output > limits.maxTokens
    ) {
      flags |= 1;
    }
    if (cost < limits.minCostMicros || cost > limits.maxCostMicros) flags |= 2;
    if (latency < limits.minLatencyMs || latency > limits.maxLatencyMs) flags |= 4;
    if (price === undefined) flags |= 8;
    else {
      // Compare in pico-dollars; a gap within half a micro-dollar is only rounding.
      const expected = priceTokensPicos(price, input, output);
      const gap = Math.abs(cost * 1_000_000 - expected);
      if (gap > 500_000 && gap > expected * limits.costTolerance) flags |= 16;
    }
    // More than six decimals (rare): check the digits that were rounded away.
    const costStart = this.fieldStarts[6] as number;
    const costEnd = this.fieldEnds[6] as number;
    if (costEnd - costStart > 8) {
      const costText = text.slice(costStart, costEnd);
      const point = costText.indexOf('.');
      if (point >= 0 && costText.length - point - 1 > 6 && /[1-9]/.test(costText.slice(point + 7)))
        flags |= 32;
    }
    if (flags === 0) return NO_WARNINGS;
    // Bit k of the flags is WARNING_KINDS[k].
    return WARNING_KINDS.filter((_, bit) => (flags & (1 << bit)) !== 0);
  }
}
