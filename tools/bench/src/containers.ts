import { createReadStream, createWriteStream } from 'node:fs';
import { rename, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { fileWriter, ParquetWriter, schemaFromColumnData } from 'hyparquet-writer';

/** The containers a benchmark log is copied into (besides the plain CSV it is generated as). */
export const BENCH_CONTAINERS = ['csv.gz', 'jsonl', 'jsonl.gz', 'parquet'] as const;
/** One of {@link BENCH_CONTAINERS}. */
export type BenchContainer = (typeof BENCH_CONTAINERS)[number];

const INTEGER_COLUMNS = new Set(['input_tokens', 'output_tokens', 'latency_ms']);
/** Rows per Parquet row group: what a reader holds at a time. */
const ROW_GROUP_ROWS = 65_536;

/** The path of a log's copy in a container: `read-50mb.csv` → `read-50mb.jsonl.gz`. */
export function containerPath(csvPath: string, container: BenchContainer): string {
  return `${csvPath.replace(/\.csv$/, '')}.${container}`;
}

/** The lines of an unquoted CSV file, one at a time. */
function linesOf(path: string): AsyncIterable<string> {
  return createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY });
}

/** A JSON Lines copy of an unquoted CSV log: counts and costs as JSON numbers, empty cells left out. */
async function writeJsonLines(csvPath: string, path: string): Promise<void> {
  const out = createWriteStream(path);
  let names: string[] | undefined;
  let chunk = '';
  const flush = async (): Promise<void> => {
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    chunk = '';
  };
  for await (const line of linesOf(csvPath)) {
    if (line === '') continue;
    const cells = line.split(',');
    if (names === undefined) {
      names = cells;
      continue;
    }
    const object: Record<string, string | number> = {};
    names.forEach((name, index) => {
      const cell = cells[index] ?? '';
      if (cell === '') return;
      object[name] = INTEGER_COLUMNS.has(name) || name === 'cost_usd' ? Number(cell) : cell;
    });
    chunk += `${JSON.stringify(object)}\n`;
    if (chunk.length > 1 << 20) await flush();
  }
  await flush();
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
}

/**
 * A Parquet copy of an unquoted CSV log: counts as INT32, the cost as
 * DOUBLE, the rest as strings, Snappy pages; written one row group at a time.
 */
async function writeParquet(csvPath: string, path: string): Promise<void> {
  let names: string[] = [];
  let columns: (string | number | null)[][] = [];
  let parquet: ParquetWriter | undefined;
  const typeOf = (name: string): 'INT32' | 'DOUBLE' | 'STRING' =>
    INTEGER_COLUMNS.has(name) ? 'INT32' : name === 'cost_usd' ? 'DOUBLE' : 'STRING';
  const writeGroup = (): void => {
    const columnData = names.map((name, index) => ({
      name,
      data: columns[index] as (string | number | null)[],
    }));
    parquet ??= new ParquetWriter({
      writer: fileWriter(path),
      schema: schemaFromColumnData({
        columnData: columnData.map((column) => ({ ...column, type: typeOf(column.name), nullable: true })),
      }),
    });
    void parquet.write({ columnData, rowGroupSize: ROW_GROUP_ROWS });
    columns = names.map(() => []);
  };
  for await (const line of linesOf(csvPath)) {
    if (line === '') continue;
    const cells = line.split(',');
    if (names.length === 0) {
      names = cells;
      columns = names.map(() => []);
      continue;
    }
    names.forEach((name, index) => {
      const cell = cells[index] ?? '';
      (columns[index] as (string | number | null)[]).push(
        cell === '' ? null : typeOf(name) === 'STRING' ? cell : Number(cell),
      );
    });
    if ((columns[0] as unknown[]).length === ROW_GROUP_ROWS) writeGroup();
  }
  if ((columns[0]?.length ?? 0) > 0 || parquet === undefined) writeGroup();
  parquet?.finish();
}

/**
 * Writes a copy of an unquoted CSV benchmark log in `container` next to it,
 * unless one newer than the CSV is already there; returns its path. Written
 * to a temporary name and renamed, so a stopped run leaves no half copy.
 */
export async function ensureContainerCopy(csvPath: string, container: BenchContainer): Promise<string> {
  const path = containerPath(csvPath, container);
  const [source, existing] = await Promise.all([stat(csvPath), stat(path).catch(() => undefined)]);
  if (existing && existing.mtimeMs >= source.mtimeMs) return path;
  const temporaryPath = `${path}.partial`;
  if (container === 'csv.gz')
    await pipeline(createReadStream(csvPath), createGzip(), createWriteStream(temporaryPath));
  else if (container === 'jsonl') await writeJsonLines(csvPath, temporaryPath);
  else if (container === 'jsonl.gz') {
    const lines = await ensureContainerCopy(csvPath, 'jsonl');
    await pipeline(createReadStream(lines), createGzip(), createWriteStream(temporaryPath));
  } else await writeParquet(csvPath, temporaryPath);
  await rename(temporaryPath, path);
  return path;
}
