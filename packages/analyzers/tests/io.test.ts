/* eslint-disable @typescript-eslint/no-non-null-assertion -- fixtures have known shapes */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { CallLogRowError } from '@finops/schema';
import { CostAnalyzer, analyzeCosts } from '../src';
import { call, csvOf, randomLog } from './fixtures';

describe('inputs, quarantine, strict mode and live files', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'analyzers-io-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const records = randomLog(200, 6, 21);
  const text = csvOf(records);

  it('reads a byte stream, text chunks and single records alike', async () => {
    const fromRecords = await analyzeCosts(records, { analyses: ['understanding'] });
    const fromStream = await analyzeCosts(
      Readable.from([Buffer.from(text.slice(0, 1000)), Buffer.from(text.slice(1000))]),
      {
        analyses: ['understanding'],
      },
    );
    const progress: number[] = [];
    const fromText = await analyzeCosts([text.slice(0, 77), text.slice(77)], {
      analyses: ['understanding'],
      progress: (p) => progress.push(p.bytesRead),
    });
    expect(fromStream.understanding).toEqual(fromRecords.understanding);
    expect(fromText.understanding).toEqual(fromRecords.understanding);
    expect(fromStream.meta.rowsRead).toBe(200);
    expect(progress[progress.length - 1]).toBe(Buffer.byteLength(text));
    expect(fromRecords.performance).toBeUndefined();
  });

  it('writes rejected rows to the quarantine file and reports them', async () => {
    const path = join(dir, 'bad.csv');
    writeFileSync(
      path,
      `${text}2025-11-03T00:00:00,call_bad,openai,gpt-4o,-5,1,0.1,10,c,pro,o,p,f,t,production,r,t,s,u\n`,
    );
    const quarantine = join(dir, 'quarantine.csv');
    const results = await analyzeCosts(path, { quarantine });
    expect(results.meta.rowsRejected).toBe(1);
    expect(results.meta.rejections[0]).toMatchObject({
      line: 202,
      field: 'input_tokens',
      reason: 'invalid_integer',
    });
    expect(readFileSync(quarantine, 'utf8')).toContain('call_bad');
    await expect(analyzeCosts(path, { strict: true })).rejects.toBeInstanceOf(CallLogRowError);
  });

  it('rejects an empty input', async () => {
    const path = join(dir, 'empty.csv');
    writeFileSync(path, '');
    await expect(analyzeCosts(path)).rejects.toThrow(/empty/);
    await expect(analyzeCosts([Buffer.alloc(0)])).rejects.toThrow(/empty/);
  });

  it('follows a growing file: only new complete lines, then the same result as one read', async () => {
    const path = join(dir, 'live.csv');
    const lines = text.split('\n');
    writeFileSync(path, lines.slice(0, 101).join('\n') + '\n' + lines[101]!.slice(0, 20));
    const analyzer = new CostAnalyzer();
    await analyzer.follow(path);
    expect(analyzer.finish().meta.rowsRead).toBe(100);
    appendFileSync(path, lines[101]!.slice(20) + '\n' + lines.slice(102).join('\n'));
    await analyzer.follow(path);
    const whole = await analyzeCosts(path);
    expect(analyzer.finish()).toEqual(whole);
    // A replaced file is read again from the start.
    writeFileSync(path, csvOf([call({ customerId: 'only' })]));
    await analyzer.follow(path);
    expect(analyzer.finish().understanding!.totals.customers).toBe(1);
  });
});
