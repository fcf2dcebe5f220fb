import { needsSessionIds } from './store/grouping';
import { existsSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  CallIdSet,
  type CatalogData,
  CallLogParser,
  CallLogRowError,
  type ColumnMapping,
  CsvHeaderError,
  FinopsError,
  type SerializedError,
  deserializeError,
  type HeaderLayout,
  type PriceCatalog,
  type ReadTally,
  type Rejection,
  emptyTally,
  mergeTally,
  parseCatalog,
} from '@finops/schema';
import { ColumnIdMap, Cube, type CubeData, type CubeSettings } from './cube';
import { RecordingIdSet } from './fingerprint';
import { READ_CHUNK_BYTES, nextLineStart, readRange } from './range';

/** The work of one part of a file: a byte range read with the file's header layout. */
export interface RangeTask {
  path: string;
  start: number;
  end: number;
  layout: HeaderLayout;
  catalog: CatalogData;
  settings: CubeSettings;
  /** Fingerprints (low, high pairs) of ids already kept by earlier parts: rows with them are duplicates. */
  excluded?: Uint32Array;
}

/** What reading one part gives back. Line numbers of rejections count from 1 at the part's first line. */
export interface RangeOutcome {
  cube: CubeData;
  tally: ReadTally;
  rejections: Rejection[];
  /** Lines consumed by the part. */
  lines: number;
  /** Double-quote characters in the part. */
  quotes: number;
  /** Fingerprints of the kept rows' call ids, (low, high) pairs in row order. */
  fingerprints: Uint32Array;
}

/** What reading one part in the calling thread gives back: the {@link RangeOutcome} with the cube itself. */
export interface LocalRangeOutcome extends Omit<RangeOutcome, 'cube'> {
  cube: Cube;
}

/** Reads one part of a file into a cube (in the calling thread). */
export async function analyzeRange(
  task: RangeTask,
  onProgress?: (bytes: number) => void,
): Promise<RangeOutcome> {
  const outcome = await analyzeRangeHere(task, onProgress);
  // The cube is read no more: its largest cells leave it as they become data, already movable.
  return { ...outcome, cube: outcome.cube.toData(true) };
}

/**
 * Reads one part of a file into a cube and keeps the cube: the part the
 * calling thread reads itself needs no copy as plain data (for a log of
 * millions of sessions that copy, and reading it back, cost seconds).
 */
export async function analyzeRangeHere(
  task: RangeTask,
  onProgress?: (bytes: number) => void,
): Promise<LocalRangeOutcome> {
  const catalog = parseCatalog(task.catalog);
  let excluded: CallIdSet | undefined;
  if (task.excluded && task.excluded.length > 0) {
    excluded = new CallIdSet(task.excluded.length);
    for (let index = 0; index < task.excluded.length; index += 2)
      excluded.addFingerprint(task.excluded[index] as number, task.excluded[index + 1] as number);
  }
  const ids = new RecordingIdSet(excluded);
  const parser = new CallLogParser({
    layout: task.layout,
    firstLine: 1,
    catalog,
    callIds: ids,
    source: task.path,
    columns: true,
    sessionColumns: needsSessionIds(task.settings.groupings ?? []),
  });
  const cube = new Cube(catalog, task.settings);
  const idMap = new ColumnIdMap();
  const rejections: Rejection[] = [];
  const scan = await readRange(
    task.path,
    task.start,
    task.end,
    parser,
    () => {
      const taken = parser.takeColumns();
      cube.addColumns(taken.columns, taken.values, idMap);
      for (const rejection of taken.rejections) rejections.push(rejection);
    },
    onProgress,
  );
  return {
    cube,
    tally: parser.tally,
    rejections,
    lines: parser.nextLine - 1,
    quotes: scan.quotes,
    fingerprints: ids.fingerprints.slice(0, ids.length * 2),
  };
}

/**
 * Makes the generic cells of a state typed arrays, in place, and returns
 * their buffers: posted in a message's transfer list they are moved to the
 * thread that merges the state instead of copied value by value (for a log
 * of millions of sessions, tens of millions of numbers). Returns no buffer
 * for a state without generic cells.
 */
