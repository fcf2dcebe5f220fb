/* eslint-disable @typescript-eslint/no-non-null-assertion -- fixtures have known shapes */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { type CallRecord } from '@finops/schema';
import { CostAnalyzer, analyzeCosts, analyzeInto } from '../src';
import { type RangeRunner, analyzeRange } from '../src/internal';
import { call, comparable, csvOf, randomLog } from './fixtures';

/** Results without the figure that names how the read was done. */
const inProcess: RangeRunner = (task, onProgress) => analyzeRange(task, onProgress);

describe('merge laws', () => {
  const log = randomLog(600, 20, 11);
  const whole = comparable(new CostAnalyzer().merge(stateOf(log)).finish());

  function stateOf(records: readonly CallRecord[]) {
    const analyzer = new CostAnalyzer();
    analyzer.addRecords(records);
    // Through JSON, as a state sent between processes would be.
    return JSON.parse(JSON.stringify(analyzer.state()));
  }

  it('splitting anywhere, in any number of parts, merged in any order, gives the one-pass result', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: log.length - 1 }), { maxLength: 5 }),
        fc.integer({ min: 0, max: 1000 }),
        (cuts, seed) => {
          const points = [0, ...cuts.sort((a, b) => a - b), log.length];
          const parts = points.slice(1).map((end, index) => log.slice(points[index], end));
          // A permutation of the parts from the seed.
          const order = parts
            .map((_, index) => index)
            .sort((a, b) => ((a * 7919 + seed) % 13) - ((b * 7919 + seed) % 13) || a - b);
          const merged = new CostAnalyzer();
          for (const index of order) merged.merge(stateOf(parts[index]!));
          expect(comparable(merged.finish())).toEqual(whole);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('the order of records within a pass does not change the result', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), (seed) => {
        const shuffled = log
          .slice()
          .sort(
            (a, b) => ((a.timeMs * 31 + seed) % 97) - ((b.timeMs * 31 + seed) % 97) || a.timeMs - b.timeMs,
          );
        const analyzer = new CostAnalyzer();
        analyzer.addRecords(shuffled);
        expect(comparable(analyzer.finish())).toEqual(whole);
      }),
      { numRuns: 10 },
    );
  });
});

describe('reading a file in parts', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'analyzers-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function fileWith(records: readonly CallRecord[], extraLines: string[] = []): string {
    const lines = csvOf(records).split('\n');
    // Bad rows and a duplicate spread through the file.
    extraLines.forEach((line, index) =>
      lines.splice(2 + Math.floor(((lines.length - 3) * (index + 1)) / (extraLines.length + 1)), 0, line),
    );
    const path = join(dir, `log-${Math.random().toString(36).slice(2)}.csv`);
    writeFileSync(path, lines.join('\n'));
    return path;
  }

  it('1, 2 and 4 parts give the single-pass result, tally, rejections and line numbers included', async () => {
    const records = randomLog(900, 15, 5);
    const duplicate = csvOf([{ ...records[10]!, costMicros: 5 }]).split('\n')[1]!;
    const duplicateLate = csvOf([{ ...records[800]!, costMicros: 7 }]).split('\n')[1]!;
    const path = fileWith(records, ['not,a,valid,row', duplicate, '', 'x'.repeat(20), duplicateLate]);
    const single = await analyzeCosts(path);
    expect(single.meta.rowsRejected).toBe(4);
    expect(single.meta.rejectedByReason.duplicate_call_id).toBe(2);
    for (const parts of [1, 2, 4]) {
      const analyzer = await analyzeInto(
        new CostAnalyzer({ source: path }),
        path,
        { workers: parts },
        inProcess,
      );
      const results = analyzer.finish();
      expect(results.meta.workers).toBe(parts);
      expect(comparable(results)).toEqual(comparable(single));
      expect(results.meta.rejections.map((rejection) => rejection.line)).toEqual(
        single.meta.rejections.map((rejection) => rejection.line),
      );
    }
  });

  it('property: any log with repeated ids reads the same in 2 and 4 parts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 40, max: 200 }),
        async (seed, count) => {
          const records = randomLog(count, 5, seed);
          // Repeat some ids later in the file: the first occurrence counts.
          for (let index = 3; index < records.length; index += 17)
            records[index] = { ...records[index]!, callId: records[(index * seed) % index]!.callId };
          const path = fileWith(records);
          const single = comparable(await analyzeCosts(path));
          for (const parts of [2, 4]) {
            const analyzer = await analyzeInto(
              new CostAnalyzer({ source: path }),
              path,
              { workers: parts },
              inProcess,
            );
            expect(comparable(analyzer.finish())).toEqual(single);
          }
        },
      ),
      { numRuns: 8 },
    );
  });

  it('a split inside a quoted field falls back to one part', async () => {
    const records = Array.from({ length: 60 }, (_, index) =>
      call({ day: index % 4, userAgent: index === 30 ? 'Agent "x",\nline two' : 'plain' }),
    );
    const path = fileWith(records);
    const single = comparable(await analyzeCosts(path));
    const analyzer = await analyzeInto(new CostAnalyzer({ source: path }), path, { workers: 4 }, inProcess);
    expect(comparable(analyzer.finish())).toEqual(single);
    expect(analyzer.finish().meta.workers).toBe(1);
  });
});
