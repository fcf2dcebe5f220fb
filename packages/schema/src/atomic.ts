import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { type FileHandle, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const openWriters = new Set<AtomicFileWriter>();

function temporaryPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Whether `path` exists and is neither a regular file nor a directory: a
 * device such as `/dev/null` or `/dev/stdout`, a named pipe, a socket.
 * Such a target is written in place: a new file renamed over it would
 * replace the device itself (for every other program, when run as root),
 * and there is no half-written file to avoid.
 */
export function isSpecialFile(path: string): boolean {
  try {
    const found = statSync(path);
    return !found.isFile() && !found.isDirectory();
  } catch {
    return false;
  }
}

async function isSpecialFileAsync(path: string): Promise<boolean> {
  try {
    const found = await stat(path);
    return !found.isFile() && !found.isDirectory();
  } catch {
    return false;
  }
}

/**
 * Writes a file so that readers only ever see the old file or the complete
 * new one: data goes to a temporary file beside the target, which is flushed
 * to disk and renamed over the target on {@link commit}. {@link abort} (or a
 * crash before commit) leaves the target untouched. A target that is a
 * device or a named pipe ({@link isSpecialFile}) is written in place
 * instead: {@link temporaryPath} is then the target itself, and neither
 * commit nor abort renames or removes anything.
 */
export class AtomicFileWriter {
  private buffered: (string | Uint8Array)[] = [];
  private bufferedBytes = 0;
  private closed = false;
  /** Bytes written so far. */
  bytesWritten = 0;

  private constructor(
    /** The file that {@link commit} creates or replaces. */
    readonly path: string,
    /** The temporary file being written (the target itself when it is written in place). */
    readonly temporaryPath: string,
    private readonly handle: FileHandle,
    private readonly flushAt: number,
    /** Whether the target is a device or a pipe, written in place. */
    readonly inPlace: boolean,
  ) {}

  /** Opens a temporary file beside `path` (or `path` itself when it is a device or a pipe). */
  static async open(path: string, options: { bufferBytes?: number } = {}): Promise<AtomicFileWriter> {
    const bufferBytes = options.bufferBytes ?? 1 << 20;
    if (await isSpecialFileAsync(path))
      return new AtomicFileWriter(path, path, await open(path, 'w'), bufferBytes, true);
    const temporaryPath = temporaryPathFor(path);
    const handle = await open(temporaryPath, 'wx', 0o644);
    const writer = new AtomicFileWriter(path, temporaryPath, handle, bufferBytes, false);
    openWriters.add(writer);
    return writer;
  }

  /** Appends text (UTF-8) or bytes; resolves once buffered data has reached the file when the buffer was full. */
  async write(chunk: string | Uint8Array): Promise<void> {
    if (this.closed) throw new Error(`${this.path}: write after commit or abort`);
    const size = typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
    this.buffered.push(chunk);
    this.bufferedBytes += size;
    this.bytesWritten += size;
    if (this.bufferedBytes >= this.flushAt) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.buffered.length === 0) return;
    const parts = this.buffered;
    this.buffered = [];
    this.bufferedBytes = 0;
    const data = Buffer.concat(
      parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : part)),
    );
    let offset = 0;
    while (offset < data.length) {
      const { bytesWritten } = await this.handle.write(data, offset);
      offset += bytesWritten;
    }
  }

  /** Flushes, syncs and renames the temporary file over the target. */
  async commit(): Promise<void> {
    if (this.closed) throw new Error(`${this.path}: already committed or aborted`);
    try {
      await this.flush();
      // A device or a pipe has nothing to sync (some refuse) and nothing to rename.
      if (!this.inPlace) await this.handle.sync();
      await this.handle.close();
      this.closed = true;
      if (!this.inPlace) await rename(this.temporaryPath, this.path);
    } catch (error) {
      await this.abort();
      throw error;
    } finally {
      openWriters.delete(this);
    }
  }

  /** Discards the temporary file; the target is left as it was. Safe to call twice. */
  async abort(): Promise<void> {
    openWriters.delete(this);
    if (!this.closed) {
      this.closed = true;
      await this.handle.close().catch(() => undefined);
    }
    if (!this.inPlace) await unlink(this.temporaryPath).catch(() => undefined);
  }
}

/**
 * Removes the temporary files of every writer not yet committed, at once
 * and synchronously: for signal handlers and `process.on('exit')`, so that an
 * interrupted run leaves no half-written file behind.
 */
export function abortOpenWriters(): number {
  let count = 0;
  for (const writer of openWriters) {
    try {
      unlinkSync(writer.temporaryPath);
    } catch {
      // already gone
    }
    count++;
  }
  openWriters.clear();
  return count;
}

/** Writes a whole file atomically (temporary file, sync, rename). */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const writer = await AtomicFileWriter.open(path);
  try {
    await writer.write(data);
  } catch (error) {
    await writer.abort();
    throw error;
  }
  await writer.commit();
}

/** Synchronous {@link writeFileAtomic}. */
export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  if (isSpecialFile(path)) {
    writeInPlaceSync(path, data);
    return;
  }
  const temporaryPath = temporaryPathFor(path);
  const descriptor = openSync(temporaryPath, 'wx', 0o644);
  try {
    writeAllSync(descriptor, data);
    fsyncSync(descriptor);
    closeSync(descriptor);
    renameSync(temporaryPath, path);
  } catch (error) {
    try {
      closeSync(descriptor);
    } catch {
      // already closed
    }
    try {
      unlinkSync(temporaryPath);
    } catch {
      // never created or already renamed
    }
    throw error;
  }
}

/** Writes all of `data` (text as UTF-8) to an open descriptor. */
function writeAllSync(descriptor: number, data: string | Uint8Array): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let offset = 0;
  while (offset < bytes.byteLength) offset += writeSync(descriptor, bytes, offset);
}

/** Writes `data` to a device or a pipe as it is (see {@link isSpecialFile}). */
function writeInPlaceSync(path: string, data: string | Uint8Array): void {
  const descriptor = openSync(path, 'w');
  try {
    writeAllSync(descriptor, data);
  } finally {
    closeSync(descriptor);
  }
}