export function movableState(data: CubeData): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = [];
  const move = (
    columns: ArrayLike<number>[],
    typedOf: (column: ArrayLike<number>) => Float64Array | Int32Array,
  ): void => {
    columns.forEach((column, index) => {
      const typed = typedOf(column);
      columns[index] = typed;
      buffers.push(typed.buffer as ArrayBuffer);
    });
  };
  for (const grouping of data.generic) {
    // Ids are 32-bit integers: a key moves in half the memory of a double.
    move(grouping.keys, (column) =>
      column instanceof Int32Array || column instanceof Float64Array ? column : Int32Array.from(column),
    );
    move(grouping.measures, (column) =>
      column instanceof Float64Array ? column : Float64Array.from(column),
    );
  }
  return buffers;
}

/**
 * Size from which a plain CSV file is read by two threads unless told
 * otherwise: one parses and validates the rows while the calling thread
 * groups them (see `readInPipeline`). The second thread costs a fixed
 * amount (its start-up, and the calling thread waiting for the first rows)
 * and takes the reader's share of the work off the calling thread: measured
 * side by side on a 2-core machine, two threads took about the time of one
 * on a 16 MB log and ×0.87–×0.96 on a 50 MB one (see the bench's README).
 */
export const TWO_THREADS_FROM_BYTES = 32 * 1024 * 1024;

/**
 * The threads a file of `bytes` is read with when the caller does not say:
 * two from {@link TWO_THREADS_FROM_BYTES} on a machine with a second core,
 * else one. Never more than two by default: more threads split the file,
 * and each part keeps a state of its own, so that memory grows with them.
 */
export function defaultWorkers(bytes: number, cores: number = availableParallelism()): number {
  return cores >= 2 && bytes >= TWO_THREADS_FROM_BYTES ? 2 : 1;
}

/** Runs a part somewhere (a worker thread, or in process). */
export type RangeRunner = (task: RangeTask, onProgress: (bytes: number) => void) => Promise<RangeOutcome>;

/** The built worker entry next to this module (`worker.js` / `worker.cjs`), when it exists. */
export function defaultWorkerScript(): string | undefined {
  const candidates: string[] = [];
  if (typeof __filename === 'string') {
    candidates.push(
      __filename.replace(/index\.c?js$/, 'worker.cjs'),
      __filename.replace(/index\.c?js$/, 'worker.js'),
    );
  } else {
    candidates.push(fileURLToPath(new URL('./worker.js', import.meta.url)));
  }
  return candidates.find((candidate) => /worker\.c?js$/.test(candidate) && existsSync(candidate));
}

/** A {@link RangeRunner} on a worker thread running `script` (the built `worker.js`, or a bootstrap). */
export function threadRunner(script: string | URL): RangeRunner {
  return (task, onProgress) =>
    new Promise<RangeOutcome>((resolve, reject) => {
      const worker = new Worker(script, { workerData: task });
      let settled = false;
      worker.on(
        'message',
        (
          message:
            | { type: 'progress'; bytes: number }
            | { type: 'done'; outcome: RangeOutcome }
            | { type: 'error'; error: SerializedError },
        ) => {
          if (message.type === 'progress') onProgress(message.bytes);
          else if (message.type === 'done') {
            settled = true;
            resolve(message.outcome);
          } else {
            settled = true;
            reject(deserializeError(message.error));
          }
        },
      );
      const fail = (error: unknown): void => {
        settled = true;
        void worker.terminate();
        reject(error);
      };
      // A message that cannot be read would be a part lost: the read fails rather than miss rows.
      worker.on('messageerror', fail);
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (!settled) reject(new FinopsError('worker_stopped', `analysis worker stopped with code ${code}`));
      });
    });
}

/** The outcome of a part: read here (a cube) or in another thread (plain data); `null` once taken. */
type PartOutcome = Omit<RangeOutcome, 'cube'> & { cube: Cube | CubeData | null };

