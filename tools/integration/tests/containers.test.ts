import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { type AnalysisResults, analyzeCosts } from '@finops/analyzers';
import { COLUMN_SPECS, CSV_COLUMNS, type CallRecord, formatCsvLine, formatCsvRecord } from '@finops/schema';
import { simulate } from '@finops/simulator';

const KIND_OF = new Map(COLUMN_SPECS.map((spec) => [spec.column as string, spec.kind]));

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'finops-integration-containers-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** The results without what names the input or counts its bytes on disk. */
function comparable(results: AnalysisResults): unknown {
  const { source: _source, bytesRead: _bytes, ...meta } = results.meta;
  return JSON.parse(JSON.stringify({ ...results, meta }));
}

describe('a simulated log gives the same analysis in every container', () => {
  it('reads the same calls as .csv, .csv.gz, .jsonl and Parquet to identical results', async () => {
    const records: CallRecord[] = [];
    for await (const batch of simulate({
      scenario: 'all',
      customers: 25,
      days: 10,
      start: '2025-09-01',
      seed: 3,
    }))
      records.push(...batch);
    const csv =
      formatCsvLine(CSV_COLUMNS) + records.map((record) => formatCsvRecord(record, [], CSV_COLUMNS)).join('');
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    // JSON Lines as an exporter writes them: numbers as JSON numbers, tags nested, empty values left out.
    const jsonLines = rows
      .map((row) => {
        const object: Record<string, unknown> = {};
        for (const [column, text] of Object.entries(row)) {
          if (text === '') continue;
          const kind = KIND_OF.get(column);
          object[column] =
            kind === 'integer' || kind === 'decimal'
              ? Number(text)
              : kind === 'json'
                ? JSON.parse(text)
                : text;
        }
        return `${JSON.stringify(object)}\n`;
      })
      .join('');
    const parquet = parquetWriteBuffer({
      rowGroupSize: 2000,
      columnData: CSV_COLUMNS.map((column) => ({
        name: column as string,
        data: rows.map((row) => (row[column] === '' ? null : (row[column] as string))),
        type: 'STRING' as const,
      })),
    });
    await writeFile(join(folder, 'calls.csv'), csv);
    await writeFile(join(folder, 'calls.csv.gz'), gzipSync(csv));
    await writeFile(join(folder, 'calls.jsonl'), jsonLines);
    await writeFile(join(folder, 'calls.parquet'), new Uint8Array(parquet));

    const expected = await analyzeCosts(join(folder, 'calls.csv'));
    expect(expected.meta.rowsKept).toBe(records.length);
    expect(expected.meta.rowsRejected).toBe(0);
    expect(records.length).toBeGreaterThan(2000);
    for (const name of ['calls.csv.gz', 'calls.jsonl', 'calls.parquet']) {
      const results = await analyzeCosts(join(folder, name));
      expect([name, comparable(results)]).toEqual([name, comparable(expected)]);
    }
  }, 60_000);
});
