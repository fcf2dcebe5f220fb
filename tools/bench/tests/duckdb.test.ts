import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CallLogParser } from '@finops/schema';
import { readFileSync } from 'node:fs';
import { decimalToMicros, groupByQuery, runGroupBy, sqlString } from '../src/duckdb';
import { generateBenchLog } from '../src/generate';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'finops-bench-duckdb-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('the DuckDB side', () => {
  it('states one GROUP BY with three latency quantiles over the file, quoted as an SQL string', () => {
    expect(sqlString("it's.csv")).toBe("'it''s.csv'");
    expect(() => sqlString('a\0b')).toThrow(/NUL/);
    expect(groupByQuery("/logs/o'neil.csv")).toBe(
      'SELECT provider, model, count(*) AS calls, sum(cost_usd) AS cost_usd, ' +
        'quantile_cont(latency_ms, 0.5) AS latency_p50_ms, quantile_cont(latency_ms, 0.95) AS latency_p95_ms, ' +
        "quantile_cont(latency_ms, 0.99) AS latency_p99_ms FROM read_csv('/logs/o''neil.csv', header = true, " +
        "types = {'cost_usd': 'DECIMAL(18,6)', 'latency_ms': 'DOUBLE'}) GROUP BY ALL ORDER BY ALL",
    );
  });

  it('turns DuckDB decimals into integer micro-dollars', () => {
    expect(decimalToMicros('13.186607')).toBe(13_186_607);
    expect(decimalToMicros('2')).toBe(2_000_000);
    expect(decimalToMicros('-0.5')).toBe(-500_000);
    expect(() => decimalToMicros('1e3')).toThrow(/not a decimal/);
  });

  it('counts the same calls at the same cost as the schema reader, without loading any extension', async () => {
    const path = join(folder, 'calls.csv');
    await generateBenchLog(path, { bytes: 200_000 });
    const parser = new CallLogParser({ source: path });
    parser.push(readFileSync(path));
    parser.end();
    const records = parser.take().records;
    const answer = await runGroupBy(path);
    expect(answer.calls).toBe(records.length);
    expect(answer.costMicros).toBe(records.reduce((sum, record) => sum + record.costMicros, 0));
    const models = new Set(records.map((record) => `${record.provider}/${record.model}`));
    expect(answer.groups.map((group) => `${group.provider}/${group.model}`).sort()).toEqual(
      [...models].sort(),
    );
    for (const group of answer.groups) {
      expect(group.latencyP50Ms).toBeLessThanOrEqual(group.latencyP95Ms);
      expect(group.latencyP95Ms).toBeLessThanOrEqual(group.latencyP99Ms);
    }
    expect(answer.threads).toBeGreaterThanOrEqual(1);
  });
});
