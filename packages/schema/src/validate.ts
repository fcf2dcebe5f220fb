import { CallIdSet } from './call-id-set';
import { type PriceCatalog, type ModelPrice, priceTokensPicos } from './catalog';
import { parseMicros } from './money';
import {
  type CallRecord,
  CSV_COLUMNS,
  type CsvColumn,
  MAX_FIELD_LENGTH,
  isEnvironment,
  isSubscriptionTier,
} from './record';
import type { ReadTally, Rejection, RejectionReason, WarningKind } from './quality';
import { parseTimestamp } from './time';

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

function parseNonNegativeInteger(text: string): number {
  const length = text.length;
  if (length === 0 || length > 15) return -1;
  let value = 0;
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index);
    if (code < 48 || code > 57) return -1;
    value = value * 10 + (code - 48);
  }
  return value;
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

  private reject(line: number, column: CsvColumn | '', value: string, reason: RejectionReason, why: string): RowOutcome {
    const tally = this.tally;
    tally.rowsRejected++;
    tally.rejectedByReason[reason] = (tally.rejectedByReason[reason] ?? 0) + 1;
    const subject = column === '' ? 'the row' : `${column} ${JSON.stringify(clip(value))}`;
    return {
      ok: false,
      rejection: { line, field: column, value: clip(value), reason, message: `line ${line}: ${subject} ${why}` },
    };
  }

  /** Records a row that could not be split into fields (e.g. an unterminated quote). */
  malformed(line: number, why: string): RowOutcome {
    this.tally.rowsRead++;
    return this.reject(line, '', '', 'malformed_row', why);
  }

  /** Validates one row given as its fields in file order. */
  validate(fields: readonly string[], line: number): RowOutcome {
    this.tally.rowsRead++;
    const positions = this.positions;
    if (fields.length > this.layout.width) {
      return this.reject(line, '', '', 'malformed_row', `has ${fields.length} fields but the header has ${this.layout.width}`);
    }
    // Presence and length of every field first, so that the reported reason does not depend on column order.
    for (let index = 0; index < 19; index++) {
      const value = fields[positions[index] as number];
      if (value === undefined || value.length === 0) {
        return this.reject(line, CSV_COLUMNS[index] as CsvColumn, '', 'missing_field', 'is missing or empty');
      }
      if (value.length > MAX_FIELD_LENGTH) {
        return this.reject(
          line,
          CSV_COLUMNS[index] as CsvColumn,
          value,
          'field_too_long',
          `is ${value.length} characters long (at most ${MAX_FIELD_LENGTH})`,
        );
      }
    }
    const at = (index: number): string => fields[positions[index] as number] as string;
    const timestamp = at(0);
    const timeMs = parseTimestamp(timestamp);
    if (Number.isNaN(timeMs)) {
      return this.reject(line, 'timestamp', timestamp, 'invalid_timestamp', 'is not an ISO 8601 date and time');
    }
    const inputText = at(4);
    const inputTokens = parseNonNegativeInteger(inputText);
    if (inputTokens < 0) {
      return this.reject(line, 'input_tokens', inputText, 'invalid_integer', 'is not a non-negative integer');
    }
    const outputText = at(5);
    const outputTokens = parseNonNegativeInteger(outputText);
    if (outputTokens < 0) {
      return this.reject(line, 'output_tokens', outputText, 'invalid_integer', 'is not a non-negative integer');
    }
    const costText = at(6);
    const costMicros = parseMicros(costText);
    if (costMicros < 0) {
      return this.reject(line, 'cost_usd', costText, 'invalid_cost', 'is not a finite non-negative number of dollars');
    }
    const latencyText = at(7);
    const latencyMs = parseNonNegativeInteger(latencyText);
    if (latencyMs < 0) {
      return this.reject(line, 'latency_ms', latencyText, 'invalid_integer', 'is not a non-negative integer');
    }
    const tier = at(9);
    if (!isSubscriptionTier(tier)) {
      return this.reject(line, 'subscription_tier', tier, 'invalid_tier', 'is not one of starter, pro, enterprise');
    }
    const environment = at(14);
    if (!isEnvironment(environment)) {
      return this.reject(
        line,
        'environment',
        environment,
        'invalid_environment',
        'is not one of production, staging, development',
      );
    }
    const callId = at(1);
    if (this.idSet !== undefined && !this.idSet.add(callId)) {
      return this.reject(line, 'call_id', callId, 'duplicate_call_id', 'was already used by an earlier row');
    }
    const provider = at(2);
    const model = at(3);
    const record: CallRecord = {
      timestamp,
      timeMs,
      callId,
      provider,
      model,
      inputTokens,
      outputTokens,
      costMicros,
      latencyMs,
      customerId: at(8),
      subscriptionTier: tier,
      organizationId: at(10),
      productId: at(11),
      featureId: at(12),
      taskType: at(13),
      environment,
      requestId: at(15),
      traceId: at(16),
      sessionId: at(17),
      userAgent: at(18),
    };
    const extras = this.layout.extras;
    if (extras.length > 0) {
      const extra: Record<string, string> = {};
      for (const { name, position } of extras) extra[name] = fields[position] ?? '';
      record.extra = extra;
    }
    const warnings = this.warningsOf(record, costText);
    this.tally.rowsKept++;
    if (warnings.length > 0) {
      this.tally.rowsWarned++;
      const byKind = this.tally.warningsByKind;
      for (const kind of warnings) byKind[kind] = (byKind[kind] ?? 0) + 1;
    }
    return { ok: true, record, warnings };
  }

  private priceOf(provider: string, model: string): ModelPrice | undefined {
    if (provider !== this.lastProvider || model !== this.lastModel) {
      this.lastProvider = provider;
      this.lastModel = model;
      this.lastPrice = this.catalog.get(provider, model);
    }
    return this.lastPrice;
  }

  private warningsOf(record: CallRecord, costText: string): readonly WarningKind[] {
    const limits = this.thresholds;
    let warnings: WarningKind[] | undefined;
    const add = (kind: WarningKind): void => {
      (warnings ??= []).push(kind);
    };
    if (
      record.inputTokens < limits.minTokens ||
      record.inputTokens > limits.maxTokens ||
      record.outputTokens < limits.minTokens ||
      record.outputTokens > limits.maxTokens
    ) {
      add('tokens_out_of_range');
    }
    if (record.costMicros < limits.minCostMicros || record.costMicros > limits.maxCostMicros) add('cost_out_of_range');
    if (record.latencyMs < limits.minLatencyMs || record.latencyMs > limits.maxLatencyMs) add('latency_out_of_range');
    const price = this.priceOf(record.provider, record.model);
    if (price === undefined) add('unknown_model');
    else {
      // Compare in pico-dollars; a gap within half a micro-dollar is only rounding.
      const expected = priceTokensPicos(price, record.inputTokens, record.outputTokens);
      const gap = Math.abs(record.costMicros * 1_000_000 - expected);
      if (gap > 500_000 && gap > expected * limits.costTolerance) add('cost_mismatch');
    }
    const point = costText.indexOf('.');
    if (point >= 0 && costText.length - point - 1 > 6 && /[1-9]/.test(costText.slice(point + 7))) add('cost_precision');
    return warnings ?? NO_WARNINGS;
  }
}
