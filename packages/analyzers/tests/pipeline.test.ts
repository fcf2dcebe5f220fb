/* eslint-disable @typescript-eslint/no-non-null-assertion -- fixtures have known shapes */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CallLogRowError, CsvHeaderError, FinopsError, defaultCatalog } from '@finops/schema';
import { type AnalysisResults, type AnalyzeOptions, analyzeCosts } from '../src';
import { type ParseTask, readInPipeline } from '../src/internal';
import { comparable, csvOf, randomLog, randomLogV2 } from './fixtures';

const bootstrap = join(__dirname, 'worker-bootstrap.cjs');

/** A log with what a reader must get right: a BOM, CRLF, quoted fields, a duplicate, broken and invalid rows. */
function hostileLog(): string {
  const lines = csvOf(randomLogV2(6000, 9, 5)).split('\n');
  lines[0] = `\uFEFF${lines[0]!}`;
  lines.splice(4000, 0, lines[12]!); // a duplicate of an early call, late in the file
  lines.splice(2500, 0, 'broken,row');
  lines.splice(1800, 0, lines[1800]!.replace(/,\d+,/, ',-4,')); // a negative number in place of a count
  // A quoted user agent with a comma, a doubled quote and a line break.
  lines[900] = lines[900]!.replace(/,[^,]*$/, ',"Agent, ""quoted""\nnext line"');
  return lines.map((line, index) => (index % 7 === 3 ? `${line}\r` : line)).join('\n');
}

