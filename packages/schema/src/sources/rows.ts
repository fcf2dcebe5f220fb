import { defaultCatalog } from '../catalog';
import { CallColumns } from '../columns';
import { CallLogRowError, type CallLogParserOptions } from '../csv/parser';
import { emptyTally, type ReadTally, type Rejection } from '../quality';
import type { CallRecord } from '../record';
import { type HeaderLayout, RowValidator } from '../validate';

/**
 * The validating end shared by the readers of containers other than CSV
 * (JSON Lines, Parquet): rows given as spans of a text are validated and
 * queued as records or column batches, rejected rows as rejections, exactly
 * as {@link CallLogParser} does for CSV rows.
 */
export class ValidatedRows {
  readonly tally: ReadTally = emptyTally();
  readonly validator: RowValidator;
  private records: CallRecord[] = [];
  private rejections: Rejection[] = [];
  private columns: CallColumns | undefined;
  private spareColumns: CallColumns | undefined;

  constructor(
    readonly layout: HeaderLayout,
    private readonly options: CallLogParserOptions,
    readonly source: string,
  ) {
    this.validator = new RowValidator(layout, options.catalog ?? defaultCatalog(), this.tally, {
      dedupe: options.dedupe,
      thresholds: options.thresholds,
      callIds: options.callIds,
      sessionColumns: options.sessionColumns,
    });
    if (options.columns) {
      this.columns = new CallColumns();
      this.spareColumns = new CallColumns();
    }
  }

  /** Whether kept rows go to column batches rather than records. */
  get inColumns(): boolean {
    return this.columns !== undefined;
  }

  /** Number of records (or calls in columns) waiting to be taken. */
  get queued(): number {
    return this.columns?.length ?? this.records.length;
  }

  /**
   * Validates one row: field `i` (in layout order) is `text.slice(starts[i],
   * ends[i])`. Returns whether the row was kept (then, when records are
   * kept, it is {@link lastRecord}); a row not kept is to be given to
   * {@link rejectLast} with its raw text.
   */
  add(text: string, starts: Int32Array, ends: Int32Array, count: number, line: number): boolean {
    if (this.columns !== undefined)
      return this.validator.checkInto(text, starts, ends, count, line, this.columns);
    const record = this.validator.check(text, starts, ends, count, line);
    if (record === null) return false;
    this.records.push(record);
    this.lastRecord = record;
    return true;
  }

  /** The record of the last row {@link add} kept (records only). */
  lastRecord: CallRecord | undefined;

  /** Queues the rejection of the row {@link add} just refused, with the row as it was. */
  rejectLast(raw: string): void {
    this.push({ ...(this.validator.lastRejection as Omit<Rejection, 'raw'>), raw });
  }

  /** Counts a row that is not a row at all (not a JSON object, say) as rejected: `malformed_row`. */
  malformed(line: number, why: string, raw: string): void {
    this.push({ ...this.validator.malformed(line, why), raw });
  }

  private push(rejection: Rejection): void {
    this.rejections.push(rejection);
    if (this.options.strict) throw new CallLogRowError(this.source, rejection);
  }

  /** Takes the records and rejections queued since the last call. */
  take(): { records: CallRecord[]; rejections: Rejection[] } {
    const taken = { records: this.records, rejections: this.rejections };
    this.records = [];
    this.rejections = [];
    return taken;
  }

  /** With `columns: true`: the calls kept since the last call (valid until the next-but-one call), the rejections and the dimension tables. */
  takeColumns(): { columns: CallColumns; rejections: Rejection[]; values: readonly (readonly string[])[] } {
    const columns = this.columns;
    const spare = this.spareColumns;
    if (columns === undefined || spare === undefined)
      throw new Error('takeColumns() needs the columns option');
    spare.length = 0;
    this.columns = spare;
    this.spareColumns = columns;
    const rejections = this.rejections;
    this.rejections = [];
    return { columns, rejections, values: this.validator.dimensionValues() };
  }
}
