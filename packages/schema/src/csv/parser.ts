import { isAscii } from 'node:buffer';
import type { CallIdSet } from '../call-id-set';
import { defaultCatalog, type PriceCatalog } from '../catalog';
import { FinopsError } from '../errors';
import { emptyTally, type ReadTally, type Rejection } from '../quality';
import type { CallRecord } from '../record';
import {
  type ColumnMapping,
  type HeaderLayout,
  layoutFromHeader,
  RowValidator,
  type WarningThresholds,
} from '../validate';
import { CsvScanner } from './scanner';
import { CallColumns } from '../columns';

/** Options shared by every way of reading a call log. */
export interface CallLogParserOptions {
  /** Name of the input in messages (a file path); `input` by default. */
  source?: string;
  /** Price catalog for the unknown-model and price warnings; the built-in one by default. */
  catalog?: PriceCatalog;
  /** Throw a {@link CallLogRowError} at the first rejected row. */
  strict?: boolean;
  /** Reject rows whose `call_id` was seen before (on by default). */
  dedupe?: boolean;
  /** Share duplicate detection with other reads (e.g. successive reads of a growing file). */
  callIds?: CallIdSet;
  /** Plausibility warning thresholds. */
  thresholds?: WarningThresholds;
  /** The header layout, when reading from an offset past the header. */
  layout?: HeaderLayout;
  /** The log's own names of our columns, when its headers differ (see {@link parseColumnMapping}). */
  mapping?: ColumnMapping;
  /** Line number of the first line of the input (with `layout`); 1 by default. */
  firstLine?: number;
  /** Longest row in characters before an open quote counts as a mistake (1 MiB). */
  maxRowChars?: number;
  /** Send every line through the general CSV path (testing only). */
  generalPathOnly?: boolean;
  /**
   * Keep calls in columns ({@link CallLogParser.takeColumns}) instead of
   * records: for aggregations that need no record objects.
   */
  columns?: boolean;
  /**
   * With `columns`: give the batches the trace and session ids as dimension
   * ids (the parser then keeps every distinct id of the file); without it they
   * read as `''`.
   */
  sessionColumns?: boolean;
}

/** The first rejected row of a strict read. */
export class CallLogRowError extends FinopsError {
  declare readonly code: 'rejected_row';

  constructor(
    readonly source: string,
    readonly rejection: Rejection,
  ) {
    super(
      'rejected_row',
      `${source}:${rejection.line}: ${rejection.message.replace(/^line \d+: /, '')} (${rejection.reason})`,
    );
    this.name = 'CallLogRowError';
  }
}

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

/**
 * The push parser behind every reader: give it bytes (or text) in any
 * chunking, and it validates the complete rows and queues records and
 * rejections until {@link take} is called. It consumes complete lines only;
 * the bytes of an unfinished last line wait for more input or {@link end}.
 */
export class CallLogParser {
  /** Running counts of this parser's input. */
  readonly tally: ReadTally = emptyTally();
  readonly source: string;
  private readonly options: CallLogParserOptions;
  private readonly scanner: CsvScanner;
  private validator: RowValidator | undefined;
  private pending: Buffer = Buffer.alloc(0);
  private records: CallRecord[] = [];
  private columns: CallColumns | undefined;
  private spareColumns: CallColumns | undefined;
  private rejections: Rejection[] = [];
  private atStart = true;
  private ended = false;

  constructor(options: CallLogParserOptions = {}) {
    this.options = options;
    this.source = options.source ?? 'input';
    this.scanner = new CsvScanner({
      maxRowChars: options.maxRowChars,
      generalPathOnly: options.generalPathOnly,
    });
    if (options.firstLine !== undefined) this.scanner.line = options.firstLine;
    if (options.layout) {
      this.validator = this.makeValidator(options.layout);
      this.atStart = false;
    }
    if (options.columns) {
      this.columns = new CallColumns();
      this.spareColumns = new CallColumns();
    }
  }

  /**
   * With `columns: true`: takes the calls kept since the last call, in
   * columns (valid until the next-but-one call), with the rejected rows and
   * the tables the dimension ids refer to.
   */
  takeColumns(): { columns: CallColumns; rejections: Rejection[]; values: readonly (readonly string[])[] } {
    const columns = this.columns;
    if (columns === undefined || this.spareColumns === undefined) {
      throw new Error('CallLogParser: takeColumns() needs the columns option');
    }
    const spare = this.spareColumns;
    spare.length = 0;
    this.columns = spare;
    this.spareColumns = columns;
    const rejections = this.rejections;
    this.rejections = [];
    return { columns, rejections, values: this.validator?.dimensionValues() ?? [] };
  }

  /** The header layout, once the header has been read. */
  get layout(): HeaderLayout | undefined {
    return this.validator?.layout;
  }

  /** Line number of the next line to be read. */
  get nextLine(): number {
    return this.scanner.line;
  }

  /** Bytes consumed so far (complete lines, header included). */
  get consumedBytes(): number {
    return this.tally.bytesRead;
  }