/** The cube of a part, taken out of its outcome so that its plain data can go as soon as it is read. */
function takeCube(outcome: PartOutcome, catalog: PriceCatalog): Cube {
  const state = outcome.cube;
  outcome.cube = null;
  if (state === null) throw new FinopsError('worker_state', 'the state of a part was taken twice');
  return state instanceof Cube ? state : Cube.fromData(state, catalog);
}

/** Result of a parallel read: the merged cube and what a single pass would have reported. */
export interface ParallelOutcome {
  cube: Cube;
  tally: ReadTally;
  rejections: Rejection[];
  /** Parts the file was read in (1 when it fell back to one part). */
  parts: number;
  /** Parts read a second time because of call ids repeated across parts. */
  reread: number;
}

/**
 * Reads the header of a file as a read in one thread reads it (blank lines
 * before it, a byte-order mark, a quoted name over several lines): its
 * layout, the offset of what follows it, the number of lines it took (what
 * follows is on the next) and the counts of those lines (`source` names the
 * file in errors; the path by default).
 */
export async function readHeader(
  path: string,
  catalog: PriceCatalog,
  mapping?: ColumnMapping,
  source: string = path,
): Promise<{ layout: HeaderLayout; offset: number; size: number; lines: number; tally: ReadTally }> {
  const { size } = await stat(path);
  const handle = await open(path, 'r');
  try {
    const parser = new CallLogParser({ catalog, source, mapping });
    const buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
    // Bytes given to the parser, and the quotes of the row it has not been given the end of yet.
    let offset = 0;
    let openQuotes = 0;
    while (offset < size && parser.layout === undefined) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(READ_CHUNK_BYTES, size - offset), offset);
      if (bytesRead === 0) break;
      const chunk = buffer.subarray(0, bytesRead);
      // The parser is given a row's lines once the row is complete (an even number of quotes), so that
      // the header ends with the row after which it first has a layout; a row still open at the end of a
      // chunk is given what there is, as one thread gives it its chunks.
      let given = 0;
      for (let from = 0; from < bytesRead && parser.layout === undefined;) {
        const newline = chunk.indexOf(10, from);
        const to = newline === -1 ? bytesRead : newline + 1;
        for (
          let quote = chunk.indexOf(34, from);
          quote !== -1 && quote < to;
          quote = chunk.indexOf(34, quote + 1)
        )
          openQuotes++;
        from = to;
        if (openQuotes % 2 === 0 || to === bytesRead) {
          parser.push(chunk.subarray(given, to));
          offset += to - given;
          given = to;
          if (openQuotes % 2 === 0) openQuotes = 0;
        }
      }
    }
    // A header without a line break at the end of the file.
    if (parser.layout === undefined) parser.end();
    if (parser.layout === undefined)
      throw new CsvHeaderError(source, [], [], `${source}: the file is empty (no header row)`);
    return { layout: parser.layout, offset, size, lines: parser.nextLine - 1, tally: parser.tally };
  } finally {
    await handle.close();
  }
}

/** Byte offsets that cut `[from, size)` into up to `parts` ranges, each starting at a line. */
export async function splitRanges(
  path: string,
  from: number,
  size: number,
  parts: number,
): Promise<[number, number][]> {
  const cuts = [from];
  for (let part = 1; part < parts; part++) {
    const target = from + Math.floor(((size - from) * part) / parts);
    const cut = await nextLineStart(path, Math.max(target - 1, cuts[cuts.length - 1] as number), size);
    if (cut > (cuts[cuts.length - 1] as number) && cut < size) cuts.push(cut);
  }
  cuts.push(size);
  const ranges: [number, number][] = [];
  for (let index = 0; index + 1 < cuts.length; index++)
    ranges.push([cuts[index] as number, cuts[index + 1] as number]);
  return ranges;
}

/**
 * Reads a file in `parts` byte ranges with `runner` and merges the parts
 * into what one pass gives: call ids kept by an earlier part make a later
 * part's rows duplicates (that part is read again with those ids excluded),
 * rejection line numbers are shifted to the file's, and the tallies add up.
 * A split that falls inside a quoted field (odd count of quotes before it)
 * makes the whole file be read as one part.
 */
