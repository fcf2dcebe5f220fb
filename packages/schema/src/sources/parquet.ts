import { open, type FileHandle } from 'node:fs/promises';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { AsyncBuffer, Compressors, FileMetaData } from 'hyparquet';
import type { CallColumns } from '../columns';
import type { CallLogParserOptions } from '../csv/parser';
import { formatCsvLine } from '../csv/writer';
import type { ReadTally, Rejection } from '../quality';
import { type CallRecord, CSV_COLUMNS } from '../record';
import { type HeaderLayout, layoutFromHeader } from '../validate';
import { CallLogSourceError } from './container';
import { expandExponent } from './json-lines';
import { ValidatedRows } from './rows';

/** Page codecs beyond hyparquet's own (Snappy, uncompressed), from Node's zlib. */
const COMPRESSORS: Compressors = {
  GZIP: (input) => gunzipSync(input),
  BROTLI: (input) => brotliDecompressSync(input),
};

/** A file handle as hyparquet's random-access buffer. */
function fileBuffer(handle: FileHandle, size: number): AsyncBuffer {
  return {
    byteLength: size,
    async slice(start: number, end?: number): Promise<ArrayBuffer> {
      const stop = Math.min(end ?? size, size);
      const bytes = new Uint8Array(Math.max(0, stop - start));
      let done = 0;
      while (done < bytes.length) {
        const { bytesRead } = await handle.read(bytes, done, bytes.length - done, start + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return bytes.buffer;
    },
  };
}

function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  return value;
}

/**
 * The text of a Parquet value as the validator reads it: strings as they
 * are, integers (also 64-bit) in decimals, other numbers in plain decimals
 * (never with an exponent), timestamps in ISO 8601 UTC, booleans as `true`
 * or `false`, nested values (a struct, map or list such as `tags`) as JSON;
 * `null` is an unknown value (empty).
 */
export function parquetValueText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number': {
      const text = String(value);
      return text.includes('e') ? expandExponent(text) : text;
    }
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return '';
    default:
      if (value === null) return '';
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
      if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
      return JSON.stringify(value, jsonReplacer);
  }
}

/**
 * Reads a Parquet call log one row group at a time (with hyparquet), so
 * that memory holds one row group whatever the file size. The top-level
 * columns are the header: found by name like a CSV header's
 * ({@link layoutFromHeader}). Each row is validated like a CSV row; its
 * "line" in rejections is its row number (1 for the first row), and its raw
 * text is its values as a CSV line. The public surface is
 * {@link CallLogParser}'s, with {@link groups} in place of `push`.
 */
export class ParquetLogReader {
  readonly layout: HeaderLayout;
  private readonly rows: ValidatedRows;
  private readonly width: number;
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;

  private constructor(
    readonly source: string,
    private readonly handle: FileHandle,
    private readonly file: AsyncBuffer,
    private readonly metadata: FileMetaData,
    private readonly names: string[],
    options: CallLogParserOptions,
  ) {
    this.layout = layoutFromHeader(names, source, options.mapping);
    this.rows = new ValidatedRows(this.layout, options, source);
    this.width = names.length;
    this.starts = new Int32Array(this.width);
    this.ends = new Int32Array(this.width);
  }

