import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { type FileHandle, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const openWriters = new Set<AtomicFileWriter>();

function temporaryPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Writes a file so that readers only ever see the old file or the complete
 * new one: data goes to a temporary file beside the target, which is flushed
 * to disk and renamed over the target on {@link commit}. {@link abort} (or a
 * crash before commit) leaves the target untouched.
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
    /** The temporary file being written. */
    readonly temporaryPath: string,
    private readonly handle: FileHandle,
    private readonly flushAt: number,
  ) {}

  /** Opens a temporary file beside `path`. */
  static async open(path: string, options: { bufferBytes?: number } = {}): Promise<AtomicFileWriter> {
    const temporaryPath = temporaryPathFor(path);
    const handle = await open(temporaryPath, 'wx', 0o644);
    const writer = new AtomicFileWriter(path, temporaryPath, handle, options.bufferBytes ?? 1 << 20);
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
      await this.handle.sync();
      await this.handle.close();
      this.closed = true;
      await rename(this.temporaryPath, this.path);
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
    await unlink(this.temporaryPath).catch(() => undefined);
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
  const temporaryPath = temporaryPathFor(path);
  const descriptor = openSync(temporaryPath, 'wx', 0o644);
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let offset = 0;
    while (offset < bytes.byteLength) offset += writeSync(descriptor, bytes, offset);
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
