/**
 * The call log a collector appends to. Every append is written and flushed
 * to the disk (`fdatasync`) before it resolves, so a batch that was
 * acknowledged survives a crash. Appends run one at a time; the spans
 * already in the log (by trace and span id) are remembered, so a batch that
 * a client sends again after a lost answer adds nothing.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { CallIdSet, callIdFingerprint, FinopsError, formatCsvLine } from '@finops/schema';
import { IMPORT_COLUMNS, type ImportRow } from '../columns';
import { csvRows } from '../input/csv';
import { rowCells } from '../write';

/** A log the collector cannot append to, with a stable code. */
export class CollectLogError extends FinopsError {
  constructor(
    code: 'log_layout' | 'log_unwritable',
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, `${path}: ${message}`, options);
    this.name = 'CollectLogError';
  }
}

/** The key a span is known by: trace id and span id (the row's `trace_id` and `call_id`). */
export function spanKey(row: ImportRow): string | undefined {
  const callId = row.call_id;
  if (callId === undefined || callId === '') return undefined;
  return `${row.trace_id ?? ''}:${callId}`;
}

const HEADER = formatCsvLine(IMPORT_COLUMNS);
/** How far back from the end a torn last line is looked for, at most. */
const TAIL_WINDOW = 1 << 20;

/** What an append did. */
export interface AppendResult {
  /** Rows written (new spans). */
  written: ImportRow[];
  /** Rows left out: their span is already in the log. */
  duplicates: number;
  bytes: number;
}

/** What opening the log found. */
export interface OpenedLog {
  /** Rows already in the log. */
  rows: number;
  /** Bytes of a torn last line removed (a write that was never acknowledged). */
  tornBytesRemoved: number;
  created: boolean;
}

/** A CSV call log with the record-v2 columns, appended to durably. */
export class CollectedLog {
  private queue: Promise<unknown> = Promise.resolve();
  private failure: Error | undefined;

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    private readonly seen: CallIdSet,
    private size: number,
    /** What opening found. */
    readonly opened: OpenedLog,
  ) {}

  /**
   * Opens (or creates, with its header) the log at `path`. An existing log
   * must have the record-v2 header; a torn last line (from a crash during a
   * write, so never acknowledged) is cut off; the spans already written are
   * remembered.
   */
  static async open(path: string): Promise<CollectedLog> {
    let handle: FileHandle;
    try {
      handle = await open(path, 'a+');
    } catch (error) {
      throw new CollectLogError(
        'log_unwritable',
        path,
        `cannot open it for appending (${(error as Error).message})`,
        {
          cause: error,
        },
      );
    }
    try {
      let size = (await handle.stat()).size;
      const created = size === 0;
      let tornBytesRemoved = 0;
      const seen = new CallIdSet();
      let rows = 0;
      if (created) {
        await handle.appendFile(HEADER);
        await handle.sync();
        size = Buffer.byteLength(HEADER);
      } else {
        await checkHeader(handle, path);
        const complete = await endOfLastLine(handle, size);
        if (complete < size) {
          await handle.truncate(complete);
          await handle.sync();
          tornBytesRemoved = size - complete;
          size = complete;
        }
        rows = await rememberSpans(path, seen);
      }
      return new CollectedLog(path, handle, seen, size, { rows, tornBytesRemoved, created });
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** Bytes in the log. */
  get bytes(): number {
    return this.size;
  }

  /** Spans known to be in the log. */
  get spansKnown(): number {
    return this.seen.size;
  }

  /**
   * Appends the rows whose span is not in the log yet, and resolves once
   * they are on the disk. A failed write is cut back off the file and
   * rejects; if even that fails, every later append rejects too.
   */
  append(rows: readonly ImportRow[]): Promise<AppendResult> {
    const work = this.queue.then(() => this.appendNow(rows));
    this.queue = work.catch(() => undefined);
    return work;
  }

  private async appendNow(rows: readonly ImportRow[]): Promise<AppendResult> {
    if (this.failure) throw this.failure;
    const written: ImportRow[] = [];
    const keys: string[] = [];
    const batchKeys = new Set<string>();
    let text = '';
    for (const row of rows) {
      const key = spanKey(row);
      if (key !== undefined) {
        if (this.knows(key) || batchKeys.has(key)) continue;
        batchKeys.add(key);
        keys.push(key);
      }
      written.push(row);
      text += formatCsvLine(rowCells(row));
    }
    const data = Buffer.from(text);
    if (data.length > 0) {
      try {
        await this.handle.appendFile(data);
        await this.handle.datasync();
      } catch (error) {
        await this.cutBack(error as Error);
        throw new CollectLogError(
          'log_unwritable',
          this.path,
          `cannot append (${(error as Error).message})`,
          {
            cause: error,
          },
        );
      }
      this.size += data.length;
      for (const key of keys) this.seen.add(key);
    }
    return { written, duplicates: rows.length - written.length, bytes: data.length };
  }

  private readonly fingerprint = new Uint32Array(2);

  private knows(key: string): boolean {
    callIdFingerprint(key, this.fingerprint);
    return this.seen.hasFingerprint(this.fingerprint[0] as number, this.fingerprint[1] as number);
  }

  private async cutBack(cause: Error): Promise<void> {
    try {
      await this.handle.truncate(this.size);
      await this.handle.datasync();
    } catch (error) {
      this.failure = new CollectLogError(
        'log_unwritable',
        this.path,
        `a failed append (${cause.message}) could not be cut off (${(error as Error).message}); restart the collector`,
        { cause: error },
      );
    }
  }

  /** Waits for the appends under way and closes the file. */
  async close(): Promise<void> {
    await this.queue;
    await this.handle.close();
  }
}

async function checkHeader(handle: FileHandle, path: string): Promise<void> {
  const buffer = Buffer.alloc(HEADER.length + 1);
  const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
  const text = buffer.subarray(0, bytesRead).toString('utf8');
  const firstLine = text.split('\n')[0] ?? '';
  if (`${firstLine.replace(/\r$/, '')}\n` !== HEADER) {
    throw new CollectLogError(
      'log_layout',
      path,
      `its header is not the record-v2 columns that finops collect appends (${firstLine.slice(0, 80)}…); give a new file or one written by finops collect or finops import`,
    );
  }
}

/** The offset just past the last newline (the end of the last complete line). */
async function endOfLastLine(handle: FileHandle, size: number): Promise<number> {
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - TAIL_WINDOW);
    const buffer = Buffer.alloc(end - start);
    await handle.read(buffer, 0, buffer.length, start);
    const newline = buffer.lastIndexOf(0x0a);
    if (newline >= 0) return start + newline + 1;
    end = start;
  }
  return 0;
}

async function rememberSpans(path: string, seen: CallIdSet): Promise<number> {
  let rows = 0;
  for await (const item of csvRows(path)) {
    if ('problem' in item) continue;
    rows++;
    const key = spanKey(item.row as ImportRow);
    if (key !== undefined) seen.add(key);
  }
  return rows;
}