  /**
   * Opens a Parquet file and reads its footer. With `columns: true` only the
   * record's columns are read (others could only go to `record.extra`).
   * Throws a {@link CallLogSourceError} (`corrupt_container`) for a file
   * hyparquet cannot read, and a {@link CsvHeaderError} when a required
   * column is missing.
   */
  static async open(path: string, options: CallLogParserOptions = {}): Promise<ParquetLogReader> {
    const { parquetMetadataAsync, parquetSchema } = await import('hyparquet');
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      const file = fileBuffer(handle, size);
      let metadata: FileMetaData;
      try {
        metadata = await parquetMetadataAsync(file);
      } catch (error) {
        throw new CallLogSourceError(
          'corrupt_container',
          path,
          `the Parquet file cannot be read: ${messageOf(error)}`,
        );
      }
      const known = new Set<string>(CSV_COLUMNS);
      const names = parquetSchema(metadata)
        .children.map((child) => child.element.name)
        .filter((name) => !options.columns || known.has(name.trim().toLowerCase()));
      return new ParquetLogReader(options.source ?? path, handle, file, metadata, names, options);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** Running counts of this reader's rows. */
  get tally(): ReadTally {
    return this.rows.tally;
  }

  /** Number of records (or calls in columns) waiting to be taken. */
  get queuedRecords(): number {
    return this.rows.queued;
  }

  /** Takes the records and rejections queued since the last call. */
  take(): { records: CallRecord[]; rejections: Rejection[] } {
    return this.rows.take();
  }

  /** With `columns: true`: takes the calls kept since the last call, in columns. */
  takeColumns(): { columns: CallColumns; rejections: Rejection[]; values: readonly (readonly string[])[] } {
    return this.rows.takeColumns();
  }

  /**
   * Reads the row groups one by one, validating their rows; yields after
   * every `rowsPerStep` rows and at the end of each group the bytes of the
   * file read since the last yield (the last yield brings the total to the
   * file's size). Closes the file at the end.
   */
  async *groups(rowsPerStep = Number.POSITIVE_INFINITY): AsyncGenerator<number> {
    const { parquetRead } = await import('hyparquet');
    const positionOf = new Map(this.names.map((name, position) => [name, position]));
    let rowStart = 0;
    let bytes = 0;
    try {
      for (const group of this.metadata.row_groups) {
        const rowCount = Number(group.num_rows);
        // The group's values column by column (no array per row), placed by row.
        const columns: unknown[][] = this.names.map(() => new Array<unknown>(rowCount));
        try {
          await parquetRead({
            file: this.file,
            metadata: this.metadata,
            columns: this.names,
            rowStart,
            rowEnd: rowStart + rowCount,
            compressors: COMPRESSORS,
            onChunk: ({ columnName, columnData, rowStart: chunkStart }) => {
              const target = columns[positionOf.get(columnName) ?? -1];
              if (target === undefined) return;
              const offset = chunkStart - rowStart;
              for (let index = 0; index < columnData.length; index++) {
                const at = offset + index;
                if (at >= 0 && at < rowCount) target[at] = columnData[index];
              }
            },
          });
        } catch (error) {
          throw new CallLogSourceError(
            'corrupt_container',
            this.source,
            `row group ${group.ordinal ?? this.metadata.row_groups.indexOf(group)} cannot be read: ${messageOf(error)}`,
          );
        }
        for (let row = 0; row < rowCount; row++) {
          this.addRow(columns, row, rowStart + row + 1);
          if ((row + 1) % rowsPerStep === 0 && row + 1 < rowCount) yield 0;
        }
        rowStart += rowCount;
        const groupBytes = group.columns.reduce(
          (sum, column) => sum + Number(column.meta_data?.total_compressed_size ?? 0n),
          0,
        );
        bytes += groupBytes;
        this.rows.tally.bytesRead += groupBytes;
        yield groupBytes;
      }
      const rest = Math.max(0, this.file.byteLength - bytes);
      this.rows.tally.bytesRead += rest;
      yield rest;
    } finally {
      await this.handle.close();
    }
  }

  /** Closes the file without reading on (when a read stops early). */
  async close(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }

  private addRow(columns: readonly unknown[][], row: number, line: number): void {
    let text = '';
    const starts = this.starts;
    const ends = this.ends;
    for (let column = 0; column < this.width; column++) {
      starts[column] = text.length;
      text += parquetValueText((columns[column] as unknown[])[row]);
      ends[column] = text.length;
    }
    if (!this.rows.add(text, starts, ends, this.width, line)) {
      const fields: string[] = [];
      for (let column = 0; column < this.width; column++)
        fields.push(text.slice(starts[column], ends[column]));
      this.rows.rejectLast(formatCsvLine(fields).replace(/\r?\n$/, ''));
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
