import { open } from 'node:fs/promises';

/** What a plain byte scan found. */
export interface ByteScan {
  bytes: number;
  /** Newline bytes: the header and every row of a CSV log. */
  lines: number;
}

const NEWLINE = 0x0a;

/**
 * Reads a file in `chunkBytes` chunks and counts its newline bytes, and does
 * nothing else: the floor under any reader of the same file in Node.
 */
export async function scanBytes(path: string, chunkBytes = 1 << 20): Promise<ByteScan> {
  const handle = await open(path, 'r');
  const buffer = Buffer.allocUnsafe(chunkBytes);
  let bytes = 0;
  let lines = 0;
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, bytes);
      if (bytesRead === 0) break;
      bytes += bytesRead;
      let at = buffer.indexOf(NEWLINE, 0);
      while (at !== -1 && at < bytesRead) {
        lines++;
        at = buffer.indexOf(NEWLINE, at + 1);
      }
    }
  } finally {
    await handle.close();
  }
  return { bytes, lines };
}
