import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csvHeaderLine, formatCsvRecords } from '@finops/schema';
import { analyzeWarehouse, CALLS_TABLE, type CallWarehouse, loadCalls, withMergesPaused } from '../src';
// The analyses run on the analyzers' own fixture logs, not on copies of them.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { randomLogV2 } from '../../analyzers/tests/fixtures';
import { freshWarehouse } from './engine';

const folder = mkdtempSync(join(tmpdir(), 'finops-ch-merges-'));
let warehouse: CallWarehouse;

const OPTIMIZE = {
  sql: `OPTIMIZE TABLE {database:Identifier}.${CALLS_TABLE} FINAL SETTINGS optimize_throw_if_noop = 1`,
  params: {},
};

async function activeParts(): Promise<number> {
  const [row] = await warehouse.rows<{ parts: string }>({
    sql: `SELECT count() AS parts FROM system.parts WHERE database = {database:String} AND table = '${CALLS_TABLE}' AND active`,
    params: { database: warehouse.database },
  });
  return Number(row?.parts);
}

beforeAll(async () => {
  warehouse = await freshWarehouse('merges');
  const records = randomLogV2(600, 10, 91);
  for (const [index, part] of [records.slice(0, 300), records.slice(300)].entries()) {
    const path = join(folder, `part-${index}.csv`);
    writeFileSync(path, csvHeaderLine() + formatCsvRecords(part));
    await loadCalls(warehouse, path);
  }
});

afterAll(async () => {
  await warehouse.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('the table merges while an analysis reads it (embedded engine)', () => {
  it('pauses the calls table merges during a read and resumes them after, even when the read fails', async () => {
    expect(await activeParts()).toBeGreaterThan(1);
    // A merge asked for while merges are paused is refused by the engine.
    await expect(withMergesPaused(warehouse, () => warehouse.command(OPTIMIZE))).rejects.toThrow();
    await expect(
      withMergesPaused(warehouse, () => Promise.reject(new Error('the read failed'))),
    ).rejects.toThrow('the read failed');
    // Resumed: the same merge now runs, and the analysis before and after it gives the same results.
    const before = JSON.stringify(await analyzeWarehouse(warehouse));
    await warehouse.command(OPTIMIZE);
    expect(await activeParts()).toBe(1);
    expect(JSON.stringify(await analyzeWarehouse(warehouse))).toBe(before);
  });

  it("pauses them during a load by the engine's path and resumes them after, even when the file falls back", async () => {
    const clean = join(folder, 'engine.csv');
    writeFileSync(clean, csvHeaderLine() + formatCsvRecords(randomLogV2(400, 10, 92)));
    const loaded = await loadCalls(warehouse, clean, { path: 'engine' });
    expect(loaded.rowsWritten).toBe(400);
    // Pauses that overlap (an analysis beside a load): the merges resume only when the last one ends.
    await withMergesPaused(warehouse, async () => {
      await withMergesPaused(warehouse, () => Promise.resolve());
      await expect(warehouse.command(OPTIMIZE)).rejects.toThrow();
    });
    // Resumed: a merge runs once the load is done.
    await warehouse.command(OPTIMIZE);
    expect(await activeParts()).toBe(1);
    // A repeated call id sends the file to the reader's path after the engine wrote its rows: they are
    // deleted, and the empty part the delete leaves is dropped (it has no projections, so no merge takes it).
    const repeated = join(folder, 'repeated.csv');
    const records = randomLogV2(50, 10, 93);
    writeFileSync(repeated, csvHeaderLine() + formatCsvRecords([...records, ...records.slice(0, 5)]));
    const second = await loadCalls(warehouse, repeated, { path: 'engine' });
    expect(second.via).toBe('reader');
    await warehouse.command(OPTIMIZE);
    expect(await activeParts()).toBe(1);
  });
});
