import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tallyCallLog, V1_COLUMNS } from '@finops/schema';
import { ensureBenchLog, generateBenchLog } from '../src/generate';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'finops-bench-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('benchmark inputs', () => {
  it('writes a valid, catalog-priced log of the requested size', async () => {
    const path = join(folder, 'log.csv');
    const { rows, bytes } = await generateBenchLog(path, { bytes: 200_000, quoted: true, seed: 3 });
    expect(bytes).toBeGreaterThanOrEqual(200_000);
    expect(bytes).toBeLessThan(200_400);
    expect((await stat(path)).size).toBe(bytes);
    const tally = await tallyCallLog(path);
    expect(tally).toMatchObject({ rowsRead: rows, rowsKept: rows, rowsRejected: 0 });
    expect(tally.warningsByKind.cost_mismatch ?? 0).toBe(0);
    expect(tally.warningsByKind.unknown_model ?? 0).toBe(0);
  });

  it('writes a version-1 log: its 19 columns, in their order, in every row', async () => {
    const path = join(folder, 'version-1.csv');
    await generateBenchLog(path, { bytes: 20_000, seed: 4 });
    const [header, ...rows] = (await readFile(path, 'utf8')).trimEnd().split('\n');
    expect(header?.split(',')).toEqual([...V1_COLUMNS]);
    expect(V1_COLUMNS).toHaveLength(19);
    for (const row of rows) expect(row.split(',')).toHaveLength(19);
  });

  it('reuses an existing input of the right size', async () => {
    const path = join(folder, 'reuse.csv');
    const first = await ensureBenchLog(path, { bytes: 50_000 });
    const { mtimeMs } = await stat(path);
    expect(await ensureBenchLog(path, { bytes: 50_000 })).toBe(first);
    expect((await stat(path)).mtimeMs).toBe(mtimeMs);
  });
});
