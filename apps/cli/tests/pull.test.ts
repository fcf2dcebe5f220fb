import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../src/cli';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { captureOutput } from './helpers';

const KEY = 'sk-litellm-master-9c41e2f7aa';

/**
 * A real HTTP server on 127.0.0.1 that answers like LiteLLM's
 * `/spend/logs/v2` (page numbers over rows sorted by startTime), OpenAI's
 * completions usage report (one page of buckets) and, for any other path,
 * like Anthropic's Admin API refusing a key. `fail` makes the next request
 * answer with a status instead.
 */
interface Server {
  url: string;
  rows: Record<string, unknown>[];
  fail(status: number, body: string): void;
  close(): Promise<void>;
}

function spendLogRow(index: number): Record<string, unknown> {
  const start = new Date(Date.UTC(2026, 4, 1, 9, 0, index * 7, 120));
  const prompt = 1000 + index * 10;
  const completion = 100 + index;
  return {
    request_id: `chatcmpl-${index}`,
    spend: (prompt * 2.5 + completion * 10) / 1_000_000,
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    startTime: start.toISOString(),
    endTime: new Date(start.getTime() + 900).toISOString(),
    model: 'gpt-4o-2024-08-06',
    custom_llm_provider: 'openai',
    end_user: `cust_${index % 2}`,
    cache_hit: 'False',
    request_tags: [],
    metadata: {},
  };
}

const MAY_FIRST = Date.UTC(2026, 4, 1) / 1000;

function usageBucket(day: number, requests: number): Record<string, unknown> {
  return {
    object: 'bucket',
    start_time: MAY_FIRST + day * 86_400,
    end_time: MAY_FIRST + (day + 1) * 86_400,
    results: [
      {
        object: 'organization.usage.completions.result',
        input_tokens: 50_000,
        input_cached_tokens: 10_000,
        output_tokens: 4_000,
        num_model_requests: requests,
        model: 'gpt-4o-mini-2024-07-18',
        project_id: null,
      },
    ],
  };
}

async function startServer(key: string): Promise<Server> {
  const faults: { status: number; body: string }[] = [];
  const state = { rows: [] as Record<string, unknown>[] };
  const send = (response: ServerResponse, status: number, body: unknown): void => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const fault = faults.shift();
    if (fault) return send(response, fault.status, fault.body);
    if (request.headers.authorization !== `Bearer ${key}`)
      return send(response, 401, {
        error: { message: `invalid key ${String(request.headers['x-api-key'])}` },
      });
    if (url.pathname === '/v1/organization/usage/completions')
      return send(response, 200, {
        object: 'page',
        data: [usageBucket(0, 3120), usageBucket(1, 3121)],
        has_more: false,
        next_page: null,
      });
    const start = Date.parse(`${url.searchParams.get('start_date')?.replace(' ', 'T')}Z`);
    const page = Number(url.searchParams.get('page'));
    const size = Number(url.searchParams.get('page_size'));
    const rows = state.rows.filter((row) => Date.parse(String(row['startTime'])) >= start);
    send(response, 200, {
      data: rows.slice((page - 1) * size, page * size),
      total: rows.length,
      page,
      page_size: size,
      total_pages: Math.max(1, Math.ceil(rows.length / size)),
    });
  };
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get rows() {
      return state.rows;
    },
    set rows(value) {
      state.rows = value;
    },
    fail: (status, body) => faults.push({ status, body }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let folder: string;
let server: Server;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'finops-cli-pull-'));
  server = await startServer(KEY);
});
afterEach(async () => {
  await server.close();
  await rm(folder, { recursive: true, force: true });
});

function everything(output: ReturnType<typeof captureOutput>): string {
  return [...output.stdout, ...output.stderr].join('\n');
}

