import { type FileHandle, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  AtomicFileWriter,
  type CallRecord,
  csvHeaderLine,
  formatUtcDay,
  isSpecialFile,
} from '@finops/schema';
import {
  resolveSimulationOptions,
  type ResolvedSimulationOptions,
  type SimulationOptions,
  type SimulationProgress,
} from './options';
import type { Customer } from './population';
import { viewOf } from './bytes';
import { SIMULATED_COLUMNS, TrafficGenerator } from './traffic';

/** Bytes of CSV gathered before a write: 1 MiB. */
const CHUNK_BYTES = 1 << 20;
/** A size-targeted run gives up after this many days in a row without a single call. */
const MAX_SILENT_DAYS = 366;

/** What a finished simulation produced. */
export interface SimulationSummary {
  /** Calls generated. */
  calls: number;
  /** Bytes of CSV, header included. */
  bytes: number;
  /** Days of the timeline generated (the last one possibly cut short by a size target). */
  days: number;
  /** First day, `YYYY-MM-DD`. */
  firstDay: string;
  /** Last day with generation, `YYYY-MM-DD`. */
  lastDay: string;
  /** Wall time in milliseconds. */
  elapsedMs: number;
}

/** {@link SimulationSummary} of a file written by {@link simulateToFile}. */
export interface SimulationFileSummary extends SimulationSummary {
  path: string;
}

/**
 * One run of the generator over its timeline: the fixed window, or day after
 * day until the size target. Produces CSV text in large chunks or records
 * in batches, and reports progress.
 */
class SimulationRun {
  readonly options: ResolvedSimulationOptions;
  readonly generator: TrafficGenerator;
  private readonly onProgress: ((progress: SimulationProgress) => void) | undefined;
  private readonly started = performance.now();
  private readonly asciiOnly: boolean;
  calls = 0;
  bytes = 0;
  days = 0;
  private silentDays = 0;
  /** Where {@link csvChunks} is: bytes already handed out, the planned day's calls and the next one's position. */
  private flushed = 0;
  private dayCalls = 0;
  private position = 0;
  /** The timeline is over or the size target reached. */
  private finished = false;

  constructor(options: SimulationOptions) {
    this.options = resolveSimulationOptions(options);
    this.generator = new TrafficGenerator(this.options);
    this.onProgress = options.onProgress;
    const names = this.options.catalog.models().flatMap((price) => [price.provider, price.model]);
    names.push(this.options.parameters['feature-launch'].feature);
    // eslint-disable-next-line no-control-regex
    this.asciiOnly = names.every((name) => /^[\x00-\x7f]*$/.test(name));
  }

  private byteLength(line: string): number {
    return this.asciiOnly ? line.length : Buffer.byteLength(line);
  }

  /** Plans the next day; false when the timeline is over. */
  private nextDay(): number | undefined {
    const { targetBytes, days } = this.options;
    if (targetBytes === undefined && this.days >= days) return undefined;
    if (targetBytes !== undefined && this.bytes >= targetBytes) return undefined;
    const calls = this.generator.planDay(this.days);
    this.days++;
    if (calls === 0 && targetBytes !== undefined) {
      if (++this.silentDays >= MAX_SILENT_DAYS) {
        throw new Error(`no calls for ${MAX_SILENT_DAYS} days in a row: the size target cannot be reached`);
      }
    } else {
      this.silentDays = 0;
    }
    return calls;
  }

