/**
 * A real HTTP server on 127.0.0.1 that answers like the usage APIs, from
 * records written after their documented formats: LiteLLM's
 * `/spend/logs/v2` (page numbers), OpenAI's organization usage and costs
 * reports and Anthropic's usage and cost reports (buckets, `next_page`
 * cursors). It filters by the requested range, pages as asked, checks the
 * key, and can be told to fail the next requests (429 with Retry-After, 5xx,
 * a slow answer) to exercise the retries.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A scripted answer that replaces the next normal one. */
export interface Fault {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Wait this long before answering (a slow server). */
  delayMs?: number;
}

/** A bucket of a provider report. */
export type Bucket = Record<string, unknown> & { results: Record<string, unknown>[] };

/** What the server serves. */
export interface ApiData {
  litellmRows: Record<string, unknown>[];
  openaiUsage: Bucket[];
  openaiCosts: Bucket[];
  anthropicUsage: Bucket[];
  anthropicCost: Bucket[];
}

/** One request the server saw. */
export interface SeenRequest {
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
}

/** The running server. */
export interface ApiServer {
  url: string;
  data: ApiData;
  requests: SeenRequest[];
  /** Answers the next requests to `path` with these faults, in order (`'pass'`: answer normally). */
  fail(path: string, ...faults: (Fault | 'pass')[]): void;
  close(): Promise<void>;
}

const LITELLM_KEY_HEADER = 'authorization';

function litellmTime(text: string | null): number | undefined {
  if (text === null) return undefined;
  return Date.parse(`${text.replace(' ', 'T')}Z`);
}

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(text);
}

function spendLogs(data: ApiData, query: URLSearchParams): unknown {
  const start = litellmTime(query.get('start_date')) ?? -Infinity;
  const end = litellmTime(query.get('end_date')) ?? Infinity;
  const page = Number(query.get('page') ?? '1');
  const size = Number(query.get('page_size') ?? '50');
  const rows = data.litellmRows
    .filter((row) => {
      const time = Date.parse(String(row['startTime']));
      return time >= start && time <= end;
    })
    .sort((a, b) => Date.parse(String(a['startTime'])) - Date.parse(String(b['startTime'])));
  return {
    data: rows.slice((page - 1) * size, page * size),
    total: rows.length,
    page,
    page_size: size,
    total_pages: Math.max(1, Math.ceil(rows.length / size)),
  };
}

function cursorPage(
  buckets: readonly Bucket[],
  query: URLSearchParams,
  startOf: (bucket: Bucket) => number,
  range: { start: number; end: number },
  openaiEnvelope: boolean,
): unknown {
  const selected = buckets.filter((bucket) => startOf(bucket) >= range.start && startOf(bucket) < range.end);
  const token = query.get('page');
  const offset =
    token === null ? 0 : Number(Buffer.from(token.replace(/^page_/, ''), 'base64url').toString());
  const limit = Number(query.get('limit') ?? '7');
  const page = selected.slice(offset, offset + limit);
  const hasMore = offset + limit < selected.length;
  const next = hasMore ? `page_${Buffer.from(String(offset + limit)).toString('base64url')}` : null;
  return {
    ...(openaiEnvelope ? { object: 'page' } : {}),
    data: page,
    has_more: hasMore,
    next_page: next,
  };
}

