/**
 * The contract of one importer (one source of exports) and the builder its
 * mappings use to turn a source record into one of our rows, noting the
 * first problem (source field and reason) instead of inventing a value.
 */
import type { AttributionMap, AttributionView } from './attribution';
import type { ImportColumn, ImportRow } from './columns';
import { exactDecimal, isNegativeDecimal } from './decimal';
import { isoTimestamp, textOf, wholeNumber } from './values';

/** Input layouts an export may come in: files, a PostgreSQL table read over a connection, or pages of an HTTP API. */
export type InputFormat = 'json' | 'jsonl' | 'csv' | 'postgres' | 'api';

/** Why a source record was rejected (kept out of the output, reported with its location). */
export const IMPORT_REJECTION_REASONS = [
  'missing_field',
  'invalid_number',
  'invalid_timestamp',
  'invalid_cost',
  'inconsistent_tokens',
  'field_too_long',
  'malformed_record',
] as const;

/** A reason a source record was rejected. */
export type ImportRejectionReason = (typeof IMPORT_REJECTION_REASONS)[number];

/**
 * What an importer made of one source record: a call, a rejection (with the
 * source field at fault), or a skip (a record that is not a call, such as an
 * agent span or a tax line, with the reason). `at` locates the record inside
 * its JSON value (`data[3]`) when one value holds many.
 */
export type SourceOutcome =
  | { kind: 'call'; row: ImportRow; view: AttributionView; at?: string }
  | { kind: 'rejected'; field: string; reason: ImportRejectionReason; message: string; at?: string }
  | { kind: 'skipped'; reason: string; at?: string };

/** One source of exports: how it is recognised and how its records map onto ours. */
export interface SourceImporter {
  /** The `--from` name, also the folder under `src/sources/`. */
  readonly name: string;
  /** What the source is, for messages and help. */
  readonly title: string;
  /** Layouts this importer reads. */
  readonly formats: readonly InputFormat[];
  /** Attribution used unless a map file overrides it. */
  readonly defaultAttribution: AttributionMap;
  /** Whether a JSON value (a whole document, or the first line of JSON Lines) is this source's. */
  recognizeJson?(value: unknown): boolean;
  /** Whether a CSV header (column names as written) is this source's. */
  recognizeCsv?(header: readonly string[]): boolean;
  /** The records in one JSON value: a whole document, or one line of JSON Lines. */
  readJson?(value: unknown): Iterable<SourceOutcome>;
  /** The record in one CSV row, by header name. */
  readCsvRow?(row: Readonly<Record<string, string>>): SourceOutcome;
}

/** A problem with one source field. */
interface FieldProblem {
  field: string;
  reason: ImportRejectionReason;
  message: string;
}

/**
 * Builds one of our rows from a source record. Each setter takes the source
 * value and the source field's name; the first value that cannot be read is
 * remembered, and {@link outcome} turns it into a rejection naming that field.
 */
export class CallBuilder {
  readonly row: ImportRow = {};
  private problem: FieldProblem | undefined;
  /** Whether the source reported a cost for this call. */
  costReported = false;

  /** Records a problem unless one is already known. */
  reject(field: string, reason: ImportRejectionReason, message: string): void {
    this.problem ??= { field, reason, message };
  }

  /** Sets a text column; an absent value leaves it unknown, or is a problem when `required`. */
  text(column: ImportColumn, value: unknown, field: string, required = false): string | undefined {
    const text = textOf(value);
    if (text === undefined) {
      if (required) this.reject(field, 'missing_field', `"${field}" is missing (needed for ${column})`);
      return undefined;
    }
    this.row[column] = text;
    return text;
  }

  /** Sets a timestamp column from ISO 8601 or database time text. */
  timestamp(column: ImportColumn, value: unknown, field: string, required = true): string | undefined {
    const text = textOf(value);
    if (text === undefined) {
      if (required) this.reject(field, 'missing_field', `"${field}" is missing (needed for ${column})`);
      return undefined;
    }
    const iso = isoTimestamp(text);
    if (iso === undefined) {
      this.reject(field, 'invalid_timestamp', `"${field}" is not an ISO 8601 time: ${JSON.stringify(text)}`);
      return undefined;
    }
    this.row[column] = iso;
    return iso;
  }

  /** Reads a whole number ≥ 0 without setting a column (for sums of several source fields). */
  count(value: unknown, field: string): number | undefined {
    const number = wholeNumber(value);
    if (Number.isNaN(number)) {
      this.reject(field, 'invalid_number', `"${field}" is not a whole number ≥ 0: ${JSON.stringify(value)}`);
      return undefined;
    }
    return number;
  }

  /** Sets a whole-number column; an absent value is unknown, or a problem when `required`. */
  integer(column: ImportColumn, value: unknown, field: string, required = false): number | undefined {
    const number = this.count(value, field);
    if (number === undefined) {
      if (required && wholeNumber(value) === undefined)
        this.reject(field, 'missing_field', `"${field}" is missing (needed for ${column})`);
      return undefined;
    }
    this.row[column] = number;
    return number;
  }

  /** Sets a whole-number column from a number already read (a sum); `undefined` leaves it unknown. */
  setCount(column: ImportColumn, value: number | undefined): void {
    if (value !== undefined) this.row[column] = value;
  }

  /**
   * Sets `cost_usd` from a reported amount, exactly, divided by `10^scaleDown`
   * (2 for cents, 9 for nano-dollars). Absent means unknown (priced later from
   * the catalog); a negative or unreadable amount is a problem.
   */
  cost(value: unknown, field: string, scaleDown = 0): string | undefined {
    if (value === undefined || value === null || value === '') return undefined;
    const text = exactDecimal(value, scaleDown);
    if (text === undefined) {
      this.reject(field, 'invalid_cost', `"${field}" is not a number: ${JSON.stringify(value)}`);
      return undefined;
    }
    if (isNegativeDecimal(text)) {
      this.reject(
        field,
        'invalid_cost',
        `"${field}" is negative (${text} USD): a credit or refund is not a call`,
      );
      return undefined;
    }
    this.row.cost_usd = text;
    this.costReported = true;
    return text;
  }

  /** The call, or the rejection of its first problem. */
  outcome(view: AttributionView, at?: string): SourceOutcome {
    const where = at === undefined ? {} : { at };
    if (this.problem) return { kind: 'rejected', ...this.problem, ...where };
    return { kind: 'call', row: this.row, view, ...where };
  }
}

/** A rejection of a whole record (not one field) as an outcome. */
export function malformed(message: string, at?: string): SourceOutcome {
  return {
    kind: 'rejected',
    field: '(record)',
    reason: 'malformed_record',
    message,
    ...(at === undefined ? {} : { at }),
  };
}

/** A skip as an outcome. */
export function skipped(reason: string, at?: string): SourceOutcome {
  return { kind: 'skipped', reason, ...(at === undefined ? {} : { at }) };
}
