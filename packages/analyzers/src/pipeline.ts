/**
 * Two threads over one plain CSV file without splitting it: a reading
 * thread parses and validates the rows into column batches, reading the
 * file exactly as one thread does, and the calling thread groups the batches
 * as they come, in the file's order, as it groups what it reads itself in
 * one thread. The results are the same to the byte and nothing is merged
 * at the end: the second core takes the reading (on the benchmark's log,
 * about half of a one-thread read before the finish) without the cost of
 * combining two states, which is what makes a second thread pay on a file
 * too small to be split.
 */
import { Worker } from 'node:worker_threads';
import {
  type CatalogData,
  CALL_ROW_COLUMNS,
  CallColumns,
  CallLogParser,
  type ColumnMapping,
  CsvHeaderError,
  DIMENSION_COUNT,
  FinopsError,
  type ReadTally,
  type Rejection,
  type SerializedError,
  deserializeError,
  parseCatalog,
  serializeError,
} from '@finops/schema';
import { readRange } from './range';

/** The work of a reading thread: the whole of a plain CSV file, read as one thread reads it. */
export interface ParseTask {
  kind: 'parse';
  path: string;
  /** Name of the input in messages (the analyzer's `source`). */
  source: string;
  /** Bytes to read (the file's size when the read began). */
  size: number;
  catalog: CatalogData;
  /** The log's own names of our columns (see `CallLogParser`'s `mapping`). */
  mapping?: ColumnMapping;
  /** Give the batches the trace and session ids (see `CallLogParser`'s `sessionColumns`). */
  sessionColumns: boolean;
  /** File chunks per batch ({@link CHUNKS_PER_BATCH} by default). */
  chunksPerBatch?: number;
  /** Batches the reader may be ahead ({@link BATCHES_AHEAD} by default). */
  batchesAhead?: number;
}

/** Whether a worker's task is a {@link ParseTask} (else a part of a split file). */
export function isParseTask(task: unknown): task is ParseTask {
  return (task as { kind?: unknown } | null)?.kind === 'parse';
}

/** The columns of one batch as they cross threads: the filled part of each column, moved, not copied. */
type ColumnBatch = Pick<CallColumns, 'length' | 'ids' | (typeof CALL_ROW_COLUMNS)[number]>;

/** What the reading thread posts. */
type ParseMessage =
  | {
      type: 'batch';
      columns: ColumnBatch;
      /** Per dimension, the values first seen in this batch (they extend the tables the ids refer to). */
      values: string[][];
      rejections: Rejection[];
      /**
       * Bytes of the file counted since the last batch (a chunk's bytes are
       * counted once its rows are taken, so they come with the next batch).
       */
      bytes: number;
    }
  | {
      type: 'done';
      tally: ReadTally;
      /** Whether a header was read (an empty file has none). */
      header: boolean;
    }
  | {
      type: 'error';
      error: SerializedError;
      /** The fields of a {@link CsvHeaderError}, to throw the same error in the calling thread. */
      header?: { source: string; missing: string[]; found: string[] };
    };

/** The port a reading thread talks through (the worker's `parentPort`). */
export interface ParsePort {
  postMessage(message: unknown, transfer?: readonly ArrayBuffer[]): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
}

/**
 * File chunks (of `READ_CHUNK_BYTES`, 256 KiB) per batch: about 4,000 rows
 * of a typical log. Fewer, larger batches cost fewer messages; smaller ones
 * let the calling thread start sooner and finish sooner after the reader.
 */
const CHUNKS_PER_BATCH = 4;

/**
 * Batches the reader may post before the calling thread has grouped them:
 * the columns waiting in between (a few MB) stay bounded however far the
 * reader runs ahead.
 */
const BATCHES_AHEAD = 8;

/** The filled part of each column of `columns`, copied (the parser reuses its columns). */
function batchOf(columns: CallColumns): ColumnBatch {
  const rows = columns.length;
  const batch = { length: rows, ids: columns.ids.slice(0, rows * DIMENSION_COUNT) } as ColumnBatch;
  for (const name of CALL_ROW_COLUMNS)
    (batch[name] as CallColumns[typeof name]) = columns[name].slice(0, rows);
  return batch;
}

/** The buffers of a batch, to move with its message. */
function buffersOf(batch: ColumnBatch): ArrayBuffer[] {
  return [batch.ids, ...CALL_ROW_COLUMNS.map((name) => batch[name])].map(
    (column) => column.buffer as ArrayBuffer,
  );
}

/** A batch as {@link CallColumns} again, on the calling thread. */
function columnsOf(batch: ColumnBatch): CallColumns {
  return Object.assign(new CallColumns(0), batch);
}

/**
 * The reading thread's side: parses `task`'s rows and posts them to `port`
 * in batches, at most {@link BATCHES_AHEAD} ahead of the calling thread
 * (which answers each batch it has grouped with a `credit`), then posts the
 * parser's counts. An error is posted as data with its code.
 */
