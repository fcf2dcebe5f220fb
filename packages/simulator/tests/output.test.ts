import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatCsvRecord, readCallLog, writeCallLog, type ReadTally } from '@finops/schema';
import { SIMULATED_COLUMNS, simulate, simulateToFile, type SimulationProgress } from '../src';
import { collect, MONDAY } from './helpers';

let folder: string;
beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'simulator-'));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const small = { customers: 30, days: 6, start: MONDAY } as const;

describe('simulateToFile', () => {
  it('gives byte-identical files for the same options and different data for another seed', async () => {
    const first = join(folder, 'first.csv');
    const second = join(folder, 'second.csv');
    const other = join(folder, 'other.csv');
    await simulateToFile({ ...small, scenario: 'all', seed: 7 }, first);
    await simulateToFile({ ...small, scenario: 'all', seed: 7 }, second);
    await simulateToFile({ ...small, scenario: 'all', seed: 8 }, other);
    const bytes = readFileSync(first);
    expect(bytes.equals(readFileSync(second))).toBe(true);
    const otherLines = new Set(readFileSync(other, 'utf8').split('\n').slice(1));
    const sameLines = bytes
      .toString('utf8')
      .split('\n')
      .slice(1)
      .filter((line) => line !== '' && otherLines.has(line)).length;
    expect(sameLines).toBe(0);
  });

  it('writes the pinned bytes: a faster writer or draw must not change the stream or the format', async () => {
    // SHA-256 of the files as written before the byte writer was made faster. A deliberate change of the
    // built-in catalog, a scenario or the format changes them: then, and only then, pin the new digests.
    const pinned = [
      {
        options: { scenario: 'all', customers: 40, days: 8, seed: 7, start: MONDAY },
        calls: 22_934,
        digest: 'fa6d61dffd8575ef244eda636a284cbc95051bd2ab1226cc98f465a2904077af',
      },
      {
        options: { scenario: 'base', sizeMb: 2, seed: 42, start: MONDAY },
        calls: 7890,
        digest: 'ec474df9db65e5d253275dbb84edd9afab1f4f5ccf3d779f51580abefd5ebdee',
      },
    ] as const;
    for (const { options, calls, digest } of pinned) {
      const path = join(folder, `pinned-${options.scenario}.csv`);
      const summary = await simulateToFile(options, path);
      expect(summary.calls).toBe(calls);
      expect(createHash('sha256').update(readFileSync(path)).digest('hex')).toBe(digest);
    }
  });

  it('writes to /dev/null in place, live or not, and leaves it a device', async () => {
    const fixed = await simulateToFile({ ...small, seed: 3 }, '/dev/null');
    const live = await simulateToFile({ scenario: 'base', sizeMb: 1, seed: 3, start: MONDAY }, '/dev/null');
    expect(fixed.calls).toBeGreaterThan(0);
    expect(live.bytes).toBeGreaterThanOrEqual(1_000_000);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    expect(readdirSync('/dev').filter((name) => name.startsWith('.null.'))).toEqual([]);
  });

  it('writes what simulate() yields, in the schema writer format', async () => {
    const fast = join(folder, 'fast.csv');
    const viaSchema = join(folder, 'schema.csv');
    const options = { ...small, scenario: 'all', seed: 5 } as const;
    const summary = await simulateToFile(options, fast);
    const written = await writeCallLog(viaSchema, simulate(options), { columns: SIMULATED_COLUMNS });
    expect(readFileSync(fast).equals(readFileSync(viaSchema))).toBe(true);
    expect(summary.calls).toBe(written.rows);
    expect(summary.bytes).toBe(written.bytes);
    expect(summary.bytes).toBe(statSync(fast).size);
    expect(summary.days).toBe(6);
    expect(summary.firstDay).toBe(MONDAY);
    expect(summary.lastDay).toBe('2025-11-08');
    // Atomic writing leaves no temporary file behind.
    expect(readdirSync(folder).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('writes rows that the schema reader accepts without a rejection or a warning, unique and in time order', async () => {
    const path = join(folder, 'valid.csv');
    await simulateToFile({ customers: 60, days: 12, start: MONDAY, scenario: 'all', seed: 3 }, path);
    let tally: ReadTally | undefined;
    const ids = new Set<string>();
    let previous = '';
    let previousMs = -Infinity;
    let outOfOrder = 0;
    let rows = 0;
    for await (const batch of readCallLog(path)) {
      tally = batch.tally;
      for (const record of batch.records) {
        rows++;
        ids.add(record.callId);
        if (record.timestamp < previous || record.timeMs < previousMs) outOfOrder++;
        previous = record.timestamp;
        previousMs = record.timeMs;
      }
    }
    expect(rows).toBeGreaterThan(10_000);
    expect(tally?.rowsRejected).toBe(0);
    expect(tally?.warningsByKind).toEqual({});
    expect(tally?.warningsByKind).toEqual({});
    expect(tally?.coverage).toMatchObject({ rowsPriced: 0, rowsUnpriced: 0, rowsWithoutLatency: 0 });
    expect(ids.size).toBe(rows);
    expect(outOfOrder).toBe(0);
  });

  it('stops a size-targeted run on the first complete line at or past the target', async () => {
    const path = join(folder, 'sized.csv');
    const reports: SimulationProgress[] = [];
    const summary = await simulateToFile(
      {
        customers: 50,
        start: MONDAY,
        scenario: 'all',
        sizeMb: 2.5,
        onProgress: (progress) => reports.push(progress),
      },
      path,
    );
    const text = readFileSync(path, 'utf8');
    const target = 2_500_000;
    expect(text.length).toBe(summary.bytes);
    expect(text.length).toBeGreaterThanOrEqual(target);
    expect(text.endsWith('\n')).toBe(true);
    const lastLine = text.slice(text.lastIndexOf('\n', text.length - 2) + 1);
    expect(text.length - lastLine.length).toBeLessThan(target);
    expect(summary.calls).toBe(text.split('\n').length - 2);
    // Progress: increasing, the last one done.
    expect(reports.length).toBeGreaterThan(1);
    const last = reports[reports.length - 1] as SimulationProgress;
    expect(last).toMatchObject({
      done: true,
      fraction: 1,
      bytes: summary.bytes,
      calls: summary.calls,
      targetBytes: target,
    });
    for (let index = 1; index < reports.length; index++) {
      expect((reports[index] as SimulationProgress).bytes).toBeGreaterThanOrEqual(
        (reports[index - 1] as SimulationProgress).bytes,
      );
    }
    expect(reports.slice(0, -1).every((report) => report.fraction < 1 && !report.done)).toBe(true);
    expect(last.callsPerSecond).toBeGreaterThan(0);
  });

  it('starts a live run on a new file, so that a follower of the old one sees a replacement', async () => {
    const path = join(folder, 'followed.csv');
    const options = { customers: 10, start: MONDAY, sizeMb: 0.2, seed: 3 } as const;
    await simulateToFile(options, path);
    const before = statSync(path).ino;
    await simulateToFile({ ...options, seed: 4 }, path);
    expect(statSync(path).ino).not.toBe(before);
    expect(readdirSync(folder).filter((name) => name.endsWith('.live'))).toEqual([]);
  });

  it('writes a size-targeted run atomically when it is not followed live', async () => {
    const options = { customers: 20, start: MONDAY, sizeMb: 2.2, seed: 9 } as const;
    const live = join(folder, 'live.csv');
    const atomic = join(folder, 'atomic.csv');
    await simulateToFile(options, live);
    const seen: boolean[] = [];
    await simulateToFile({ ...options, onProgress: () => seen.push(existsSync(atomic)) }, atomic, {
      live: false,
    });
    // The file is not there while it is written, then it is, with the same bytes as the live run.
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.slice(0, -1).every((present) => !present)).toBe(true);
    expect(readFileSync(atomic)).toEqual(readFileSync(live));
  });

  it('stops simulate() at the same record as the file for a size target', async () => {
    const options = { customers: 20, start: MONDAY, sizeMb: 0.3, seed: 9 } as const;
    const path = join(folder, 'same-stop.csv');
    const summary = await simulateToFile(options, path);
    const records = await collect(options);
    expect(records.length).toBe(summary.calls);
    const lines = readFileSync(path, 'utf8').split('\n');
    const last = records[records.length - 1];
    expect(last && formatCsvRecord(last, [], SIMULATED_COLUMNS)).toBe(`${lines[lines.length - 2]}\n`);
  });
});

describe('simulate', () => {
  it('yields batches of the requested size', async () => {
    const sizes: number[] = [];
    for await (const batch of simulate({ ...small, batchSize: 1000 })) sizes.push(batch.length);
    expect(sizes.length).toBeGreaterThan(2);
    expect(sizes.slice(0, -1).every((size) => size === 1000)).toBe(true);
    expect(sizes[sizes.length - 1]).toBeLessThanOrEqual(1000);
  });

  it('rejects bad options', async () => {
    await expect(collect({ customers: 0 })).rejects.toThrow(/customers/);
    await expect(collect({ ...small, batchSize: 0 })).rejects.toThrow(/batchSize/);
  });

  it('numbers call ids with a sequence and formats every id as specified', async () => {
    const records = await collect({ ...small, seed: 1 });
    const wrong: string[] = [];
    const idPattern =
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6},req_\d{6},trace_\d{6},sess_\d{5},cust_\d{4},org_0(0[1-9]|10),product_[ab]$/;
    records.forEach((record, index) => {
      const stamp = record.timestamp.replace(/[-:T]/g, '').slice(0, 14);
      const ids = [record.timestamp, record.requestId, record.traceId, record.sessionId, record.customerId];
      ids.push(record.organizationId, record.productId);
      if (record.callId !== `call_${stamp}_${String(index + 1).padStart(6, '0')}`) wrong.push(record.callId);
      if (!idPattern.test(ids.join(','))) wrong.push(ids.join(','));
      const latency = record.latencyMs ?? -1;
      if (latency < 50 || latency > 30_000) wrong.push(`latency ${record.latencyMs}`);
    });
    expect(records.length).toBeGreaterThan(1000);
    expect(wrong).toEqual([]);
  });

  it('reuses sessions within a customer’s day', async () => {
    const records = await collect({ ...small, seed: 2 });
    const sessionsPerCustomerDay = new Map<string, Set<string>>();
    const callsPerCustomerDay = new Map<string, number>();
    for (const record of records) {
      const key = `${record.customerId}|${record.timestamp.slice(0, 10)}`;
      if (!sessionsPerCustomerDay.has(key)) sessionsPerCustomerDay.set(key, new Set());
      sessionsPerCustomerDay.get(key)?.add(record.sessionId);
      callsPerCustomerDay.set(key, (callsPerCustomerDay.get(key) ?? 0) + 1);
    }
    for (const [key, sessions] of sessionsPerCustomerDay) {
      expect(sessions.size).toBeLessThanOrEqual(1 + Math.floor((callsPerCustomerDay.get(key) ?? 0) / 20));
    }
  });
});

describe('prices over time', () => {
  it('prices each call at the catalog period in force on its day, across a price change', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'finops-sim-prices-'));
    try {
      const path = join(folder, 'calls.csv');
      // o3's price fell on 2025-06-10: a window across that day.
      await simulateToFile({ seed: 5, customers: 30, days: 20, start: '2025-06-01', scenario: 'base' }, path);
      let tally: ReadTally | undefined;
      let o3Calls = 0;
      for await (const batch of readCallLog(path)) {
        tally = batch.tally;
        o3Calls += batch.records.filter((record) => record.model === 'o3').length;
      }
      expect(o3Calls).toBeGreaterThan(0);
      expect(tally?.warningsByKind.cost_mismatch ?? 0).toBe(0);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, 60_000);
});
