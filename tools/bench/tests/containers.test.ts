import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCallLog } from '@finops/schema';
import { BENCH_CONTAINERS, containerPath, ensureContainerCopy } from '../src/containers';
import { generateBenchLog } from '../src/generate';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'finops-bench-containers-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function totals(path: string): Promise<{ rows: number; kept: number; costMicros: number }> {
  let costMicros = 0;
  let rows = 0;
  let kept = 0;
  for await (const batch of readCallLog(path)) {
    for (const record of batch.records) costMicros += record.costMicros;
    rows = batch.tally.rowsRead;
    kept = batch.tally.rowsKept;
  }
  return { rows, kept, costMicros };
}

describe('benchmark inputs in every container', () => {
  it('copies a log into each container, read back to the same calls, and reuses fresh copies', async () => {
    const csv = join(folder, 'read-1mb.csv');
    const { rows } = await generateBenchLog(csv, { bytes: 150_000, seed: 5 });
    const expected = await totals(csv);
    expect(expected).toMatchObject({ rows, kept: rows });
    for (const container of BENCH_CONTAINERS) {
      const path = await ensureContainerCopy(csv, container);
      expect(path).toBe(containerPath(csv, container));
      expect([container, await totals(path)]).toEqual([container, expected]);
    }
    const { mtimeMs } = await stat(containerPath(csv, 'parquet'));
    await ensureContainerCopy(csv, 'parquet');
    expect((await stat(containerPath(csv, 'parquet'))).mtimeMs).toBe(mtimeMs);
  });
});
