import { fixture, importAll, rowWithId } from './helpers';

const rmt = fixture('helicone', 'request-response-rmt.jsonl');
const api = fixture('helicone', 'query-clickhouse-page.json');
const exportTool = fixture('helicone', 'export-tool.csv');

describe('helicone', () => {
  it('recognises ClickHouse rows, an export API page and the export tool’s CSV', async () => {
    for (const file of [rmt, api, exportTool])
      expect((await importAll(file)).detection.source.name).toBe('helicone');
  });

  it('keeps the good rows with the totals the fixture means', async () => {
    const { tally } = await importAll(rmt);
    expect(tally).toMatchObject({
      recordsRead: 7,
      recordsKept: 5,
      recordsSkipped: 1,
      skippedByReason: { duplicate_call_id: 1 },
      rejectedByReason: { invalid_timestamp: 1 },
      calls: 5,
      inputTokens: 2431 + 1200 + 1000 + 0 + 800,
      outputTokens: 182 + 300 + 500 + 0 + 40,
      withReportedCost: 4,
      reportedCostMicros: 4493 + 360 + 3300 + 0,
    });
  });

  it('adds cache reads and writes to the uncached prompt tokens and divides cost by 10⁹', async () => {
    const { rows } = await importAll(rmt);
    expect(rowWithId(rows, '5b1c0e2a-7f4d-4a8e-9d3c-2f6a1b7e9c01')).toEqual({
      call_id: '5b1c0e2a-7f4d-4a8e-9d3c-2f6a1b7e9c01',
      request_id: '5b1c0e2a-7f4d-4a8e-9d3c-2f6a1b7e9c01',
      timestamp: '2026-05-04T09:12:03.12Z',
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      input_tokens: 2431,
      output_tokens: 182,
      cached_input_tokens: 2048,
      cache_write_input_tokens: 0,
      reasoning_tokens: 0,
      cost_usd: '0.0044934',
      latency_ms: 1884,
      time_to_first_token_ms: 582,
      status: 'success',
      api_key_id: '9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f',
      region: 'DE',
      tags: '{"Helicone-Session-Id":"conv_55c0","feature":"ticket-summary","tier":"pro","environment":"production"}',
      customer_id: 'cust_8841',
      session_id: 'conv_55c0',
      trace_id: 'conv_55c0',
      subscription_tier: 'pro',
      feature_id: 'ticket-summary',
      environment: 'production',
    });
  });

  it('marks non-2xx responses as errors, unknown prices as unknown, cache hits as flagged', async () => {
    const { rows } = await importAll(rmt);
    expect(rowWithId(rows, '8e4f3b5d-0a7c-4d1b-8a6f-5c9d4e0b2f34')).toMatchObject({
      status: 'error',
      error_type: 'http_429',
      cost_usd: '0',
    });
    const unpriced = rowWithId(rows, '9f5a4c6e-1b8d-4e2c-9b7a-6d0e5f1c3a45');
    expect(unpriced.cost_usd).toBeUndefined();
    expect(JSON.parse(String(unpriced.tags))).toMatchObject({ gateway_cache_hit: 'true' });
    expect(rowWithId(rows, '7d3e2a4c-9f6b-4c0a-9f5e-4b8c3d9a1e23')).toMatchObject({
      output_tokens: 500,
      reasoning_tokens: 320,
    });
  });

  it('never takes the Helicone organization for the customer tenant', async () => {
    const { rows } = await importAll(rmt);
    expect(rows.every((row) => row.organization_id === undefined)).toBe(true);
  });

  it('gives the same rows from ClickHouse rows and the export API page', async () => {
    expect((await importAll(api)).rows).toEqual((await importAll(rmt)).rows);
  });

  it('reads the export tool’s CSV, which has no cache columns, as it is', async () => {
    const { rows, tally } = await importAll(exportTool);
    expect(tally.recordsKept).toBe(2);
    expect(rows[0]).toMatchObject({
      input_tokens: 383,
      cost_usd: '0.0044934',
      customer_id: 'cust_8841',
      session_id: 'conv_55c0',
    });
  });

  it('rejects a bad row with its line', async () => {
    const { rejections } = await importAll(rmt);
    expect(rejections).toEqual([
      expect.objectContaining({ line: 7, field: 'request_created_at', reason: 'invalid_timestamp' }),
    ]);
  });
});