  /** Number of records waiting to be taken. */
  get queuedRecords(): number {
    return this.records.length;
  }

  /** Takes the records and rejections queued since the last call. */
  take(): { records: CallRecord[]; rejections: Rejection[] } {
    const taken = { records: this.records, rejections: this.rejections };
    this.records = [];
    this.rejections = [];
    return taken;
  }

  /** Feeds the next bytes (or text) of the input. */
  push(chunk: Uint8Array | string): void {
    if (this.ended) throw new Error('CallLogParser: push() after end()');
    let bytes =
      typeof chunk === 'string'
        ? Buffer.from(chunk, 'utf8')
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.atStart) {
      bytes = this.pending.length > 0 ? Buffer.concat([this.pending, bytes]) : bytes;
      this.pending = Buffer.alloc(0);
      if (bytes.length < 3 && UTF8_BOM.slice(0, bytes.length).every((byte, index) => bytes[index] === byte)) {
        this.pending = bytes;
        return;
      }
      this.atStart = false;
      if (bytes[0] === UTF8_BOM[0] && bytes[1] === UTF8_BOM[1] && bytes[2] === UTF8_BOM[2]) {
        bytes = bytes.subarray(3);
        this.tally.bytesRead += 3;
      }
    }
    const lastNewline = bytes.lastIndexOf(10);
    if (lastNewline === -1) {
      this.pending = this.pending.length > 0 ? Buffer.concat([this.pending, bytes]) : Buffer.from(bytes);
      return;
    }
    const combined = this.pending.length > 0 ? Buffer.concat([this.pending, bytes]) : bytes;
    const cut = this.pending.length + lastNewline + 1;
    this.consume(combined, cut, false);
  }

  /** Ends the input: a last line without a line break is read as a row. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.pending.length > 0) this.consume(this.pending, this.pending.length, true);
    this.pending = Buffer.alloc(0);
  }

  /** Bytes received but not consumed yet (an unfinished last line). */
  get pendingBytes(): number {
    return this.pending.length;
  }

  private consume(bytes: Buffer, cut: number, final: boolean): void {
    // Pure ASCII (the usual log) decodes as Latin-1, a plain copy; anything else as UTF-8.
    const text = isAscii(bytes.subarray(0, cut))
      ? bytes.toString('latin1', 0, cut)
      : bytes.toString('utf8', 0, cut);
    const consumedChars = this.scanner.scan(text, 0, final, this.onRow, this.onMalformed);
    let consumedBytes = cut;
    if (consumedChars < text.length) {
      // A quoted row still open: keep its bytes for the next push.
      const rest = Buffer.from(text.slice(consumedChars), 'utf8');
      consumedBytes = cut - rest.length;
      this.pending = Buffer.concat([rest, bytes.subarray(cut)]);
    } else {
      this.pending = Buffer.from(bytes.subarray(cut));
    }
    this.tally.bytesRead += consumedBytes;
    this.tally.blankLines = this.scanner.blankLines;
  }

  private makeValidator(layout: HeaderLayout): RowValidator {
    return new RowValidator(layout, this.options.catalog ?? defaultCatalog(), this.tally, {
      dedupe: this.options.dedupe,
      thresholds: this.options.thresholds,
      callIds: this.options.callIds,
      sessionColumns: this.options.sessionColumns,
    });
  }

  private readonly onRow = (
    fieldText: string,
    starts: Int32Array,
    ends: Int32Array,
    count: number,
    line: number,
    rawStart: number,
    rawEnd: number,
    text: string,
  ): void => {
    const validator = this.validator;
    if (validator === undefined) {
      const names: string[] = [];
      for (let index = 0; index < count; index++) names.push(fieldText.slice(starts[index], ends[index]));
      this.validator = this.makeValidator(layoutFromHeader(names, this.source, this.options.mapping));
      return;
    }
    if (this.columns !== undefined) {
      if (validator.checkInto(fieldText, starts, ends, count, line, this.columns)) return;
      this.addRejection({
        ...(validator.lastRejection as Omit<Rejection, 'raw'>),
        raw: text.slice(rawStart, rawEnd),
      });
      return;
    }
    const record = validator.check(fieldText, starts, ends, count, line);
    if (record !== null) this.records.push(record);
    else
      this.addRejection({
        ...(validator.lastRejection as Omit<Rejection, 'raw'>),
        raw: text.slice(rawStart, rawEnd),
      });
  };

  private readonly onMalformed = (
    line: number,
    why: string,
    rawStart: number,
    rawEnd: number,
    text: string,
  ): void => {
    const validator = this.validator;
    if (validator === undefined) {
      throw new Error(`${this.source}:${line}: the header row ${why}`);
    }
    this.addRejection({ ...validator.malformed(line, why), raw: text.slice(rawStart, rawEnd) });
  };

  private addRejection(rejection: Rejection): void {
    this.rejections.push(rejection);
    if (this.options.strict) throw new CallLogRowError(this.source, rejection);
  }
}
