import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { CallIdSet } from '../call-id-set';
import { copyTally, emptyTally, mergeTally, type ReadTally, type Rejection } from '../quality';
import type { CallRecord } from '../record';
import { CsvHeaderError, type HeaderLayout } from '../validate';
import { CallLogParser, type CallLogParserOptions } from './parser';
import { QuarantineWriter } from './quarantine';
import { isPlainCsvFile } from '../sources/files';
import { readCallLogFiles } from '../sources/read';

/** Where a call log comes from: a file path, or a stream or iterable of bytes or text. */
export type CallLogInput = string | AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

/** Options of {@link readCallLog}. */
export interface ReadCallLogOptions extends CallLogParserOptions {
  /** Records per batch (the last batch may be smaller); 8,192 by default. */
  batchSize?: number;
  /** Write every rejected row to this file (see {@link QuarantineWriter}), or to this writer. */
  quarantine?: string | QuarantineWriter;
  /** Bytes per read from a file; 1 MiB by default. */
  chunkBytes?: number;
}

/** One batch of a read: the records validated, the rows rejected, and the running tally. */
export interface CallLogBatch {
  records: CallRecord[];
  rejections: Rejection[];
  /** Counts of the whole read so far (a copy). */
  tally: ReadTally;
  /** Where the schema's columns sit in the file. */
  layout: HeaderLayout;
}

async function* chunksOf(input: CallLogInput, chunkBytes: number): AsyncGenerator<Uint8Array | string> {
  if (typeof input === 'string') {
    yield* createReadStream(input, { highWaterMark: chunkBytes }) as AsyncIterable<Buffer>;
  } else {
    yield* input;
  }
}

/**
 * Streams a call log as validated records in batches, with a running tally
 * of rows read, kept, warned and rejected by reason. Memory stays flat
 * whatever the file size: only one chunk and one batch are held at a time.
 * A path may also name a `.csv.gz`, JSON Lines or Parquet file, a folder or
 * a pattern of such files, read as one log ({@link readCallLogFiles}).
 *
 * @example
 * ```ts
 * for await (const batch of readCallLog('calls.csv', { quarantine: 'rejected.csv' })) {
 *   for (const record of batch.records) total += record.costMicros;
 * }
 * ```
 */
export async function* readCallLog(
  input: CallLogInput,
  options: ReadCallLogOptions = {},
): AsyncGenerator<CallLogBatch> {
  if (typeof input === 'string' && !(await isPlainCsvFile(input))) {
    yield* readCallLogFiles(input, options);
    return;
  }
  const source = options.source ?? (typeof input === 'string' ? input : 'input');
  const parser = new CallLogParser({ ...options, source });
  const batchSize = options.batchSize ?? 8192;
  const quarantine =
    typeof options.quarantine === 'string'
      ? await QuarantineWriter.open(options.quarantine)
      : options.quarantine;
  const ownsQuarantine = typeof options.quarantine === 'string';
  let finished = false;
  try {
    const emit = async (): Promise<CallLogBatch> => {
      const { records, rejections } = parser.take();
      if (quarantine) await quarantine.write(rejections);
      return { records, rejections, tally: copyTally(parser.tally), layout: parser.layout as HeaderLayout };
    };
    for await (const chunk of chunksOf(input, options.chunkBytes ?? 1 << 20)) {
      parser.push(chunk);
      if (parser.queuedRecords >= batchSize) yield await emit();
    }
    parser.end();
    if (parser.layout === undefined)
      throw new CsvHeaderError(source, [], [], `${source}: the file is empty (no header row)`);
    yield await emit();
    finished = true;
  } finally {
    if (ownsQuarantine && quarantine) {
      if (finished) await quarantine.commit();
      else await quarantine.abort();
    }
  }
}

/** Reads a whole call log and returns only its final tally (e.g. to validate a file). */
export async function tallyCallLog(
  input: CallLogInput,
  options: ReadCallLogOptions = {},
): Promise<ReadTally> {
  let tally: ReadTally | undefined;
  for await (const batch of readCallLog(input, options)) tally = batch.tally;
  return tally as ReadTally;
}

/** Options of {@link readCallLogFrom}. */
export interface ReadFromOffsetOptions extends CallLogParserOptions {
  /** Byte offset to start at: 0, or a value returned by an earlier read. */
  offset: number;
  /** Bytes per read; 1 MiB by default. */
  chunkBytes?: number;
  /** Called with each batch of records as it is read (otherwise all are returned together). */
  onRecords?: (records: CallRecord[], rejections: Rejection[]) => void;
}

/** What {@link readCallLogFrom} read. */
export interface OffsetReadResult {
  /** Records read (empty when `onRecords` was given). */
  records: CallRecord[];
  rejections: Rejection[];
  /** Counts of this read only. */
  tally: ReadTally;
  /** The header layout (read from the file when starting at offset 0). */
  layout: HeaderLayout | undefined;
  /** Offset just past the last complete line read: where the next read starts. */
  nextOffset: number;
  /** Line number of the line at `nextOffset`. */
  nextLine: number;
  /** Bytes read from the file by this call (including an unfinished last line). */
  bytesRead: number;
}

/**
 * Reads a call log from a byte offset up to its last complete line — never
 * a half-written row — and returns the new offset. For files that grow: read
 * from 0 first (which reads the header), then from each returned
 * `nextOffset` with the returned `layout`, `nextLine` and a shared
 * {@link CallIdSet} in `callIds`.
 */
