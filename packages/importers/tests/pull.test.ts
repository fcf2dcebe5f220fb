import { readdirSync, readFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  backoffMs,
  DEFAULT_RETRY,
  PULL_APIS,
  PullError,
  pullStatePath,
  PullStoppedError,
  pullToLog,
  redact,
  retryAfterMs,
  type RetryNotice,
} from '../src';
import {
  anthropicCostBuckets,
  anthropicUsageBuckets,
  type ApiServer,
  MAY_FIRST,
  noData,
  openaiCostBuckets,
  openaiUsageBuckets,
  spendLogRow,
  startApiServer,
} from './api-server';
import { importAll, temporaryFolder } from './helpers';

const KEY = 'sk-admin-TEST-5f1d2c9b8e7a6f50';
const FAST = { attempts: 4, baseDelayMs: 5, maxDelayMs: 40 };
const NOW = new Date('2026-05-20T12:00:00Z');

let server: ApiServer;
let folder: string;

beforeEach(async () => {
  server = await startApiServer(noData(), KEY);
  folder = temporaryFolder();
});
afterEach(async () => {
  await server.close();
  await rm(folder, { recursive: true, force: true });
});

/** Totals of a pulled log, read back through the import of our own format. */
async function logTotals(path: string) {
  const { rows, tally } = await importAll(path, { from: 'finops' });
  const ids = rows.map((row) => String(row.call_id));
  return {
    rows: rows.length,
    distinctIds: new Set(ids).size,
    calls: rows.reduce((sum, row) => sum + Number(row.calls || 1), 0),
    input: tally.inputTokens,
    output: tally.outputTokens,
    micros: tally.reportedCostMicros,
  };
}

function expectNoKey(...texts: string[]): void {
  for (const text of texts) expect(text).not.toContain(KEY);
}

