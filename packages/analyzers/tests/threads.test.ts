/* eslint-disable @typescript-eslint/no-non-null-assertion -- fixtures have known shapes */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FinopsError, defaultCatalog } from '@finops/schema';
import { CostAnalyzer, TWO_THREADS_FROM_BYTES, analyzeCosts, defaultWorkers } from '../src';
import {
  Cube,
  type RangeTask,
  analyzeFileInParts,
  analyzeRange,
  movableState,
  threadRunner,
} from '../src/internal';
import { comparable, csvOf, randomLog } from './fixtures';

const bootstrap = join(__dirname, 'worker-bootstrap.cjs');

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
  }, 120_000);

  it('reads the first part in the calling thread and hands only the others to the runner', async () => {
    const path = join(dir, 'parts.csv');
    writeFileSync(path, csvOf(randomLog(900, 6, 5)));
    const catalog = defaultCatalog();
    const settings = new CostAnalyzer().storeSettings();
    const handed: RangeTask[] = [];
    const runner = (task: RangeTask, onProgress: (bytes: number) => void) => {
      handed.push(task);
      return analyzeRange(task, onProgress);
    };
    const everywhere = await analyzeFileInParts(path, 3, catalog, settings, runner);
    expect(handed).toHaveLength(3);
    handed.length = 0;
    const here = await analyzeFileInParts(path, 3, catalog, settings, runner, { firstPartHere: true });
    expect(handed).toHaveLength(2);
    expect(handed.every((task) => task.start > 0)).toBe(true);
    expect(here.parts).toBe(3);
    expect(here.tally).toEqual(everywhere.tally);
    expect(here.cube.canonical().toData()).toEqual(everywhere.cube.canonical().toData());
  }, 120_000);

  it('moves the generic cells of a state as typed arrays that read back as the same cube', async () => {
    const path = join(dir, 'moved.csv');
    writeFileSync(path, csvOf(randomLog(600, 6, 8)));
    const settings = new CostAnalyzer().storeSettings();
    const header = await analyzeFileInParts(path, 1, defaultCatalog(), settings, analyzeRange);
    const plain = header.cube.toData();
    const moved = structuredClone(header.cube.toData());
    const buffers = movableState(moved);
    expect(buffers.length).toBeGreaterThan(0);
    expect(moved.generic.some((grouping) => grouping.keys[0]!.length > 0)).toBe(true);
    // Keys move as 32-bit integers (half the memory of doubles), measures as doubles.
    expect(moved.generic.every((grouping) => grouping.keys.every((ids) => ids instanceof Int32Array))).toBe(
      true,
    );
    expect(
      moved.generic.every((grouping) => grouping.measures.every((values) => values instanceof Float64Array)),
    ).toBe(true);
    // A state whose keys moved as doubles reads back the same.
    const doubles = structuredClone(moved);
    for (const grouping of doubles.generic)
      grouping.keys = grouping.keys.map((ids) => Float64Array.from(ids));
    expect(Cube.fromData(doubles, defaultCatalog()).toData()).toEqual(plain);
    const posted = structuredClone(moved, { transfer: buffers });
    expect(Cube.fromData(posted, defaultCatalog()).toData()).toEqual(plain);
    const merged = Cube.fromData(plain, defaultCatalog()).merge(Cube.fromData(posted, defaultCatalog()));
    const twice = Cube.fromData(plain, defaultCatalog()).merge(Cube.fromData(plain, defaultCatalog()));
    expect(merged.canonical().toData()).toEqual(twice.canonical().toData());
  });

  it('reads with two threads by default only a file large enough to pay for the second, with a second core', async () => {
    expect(defaultWorkers(16 * 1024 * 1024, 2)).toBe(1);
    expect(defaultWorkers(50 * 1024 * 1024, 2)).toBe(2);
    expect(defaultWorkers(TWO_THREADS_FROM_BYTES - 1, 2)).toBe(1);
    expect(defaultWorkers(TWO_THREADS_FROM_BYTES, 2)).toBe(2);
    expect(defaultWorkers(500 * 1024 * 1024, 8)).toBe(2);
    expect(defaultWorkers(500 * 1024 * 1024, 1)).toBe(1);
    const path = join(dir, 'small.csv');
    writeFileSync(path, csvOf(randomLog(200, 2, 4)));
    expect((await analyzeCosts(path, { workerScript: bootstrap })).meta.workers).toBe(1);
  });

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
  }, 120_000);
});
