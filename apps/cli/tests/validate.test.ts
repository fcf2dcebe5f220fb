import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  folder = await mkdtemp(join(tmpdir(), 'finops-cli-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

function record(callId: string, overrides: Partial<CallRecord> = {}): CallRecord {
  const timeMs = Date.UTC(2025, 10, 19, 8);
  return {
    timestamp: formatTimestamp(timeMs),
    timeMs,
    callId,
    provider: 'openai',
    model: 'gpt-4o',
    inputTokens: 100,
    outputTokens: 200,
    costMicros: defaultCatalog().costOf('openai', 'gpt-4o', 100, 200) ?? 0,
    latencyMs: 500,
    customerId: 'cust_0001',
    subscriptionTier: 'pro',
    organizationId: 'org_001',
    productId: 'product_a',
    featureId: 'chat',
    taskType: 'chat',
    environment: 'production',
    requestId: 'req_000001',
    traceId: 'trace_000001',
    sessionId: 'sess_00001',
    userAgent: 'FinOpsSDK/1.2 Node/20',
    ...overrides,
  };
}

describe('finops validate', () => {
  it('exits 0 on a clean log and prints the counts', async () => {
    const path = join(folder, 'clean.csv');
    await writeFile(path, csvHeaderLine() + formatCsvRecord(record('a')) + formatCsvRecord(record('b')));
    const output = captureOutput();
    expect(await runCli(['validate', path], output)).toBe(0);
    expect(output.stdout.join('\n')).toMatch(/rows read\s+2\n\s+rows kept\s+2/);
  });

  it('exits 1 with the reasons and line numbers of rejected rows, and quarantines them', async () => {
    const path = join(folder, 'dirty.csv');
    const bad = formatCsvRecord(record('c', { latencyMs: -5 }));
    await writeFile(
      path,
      csvHeaderLine() + formatCsvRecord(record('a')) + bad + formatCsvRecord(record('a')),
    );
    const quarantine = join(folder, 'rejected.csv');
    const output = captureOutput();
    expect(await runCli(['validate', path, '--quarantine', quarantine], output)).toBe(1);
    const text = output.stdout.join('\n');
    expect(text).toContain('invalid_integer');
    expect(text).toContain('line 3: latency_ms "-5" is not a non-negative integer');
    expect(text).toContain('line 4: call_id "a" was already used by an earlier row');
    expect((await readFile(quarantine, 'utf8')).split('\n').filter(Boolean)).toHaveLength(3);
  });

  it('prints the report as JSON', async () => {
    const path = join(folder, 'json.csv');
    await writeFile(path, csvHeaderLine() + formatCsvRecord(record('a', { model: 'gpt-9' })));
    const output = captureOutput();
    expect(await runCli(['validate', path, '--json'], output)).toBe(0);
    const report = JSON.parse(output.stdout.join(''));
    expect(report.tally).toMatchObject({
      rowsRead: 1,
      rowsKept: 1,
      rowsWarned: 1,
      warningsByKind: { unknown_model: 1 },
    });
  });

  it('exits 2 with a clear message for usage and file errors', async () => {
    const missing = captureOutput();
    expect(await runCli(['validate', join(folder, 'nope.csv')], missing)).toBe(2);
    expect(missing.stderr.join('')).toContain('no such file');
    const header = join(folder, 'header.csv');
    await writeFile(header, 'when,who\n1,2\n');
    const badHeader = captureOutput();
    expect(await runCli(['validate', header], badHeader)).toBe(2);
    expect(badHeader.stderr.join('')).toContain(
      'required: timestamp, provider, model, input_tokens, output_tokens',
    );
    const flag = captureOutput();
    expect(await runCli(['validate', header, '--examples', 'many'], flag)).toBe(2);
    expect(flag.stderr.join('')).toContain('--examples must be a whole number');
    const unknown = captureOutput();
    expect(await runCli(['validate', header, '--colour'], unknown)).toBe(2);
    expect(unknown.stderr.join('')).toContain('see --help');
    expect(unknown.stderr.join('')).not.toContain('    at ');
  });
});

describe('finops', () => {
  it('prints help, version, and rejects unknown commands', async () => {
    const help = captureOutput();
    expect(await runCli(['--help'], help)).toBe(0);
    expect(help.stdout.join('')).toContain('Usage: finops <command>');
    const commandHelp = captureOutput();
    expect(await runCli(['validate', '--help'], commandHelp)).toBe(0);
    expect(commandHelp.stdout.join('')).toContain('Exit codes: 0 clean');
    const version = captureOutput();
    expect(await runCli(['--version'], version)).toBe(0);
    expect(version.stdout.join('')).toMatch(/^\d+\.\d+\.\d+$/);
    const unknown = captureOutput();
    expect(await runCli(['frobnicate'], unknown)).toBe(2);
    expect(unknown.stderr.join('')).toContain('unknown command "frobnicate"');
    expect(await runCli([], captureOutput())).toBe(2);
  });
});
