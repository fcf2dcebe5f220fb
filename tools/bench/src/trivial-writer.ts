import { open } from 'node:fs/promises';

/** What {@link writeTrivialLog} writes: as many rows as another log, of the same total size. */
export interface TrivialLogShape {
  /** The header line, newline included. */
  header: string;
  /** A data row to repeat, newline included; its leading digits are replaced by a counter. */
  template: string;
  /** Data rows to write. */
  rows: number;
  /** Total bytes of the file, header included. */
  bytes: number;
}

/**
 * The rows' lengths: the bytes after the header spread evenly, the first
 * `longer` rows one byte longer than `length`.
 */
export function rowLengths(shape: TrivialLogShape): { length: number; longer: number } {
  const body = shape.bytes - Buffer.byteLength(shape.header);
  if (!Number.isInteger(shape.rows) || shape.rows < 1)
    throw new RangeError(`rows must be at least 1, not ${shape.rows}`);
  if (body < shape.rows * 2)
    throw new RangeError(`${shape.bytes} bytes cannot hold ${shape.rows} rows after the header`);
  return { length: Math.floor(body / shape.rows), longer: body % shape.rows };
}

/**
 * One row of the trivial log: the counter, then the template's text after
 * its first field, cut or padded with `x` to `length` bytes (newline
 * included). ASCII only, so characters are bytes.
 */
export function trivialRow(template: string, counter: number, length: number): string {
  const rest = template.replace(/\n$/, '').replace(/^[^,]*/, '');
  const text = `${counter}${rest}`;
  const body = length - 1;
  return `${text.length >= body ? text.slice(0, body) : text.padEnd(body, 'x')}\n`;
}

/**
 * Writes a log of the same number of rows and bytes as another, with no
 * work per row beyond formatting a fixed template with a counter, in chunks
 * of about `chunkBytes` written as they fill: the floor under any writer of
 * that log in Node.
 */
export async function writeTrivialLog(
  path: string,
  shape: TrivialLogShape,
  chunkBytes = 1 << 20,
): Promise<{ rows: number; bytes: number }> {
  if (!/^[\x20-\x7e]*\n$/.test(shape.template)) throw new Error('the row template must be one ASCII line');
  const { length, longer } = rowLengths(shape);
  const handle = await open(path, 'w', 0o644);
  let bytes = 0;
  const write = async (text: string): Promise<void> => {
    const data = Buffer.from(text, 'latin1');
    let offset = 0;
    while (offset < data.length) offset += (await handle.write(data, offset)).bytesWritten;
    bytes += data.length;
  };
  try {
    let chunk = shape.header;
    for (let row = 0; row < shape.rows; row++) {
      chunk += trivialRow(shape.template, row, row < longer ? length + 1 : length);
      if (chunk.length >= chunkBytes) {
        await write(chunk);
        chunk = '';
      }
    }
    await write(chunk);
  } finally {
    await handle.close();
  }
  return { rows: shape.rows, bytes };
}
