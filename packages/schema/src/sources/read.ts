import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { CallIdSet } from '../call-id-set';
import type { CallColumns } from '../columns';
import { CallLogParser, type CallLogParserOptions } from '../csv/parser';
import { QuarantineWriter } from '../csv/quarantine';
import type { CallLogBatch, ReadCallLogOptions } from '../csv/reader';
import { copyTally, emptyTally, mergeTally, type ReadTally, type Rejection } from '../quality';
import type { CallRecord } from '../record';
import { CsvHeaderError, type HeaderLayout } from '../validate';
import { CallLogSourceError } from './container';
import { listCallLogFiles, type LogFile } from './files';
import { JsonLinesParser } from './json-lines';
import { ParquetLogReader } from './parquet';

/** Options of {@link streamCallLogFiles}. */
export interface StreamCallLogOptions extends Omit<CallLogParserOptions, 'layout' | 'firstLine' | 'source'> {
  /** Rows (records and rejections) per slice in records mode (8,192 by default); with `columns`, a slice per chunk read. */
  batchSize?: number;
  /** Bytes per read from a file; 1 MiB by default. */
  chunkBytes?: number;
}

/** One step of {@link streamCallLogFiles}: what was read from one file since the previous step. */
export interface CallLogSlice {
  /** The file these rows come from. */
  file: string;
  /** Position of that file in the log (0 for the first). A new file has its own dimension tables. */
  fileIndex: number;
  /** Records kept (empty with `columns`). */
  records: CallRecord[];
  /** With `columns`: the calls kept, valid until the next-but-one slice. */
  columns?: CallColumns;
  /** With `columns`: the tables the dimension ids of {@link columns} refer to (this file's). */
  values?: readonly (readonly string[])[];
  /** Rows rejected; for a log of several files the message starts with the file's path. */
  rejections: Rejection[];
  /** Bytes of the log's files read since the previous slice (compressed bytes for gzip). */
  bytes: number;
  /** Counts over the whole log so far (a copy). */
  tally: ReadTally;
  /** Where the schema's columns sit in this file's rows. */
  layout: HeaderLayout;
}

/** Rows of a Parquet row group handed over at a time in column batches. */
const COLUMN_STEP_ROWS = 16_384;

/** What reads one file: a CSV or JSON Lines push parser fed with the (gunzipped) bytes, or a Parquet reader. */
type FileParser = CallLogParser | JsonLinesParser | ParquetLogReader;

/** A gzip failure as an error naming the file; other errors as they are. */
function sourceError(file: LogFile, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (file.format.gzip && typeof code === 'string' && code.startsWith('Z_'))
    return new CallLogSourceError(
      'corrupt_container',
      file.path,
      `the gzip data is corrupt or truncated (${(error as Error).message})`,
    );
  return error;
}

/** Feeds one text file (gunzipped on the way when it is gzip) to a push parser; yields the file bytes read per chunk. */
async function* feedText(
  file: LogFile,
  parser: CallLogParser | JsonLinesParser,
  chunkBytes: number,
): AsyncGenerator<number> {
  const stream = createReadStream(file.path, { highWaterMark: chunkBytes });
  if (!file.format.gzip) {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      parser.push(chunk);
      yield chunk.length;
    }
    return;
  }
  let compressed = 0;
  stream.on('data', (chunk: Buffer | string) => (compressed += chunk.length));
  const gunzip = createGunzip({ chunkSize: chunkBytes });
  stream.on('error', (error) => gunzip.destroy(error));
  stream.pipe(gunzip);
  let reported = 0;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      parser.push(chunk);
      yield compressed - reported;
      reported = compressed;
    }
  } catch (error) {
    throw sourceError(file, error);
  } finally {
    stream.destroy();
  }
  yield compressed - reported;
}

function parserFor(
  file: LogFile,
  options: StreamCallLogOptions,
  callIds: CallIdSet | undefined,
): FileParser | Promise<FileParser> {
  const parserOptions: CallLogParserOptions = { ...options, source: file.path, callIds };
  switch (file.format.container) {
    case 'csv':
      return new CallLogParser(parserOptions);
    case 'json-lines':
      return new JsonLinesParser(parserOptions);
    case 'parquet':
      return ParquetLogReader.open(file.path, parserOptions);
  }
}