/** Starts the server with `data`, accepting `key` (Bearer, or `x-api-key` for Anthropic). */
export async function startApiServer(data: ApiData, key: string): Promise<ApiServer> {
  const faults = new Map<string, (Fault | 'pass')[]>();
  const requests: SeenRequest[] = [];
  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    requests.push({ path: url.pathname, query: url.searchParams, headers: request.headers });
    const fault = faults.get(url.pathname)?.shift();
    if (fault && fault !== 'pass') {
      const answer = (): void =>
        send(response, fault.status, fault.body ?? '{"error":"scripted"}', fault.headers);
      if (fault.delayMs) setTimeout(answer, fault.delayMs);
      else answer();
      return;
    }
    const anthropic = url.pathname.startsWith('/v1/organizations/');
    const given = anthropic ? request.headers['x-api-key'] : request.headers[LITELLM_KEY_HEADER];
    const expected = anthropic ? key : `Bearer ${key}`;
    if (given !== expected) {
      // Real APIs echo part of what they were sent; the puller must keep it out of its messages.
      send(response, 401, {
        error: { type: 'authentication_error', message: `invalid key: ${String(given)}` },
      });
      return;
    }
    if (anthropic && request.headers['anthropic-version'] !== '2023-06-01') {
      send(response, 400, { error: { message: 'anthropic-version header required' } });
      return;
    }
    const query = url.searchParams;
    const seconds = (name: string, fallback: number): number => Number(query.get(name) ?? fallback);
    const rfc = (name: string, fallback: number): number => {
      const text = query.get(name);
      return text === null ? fallback : Date.parse(text);
    };
    switch (url.pathname) {
      case '/spend/logs/v2':
        return send(response, 200, spendLogs(data, query));
      case '/v1/organization/usage/completions':
      case '/v1/organization/costs': {
        const buckets = url.pathname.endsWith('costs') ? data.openaiCosts : data.openaiUsage;
        const range = { start: seconds('start_time', 0), end: seconds('end_time', Infinity) };
        return send(
          response,
          200,
          cursorPage(buckets, query, (bucket) => Number(bucket['start_time']), range, true),
        );
      }
      case '/v1/organizations/usage_report/messages':
      case '/v1/organizations/cost_report': {
        const buckets = url.pathname.endsWith('cost_report') ? data.anthropicCost : data.anthropicUsage;
        const range = { start: rfc('starting_at', 0), end: rfc('ending_at', Infinity) };
        return send(
          response,
          200,
          cursorPage(buckets, query, (bucket) => Date.parse(String(bucket['starting_at'])), range, false),
        );
      }
      default:
        return send(response, 404, { error: { message: `no route ${url.pathname}` } });
    }
  };
  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    data,
    requests,
    fail(path, ...list) {
      faults.set(path, [...(faults.get(path) ?? []), ...list]);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const DAY = 86_400;
/** 2026-05-01T00:00:00Z in Unix seconds. */
export const MAY_FIRST = Date.UTC(2026, 4, 1) / 1000;

/** A LiteLLM spend log row as the proxy writes it. */
export function spendLogRow(index: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const start = new Date(Date.UTC(2026, 4, 1, 9, 0, index * 7, 120));
  const prompt = 1000 + index * 10;
  const completion = 100 + index;
  return {
    request_id: `chatcmpl-${String(index).padStart(4, '0')}`,
    call_type: 'acompletion',
    api_key: '3b9e0c1de41a',
    spend: Number(((prompt * 2.5 + completion * 10) / 1_000_000).toFixed(8)),
    total_tokens: prompt + completion,
    prompt_tokens: prompt,
    completion_tokens: completion,
    startTime: start.toISOString(),
    endTime: new Date(start.getTime() + 1500).toISOString(),
    request_duration_ms: 1500,
    model: 'gpt-4o-2024-08-06',
    model_group: 'gpt-4o',
    custom_llm_provider: 'openai',
    user: 'u_ops_17',
    end_user: `cust_${index % 3}`,
    team_id: 'team_support',
    organization_id: null,
    cache_hit: 'False',
    request_tags: ['feature:ticket-summary', 'env:prod'],
    session_id: `conv_${index}`,
    status: 'success',
    metadata: { spend_logs_metadata: { tier: 'pro' } },
    ...overrides,
  };
}

/** OpenAI completions usage buckets, one a day from May 1st, two models each. */
export function openaiUsageBuckets(days: number): Bucket[] {
  return Array.from({ length: days }, (_, day) => ({
    object: 'bucket',
    start_time: MAY_FIRST + day * DAY,
    end_time: MAY_FIRST + (day + 1) * DAY,
    results: [
      {
        object: 'organization.usage.completions.result',
        input_tokens: 1_843_000 + day,
        input_cached_tokens: 912_000,
        input_cache_write_tokens: 0,
        input_uncached_tokens: 931_000 + day,
        output_tokens: 204_500 + day,
        num_model_requests: 3120 + day,
        project_id: 'proj_support',
        user_id: null,
        api_key_id: null,
        model: 'gpt-4o-2024-08-06',
        batch: null,
        service_tier: null,
      },
      {
        object: 'organization.usage.completions.result',
        input_tokens: 52_000,
        input_cached_tokens: 0,
        input_cache_write_tokens: 0,
        input_uncached_tokens: 52_000,
        output_tokens: 9_000,
        num_model_requests: 40,
        project_id: 'proj_support',
        user_id: null,
        api_key_id: null,
        model: 'gpt-4o-mini-2024-07-18',
        batch: null,
        service_tier: null,
      },
    ],
  }));
}

/** OpenAI costs buckets, one a day, by line item. */
export function openaiCostBuckets(days: number): Bucket[] {
  return Array.from({ length: days }, (_, day) => ({
    object: 'bucket',
    start_time: MAY_FIRST + day * DAY,
    end_time: MAY_FIRST + (day + 1) * DAY,
    results: [
      {
        object: 'organization.costs.result',
        amount: { value: 2.3275, currency: 'usd' },
        line_item: 'gpt-4o-2024-08-06, input',
        project_id: 'proj_support',
        api_key_id: null,
        quantity: 931_000,
        quantity_unit: 'tokens',
      },
      {
        object: 'organization.costs.result',
        amount: { value: 2.045 + day / 1000, currency: 'usd' },
        line_item: 'gpt-4o-2024-08-06, output',
        project_id: 'proj_support',
        api_key_id: null,
        quantity: 204_500,
        quantity_unit: 'tokens',
      },
    ],
  }));
}

/** Anthropic Messages usage report buckets, one a day. */
export function anthropicUsageBuckets(days: number): Bucket[] {
  return Array.from({ length: days }, (_, day) => ({
    starting_at: new Date((MAY_FIRST + day * DAY) * 1000).toISOString().replace('.000Z', 'Z'),
    ending_at: new Date((MAY_FIRST + (day + 1) * DAY) * 1000).toISOString().replace('.000Z', 'Z'),
    results: [
      {
        uncached_input_tokens: 402_000 + day,
        cache_creation: { ephemeral_5m_input_tokens: 51_000, ephemeral_1h_input_tokens: 2_000 },
        cache_read_input_tokens: 1_380_000,
        output_tokens: 96_400 + day,
        server_tool_use: { web_search_requests: 12 },
        api_key_id: null,
        workspace_id: 'wrkspc_01Ab',
        model: 'claude-sonnet-4-5-20250929',
        service_tier: 'standard',
        context_window: '0-200k',
        account_id: null,
      },
    ],
  }));
}

/** Anthropic cost report buckets, one a day; amounts in cents as decimal strings. */
export function anthropicCostBuckets(days: number): Bucket[] {
  return Array.from({ length: days }, (_, day) => ({
    starting_at: new Date((MAY_FIRST + day * DAY) * 1000).toISOString().replace('.000Z', 'Z'),
    ending_at: new Date((MAY_FIRST + (day + 1) * DAY) * 1000).toISOString().replace('.000Z', 'Z'),
    results: [
      {
        currency: 'USD',
        amount: '41.40',
        workspace_id: 'wrkspc_01Ab',
        description: 'Claude Sonnet 4.5 Usage - Input Tokens, Cache Hit',
        cost_type: 'tokens',
        model: 'claude-sonnet-4-5-20250929',
        service_tier: 'standard',
        context_window: '0-200k',
        token_type: 'cache_read_input_tokens',
        inference_geo: null,
      },
      {
        currency: 'USD',
        amount: `${120 + day}.6`,
        workspace_id: 'wrkspc_01Ab',
        description: 'Claude Sonnet 4.5 Usage - Input Tokens',
        cost_type: 'tokens',
        model: 'claude-sonnet-4-5-20250929',
        service_tier: 'standard',
        context_window: '0-200k',
        token_type: 'uncached_input_tokens',
        inference_geo: null,
      },
    ],
  }));
}

/** Empty data, to fill per test. */
export function noData(): ApiData {
  return { litellmRows: [], openaiUsage: [], openaiCosts: [], anthropicUsage: [], anthropicCost: [] };
}
