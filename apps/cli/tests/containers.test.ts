import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  csvHeaderLine,
  defaultCatalog,
  formatCsvRecord,
  formatTimestamp,
  type CallRecord,
} from '@finops/schema';
import { runCli } from '../src/cli';
import { captureOutput } from './helpers';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'finops-cli-containers-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

function record(index: number): CallRecord {
  const timeMs = Date.UTC(2025, 10, 19, 8) + index * 60_000;
  const inputTokens = 100 + index;
  return {
    timestamp: formatTimestamp(timeMs),
    timeMs,
    callId: `call_${index}`,
    provider: 'openai',
    model: 'gpt-4o',
    inputTokens,
    outputTokens: 200,
    costMicros: defaultCatalog().costOf('openai', 'gpt-4o', inputTokens, 200) ?? 0,
    latencyMs: 500,
    customerId: `cust_${index % 3}`,
    subscriptionTier: 'pro',
    organizationId: 'org_001',
    productId: 'product_a',
    featureId: 'chat',
    taskType: 'chat',
    environment: 'production',
    requestId: `req_${index}`,
    traceId: `trace_${index}`,
    sessionId: `sess_${index}`,
    userAgent: 'FinOpsSDK/1.2 Node/20',
  };
}

/** JSON Lines of records: the CSV's cells under the CSV's names. */
function jsonLines(records: readonly CallRecord[]): string {
  const names = csvHeaderLine().trim().split(',');
  return records
    .map((entry) => {
      const cells = formatCsvRecord(entry).trim().split(',');
      return `${JSON.stringify(Object.fromEntries(names.map((name, at) => [name, cells[at]])))}\n`;
    })
    .join('');
}

describe('finops on logs of other containers', () => {
  it('analyses and validates a folder or a pattern of mixed files as the one CSV of the same calls', async () => {
    const records = Array.from({ length: 30 }, (_, index) => record(index));
    const single = join(folder, 'all.csv');
    await writeFile(single, csvHeaderLine() + records.map((entry) => formatCsvRecord(entry)).join(''));
    const parts = join(folder, 'parts');
    await mkdir(parts);
    await writeFile(
      join(parts, 'a.csv.gz'),
      gzipSync(
        csvHeaderLine() +
          records
            .slice(0, 10)
            .map((entry) => formatCsvRecord(entry))
            .join(''),
      ),
    );
    await writeFile(join(parts, 'b.jsonl'), jsonLines(records.slice(10)));

    const whole = captureOutput();
    expect(await runCli(['analyze', single, '--json', '--only', 'understanding'], whole)).toBe(0);
    for (const log of [parts, join(parts, '*')]) {
      const output = captureOutput();
      expect(await runCli(['analyze', log, '--json', '--only', 'understanding'], output)).toBe(0);
      const results = JSON.parse(output.stdout.join('')) as {
        understanding: unknown;
        meta: { rowsKept: number };
      };
      expect(results.meta.rowsKept).toBe(30);
      expect(results.understanding).toEqual(
        (JSON.parse(whole.stdout.join('')) as { understanding: unknown }).understanding,
      );
    }
    const validated = captureOutput();
    expect(await runCli(['validate', join(parts, '*.jsonl'), '--json'], validated)).toBe(0);
    expect(JSON.parse(validated.stdout.join(''))).toMatchObject({ tally: { rowsRead: 20, rowsKept: 20 } });
  });

  it('says which file is not a log it can read, and which path or pattern holds nothing', async () => {
    const noise = join(folder, 'noise.bin');
    await writeFile(noise, Uint8Array.from([0, 255, 254, 0, 1]));
    const unknown = captureOutput();
    expect(await runCli(['analyze', noise], unknown)).toBe(2);
    expect(unknown.stderr.join('')).toContain(`${noise}: is not a call log container`);
    const nothing = captureOutput();
    expect(await runCli(['validate', join(folder, 'none-*.csv')], nothing)).toBe(2);
    expect(nothing.stderr.join('')).toContain('no file matches this pattern');
    const missing = captureOutput();
    expect(await runCli(['validate', join(folder, 'missing.jsonl')], missing)).toBe(2);
    expect(missing.stderr.join('')).toContain('no such file');
  });
});
