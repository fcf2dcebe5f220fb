import { open } from 'node:fs/promises';
import type { CallLogParser } from '@finops/schema';

/** Bytes per read of a file. */
export const READ_CHUNK_BYTES = 1 << 18;

/** What {@link readRange} saw besides records. */
export interface RangeScan {
  /** Bytes read. */
  bytes: number;
  /** Double-quote characters in the range (to check that a split falls between rows). */
  quotes: number;
}

/**
 * Reads bytes `[start, end)` of a file into a parser, calling `drain` after
 * each chunk (to take the parser's records or columns) and once more after
 * ending the parser at the end of the range (a last line without a line
 * break is a row). With `countQuotes`, counts the double-quote characters
 * read (to check a split of a file).
 */
export async function readRange(
  path: string,
  start: number,
  end: number,
  parser: CallLogParser,
  drain: () => void | Promise<void>,
  onProgress?: (bytes: number) => void,
  countQuotes = true,
): Promise<RangeScan> {
  const handle = await open(path, 'r');
  // Two buffers: the next chunk is read while the current one is parsed.
  const buffers = [Buffer.allocUnsafe(READ_CHUNK_BYTES), Buffer.allocUnsafe(READ_CHUNK_BYTES)];
  let position = start;
  let quotes = 0;
  const readAt = (buffer: Buffer, from: number): Promise<{ bytesRead: number }> =>
    from < end
      ? handle.read(buffer, 0, Math.min(READ_CHUNK_BYTES, end - from), from)
      : Promise.resolve({ bytesRead: 0 });
  try {
    let turn = 0;
    let pending = readAt(buffers[0] as Buffer, position);
    for (;;) {
      const { bytesRead } = await pending;
      if (bytesRead === 0) break;
      const chunk = (buffers[turn] as Buffer).subarray(0, bytesRead);
      position += bytesRead;
      turn = 1 - turn;
      pending = readAt(buffers[turn] as Buffer, position);
      if (countQuotes) for (let at = chunk.indexOf(34); at !== -1; at = chunk.indexOf(34, at + 1)) quotes++;
      parser.push(chunk);
      await drain();
      onProgress?.(bytesRead);
    }
    parser.end();
    await drain();
  } finally {
    await handle.close();
  }
  return { bytes: position - start, quotes };
}

/** Offset just past the first line break at or after `from` (or `size` when there is none). */
export async function nextLineStart(path: string, from: number, size: number): Promise<number> {
  const handle = await open(path, 'r');
  const buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
  let position = from;
  try {
    while (position < size) {
      const { bytesRead } = await handle.read(
        buffer,
        0,
        Math.min(READ_CHUNK_BYTES, size - position),
        position,
      );
      if (bytesRead === 0) break;
      const newline = buffer.subarray(0, bytesRead).indexOf(10);
      if (newline !== -1) return position + newline + 1;
      position += bytesRead;
    }
  } finally {
    await handle.close();
  }
  return size;
}
