import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../src/cli';
import { formatCollectTotals } from '../src/commands/collect';
import { captureOutput } from './helpers';

const builtCli = resolve(__dirname, '..', 'dist', 'main.js');

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'finops-cli-collect-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** One OTLP/JSON request: a chat span and the agent span around it. */
const REQUEST = {
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'support-api' } }] },
      scopeSpans: [
        {
          scope: { name: 'genai-instrumentation' },
          spans: [
            {
              traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
              spanId: '00f067aa0ba902b7',
              parentSpanId: '00f067aa0ba902b6',
              name: 'chat gpt-4o',
              kind: 3,
              startTimeUnixNano: '1777885923120000000',
              endTimeUnixNano: '1777885924610000000',
              attributes: [
                { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
                { key: 'gen_ai.provider.name', value: { stringValue: 'openai' } },
                { key: 'gen_ai.response.model', value: { stringValue: 'gpt-4o' } },
                { key: 'gen_ai.usage.input_tokens', value: { intValue: '1436' } },
                { key: 'gen_ai.usage.output_tokens', value: { intValue: '95' } },
                { key: 'user.id', value: { stringValue: 'cust_8841' } },
              ],
            },
            {
              traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
              spanId: '00f067aa0ba902b6',
              name: 'invoke_agent support',
              kind: 1,
              startTimeUnixNano: '1777885923100000000',
              endTimeUnixNano: '1777885924700000000',
              attributes: [
                { key: 'gen_ai.operation.name', value: { stringValue: 'invoke_agent' } },
                { key: 'gen_ai.usage.input_tokens', value: { intValue: '1436' } },
                { key: 'gen_ai.usage.output_tokens', value: { intValue: '95' } },
              ],
            },
          ],
        },
      ],
    },
  ],
};

describe('finops collect', () => {
  it('shows its usage', async () => {
    const output = captureOutput();
    expect(await runCli(['collect', '--help'], output)).toBe(0);
    expect(output.stdout.join('\n')).toContain('Usage: finops collect --out <calls.csv>');
  });

  it.each([
    [[], 'say which call log to append to'],
    [['--out', 'x.csv', '--port', 'http'], '--port must be a whole number'],
    [['--out', 'x.csv', '--port', '70000'], 'port: a port from 0 to 65535'],
    [['--out', 'x.csv', '--request-timeout', '0'], '--request-timeout must be a number of seconds above 0'],
    [['--out', 'x.csv', '--log-level', 'debug'], '--log-level must be one of info, warn, error'],
    [['calls.csv'], 'collect takes no file argument'],
  ])('refuses %j', async (args, message) => {
    const output = captureOutput();
    expect(await runCli(['collect', ...args], output)).toBe(2);
    expect(output.stderr.join('\n')).toContain(message);
  });

  it('receives spans until stopped, then prints its totals and exits 0', async () => {
    const out = join(folder, 'calls.csv');
    const child = spawn(process.execPath, [builtCli, 'collect', '--out', out, '--port', '0'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    const exited = new Promise<number | null>((resolvePromise) => child.on('close', resolvePromise));
    const endpoint = await new Promise<string>((resolvePromise, reject) => {
      child.stderr.on('data', (data: Buffer) => {
        stderr += data.toString();
        const match = /listening for OTLP\/HTTP traces at (http:\/\/127\.0\.0\.1:\d+\/v1\/traces)/.exec(
          stderr,
        );
        if (match?.[1]) resolvePromise(match[1]);
      });
      child.on('error', reject);
      void exited.then(() => reject(new Error(`collect exited early: ${stderr}`)));
    });
    expect(stderr).toContain(`appending GenAI calls to ${out} (new log)`);
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(REQUEST),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
    const log = (await readFile(out, 'utf8')).trimEnd().split('\n');
    expect(log).toHaveLength(2);
    expect(log[1]).toMatch(
      /^2026-05-04T09:12:03\.12Z,00f067aa0ba902b7,openai,gpt-4o,1436,95,,1490,cust_8841,/,
    );
    expect(log[1]).toContain('cust_8841');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toContain('collect: batch 1: 2 span(s), json');
    expect(stderr).toContain('collect: stopping (SIGTERM)');
    expect(stderr).toContain('calls written   1');
    expect(stderr).toContain('skipped         1 (agent_or_tool_span 1)');
  }, 30_000);

  it('formats its totals with the refusals by status', () => {
    const text = formatCollectTotals({
      requests: 5,
      batchesAccepted: 3,
      refusedByStatus: { '400': 1, '413': 1 },
      spansReceived: 12,
      spansAccepted: 4,
      spansRejected: 1,
      spansSkipped: 7,
      skippedByReason: { not_a_genai_span: 5, duplicate_call_id: 2 },
      bytesWritten: 1234,
    });
    expect(text).toContain('3 batch(es) accepted of 5 request(s) (refused 400: 1, 413: 1)');
    expect(text).toContain('skipped         7 (not_a_genai_span 5, duplicate_call_id 2)');
  });
});