describe('finops pull', () => {
  it('pulls LiteLLM spend logs into a call log, then adds only what is new', async () => {
    server.rows = Array.from({ length: 4 }, (_, index) => spendLogRow(index));
    const out = join(folder, 'calls.csv');
    const args = [
      'pull',
      'litellm',
      '--url',
      server.url,
      '--key',
      KEY,
      '--since',
      '2026-05-01',
      '--out',
      out,
    ];
    const output = captureOutput();
    expect(await runCli([...args, '--page-size', '3'], output)).toBe(0);
    const text = output.stdout.join('\n');
    expect(text).toMatch(/Pulled litellm spend-logs 2026-05-01T00:00:00.000Z → .* into /);
    expect(text).toMatch(/pages read\s+2\n/);
    expect(text).toMatch(/new rows\s+4 \(4 calls\)/);
    expect(text).toMatch(/log now\s+4 rows, 4 calls, 4,060 tokens in, 406 out, reported cost \$0\.014210/);
    expect(everything(output)).not.toContain(KEY);

    server.rows.push(spendLogRow(4));
    const again = captureOutput();
    expect(await runCli(args, again)).toBe(0);
    expect(again.stdout.join('\n')).toMatch(/pages read\s+1 \(resumed\)/);
    expect(again.stdout.join('\n')).toMatch(/new rows\s+1 \(1 calls\)/);
    expect(again.stdout.join('\n')).toMatch(/duplicate_call_id 1/);
    expect((await readFile(out, 'utf8')).trimEnd().split('\n')).toHaveLength(6);
  });

  it('says what the retries waited for, and prints the summary as JSON', async () => {
    server.fail(503, 'busy');
    const output = captureOutput();
    const code = await runCli(
      [
        'pull',
        'openai',
        '--base-url',
        server.url,
        '--admin-key',
        KEY,
        '--since',
        '2026-05-01',
        '--until',
        '2026-05-03',
        '--out',
        join(folder, 'openai.csv'),
        '--json',
      ],
      output,
    );
    expect(code).toBe(0);
    expect(output.stderr.join('\n')).toMatch(/HTTP 503 \(busy\); trying again in \d\.\d s/);
    const summary = JSON.parse(output.stdout.join('\n')) as { log: { rows: number; calls: number } };
    expect(summary.log).toMatchObject({ rows: 2, calls: 3120 + 3121, inputTokens: 100_000 });
  });

  it('exits with 3 and a clear message when the key is refused, never printing the key', async () => {
    const wrong = 'sk-ant-admin01-not-this-one';
    const output = captureOutput();
    const code = await runCli(
      [
        'pull',
        'anthropic',
        '--base-url',
        server.url,
        '--admin-key',
        wrong,
        '--since',
        '2026-05-01',
        '--out',
        join(folder, 'a.csv'),
      ],
      output,
    );
    expect(code).toBe(3);
    expect(output.stderr.join('\n')).toMatch(
      /finops pull anthropic: .*refused the request: HTTP 401.*check the key/,
    );
    expect(everything(output)).not.toContain(wrong);
  });

  it('explains usage errors with exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [['pull'], /say which API to pull: finops pull <litellm\|openai\|anthropic>/],
      [['pull', 'gemini', '--out', 'x.csv'], /no API "gemini"/],
      [['pull', 'openai', '--admin-key', KEY], /--out calls\.csv/],
      [['pull', 'openai', '--out', join(folder, 'x.csv'), '--admin-key', KEY], /--since/],
      [['pull', 'litellm', '--out', join(folder, 'x.csv'), '--key', KEY, '--since', '2026-05-01'], /--url/],
      [
        ['pull', 'openai', '--out', 'x.csv', '--admin-key', KEY, '--timeout', 'soon'],
        /--timeout must be a number > 0/,
      ],
    ];
    const saved = process.env['OPENAI_ADMIN_KEY'];
    delete process.env['OPENAI_ADMIN_KEY'];
    try {
      for (const [args, message] of cases) {
        const output = captureOutput();
        expect(await runCli(args, output)).toBe(2);
        expect(output.stderr.join('\n')).toMatch(message);
      }
      const output = captureOutput();
      expect(await runCli(['pull', 'openai', '--out', 'x.csv'], output)).toBe(2);
      expect(output.stderr.join('\n')).toMatch(/OPENAI_ADMIN_KEY environment variable/);
    } finally {
      if (saved !== undefined) process.env['OPENAI_ADMIN_KEY'] = saved;
    }
    const help = captureOutput();
    expect(await runCli(['pull', '--help'], help)).toBe(0);
    expect(help.stdout.join('\n')).toContain('Usage: finops pull litellm');
    const main = captureOutput();
    await runCli(['--help'], main);
    expect(main.stdout.join('\n')).toMatch(/pull <api>/);
  });
});
