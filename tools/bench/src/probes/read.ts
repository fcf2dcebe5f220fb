// A measured process: one build's reader (readCallLog of the module given by path) over one file.
// The current build and a baseline build are both loaded this way, so that the two sides of the
// read benchmark differ only in the reader. Prints one JSON line.
import { stat } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

/** The part of a reader's API measured: the same in every version of `@finops/schema`. */
type ReadFunction = (path: string) => AsyncIterable<{
  records: readonly { costMicros: number }[];
  tally: { rowsRead: number };
}>;

async function readerOf(modulePath: string): Promise<ReadFunction> {
  const module = (await import(pathToFileURL(modulePath).href)) as { readCallLog?: unknown };
  if (typeof module.readCallLog !== 'function')
    throw new Error(`${modulePath} exports no readCallLog function`);
  return module.readCallLog as ReadFunction;
}

const [modulePath, path] = process.argv.slice(2);
if (!modulePath || !path) throw new Error('usage: read.js <schema module> <file>');
const read = await readerOf(modulePath);
const { size } = await stat(path);
const started = process.hrtime.bigint();
const cpuBefore = process.cpuUsage();
let costMicros = 0;
let rows = 0;
for await (const batch of read(path)) {
  for (const record of batch.records) costMicros += record.costMicros;
  rows = batch.tally.rowsRead;
}
const cpu = process.cpuUsage(cpuBefore);
const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
process.stdout.write(
  `${JSON.stringify({ wallMs, cpuMs: (cpu.user + cpu.system) / 1000, bytes: size, rows, costMicros })}\n`,
);
