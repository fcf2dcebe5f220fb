import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { CallLogRowError, CallLogSourceError, type CallRecord } from '@finops/schema';
import { type AnalysisResults, analyzeCosts, CostAnalyzer } from '../src';
import { call, csvOf, randomLog } from './fixtures';

const INTEGER_COLUMNS = new Set(['input_tokens', 'output_tokens', 'latency_ms']);

/** A CSV log's rows as objects of their non-empty cells. */
function rowsOf(csv: string): Record<string, string>[] {
  return parse(csv, { columns: true }) as Record<string, string>[];
}

/** The log as JSON Lines: counts and costs as JSON numbers, the rest as strings. */
function jsonLinesOf(csv: string): string {
  return rowsOf(csv)
    .map((row) => {
      const object: Record<string, string | number> = {};
      for (const [column, text] of Object.entries(row)) {
        if (text === '') continue;
        object[column] = INTEGER_COLUMNS.has(column) || column === 'cost_usd' ? Number(text) : text;
      }
      return `${JSON.stringify(object)}\n`;
    })
    .join('');
}

/** The log as Parquet: counts as INT64, the cost as a decimal string, the rest as strings; small row groups. */
function parquetOf(csv: string): Uint8Array {
  const rows = rowsOf(csv);
  const columns = Object.keys(rows[0] ?? {});
  return new Uint8Array(
    parquetWriteBuffer({
      rowGroupSize: 250,
      columnData: columns.map((column) =>
        INTEGER_COLUMNS.has(column)
          ? { name: column, data: rows.map((row) => BigInt(row[column] as string)), type: 'INT64' as const }
          : { name: column, data: rows.map((row) => row[column] as string), type: 'STRING' as const },
      ),
    }),
  );
}

/** The results without what names the input or counts its bytes on disk. */
function comparable(results: AnalysisResults): unknown {
  const { source: _source, bytesRead: _bytes, ...meta } = results.meta;
  return JSON.parse(JSON.stringify({ ...results, meta }));
}

describe('every container of a log gives the same analysis', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'analyzers-containers-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const records = randomLog(1200, 9, 5);
  const csv = csvOf(records);

  it('reads .csv, .csv.gz, .jsonl, .ndjson.gz, Parquet and a folder of mixed files to identical results', async () => {
    const files: Record<string, string | Uint8Array> = {
      'log.csv': csv,
      'log.csv.gz': gzipSync(csv),
      'log.jsonl': jsonLinesOf(csv),
      'log.ndjson.gz': gzipSync(jsonLinesOf(csv)),
      'log.parquet': parquetOf(csv),
    };
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    // The same log cut in three files of three containers, read as one log in name order.
    const folder = join(dir, 'parts');
    mkdirSync(folder);
    const lines = csv.trimEnd().split('\n');
    const header = lines[0] as string;
    const part = (from: number, to: number): string => `${[header, ...lines.slice(from, to)].join('\n')}\n`;
    writeFileSync(join(folder, 'part-1.csv'), part(1, 400));
    writeFileSync(join(folder, 'part-2.jsonl.gz'), gzipSync(jsonLinesOf(part(400, 800))));
    writeFileSync(join(folder, 'part-3.parquet'), parquetOf(part(800, lines.length)));

    const expected = await analyzeCosts(join(dir, 'log.csv'));
    expect(expected.meta.rowsKept).toBe(1200);
    for (const name of [...Object.keys(files), 'parts', 'parts/part-*']) {
      const progress: number[] = [];
      const results = await analyzeCosts(join(dir, name), {
        progress: ({ bytesRead, totalBytes }) => progress.push(bytesRead / (totalBytes ?? 1)),
      });
      expect([name, comparable(results)]).toEqual([name, comparable(expected)]);
      expect(results.meta.source).toBe(join(dir, name));
      expect(progress[progress.length - 1]).toBe(1);
    }
    // Workers split only plain CSV files: the others are read in one thread, to the same results.
    const threaded = await analyzeCosts(join(dir, 'log.jsonl'), { workers: 2 });
    expect(threaded.meta.workers).toBe(1);
    expect(comparable(threaded)).toEqual(comparable(expected));
    expect(statSync(join(dir, 'log.parquet')).size).toBeLessThan(Buffer.byteLength(csv));
  });

  it('finds duplicates across the files of a folder, names the file of each rejection, and quarantines them', async () => {
    const folder = join(dir, 'dupes');
    mkdirSync(folder);
    const first: CallRecord[] = [call({ callId: 'a' }), call({ callId: 'b' })];
    const second: CallRecord[] = [call({ callId: 'b' }), call({ callId: 'c', inputTokens: 7 })];
    writeFileSync(join(folder, '1.csv'), csvOf(first));
    writeFileSync(join(folder, '2.jsonl'), `${jsonLinesOf(csvOf(second))}not json\n`);
    const quarantine = join(dir, 'dupes-quarantine.csv');
    const results = await analyzeCosts(folder, { quarantine });
    expect(results.meta).toMatchObject({ rowsRead: 5, rowsKept: 3, rowsRejected: 2 });
    expect(results.meta.rejections.map(({ line, reason }) => [line, reason])).toEqual([
      [1, 'duplicate_call_id'],
      [3, 'malformed_row'],
    ]);
    for (const rejection of results.meta.rejections)
      expect(rejection.message).toContain(join(folder, '2.jsonl'));
    expect(readFileSync(quarantine, 'utf8')).toContain('not json');
    await expect(analyzeCosts(folder, { strict: true })).rejects.toBeInstanceOf(CallLogRowError);
  });

  it('names the file of a container it cannot read', async () => {
    const path = join(dir, 'noise.bin');
    writeFileSync(path, Uint8Array.from([0, 159, 146, 150, 0, 1]));
    await expect(analyzeCosts(path)).rejects.toBeInstanceOf(CallLogSourceError);
    await expect(analyzeCosts(join(dir, 'nothing-*.csv'))).rejects.toMatchObject({ code: 'no_log_files' });
  });

  it('follows only plain CSV files as they grow', async () => {
    const path = join(dir, 'growing.jsonl');
    writeFileSync(path, jsonLinesOf(csvOf([call({ callId: 'g' })])));
    await expect(new CostAnalyzer().follow(path)).rejects.toMatchObject({ code: 'csv_only', file: path });
    const plain = join(dir, 'growing.csv');
    writeFileSync(plain, csvOf([call({ callId: 'g' })]));
    const analyzer = new CostAnalyzer();
    expect(await analyzer.follow(plain)).toBeGreaterThan(0);
    expect(analyzer.calls).toBe(1);
  });
});
