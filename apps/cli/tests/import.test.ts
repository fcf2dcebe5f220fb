import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../src/cli';
import { captureOutput } from './helpers';

const fixtures = join(__dirname, '..', '..', '..', 'packages', 'importers', 'tests', 'fixtures');

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'finops-cli-import-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('finops import', () => {
  it('recognises the source, writes the call log and prints the tally; rejections make exit code 1', async () => {
    const output = captureOutput();
    const out = join(folder, 'litellm.csv');
    const code = await runCli(
      ['import', join(fixtures, 'litellm', 'spend-logs-page.json'), '--out', out],
      output,
    );
    expect(code).toBe(1);
    expect(output.stderr.join('\n')).toMatch(
      /as litellm \(LiteLLM proxy SpendLogs.*recognised from its JSON document/,
    );
    const text = output.stdout.join('\n');
    expect(text).toMatch(/rows written\s+6 \(6 calls\)/);
    expect(text).toMatch(
      /reported cost\s+5 rows, \$0\.020356; 1 rows without a cost are priced from the catalog/,
    );
    expect(text).toMatch(/duplicate_call_id\s+1/);
    expect(text).toContain('data[6]: "prompt_tokens" is not a whole number ≥ 0: "many"');
    const written = (await readFile(out, 'utf8')).trimEnd().split('\n');
    expect(
      written[0]?.startsWith('timestamp,call_id,provider,model,input_tokens,output_tokens,cost_usd'),
    ).toBe(true);
    expect(written).toHaveLength(7);
  });

  it('exits 0 on a clean import, with --from, an attribution map and a JSON tally', async () => {
    const map = join(folder, 'map.json');
    await writeFile(map, JSON.stringify({ product_id: 'trace.name' }));
    const output = captureOutput();
    const out = join(folder, 'langfuse.csv');
    const file = join(fixtures, 'langfuse', 'trace.json');
    const code = await runCli(
      ['import', file, '--from', 'langfuse', '--attribution', map, '--json', '--out', out],
      output,
    );
    expect(code).toBe(0);
    expect(output.stderr.join('\n')).toContain('as named by --from');
    const report = JSON.parse(output.stdout.join('\n')) as { source: string; tally: { recordsKept: number } };
    expect(report).toMatchObject({ source: 'langfuse', tally: { recordsKept: 2 } });
  });

  it('lists the sources and explains bad usage', async () => {
    const output = captureOutput();
    expect(await runCli(['import', '--sources'], output)).toBe(0);
    expect(output.stdout.join('\n')).toMatch(/litellm .*\[json, jsonl, csv, postgres\]/);
    expect(await runCli(['import', '--help'], captureOutput())).toBe(0);
    const usage = captureOutput();
    expect(await runCli(['import', 'x.json'], usage)).toBe(2);
    expect(usage.stderr.join('\n')).toContain('--out calls.csv');
    const unknown = captureOutput();
    expect(await runCli(['import', 'x.json', '--out', 'y.csv', '--from', 'nope'], unknown)).toBe(2);
    expect(unknown.stderr.join('\n')).toContain('no such source');
    const missing = captureOutput();
    expect(
      await runCli(['import', join(folder, 'absent.json'), '--out', join(folder, 'z.csv')], missing),
    ).toBe(2);
    const unrecognised = captureOutput();
    const mystery = join(folder, 'mystery.csv');
    await writeFile(mystery, 'a,b\n1,2\n');
    expect(await runCli(['import', mystery, '--out', join(folder, 'm.csv')], unrecognised)).toBe(2);
    expect(unrecognised.stderr.join('\n')).toMatch(/tried litellm, langfuse/);
    const windowOnFile = captureOutput();
    expect(await runCli(['import', mystery, '--out', 'm.csv', '--since', '2026-05-01'], windowOnFile)).toBe(
      2,
    );
    expect(windowOnFile.stderr.join('\n')).toContain('database URL only');
    const unreachable = captureOutput();
    expect(
      await runCli(
        ['import', 'postgresql://reader:secret@127.0.0.1:1/litellm', '--out', join(folder, 'db.csv')],
        unreachable,
      ),
    ).toBe(2);
    expect(unreachable.stderr.join('\n')).toMatch(/reader:\*\*\*@127\.0\.0\.1:1\/litellm: cannot connect/);
    const examples = captureOutput();
    expect(await runCli(['import', mystery, '--out', 'm.csv', '--examples', '-1'], examples)).toBe(2);
  });

  it('lets finops run analyse an export: imported first, then analysed and reported', async () => {
    const output = captureOutput();
    const data = join(folder, 'run', 'calls.csv');
    const reports = join(folder, 'run', 'reports');
    const code = await runCli(
      [
        'run',
        join(fixtures, 'langfuse', 'observations-page.json'),
        '--data',
        data,
        '--reports',
        reports,
        '--quiet',
      ],
      output,
    );
    expect(code).toBe(0);
    expect(output.stderr.join('\n')).toMatch(
      /imported 5 rows \(5 calls\) into .*calls\.csv; 2 skipped, 2 rejected/,
    );
    expect(output.stdout.join('\n')).toMatch(/Analysed .*calls\.csv: 5 calls/);
    expect((await readFile(data, 'utf8')).split('\n')[0]).toMatch(/^timestamp,call_id,provider/);
  });

  it('lets finops run read our own logs as they are, and refuses a wrong --from', async () => {
    const { importForRun } = await import('../src/commands/import');
    const own = join(fixtures, 'finops', 'calls-v1.csv');
    expect(await importForRun(own, join(folder, 'unused.csv'), {}, captureOutput())).toBe(own);
    const unknown = join(folder, 'notes.txt');
    await writeFile(unknown, 'just some notes\n');
    expect(await importForRun(unknown, join(folder, 'unused.csv'), {}, captureOutput())).toBe(unknown);
    await expect(
      importForRun(unknown, join(folder, 'unused.csv'), { from: 'otel' }, captureOutput()),
    ).rejects.toThrow(/otel reads json, jsonl/);
  });
});

describe('finops export', () => {
  it('writes a call log as FOCUS rows that finops import reads back', async () => {
    const calls = join(folder, 'export-calls.csv');
    await runCli(
      ['import', join(fixtures, 'litellm', 'spend-logs-page.json'), '--out', calls],
      captureOutput(),
    );
    const output = captureOutput();
    const focus = join(folder, 'focus.csv');
    expect(await runCli(['export', calls, '--format', 'focus', '--out', focus], output)).toBe(0);
    expect(output.stdout.join('\n')).toMatch(/Wrote 5 FOCUS rows to .*focus\.csv from 6 rows/);
    const back = captureOutput();
    expect(await runCli(['import', focus, '--out', join(folder, 'back.csv'), '--json'], back)).toBe(0);
    expect(JSON.parse(back.stdout.join('\n'))).toMatchObject({ source: 'focus', tally: { calls: 6 } });
  });

  it('explains bad usage', async () => {
    expect(await runCli(['export', '--help'], captureOutput())).toBe(0);
    const usage = captureOutput();
    expect(await runCli(['export', 'x.csv', '--format', 'csv', '--out', 'y.csv'], usage)).toBe(2);
    expect(usage.stderr.join('\n')).toContain('focus');
    expect(await runCli(['export', 'x.csv'], captureOutput())).toBe(2);
    expect(await runCli(['export', join(folder, 'absent.csv'), '--out', 'y.csv'], captureOutput())).toBe(2);
  });
});
