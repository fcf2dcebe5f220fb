import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importExport } from '@finops/importers';
import { readCallLog } from '@finops/schema';
import { ensureImportExport, IMPORT_BENCH_SOURCES, importBenchPaths } from '../src/exports';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'finops-bench-import-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function csvTotals(path: string): Promise<{ rows: number; micros: number; input: number }> {
  let rows = 0;
  let micros = 0;
  let input = 0;
  for await (const batch of readCallLog(path)) {
    for (const record of batch.records) {
      micros += record.costMicros;
      input += record.inputTokens;
    }
    rows = batch.tally.rowsKept;
  }
  return { rows, micros, input };
}

describe('import benchmark inputs', () => {
  it.each(IMPORT_BENCH_SOURCES)(
    'the %s export is recognised and imports the same calls as our CSV beside it',
    async (source) => {
      const sizeMb = 0.25;
      const { exportPath, csvPath } = await ensureImportExport(folder, source, sizeMb);
      expect({ exportPath, csvPath }).toEqual(importBenchPaths(folder, source, sizeMb));
      expect((await stat(exportPath)).size).toBeGreaterThanOrEqual(sizeMb * 1024 * 1024);
      let tally;
      let format;
      for await (const batch of importExport(exportPath)) {
        tally = batch.tally;
        format = batch.detection.format;
      }
      expect(format).toBe('jsonl');
      expect(tally?.source).toBe(source);
      const expected = await csvTotals(csvPath);
      expect(expected.rows).toBeGreaterThan(100);
      expect(tally).toMatchObject({
        recordsKept: expected.rows,
        recordsRejected: 0,
        inputTokens: expected.input,
      });
      // Gateways and observability tools report the cost; spans carry none (priced from the catalog when read).
      expect(tally?.reportedCostMicros).toBe(source === 'otel' ? 0 : expected.micros);
      // A second call finds the files and keeps them.
      const before = (await stat(exportPath)).mtimeMs;
      await ensureImportExport(folder, source, sizeMb);
      expect((await stat(exportPath)).mtimeMs).toBe(before);
    },
  );
});