describe('pull litellm', () => {
  it('reads every page of /spend/logs/v2 in startTime order, with the key as a Bearer token', async () => {
    server.data.litellmRows = Array.from({ length: 7 }, (_, index) => spendLogRow(index));
    const out = join(folder, 'litellm.csv');
    const seen: { pages: number; rows: number }[] = [];
    const summary = await pullToLog('litellm', {
      out,
      key: KEY,
      baseUrl: server.url,
      since: '2026-05-01',
      until: '2026-05-02',
      pageSize: 3,
      retry: FAST,
      now: NOW,
      onProgress: (progress) => seen.push(progress),
    });
    expect(seen.at(-1)).toEqual({ pages: 3, rows: 7 });
    expect(summary.pages).toBe(3);
    expect(summary.complete).toBe(true);
    expect(server.requests.map((request) => request.query.get('page'))).toEqual(['1', '2', '3']);
    const first = server.requests[0];
    expect(first?.headers['authorization']).toBe(`Bearer ${KEY}`);
    expect(first?.query.get('start_date')).toBe('2026-05-01 00:00:00');
    expect(first?.query.get('end_date')).toBe('2026-05-02 00:00:00');
    expect(first?.query.get('sort_order')).toBe('asc');
    // Each row: prompt 1000 + 10i at $2.50/M, completion 100 + i at $10/M = 3500 + 35i micro-dollars.
    const expected = {
      rows: 7,
      distinctIds: 7,
      calls: 7,
      input: Array.from({ length: 7 }, (_, i) => 1000 + 10 * i).reduce((a, b) => a + b),
      output: Array.from({ length: 7 }, (_, i) => 100 + i).reduce((a, b) => a + b),
      micros: Array.from({ length: 7 }, (_, i) => 3500 + 35 * i).reduce((a, b) => a + b),
    };
    expect(await logTotals(out)).toEqual(expected);
    expect(summary.log).toEqual({
      rows: 7,
      calls: 7,
      inputTokens: expected.input,
      outputTokens: expected.output,
      reportedCostMicros: expected.micros,
    });
    const state = JSON.parse(await readFile(pullStatePath(out), 'utf8')) as Record<string, unknown>;
    // The last call started at 09:00:42.120; the next pull starts again at that second.
    expect(state['resumeFrom']).toBe('2026-05-01T09:00:42.000Z');
    expectNoKey(await readFile(out, 'utf8'), JSON.stringify(state), JSON.stringify(summary));
  });

  it('continues from the last call read, without repeating a row, and takes the calls logged since', async () => {
    server.data.litellmRows = Array.from({ length: 5 }, (_, index) => spendLogRow(index));
    const out = join(folder, 'litellm.csv');
    const options = { out, key: KEY, baseUrl: server.url, pageSize: 2, retry: FAST, now: NOW };
    await pullToLog('litellm', { ...options, since: '2026-05-01' });
    server.data.litellmRows.push(...Array.from({ length: 4 }, (_, index) => spendLogRow(index + 5)));
    server.requests.length = 0;
    const second = await pullToLog('litellm', { ...options, since: '2026-05-01' });
    expect(second.resumed).toBe(true);
    expect(server.requests[0]?.query.get('start_date')).toBe('2026-05-01 09:00:28');
    expect(second.rowsBefore).toBe(5);
    expect(second.tally.recordsKept).toBe(4);
    // The last call of the first pull is read again (same second) and recognised.
    expect(second.tally.skippedByReason).toEqual({ duplicate_call_id: 1 });
    const totals = await logTotals(out);
    expect(totals.rows).toBe(9);
    expect(totals.distinctIds).toBe(9);
    expect(totals.micros).toBe(Array.from({ length: 9 }, (_, i) => 3500 + 35 * i).reduce((a, b) => a + b));
    // Nothing new: a third pull adds nothing.
    const third = await pullToLog('litellm', { ...options });
    expect(third.tally.recordsKept).toBe(0);
    expect((await logTotals(out)).rows).toBe(9);
  });

  it('needs the proxy URL and a start the first time', async () => {
    const out = join(folder, 'x.csv');
    await expect(pullToLog('litellm', { out, key: KEY, since: '2026-05-01' })).rejects.toMatchObject({
      code: 'invalid_options',
      message: expect.stringMatching(/--url/),
    });
    await expect(pullToLog('litellm', { out, key: KEY, baseUrl: server.url })).rejects.toMatchObject({
      code: 'invalid_options',
      message: expect.stringMatching(/--since/),
    });
    await expect(
      pullToLog('litellm', { out, key: KEY, baseUrl: server.url, since: 'yesterday' }),
    ).rejects.toMatchObject({ code: 'invalid_options' });
    await expect(pullToLog('nope', { out, key: KEY })).rejects.toMatchObject({ code: 'invalid_options' });
    const withPassword = await pullToLog('litellm', {
      out,
      key: KEY,
      baseUrl: 'http://admin:hunter2@127.0.0.1:9/',
      since: '2026-05-01',
    }).catch((caught: unknown) => caught as Error);
    expect(withPassword).toMatchObject({ code: 'invalid_options', message: expect.stringMatching(/--key/) });
    expect((withPassword as Error).message).not.toContain('hunter2');
    await expect(
      pullToLog('litellm', { out, key: KEY, baseUrl: 'ftp://127.0.0.1/', since: '2026-05-01' }),
    ).rejects.toThrow(/only http and https/);
  });
});