export async function analyzeFileInParts(
  path: string,
  parts: number,
  catalog: PriceCatalog,
  settings: CubeSettings,
  runner: RangeRunner,
  options: {
    strict?: boolean;
    onProgress?: (bytes: number) => void;
    mapping?: ColumnMapping;
    /** Name of the file in errors (the path by default). */
    source?: string;
    /**
     * Read the first part in the calling thread and only the others with
     * `runner`: one thread fewer to start and to hold a state (the calling
     * thread would only wait).
     */
    firstPartHere?: boolean;
  } = {},
): Promise<ParallelOutcome> {
  const header = await readHeader(path, catalog, options.mapping, options.source);
  const ranges = await splitRanges(path, header.offset, header.size, parts);
  const base = { path, layout: header.layout, catalog: catalog.toJSON(), settings };
  const progress = options.onProgress ?? (() => undefined);
  // The header's bytes are read here, not by a part.
  progress(header.offset);
  const read = (task: RangeTask, onProgress: (bytes: number) => void): Promise<PartOutcome> =>
    options.firstPartHere && task.start === header.offset
      ? analyzeRangeHere(task, onProgress)
      : runner(task, onProgress);
  let outcomes: PartOutcome[] = await Promise.all(
    ranges.map(([start, end]) => read({ ...base, start, end }, progress)),
  );
  let quotesBefore = 0;
  for (let index = 0; index + 1 < outcomes.length; index++) {
    quotesBefore += (outcomes[index] as PartOutcome).quotes;
    if (quotesBefore % 2 === 1) {
      outcomes = [await read({ ...base, start: header.offset, end: header.size }, () => undefined)];
      break;
    }
  }
  let reread = 0;
  if (outcomes.length > 1) {
    const seen = new CallIdSet(1 << 17);
    for (let index = 0; index < outcomes.length; index++) {
      const outcome = outcomes[index] as PartOutcome;
      const fingerprints = outcome.fingerprints;
      const repeated: number[] = [];
      if (index > 0) {
        for (let at = 0; at < fingerprints.length; at += 2) {
          if (seen.hasFingerprint(fingerprints[at] as number, fingerprints[at + 1] as number))
            repeated.push(fingerprints[at] as number, fingerprints[at + 1] as number);
        }
      }
      // The last part's ids are never looked up: no need to keep them.
      if (index + 1 < outcomes.length) {
        for (let at = 0; at < fingerprints.length; at += 2)
          seen.addFingerprint(fingerprints[at] as number, fingerprints[at + 1] as number);
      }
      outcome.fingerprints = new Uint32Array(0);
      if (repeated.length > 0) {
        const [start, end] = ranges[index] as [number, number];
        outcomes[index] = await read(
          { ...base, start, end, excluded: Uint32Array.from(repeated) },
          () => undefined,
        );
        reread++;
      }
    }
  }
  // A part read here is its cube already; another thread's arrives as plain data.
  const cube = takeCube(outcomes[0] as PartOutcome, catalog);
  const tally = emptyTally();
  // The header's lines (and any blank lines before it) count as a read in one thread counts them.
  mergeTally(tally, header.tally);
  const rejections: Rejection[] = [];
  let lineOffset = header.lines;
  for (let index = 0; index < outcomes.length; index++) {
    const outcome = outcomes[index] as PartOutcome;
    // The part is read no more: its cells go as they are merged, not once all are.
    if (index > 0) {
      const part = takeCube(outcome, catalog);
      // The part's session and trace ids are appended, not looked up: the canonical copy joins repeats.
      cube.merge(part, false, cube.appendIdsOf(part), true);
    }
    mergeTally(tally, outcome.tally);
    for (const rejection of outcome.rejections) {
      const line = rejection.line + lineOffset;
      rejections.push({
        ...rejection,
        line,
        message: rejection.message.replace(/^line \d+:/, `line ${line}:`),
      });
    }
    lineOffset += outcome.lines;
  }
  if (options.strict && rejections.length > 0)
    throw new CallLogRowError(options.source ?? path, rejections[0] as Rejection);
  return { cube, tally, rejections, parts: outcomes.length, reread };
}