/**
 * Streams a call log given as a file of any container (`.csv`, `.csv.gz`,
 * `.jsonl`/`.ndjson` and their `.gz`, `.parquet`), a folder or a pattern
 * ({@link listCallLogFiles}) as one log: files in name order, each with its
 * own header (CSV) and its own line numbers, one call-id set across all of
 * them (a call id kept in an earlier file makes a later row a duplicate).
 * Memory stays flat: one chunk (or one Parquet row group) and one slice at
 * a time.
 *
 * @example
 * ```ts
 * for await (const slice of streamCallLogFiles('exports/')) {
 *   for (const record of slice.records) total += record.costMicros;
 * }
 * ```
 */
export async function* streamCallLogFiles(
  input: string | readonly LogFile[],
  options: StreamCallLogOptions = {},
): AsyncGenerator<CallLogSlice> {
  const files = typeof input === 'string' ? await listCallLogFiles(input) : input;
  const callIds = options.dedupe === false ? undefined : (options.callIds ?? new CallIdSet());
  const batchSize = options.batchSize ?? 8192;
  const chunkBytes = options.chunkBytes ?? 1 << 20;
  const done = emptyTally();
  const named = files.length > 1;
  for (let fileIndex = 0; fileIndex < files.length; fileIndex++) {
    const file = files[fileIndex] as LogFile;
    const parser = await parserFor(file, options, callIds);
    let bytes = 0;
    // Records mode: what the parser queued, taken after every chunk so that rejected rows count towards a batch too.
    let pendingRecords: CallRecord[][] = [];
    let pendingRejections: Rejection[][] = [];
    let pending = 0;
    const collect = (): number => {
      if (options.columns) return 0;
      const taken = parser.take();
      if (taken.records.length > 0) pendingRecords.push(taken.records);
      if (taken.rejections.length > 0) pendingRejections.push(taken.rejections);
      pending += taken.records.length + taken.rejections.length;
      return pending;
    };
    const slice = (): CallLogSlice => {
      const layout = parser.layout as HeaderLayout;
      let records: CallRecord[] = [];
      let rejections: Rejection[];
      let columns: CallColumns | undefined;
      let values: readonly (readonly string[])[] | undefined;
      if (options.columns) ({ columns, values, rejections } = parser.takeColumns());
      else {
        collect();
        records = pendingRecords.length === 1 ? (pendingRecords[0] as CallRecord[]) : pendingRecords.flat();
        rejections =
          pendingRejections.length === 1 ? (pendingRejections[0] as Rejection[]) : pendingRejections.flat();
        pendingRecords = [];
        pendingRejections = [];
        pending = 0;
      }
      if (named)
        rejections = rejections.map((rejection) => ({
          ...rejection,
          message: `${file.path}: ${rejection.message}`,
        }));
      const taken: CallLogSlice = {
        file: file.path,
        fileIndex,
        records,
        rejections,
        bytes,
        tally: mergeTally(copyTally(done), parser.tally),
        layout,
      };
      if (columns) {
        taken.columns = columns;
        taken.values = values;
      }
      bytes = 0;
      return taken;
    };
    if (parser instanceof ParquetLogReader) {
      for await (const read of parser.groups(options.columns ? COLUMN_STEP_ROWS : batchSize)) {
        bytes += read;
        yield slice();
      }
    } else {
      for await (const read of feedText(file, parser, chunkBytes)) {
        bytes += read;
        if (options.columns || collect() >= batchSize) {
          if (parser.layout !== undefined) yield slice();
        }
      }
      parser.end();
      if (parser.layout === undefined)
        throw new CsvHeaderError(file.path, [], [], `${file.path}: the file is empty (no header row)`);
      yield slice();
    }
    mergeTally(done, parser.tally);
  }
}

/**
 * {@link readCallLog} for a log of any container, folder or pattern: the
 * records in batches, with the running tally of the whole log, rejected
 * rows to the quarantine file (one for the whole log) when asked.
 */
export async function* readCallLogFiles(
  input: string | readonly LogFile[],
  options: ReadCallLogOptions = {},
): AsyncGenerator<CallLogBatch> {
  const { quarantine: target, source: _source, layout: _layout, firstLine: _firstLine, ...rest } = options;
  const quarantine = typeof target === 'string' ? await QuarantineWriter.open(target) : target;
  const ownsQuarantine = typeof target === 'string';
  let finished = false;
  try {
    for await (const slice of streamCallLogFiles(input, { ...rest, columns: false })) {
      if (quarantine) await quarantine.write(slice.rejections);
      yield {
        records: slice.records,
        rejections: slice.rejections,
        tally: slice.tally,
        layout: slice.layout,
      };
    }
    finished = true;
  } finally {
    if (ownsQuarantine && quarantine) {
      if (finished) await quarantine.commit();
      else await quarantine.abort();
    }
  }
}