describe('pull openai', () => {
  it('follows next_page across pages, waits as Retry-After says after a 429, and keeps the bucket weights', async () => {
    server.data.openaiUsage = openaiUsageBuckets(10);
    server.fail('/v1/organization/usage/completions', {
      status: 429,
      headers: { 'retry-after': '1' },
      body: '{"error":{"message":"Rate limit reached"}}',
    });
    const notices: RetryNotice[] = [];
    const out = join(folder, 'openai.csv');
    const summary = await pullToLog('openai', {
      out,
      key: KEY,
      baseUrl: server.url,
      since: '2026-05-01T00:00:00Z',
      until: '2026-05-11T00:00:00Z',
      pageSize: 4,
      retry: FAST,
      now: NOW,
      onRetry: (notice) => notices.push(notice),
    });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ attempt: 1, retryAfter: true });
    expect(notices[0]?.delayMs).toBeGreaterThanOrEqual(1000);
    expect(notices[0]?.reason).toMatch(/HTTP 429/);
    const answered = server.requests.slice(1);
    expect(answered.map((request) => request.query.get('page'))).toEqual([
      null,
      expect.any(String),
      expect.any(String),
    ]);
    expect(answered[0]?.query.getAll('group_by')).toEqual(['model', 'project_id']);
    expect(answered[0]?.query.get('start_time')).toBe(String(MAY_FIRST));
    expect(answered[0]?.query.get('bucket_width')).toBe('1d');
    expect(summary.pages).toBe(3);
    const buckets = server.data.openaiUsage.flatMap((bucket) => bucket.results);
    expect(await logTotals(out)).toEqual({
      rows: 20,
      distinctIds: 20,
      calls: buckets.reduce((sum, result) => sum + Number(result['num_model_requests']), 0),
      input: buckets.reduce((sum, result) => sum + Number(result['input_tokens']), 0),
      output: buckets.reduce((sum, result) => sum + Number(result['output_tokens']), 0),
      micros: 0,
    });
    expect(summary.resumeFrom).toBe('2026-05-11T00:00:00.000Z');
  });

  it('tries a 500 again, and reads the costs report in dollars', async () => {
    server.data.openaiCosts = openaiCostBuckets(3);
    server.fail('/v1/organization/costs', { status: 500, body: 'upstream exploded' });
    const notices: RetryNotice[] = [];
    const out = join(folder, 'costs.csv');
    const summary = await pullToLog('openai', {
      out,
      key: KEY,
      baseUrl: server.url,
      report: 'costs',
      since: '2026-05-01',
      until: '2026-05-04',
      retry: FAST,
      now: NOW,
      onRetry: (notice) => notices.push(notice),
    });
    expect(notices.map((notice) => notice.reason)).toEqual(['HTTP 500 (upstream exploded)']);
    expect(notices[0]?.delayMs).toBeLessThan(FAST.baseDelayMs + 1);
    expect(server.requests[1]?.query.getAll('group_by')).toEqual(['line_item', 'project_id']);
    expect(summary.complete).toBe(true);
    const amounts = server.data.openaiCosts.flatMap((bucket) =>
      bucket.results.map((result) => Math.round((result['amount'] as { value: number }).value * 1e6)),
    );
    const totals = await logTotals(out);
    expect(totals.rows).toBe(6);
    expect(totals.micros).toBe(amounts.reduce((a, b) => a + b));
    expect(totals.micros).toBe(3 * 2_327_500 + 2_045_000 + 2_046_000 + 2_047_000);
  });

  it('pulls only the buckets that have ended, and a request that times out is tried again', async () => {
    server.data.openaiUsage = openaiUsageBuckets(30);
    server.fail('/v1/organization/usage/completions', { status: 200, delayMs: 1500, body: '{"data":[]}' });
    const out = join(folder, 'openai.csv');
    const notices: RetryNotice[] = [];
    const summary = await pullToLog('openai', {
      out,
      key: KEY,
      baseUrl: server.url,
      since: '2026-05-01',
      retry: FAST,
      timeoutMs: 300,
      now: NOW,
      onRetry: (notice) => notices.push(notice),
    });
    expect(notices[0]?.reason).toBe('no answer within 300 ms');
    // Now is May 20th, 12:00: the day that has not ended is left for the next pull.
    expect(summary.until).toBe('2026-05-20T00:00:00.000Z');
    expect((await logTotals(out)).rows).toBe(19 * 2);
  });

  it('refuses settings the API does not have', async () => {
    const out = join(folder, 'x.csv');
    const base = { out, key: KEY, baseUrl: server.url, since: '2026-05-01', now: NOW };
    await expect(pullToLog('openai', { ...base, report: 'costs', bucketWidth: '1h' })).rejects.toMatchObject({
      code: 'invalid_options',
    });
    await expect(pullToLog('openai', { ...base, groupBy: ['customer'] })).rejects.toThrow(
      /cannot be grouped by "customer"/,
    );
    await expect(pullToLog('openai', { ...base, pageSize: 500 })).rejects.toThrow(/from 1 to 31/);
  });
});

