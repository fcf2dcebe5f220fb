// A measured process: the schema's parser alone (parse + validate, calls kept in columns). Prints one JSON line.
import { open } from 'node:fs/promises';
import { CallLogParser } from '@finops/schema';

async function parseAndValidate(
  path: string,
): Promise<{ rows: number; rejected: number; costMicros: number }> {
  const parser = new CallLogParser({ source: path, columns: true });
  const handle = await open(path, 'r');
  const buffer = Buffer.allocUnsafe(1 << 20);
  let position = 0;
  let costMicros = 0;
  let rejected = 0;
  const drain = (): void => {
    const { columns, rejections } = parser.takeColumns();
    for (let index = 0; index < columns.length; index++) costMicros += columns.costMicros[index] ?? 0;
    rejected += rejections.length;
  };
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      parser.push(buffer.subarray(0, bytesRead));
      drain();
    }
  } finally {
    await handle.close();
  }
  parser.end();
  drain();
  return { rows: parser.tally.rowsRead, rejected, costMicros };
}

const path = process.argv[2];
if (!path) throw new Error('usage: parse.js <file>');
process.stdout.write(`${JSON.stringify(await parseAndValidate(path))}\n`);