  /**
   * CSV bytes in chunks of about 1 MiB: the header, then every call in time
   * order. Two buffers take turns, so a chunk stays intact until the
   * generator has been resumed twice more: one write may be in flight while
   * the next chunk is generated (see {@link writeWhileGenerating}).
   */
  *csvChunks(): Generator<Uint8Array> {
    const capacity = CHUNK_BYTES + this.generator.maxLineBytes;
    const buffers = [Buffer.allocUnsafe(capacity), Buffer.allocUnsafe(capacity)];
    const views = buffers.map((buffer) => viewOf(buffer));
    let turn = 0;
    let used = (buffers[turn] as Buffer).write(csvHeaderLine([], SIMULATED_COLUMNS), 0, 'utf8');
    this.bytes = used;
    for (;;) {
      used = this.fillChunk(views[turn] as DataView, used);
      if (used < CHUNK_BYTES || this.finished) break;
      yield (buffers[turn] as Buffer).subarray(0, used);
      this.flushed += used;
      turn = 1 - turn;
      used = 0;
      this.report(false);
    }
    if (used > 0) yield (buffers[turn] as Buffer).subarray(0, used);
  }

  /**
   * Writes calls into a chunk from `used` on until it holds
   * {@link CHUNK_BYTES}, the size target is reached or the timeline ends;
   * returns the bytes it holds. A plain method rather than the generator's
   * loop: the compiler optimises it once and keeps it, where a generator's
   * loop that first leaves a day after being optimised is compiled again.
   */
  private fillChunk(view: DataView, used: number): number {
    const generator = this.generator;
    const target = this.options.targetBytes ?? Infinity;
    while (used < CHUNK_BYTES && !this.finished) {
      if (this.position === this.dayCalls) {
        this.startNextDay();
        continue;
      }
      generator.fill(this.position++);
      used = generator.writeLineInto(view, used);
      this.calls++;
      this.bytes = this.flushed + used;
      if (this.bytes >= target) this.finished = true;
    }
    return used;
  }

  /** Plans the next day for {@link fillChunk}, or marks the run finished when the timeline is over. */
  private startNextDay(): void {
    const calls = this.nextDay();
    if (calls === undefined) this.finished = true;
    else this.dayCalls = calls;
    this.position = 0;
  }

  /** Records in batches of `batchSize`, in time order. */
  *recordBatches(batchSize: number): Generator<CallRecord[]> {
    const target = this.options.targetBytes;
    if (target !== undefined) this.bytes = this.byteLength(csvHeaderLine([], SIMULATED_COLUMNS));
    let batch: CallRecord[] = [];
    const generator = this.generator;
    for (let calls = this.nextDay(); calls !== undefined; calls = this.nextDay()) {
      for (let position = 0; position < calls; position++) {
        generator.fill(position);
        batch.push(generator.record());
        this.calls++;
        if (target !== undefined) {
          this.bytes += this.byteLength(generator.line());
          if (this.bytes >= target) break;
        }
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
          this.report(false);
        }
      }
    }
    if (batch.length > 0) yield batch;
  }

  report(done: boolean): SimulationProgress {
    const elapsedMs = performance.now() - this.started;
    const seconds = Math.max(elapsedMs, 1e-3) / 1000;
    const targetBytes = this.options.targetBytes;
    const fraction = done
      ? 1
      : Math.min(1, targetBytes !== undefined ? this.bytes / targetBytes : this.days / this.options.days);
    const progress: SimulationProgress = {
      calls: this.calls,
      bytes: this.bytes,
      days: this.days,
      targetBytes,
      fraction,
      elapsedMs,
      callsPerSecond: this.calls / seconds,
      bytesPerSecond: this.bytes / seconds,
      done,
    };
    this.onProgress?.(progress);
    return progress;
  }

  summary(): SimulationSummary {
    const progress = this.report(true);
    const firstDay = this.options.startDay;
    return {
      calls: this.calls,
      bytes: this.bytes,
      days: this.days,
      firstDay: formatUtcDay(firstDay),
      lastDay: formatUtcDay(firstDay + Math.max(0, this.days - 1)),
      elapsedMs: progress.elapsedMs,
    };
  }
}