export async function parseForPipeline(task: ParseTask, port: ParsePort): Promise<void> {
  const chunksPerBatch = task.chunksPerBatch ?? CHUNKS_PER_BATCH;
  let credits = task.batchesAhead ?? BATCHES_AHEAD;
  let waiting: (() => void) | undefined;
  port.on('message', (message) => {
    if ((message as { type?: string }).type !== 'credit') return;
    credits++;
    const wake = waiting;
    waiting = undefined;
    wake?.();
  });
  const credit = async (): Promise<void> => {
    while (credits === 0) await new Promise<void>((resolve) => (waiting = resolve));
    credits--;
  };
  try {
    // The parser and the chunks of a read in one thread: the same header handling, the same rows.
    const parser = new CallLogParser({
      catalog: parseCatalog(task.catalog),
      source: task.source,
      columns: true,
      sessionColumns: task.sessionColumns,
      mapping: task.mapping,
    });
    const sent = new Array<number>(DIMENSION_COUNT).fill(0);
    let bytes = 0;
    let chunks = 0;
    const post = async (): Promise<void> => {
      const { columns, values, rejections } = parser.takeColumns();
      if (columns.length === 0 && rejections.length === 0 && bytes === 0) return;
      const batch = batchOf(columns);
      const fresh = values.map((list, dimension) => {
        const from = sent[dimension] as number;
        sent[dimension] = list.length;
        return list.slice(from);
      });
      await credit();
      const message: ParseMessage = { type: 'batch', columns: batch, values: fresh, rejections, bytes };
      port.postMessage(message, buffersOf(batch));
      bytes = 0;
    };
    await readRange(
      task.path,
      0,
      task.size,
      parser,
      async () => {
        chunks++;
        if (chunks % chunksPerBatch === 0) await post();
      },
      (read) => (bytes += read),
      false,
    );
    await post();
    const done: ParseMessage = { type: 'done', tally: parser.tally, header: parser.layout !== undefined };
    port.postMessage(done);
  } catch (error) {
    const failed: ParseMessage = { type: 'error', error: serializeError(error) };
    if (error instanceof CsvHeaderError)
      failed.header = { source: error.source, missing: [...error.missing], found: [...error.found] };
    port.postMessage(failed);
  }
}

/** What the calling thread does with each batch, in the file's order (the tables grow as batches come). */
export type BatchHandler = (
  columns: CallColumns,
  values: readonly (readonly string[])[],
  rejections: readonly Rejection[],
  bytes: number,
) => void | Promise<void>;

/**
 * The calling thread's side: starts a reading thread on `script` (the built
 * `worker.js`) for `task` and hands each batch to `onBatch` in order, with
 * the tables of values its ids refer to. Resolves to the reader's counts
 * once every batch is handled and the reader is gone; rejects with the
 * reader's error (a header's as the same {@link CsvHeaderError}, and an
 * empty file as one thread reports it), with `onBatch`'s (no batch is
 * handed over after it), or when the reader stops early. The reader is
 * stopped on any failure.
 */
export function readInPipeline(
  script: string | URL,
  task: ParseTask,
  onBatch: BatchHandler,
): Promise<ReadTally> {
  for (const [name, value] of [
    ['chunksPerBatch', task.chunksPerBatch],
    ['batchesAhead', task.batchesAhead],
  ] as const) {
    if (value !== undefined && !(Number.isInteger(value) && value >= 1 && value <= 1024))
      return Promise.reject(
        new FinopsError('invalid_option', `${name} must be a whole number from 1 to 1024, got ${value}`),
      );
  }
  return new Promise<ReadTally>((resolve, reject) => {
    const worker = new Worker(script, { workerData: task });
    const tables: string[][] = Array.from({ length: DIMENSION_COUNT }, () => []);
    let handled: Promise<void> = Promise.resolve();
    let settled = false;
    /** The reader's counts, once it has posted them and every batch is handled. */
    let counts: ReadTally | undefined;
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      reject(error);
    };
    const handle = async (message: Extract<ParseMessage, { type: 'batch' }>): Promise<void> => {
      // Batches already posted when the read failed are not handed over.
      if (settled) return;
      message.values.forEach((fresh, dimension) => {
        const table = tables[dimension] as string[];
        for (const value of fresh) table.push(value);
      });
      await onBatch(columnsOf(message.columns), tables, message.rejections, message.bytes);
      if (!settled) worker.postMessage({ type: 'credit' });
    };
    const finish = (message: Extract<ParseMessage, { type: 'done' }>): void => {
      if (settled) return;
      if (!message.header) {
        fail(new CsvHeaderError(task.source, [], [], `${task.source}: the file is empty (no header row)`));
        return;
      }
      counts = message.tally;
      // Resolved once the reader is gone, so that the memory it held is given back before the finish.
      void worker.terminate();
    };
    const failed = (message: Extract<ParseMessage, { type: 'error' }>): void => {
      const header = message.header;
      fail(
        header
          ? new CsvHeaderError(header.source, header.missing, header.found, message.error.message)
          : deserializeError(message.error),
      );
    };
    /** Runs `step` after every step before it; a step that throws fails the read. */
    const then = (step: () => void | Promise<void>): void => {
      handled = handled.then(step).catch(fail);
    };
    worker.on('message', (message: ParseMessage) => {
      if (message.type === 'batch') then(() => handle(message));
      else if (message.type === 'done') then(() => finish(message));
      else then(() => failed(message));
    });
    // After the batches before it, so that no handler still runs once the read has failed. A message that
    // cannot be read would be a batch lost: the read fails rather than miss rows.
    worker.on('messageerror', (error) => then(() => fail(error)));
    worker.on('error', (error) => then(() => fail(error)));
    worker.on('exit', (code) => {
      // A reader that posted its counts is terminated once they are handled; any other exit is a failure.
      then(() => {
        if (counts === undefined || settled)
          fail(new FinopsError('worker_stopped', `reading worker stopped with code ${code}`));
        else {
          settled = true;
          resolve(counts);
        }
      });
    });
  });
}