export async function readCallLogFrom(
  path: string,
  options: ReadFromOffsetOptions,
): Promise<OffsetReadResult> {
  const parser = new CallLogParser({ ...options, source: options.source ?? path });
  const handle = await open(path, 'r');
  const records: CallRecord[] = [];
  const rejections: Rejection[] = [];
  let bytesRead = 0;
  try {
    const { size } = await handle.stat();
    const chunkBytes = options.chunkBytes ?? 1 << 20;
    const buffer = Buffer.allocUnsafe(chunkBytes);
    let position = options.offset;
    while (position < size) {
      const { bytesRead: count } = await handle.read(
        buffer,
        0,
        Math.min(chunkBytes, size - position),
        position,
      );
      if (count === 0) break;
      position += count;
      bytesRead += count;
      parser.push(buffer.subarray(0, count));
      const taken = parser.take();
      if (options.onRecords) options.onRecords(taken.records, taken.rejections);
      else {
        for (const record of taken.records) records.push(record);
        for (const rejection of taken.rejections) rejections.push(rejection);
      }
    }
  } finally {
    await handle.close();
  }
  return {
    records,
    rejections,
    tally: parser.tally,
    layout: parser.layout,
    nextOffset: options.offset + parser.consumedBytes,
    nextLine: parser.nextLine,
    bytesRead,
  };
}

/** What one {@link CallLogTail.poll} found. */
export interface TailUpdate {
  /** `append`: new complete lines were read; `reset`: the file was replaced or shrank and was read again from the start; `none`: nothing new. */
  kind: 'append' | 'reset' | 'none';
  records: CallRecord[];
  rejections: Rejection[];
  /** Bytes read from the file by this poll. */
  bytesRead: number;
}

/**
 * Follows a growing call log: each {@link poll} reads only the complete lines
 * added since the last one. A file that shrinks, is replaced (another inode)
 * or was rewritten in place (the last line read is no longer where it was)
 * is read again from the start, and the update says so. `bytesRead` counts
 * the log's data; the continuity check reads the last line again (at most
 * {@link TAIL_ANCHOR_BYTES}).
 */
export class CallLogTail {
  /** Offset of the first byte not read yet. */
  offset = 0;
  /** Counts over everything read since the last reset. */
  tally: ReadTally | undefined;
  private layout: HeaderLayout | undefined;
  private line = 1;
  private inode = -1;
  private callIds = new CallIdSet();
  // The last line read (at most TAIL_ANCHOR_BYTES): a file rewritten in place under the same inode and
  // regrown past the offset between two polls no longer holds it there, and is read again from the start.
  private anchor: Buffer = Buffer.alloc(0);

  constructor(
    readonly path: string,
    private readonly options: Omit<CallLogParserOptions, 'layout' | 'firstLine' | 'callIds'> = {},
  ) {}

  private async anchorStillThere(): Promise<boolean> {
    if (this.anchor.length === 0) return true;
    const handle = await open(this.path, 'r');
    try {
      const bytes = Buffer.alloc(this.anchor.length);
      const { bytesRead } = await handle.read(bytes, 0, bytes.length, this.offset - bytes.length);
      return bytesRead === bytes.length && bytes.equals(this.anchor);
    } finally {
      await handle.close();
    }
  }

  private async takeAnchor(): Promise<void> {
    const length = Math.min(TAIL_ANCHOR_BYTES, this.offset);
    const handle = await open(this.path, 'r');
    try {
      const bytes = Buffer.alloc(length);
      const { bytesRead } = await handle.read(bytes, 0, length, this.offset - length);
      // From just after the line break before the last line (the whole block when there is none).
      const lineStart = bytes.lastIndexOf(10, bytesRead - 2) + 1;
      this.anchor = bytes.subarray(lineStart, bytesRead);
    } finally {
      await handle.close();
    }
  }

  /** Reads what was appended since the last poll. */
  async poll(): Promise<TailUpdate> {
    let kind: TailUpdate['kind'] = 'append';
    const info = await stat(this.path);
    if (info.ino !== this.inode || info.size < this.offset || !(await this.anchorStillThere())) {
      if (this.inode !== -1) kind = 'reset';
      this.inode = info.ino;
      this.offset = 0;
      this.anchor = Buffer.alloc(0);
      this.layout = undefined;
      this.line = 1;
      this.callIds = new CallIdSet();
      this.tally = undefined;
    }
    if (info.size === this.offset)
      return { kind: kind === 'reset' ? 'reset' : 'none', records: [], rejections: [], bytesRead: 0 };
    const result = await readCallLogFrom(this.path, {
      ...this.options,
      offset: this.offset,
      layout: this.layout,
      firstLine: this.line,
      callIds: this.callIds,
    });
    const advanced = result.nextOffset !== this.offset;
    this.offset = result.nextOffset;
    this.layout = result.layout;
    this.line = result.nextLine;
    this.tally = mergeTally(this.tally ?? emptyTally(), result.tally);
    if (advanced) await this.takeAnchor();
    const nothing = result.records.length === 0 && result.rejections.length === 0;
    return {
      kind: kind === 'reset' ? 'reset' : nothing ? 'none' : 'append',
      records: result.records,
      rejections: result.rejections,
      bytesRead: result.bytesRead,
    };
  }
}

/** Most bytes of the last line read that {@link CallLogTail} checks are unchanged before reading on. */
export const TAIL_ANCHOR_BYTES = 4096;
