/* eslint-disable @typescript-eslint/no-non-null-assertion -- fixtures have known shapes */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FinopsError } from '@finops/schema';
import { type AnalysisResults, analyzeCosts } from '../src';
import { threadRunner } from '../src/internal';
import { csvOf, randomLog } from './fixtures';

const bootstrap = join(__dirname, 'worker-bootstrap.cjs');

function comparable(results: AnalysisResults): unknown {
  return JSON.parse(JSON.stringify({ ...results, meta: { ...results.meta, workers: 0 } }));
}

describe('worker threads', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'analyzers-threads-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('1, 2 and 4 threads give the single-pass result', async () => {
    const records = randomLog(1500, 10, 3);
    const lines = csvOf(records).split('\n');
    lines.splice(700, 0, lines[5]!); // a duplicate of an early row, late in the file
    lines.splice(300, 0, 'broken,row');
    const path = join(dir, 'log.csv');
    writeFileSync(path, lines.join('\n'));
    const progress: number[] = [];
    const single = await analyzeCosts(path, { progress: ({ bytesRead }) => progress.push(bytesRead) });
    expect(single.meta.rejectedByReason).toEqual({ duplicate_call_id: 1, missing_field: 1 });
    expect(progress.length).toBeGreaterThan(0);
    for (const workers of [1, 2, 4]) {
      const results = await analyzeCosts(path, { workers, workerScript: bootstrap });
      expect(results.meta.workers).toBe(workers);
      expect(comparable(results)).toEqual(comparable(single));
    }
  }, 30_000);

  it('brings an error back from a worker thread with its code', async () => {
    const path = join(dir, 'missing.csv');
    const runner = threadRunner(bootstrap);
    const error = await runner(
      {
        path,
        start: 0,
        end: 10,
        layout: { positions: [], extras: [], width: 0, names: [] },
        catalog: { providers: {} },
        settings: { slaMs: 1, latencyBinMs: 1, latencyBinCount: 1 },
      },
      () => undefined,
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FinopsError);
    expect((error as FinopsError).code).toBe('invalid_catalog');
    expect((error as Error).name).toBe('CatalogError');
  }, 30_000);
});