describe('pull anthropic', () => {
  it('stops on a refused key with a clear error that does not repeat the key, and writes nothing', async () => {
    server.data.anthropicUsage = anthropicUsageBuckets(3);
    const out = join(folder, 'anthropic.csv');
    const error = await pullToLog('anthropic', {
      out,
      key: 'sk-ant-admin01-WRONG-d00d',
      baseUrl: server.url,
      since: '2026-05-01',
      retry: FAST,
      now: NOW,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PullError);
    expect(error).toMatchObject({ code: 'unauthorized', status: 401 });
    expect((error as Error).message).toMatch(/refused the request: HTTP 401.*check the key/);
    expect((error as Error).message).not.toContain('sk-ant-admin01-WRONG-d00d');
    expect((error as Error).message).toContain('***');
    expect(server.requests).toHaveLength(1);
    expect(readdirSync(folder)).toEqual([]);
  });

  it('saves the pages read when the API stays down, and the next pull resumes without duplicates', async () => {
    server.data.anthropicUsage = anthropicUsageBuckets(9);
    const out = join(folder, 'anthropic.csv');
    const options = {
      out,
      key: KEY,
      baseUrl: server.url,
      since: '2026-05-01',
      until: '2026-05-10',
      pageSize: 3,
      retry: { ...FAST, attempts: 2 },
      now: NOW,
    };
    // The first page answers; the second fails every try.
    const failing = { status: 503, body: '{"error":{"type":"overloaded_error"}}' };
    server.fail('/v1/organizations/usage_report/messages', 'pass', failing, failing);
    const firstRun = await pullToLog('anthropic', options).catch((caught: unknown) => caught);
    expect(firstRun).toBeInstanceOf(PullStoppedError);
    const stopped = firstRun as PullStoppedError;
    expect(stopped.code).toBe('unavailable');
    expect(stopped.message).toMatch(/still failing after 2 tries: HTTP 503/);
    expect(stopped.summary.complete).toBe(false);
    expect(stopped.summary.pages).toBe(1);
    expect(stopped.summary.resumeFrom).toBe('2026-05-04T00:00:00.000Z');
    expect((await logTotals(out)).rows).toBe(3);
    const state = JSON.parse(await readFile(pullStatePath(out), 'utf8')) as Record<string, unknown>;
    expect(state).toMatchObject({ complete: false, resumeFrom: '2026-05-04T00:00:00.000Z', rows: 3 });

    server.requests.length = 0;
    const resumed = await pullToLog('anthropic', options);
    expect(resumed.resumed).toBe(true);
    expect(server.requests[0]?.query.get('starting_at')).toBe('2026-05-04T00:00:00Z');
    expect(server.requests[0]?.headers['x-api-key']).toBe(KEY);
    expect(server.requests[0]?.query.getAll('group_by[]')).toEqual([
      'model',
      'workspace_id',
      'service_tier',
      'context_window',
    ]);
    const results = server.data.anthropicUsage.flatMap((bucket) => bucket.results);
    const input = results.reduce(
      (sum, result) =>
        sum +
        Number(result['uncached_input_tokens']) +
        Number(result['cache_read_input_tokens']) +
        51_000 +
        2_000,
      0,
    );
    expect(await logTotals(out)).toEqual({
      rows: 9,
      distinctIds: 9,
      calls: 9,
      input,
      output: results.reduce((sum, result) => sum + Number(result['output_tokens']), 0),
      micros: 0,
    });
    expect(JSON.parse(await readFile(pullStatePath(out), 'utf8'))).toMatchObject({
      complete: true,
      resumeFrom: '2026-05-10T00:00:00.000Z',
      rows: 9,
    });
  });

  it('reads the cost report in cents, and will not mix reports in one log', async () => {
    server.data.anthropicCost = anthropicCostBuckets(4);
    const out = join(folder, 'cost.csv');
    const options = {
      out,
      key: KEY,
      baseUrl: server.url,
      report: 'cost',
      since: '2026-05-01',
      until: '2026-05-05',
      pageSize: 2,
      retry: FAST,
      now: NOW,
    };
    const summary = await pullToLog('anthropic', options);
    expect(summary.pages).toBe(2);
    // 41.40 cents and (120 + d).6 cents a day.
    const expected = 4 * 414_000 + [0, 1, 2, 3].reduce((sum, d) => sum + (120 + d) * 10_000 + 6_000, 0);
    expect((await logTotals(out)).micros).toBe(expected);
    await expect(pullToLog('anthropic', { ...options, report: 'usage' })).rejects.toMatchObject({
      code: 'state_mismatch',
      message: expect.stringMatching(/holds the cost report/),
    });
    const restarted = await pullToLog('anthropic', { ...options, report: 'usage', restart: true });
    expect(restarted.resumed).toBe(false);
  });

  it('refuses to extend a file that is not a pulled log', async () => {
    const out = join(folder, 'other.csv');
    await writeFile(out, 'a,b\n1,2\n');
    await writeFile(
      pullStatePath(out),
      JSON.stringify({
        version: 1,
        api: 'anthropic',
        baseUrl: `${server.url}/`,
        report: 'usage',
        bucketWidth: '1d',
        groupBy: ['model', 'workspace_id', 'service_tier', 'context_window'],
        since: '2026-05-01T00:00:00.000Z',
        resumeFrom: '2026-05-02T00:00:00.000Z',
        complete: true,
        rows: 1,
        updatedAt: '2026-05-02T00:00:00.000Z',
      }),
    );
    await expect(
      pullToLog('anthropic', { out, key: KEY, baseUrl: server.url, retry: FAST, now: NOW }),
    ).rejects.toMatchObject({
      code: 'state_mismatch',
      message: expect.stringMatching(/not a log a pull wrote/),
    });
    await writeFile(pullStatePath(out), '{ broken');
    await expect(
      pullToLog('anthropic', { out, key: KEY, baseUrl: server.url, retry: FAST, now: NOW }),
    ).rejects.toThrow(/is not JSON/);
  });
});

describe('retries', () => {
  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
    const now = Date.parse('2026-05-01T00:00:00Z');
    expect(retryAfterMs('Fri, 01 May 2026 00:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('Fri, 01 May 2026 00:00:00 GMT', now + 1000)).toBe(0);
  });

  it('backs off exponentially with full jitter under a cap', () => {
    const policy = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };
    expect([1, 2, 3, 4, 5, 9].map((attempt) => backoffMs(attempt, policy, () => 0.999999))).toEqual([
      99, 199, 399, 799, 999, 999,
    ]);
    for (let attempt = 1; attempt < 12; attempt++) {
      for (const draw of [0, 0.25, 0.5, 0.75]) {
        const delay = backoffMs(attempt, policy, () => draw);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(Math.min(1000, 100 * 2 ** (attempt - 1)));
      }
    }
  });

  it('blanks every secret out of a message', () => {
    expect(redact('bad key sk-1 and sk-1 again; pw hunter2', ['sk-1', 'hunter2', ''])).toBe(
      'bad key *** and *** again; pw ***',
    );
  });
});

describe('the list of APIs', () => {
  it('matches the modules under src/pull/apis and the sections of docs/importers.md', () => {
    const modules = readdirSync(join(__dirname, '..', 'src', 'pull', 'apis'))
      .filter((file) => file !== 'index.ts')
      .map((file) => file.replace(/\.ts$/, ''))
      .sort();
    const names = PULL_APIS.map((api) => api.name);
    expect([...names].sort()).toEqual(modules);
    const page = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'importers.md'), 'utf8');
    const documented = [...page.matchAll(/^### `finops pull ([a-z-]+)`/gm)].map((match) => match[1]);
    expect(documented).toEqual(names);
  });
});
