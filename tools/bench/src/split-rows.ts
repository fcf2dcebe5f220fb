import { isAscii } from 'node:buffer';
import { open } from 'node:fs/promises';
import { CsvScanner } from '@finops/schema';

/** What splitting a file into CSV rows found. */
export interface RowSplit {
  bytes: number;
  /** Rows, the header included (blank lines are not rows). */
  rows: number;
  /** Fields over all rows. */
  fields: number;
  /** Rows that could not be split (an unclosed quote). */
  malformed: number;
}

/**
 * The reader's share of an analysis pass alone: the file read in chunks,
 * each run of complete lines decoded as the schema's parser decodes it
 * (Latin-1 when pure ASCII, else UTF-8) and split into fields by the
 * schema's `CsvScanner`, with nothing validated or kept. Its time above a
 * plain byte scan is what decoding and splitting cost; the parser's above it
 * is what validation costs.
 */
export async function splitRows(path: string, chunkBytes = 1 << 20): Promise<RowSplit> {
  const scanner = new CsvScanner();
  const handle = await open(path, 'r');
  const buffer = Buffer.allocUnsafe(chunkBytes);
  let pending: Buffer = Buffer.alloc(0);
  const found: RowSplit = { bytes: 0, rows: 0, fields: 0, malformed: 0 };
  const onRow = (_text: string, _starts: Int32Array, _ends: Int32Array, count: number): void => {
    found.rows++;
    found.fields += count;
  };
  const onMalformed = (): void => {
    found.malformed++;
  };
  const split = (bytes: Buffer, final: boolean): Buffer => {
    const cut = final ? bytes.length : bytes.lastIndexOf(10) + 1;
    if (cut === 0) return bytes;
    const lines = bytes.subarray(0, cut);
    const text = isAscii(lines) ? lines.toString('latin1') : lines.toString('utf8');
    const consumed = scanner.scan(text, 0, final, onRow, onMalformed);
    // A quoted row still open goes round again with the next chunk.
    const rest = Buffer.from(text.slice(consumed), 'utf8');
    return Buffer.concat([rest, bytes.subarray(cut)]);
  };
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, found.bytes);
      if (bytesRead === 0) break;
      found.bytes += bytesRead;
      pending = split(Buffer.concat([pending, buffer.subarray(0, bytesRead)]), false);
    }
    if (pending.length > 0) split(pending, true);
  } finally {
    await handle.close();
  }
  return found;
}