/**
 * Generates a call log as batches of records in timestamp order.
 *
 * Same options ⇒ same records, on any machine. With `sizeMb`, generation
 * stops after the record whose CSV line brings the file size (header
 * included) to the target, exactly where {@link simulateToFile} stops.
 *
 * @example
 * ```ts
 * for await (const batch of simulate({ scenario: 'burst', start: '2025-11-01', days: 14 })) {
 *   for (const record of batch) total += record.costMicros;
 * }
 * ```
 */
export async function* simulate(options: SimulationOptions = {}): AsyncGenerator<CallRecord[]> {
  const run = new SimulationRun(options);
  const batchSize = options.batchSize ?? 8192;
  if (!(Number.isInteger(batchSize) && batchSize > 0))
    throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  yield* run.recordBatches(batchSize);
  run.summary();
}

async function writeWhole(handle: Awaited<ReturnType<typeof open>>, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
    offset += bytesWritten;
  }
}

/**
 * Writes each chunk while the next one is generated: the disk works in the
 * background instead of the generator waiting for it. One write is in flight
 * at a time, so chunks reach the file in order.
 */
async function writeWhileGenerating(
  chunks: Iterable<Uint8Array>,
  write: (chunk: Uint8Array) => Promise<void>,
): Promise<void> {
  let pending: Promise<void> = Promise.resolve();
  for (const chunk of chunks) {
    await pending;
    pending = write(chunk);
    // A failure is raised by the next await; until then it must not count as unhandled.
    pending.catch(() => undefined);
  }
  await pending;
}

/** How {@link simulateToFile} writes. */
export interface SimulationFileOptions {
  /**
   * Grow the file in place, in whole lines, so that a reader can follow it
   * while it is written. On by default for a size-targeted run; off, the
   * file is written to a temporary file and renamed when complete.
   */
  live?: boolean;
}

/**
 * The file a live run grows: a new file renamed into place at once, so that
 * a reader following the old file under this name sees another inode and
 * starts over instead of reading the new lines as if they were appended; a
 * device or a pipe (`/dev/null`, a FIFO) is written in place, never replaced.
 */
async function openLiveFile(path: string): Promise<FileHandle> {
  if (isSpecialFile(path)) return open(path, 'w');
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.live`);
  const handle = await open(temporary, 'w', 0o644);
  try {
    await rename(temporary, path);
  } catch (error) {
    await handle.close();
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  return handle;
}

/**
 * Generates a call log into a CSV file (the schema's column order and
 * format) and returns what was written.
 *
 * - A fixed window (no `sizeMb`) is written atomically: the file appears
 *   complete or not at all.
 * - With `sizeMb` the file is created at once and grows in whole lines
 *   (about 1 MB at a time), so that a reader can follow it live; the run
 *   stops at the first complete line that takes the file to the target.
 *   With `{ live: false }` it is written atomically like a fixed window.
 */
export async function simulateToFile(
  options: SimulationOptions,
  path: string,
  fileOptions: SimulationFileOptions = {},
): Promise<SimulationFileSummary> {
  const run = new SimulationRun(options);
  const live = fileOptions.live ?? run.options.targetBytes !== undefined;
  if (!live) {
    // No buffering in the writer: every chunk is written before its buffer's next turn.
    const writer = await AtomicFileWriter.open(path, { bufferBytes: 0 });
    try {
      await writeWhileGenerating(run.csvChunks(), (chunk) => writer.write(chunk));
      await writer.commit();
    } catch (error) {
      await writer.abort();
      throw error;
    }
  } else {
    const handle = await openLiveFile(path);
    try {
      await writeWhileGenerating(run.csvChunks(), (chunk) => writeWhole(handle, chunk));
    } finally {
      await handle.close();
    }
  }
  return { path, ...run.summary() };
}

/**
 * The customers a simulation with these options creates (archetype, tier,
 * organization, cohort and scenario traits such as churn day or time zone),
 * without generating any call.
 */
export function simulationPopulation(options: SimulationOptions = {}): Customer[] {
  return [...new TrafficGenerator(resolveSimulationOptions(options)).customers];
}