describe('two threads: a reader beside the grouping', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'analyzers-pipeline-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives one thread’s results, rejections, quarantine and progress on a hostile log', async () => {
    const path = join(dir, 'hostile.csv');
    writeFileSync(path, hostileLog());
    const run = async (
      workers: number,
    ): Promise<{ results: AnalysisResults; quarantined: string; read: number }> => {
      const quarantine = join(dir, `quarantine-${workers}.csv`);
      let read = 0;
      const options: AnalyzeOptions = {
        workers,
        workerScript: bootstrap,
        quarantine,
        progress: ({ bytesRead }) => (read = bytesRead),
      };
      const results = await analyzeCosts(path, options);
      return { results, quarantined: readFileSync(quarantine, 'utf8'), read };
    };
    const one = await run(1);
    const two = await run(2);
    expect(one.results.meta.workers).toBe(1);
    expect(two.results.meta.workers).toBe(2);
    expect(one.results.meta.rowsRejected).toBe(3);
    expect(one.results.features!.traces.length).toBeGreaterThan(0);
    expect(comparable(two.results)).toEqual(comparable(one.results));
    expect(two.quarantined).toBe(one.quarantined);
    expect(two.read).toBe(one.read);
  }, 120_000);

  it('stops a strict read at the first rejected row, as one thread does', async () => {
    const path = join(dir, 'strict.csv');
    const lines = csvOf(randomLog(3000, 4, 8)).split('\n');
    lines.splice(2100, 0, 'broken,row');
    lines.splice(2600, 0, 'broken,again');
    writeFileSync(path, lines.join('\n'));
    const errorOf = (workers: number): Promise<unknown> =>
      analyzeCosts(path, { workers, workerScript: bootstrap, strict: true }).catch((error: unknown) => error);
    const one = await errorOf(1);
    const two = await errorOf(2);
    expect(one).toBeInstanceOf(CallLogRowError);
    expect(two).toBeInstanceOf(CallLogRowError);
    expect((two as CallLogRowError).rejection.line).toBe(2101);
    expect((two as Error).message).toBe((one as Error).message);
  }, 120_000);

  it('reads a header as one thread does, two threads or three: after blank lines, over two lines, its errors with the source', async () => {
    const records = randomLog(400, 3, 12);
    // A quoted name over 30,000 lines (about 300 KB) crosses a chunk of the file: it is read whole, once.
    const longName = Array.from({ length: 30_000 }, (_, index) => `part ${index}`).join('\n');
    const cases: [string, string][] = [
      ['blank-first.csv', `\n\r\n${csvOf(records)}`],
      ['quoted-header.csv', csvOf(records).replace('\n', ',"an extra\ncolumn"\n')],
      ['long-header.csv', csvOf(records).replace('\n', `,"${longName}"\n`)],
    ];
    for (const [name, text] of cases) {
      const path = join(dir, name);
      writeFileSync(path, text);
      const readWith = async (workers: number): Promise<{ results: AnalysisResults; read: number }> => {
        let read = 0;
        const results = await analyzeCosts(path, {
          workers,
          workerScript: bootstrap,
          progress: ({ bytesRead }) => (read = bytesRead),
        });
        return { results, read };
      };
      const one = await readWith(1);
      expect(one.results.meta.calls).toBe(400);
      expect(one.read).toBe(statSync(path).size);
      // Two threads read beside each other; three split the file after its header.
      for (const workers of [2, 3]) {
        const other = await readWith(workers);
        expect(comparable(other.results)).toEqual(comparable(one.results));
        expect(other.read).toBe(one.read);
      }
    }
    const missing = join(dir, 'missing-column.csv');
    writeFileSync(missing, csvOf(records).replace('input_tokens', 'tokens_in'));
    const errorOf = (workers: number): Promise<unknown> =>
      analyzeCosts(missing, { workers, workerScript: bootstrap, source: 'shown.csv' }).catch(
        (error: unknown) => error,
      );
    const one = await errorOf(1);
    expect((one as Error).message).toMatch(/^shown\.csv: /);
    for (const workers of [2, 3]) {
      const error = await errorOf(workers);
      expect(error).toBeInstanceOf(CsvHeaderError);
      expect((error as CsvHeaderError).missing).toEqual((one as CsvHeaderError).missing);
      expect((error as Error).message).toBe((one as Error).message);
    }
  }, 120_000);

  it('reads an empty file, a header alone and a renamed header as one thread does', async () => {
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, '');
    await expect(analyzeCosts(empty, { workers: 2, workerScript: bootstrap })).rejects.toThrow(
      `${empty}: the file is empty (no header row)`,
    );
    const header = join(dir, 'header.csv');
    writeFileSync(header, csvOf([]));
    const alone = await analyzeCosts(header, { workers: 2, workerScript: bootstrap });
    expect(alone.meta.calls).toBe(0);
    expect(comparable(alone)).toEqual(comparable(await analyzeCosts(header, { workers: 1 })));
    const renamed = join(dir, 'renamed.csv');
    writeFileSync(renamed, csvOf(randomLog(500, 3, 4)).replace('customer_id', 'end_user'));
    const mapping = { customer_id: 'end_user' };
    expect(comparable(await analyzeCosts(renamed, { workers: 2, workerScript: bootstrap, mapping }))).toEqual(
      comparable(await analyzeCosts(renamed, { workers: 1, mapping })),
    );
  }, 120_000);

  describe('readInPipeline', () => {
    const taskOf = (path: string, tuning: Partial<ParseTask> = {}): ParseTask => ({
      kind: 'parse',
      path,
      source: path,
      size: statSync(path).size,
      catalog: defaultCatalog().toJSON(),
      sessionColumns: true,
      ...tuning,
    });

    it('hands every batch over in order, the reader one batch ahead of a slow handler', async () => {
      const path = join(dir, 'batches.csv');
      const records = randomLog(8000, 5, 3);
      writeFileSync(path, csvOf(records));
      const seen: string[] = [];
      let batches = 0;
      const tally = await readInPipeline(
        bootstrap,
        taskOf(path, { chunksPerBatch: 1, batchesAhead: 1 }),
        async (columns, values) => {
          batches++;
          const sessions = values[13]!;
          for (let row = 0; row < columns.length; row++) seen.push(sessions[columns.ids[row * 14 + 13]!]!);
          await new Promise((resolve) => setTimeout(resolve, 5));
        },
      );
      expect(batches).toBeGreaterThan(4);
      expect(tally.rowsKept).toBe(8000);
      expect(seen).toEqual(records.map((record) => record.sessionId));
    }, 120_000);

    it('refuses tuning out of range, and brings back the reader’s error and the handler’s', async () => {
      const path = join(dir, 'errors.csv');
      writeFileSync(path, csvOf(randomLog(2000, 2, 6)));
      const task = taskOf(path);
      await expect(readInPipeline(bootstrap, { ...task, batchesAhead: 0 }, () => undefined)).rejects.toThrow(
        /batchesAhead must be a whole number from 1 to 1024/,
      );
      const bad = await readInPipeline(
        bootstrap,
        { ...task, catalog: { providers: {} } } as unknown as ParseTask,
        () => undefined,
      ).catch((error: unknown) => error);
      expect(bad).toBeInstanceOf(FinopsError);
      expect((bad as FinopsError).code).toBe('invalid_catalog');
      // A handler that fails on the first batch is handed no other, though the reader posted more.
      let handed = 0;
      const stopped = await readInPipeline(bootstrap, { ...task, chunksPerBatch: 1 }, async () => {
        handed++;
        await new Promise((resolve) => setTimeout(resolve, 100));
        throw new Error('handler failed');
      }).catch((error: unknown) => error);
      expect((stopped as Error).message).toBe('handler failed');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(handed).toBe(1);
    }, 120_000);
  });
});
