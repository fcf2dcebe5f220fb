import { readFile, rm, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanBytes } from '../src/byte-scan';
import { splitRows } from '../src/split-rows';
import { ProcessMeter, probeResult } from '../src/processes';
import { rowLengths, trivialRow, writeTrivialLog } from '../src/trivial-writer';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'finops-bench-floors-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

const header = 'timestamp,call_id,provider\n';
const template = '2025-01-06T00:00:00.000000,call_1,openai\n';

describe('the floors the toolkit is measured against', () => {
  it('counts bytes and lines across chunk boundaries', async () => {
    const path = join(folder, 'scan.txt');
    await writeFile(path, 'a\nbb\n\nccc');
    expect(await scanBytes(path, 3)).toEqual({ bytes: 9, lines: 3 });
    expect(await scanBytes(path)).toEqual({ bytes: 9, lines: 3 });
  });

  it('splits rows and fields as the schema scanner does, across chunks, quotes and UTF-8', async () => {
    const path = join(folder, 'rows.csv');
    const text = 'a,b,c\n1,"x,\ny",3\n\n4,é€,6\n7,8,9';
    await writeFile(path, text);
    const expected = { bytes: Buffer.byteLength(text), rows: 4, fields: 12, malformed: 0 };
    for (const chunk of [1, 2, 3, 5, 1 << 20]) expect(await splitRows(path, chunk)).toEqual(expected);
    await writeFile(path, 'a,b\n1,"open\n');
    expect(await splitRows(path)).toMatchObject({ rows: 1, malformed: 1 });
  });

  it('spreads the bytes over the rows and cuts or pads the template to each length', () => {
    expect(rowLengths({ header, template, rows: 4, bytes: header.length + 42 })).toEqual({
      length: 10,
      longer: 2,
    });
    expect(trivialRow(template, 7, 10)).toBe('7,call_1,\n');
    expect(trivialRow(template, 12, 20)).toBe('12,call_1,openaixxx\n');
    expect(() => rowLengths({ header, template, rows: 0, bytes: 100 })).toThrow(/rows must be at least 1/);
    expect(() => rowLengths({ header, template, rows: 50, bytes: 60 })).toThrow(/cannot hold 50 rows/);
  });

  it('writes exactly the rows and bytes asked for, in small chunks too', async () => {
    const path = join(folder, 'trivial.csv');
    const shape = { header, template, rows: 1000, bytes: header.length + 1000 * 41 + 17 };
    expect(await writeTrivialLog(path, shape, 512)).toEqual({ rows: 1000, bytes: shape.bytes });
    const text = await readFile(path, 'utf8');
    expect(text.length).toBe(shape.bytes);
    const lines = text.split('\n');
    expect(lines[0]).toBe('timestamp,call_id,provider');
    expect(lines.length - 2).toBe(1000);
    expect(lines[1]).toBe('0,call_1,openaixxxxxxxxxxxxxxxxxxxxxxxxxx');
    expect(lines[1001]).toBe('');
    await expect(writeTrivialLog(path, { ...shape, template: 'a\nb\n' })).rejects.toThrow(/one ASCII line/);
  });

  it('measures a whole Node process from outside: its wall time, its own peak memory and its output', async () => {
    const meter = await ProcessMeter.create(join(folder, 'meter'));
    const run = await meter.run({
      args: [
        '-e',
        'const kept = Buffer.alloc(64 * 1024 * 1024, 1); console.log(JSON.stringify({ bytes: kept.length }))',
      ],
      captureStdout: true,
    });
    expect(probeResult<{ bytes: number }>(run)).toEqual({ bytes: 64 * 1024 * 1024 });
    expect(run.peakRssBytes).toBeGreaterThan(64 * 1024 * 1024);
    expect(run.wallMs).toBeGreaterThan(0);
    expect(run.cpuMs).toBeGreaterThan(0);
    await expect(meter.run({ args: ['-e', 'process.exit(3)'] })).rejects.toThrow(/exited with code 3/);
    expect(() => probeResult({ wallMs: 1, peakRssBytes: 1, cpuMs: 1, stdout: 'no json' })).toThrow(
      /no JSON result line/,
    );
  });
});
