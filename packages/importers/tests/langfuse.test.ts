import { sumUsageDetails } from '../src/sources/langfuse';
import { fixture, importAll, rowWithId } from './helpers';

const page = fixture('langfuse', 'observations-page.json');
const exportLines = fixture('langfuse', 'observations-export.jsonl');
const exportCsv = fixture('langfuse', 'observations-export.csv');
const trace = fixture('langfuse', 'trace.json');

describe('langfuse', () => {
  it('recognises an observations page, the blob export as JSON Lines and CSV, and a trace', async () => {
    for (const file of [page, exportLines, exportCsv, trace]) {
      expect((await importAll(file)).detection.source.name).toBe('langfuse');
    }
  });

  it('imports generations only, with the totals the fixture means', async () => {
    const { tally } = await importAll(page);
    expect(tally).toMatchObject({
      recordsRead: 9,
      recordsKept: 5,
      recordsSkipped: 2,
      recordsRejected: 2,
      skippedByReason: { not_a_generation: 2 },
      rejectedByReason: { invalid_number: 1, missing_field: 1 },
      calls: 5,
      inputTokens: 1436 + 2943 + 900 + 0 + 640,
      outputTokens: 95 + 182 + 300 + 0 + 12,
      withReportedCost: 3,
      reportedCostMicros: 3260 + 315 + 0,
    });
  });

  it('recomposes decomposed usage: input is the uncached part plus the cache', async () => {
    const { rows } = await importAll(page);
    expect(rowWithId(rows, 'obs_4c1e')).toEqual({
      call_id: 'obs_4c1e',
      request_id: 'obs_4c1e',
      trace_id: 'tr_91aa',
      timestamp: '2026-05-04T09:12:03.12Z',
      provider: 'openai',
      model: 'gpt-4o-2024-08-06',
      input_tokens: 1436,
      output_tokens: 95,
      cached_input_tokens: 1024,
      cost_usd: '0.00326',
      latency_ms: 1490,
      time_to_first_token_ms: 420,
      status: 'success',
      customer_id: 'cust_8841',
      session_id: 'conv_55c0',
      feature_id: 'draft-reply',
      subscription_tier: 'pro',
      environment: 'production',
    });
    expect(rowWithId(rows, 'obs_77a0')).toMatchObject({
      provider: 'anthropic',
      input_tokens: 383 + 2048 + 512,
      cached_input_tokens: 2048,
      cache_write_input_tokens: 512,
      latency_ms: 2250,
      task_type: 'summarization',
      product_id: 'helpdesk',
      environment: 'staging',
    });
  });

  it('leaves cost unknown where Langfuse had no price, keeps a priced zero', async () => {
    const { rows } = await importAll(page);
    expect(rowWithId(rows, 'obs_77a0').cost_usd).toBeUndefined();
    expect(rowWithId(rows, 'obs_c0de').cost_usd).toBeUndefined();
    expect(rowWithId(rows, 'obs_e404')).toMatchObject({ cost_usd: '0', status: 'error' });
    expect(rowWithId(rows, 'obs_e404').environment).toBeUndefined();
  });

  it('rejects bad observations with their place and field', async () => {
    const { rejections } = await importAll(page);
    expect(rejections.map(({ record, field, reason }) => ({ record, field, reason }))).toEqual([
      { record: 'data[7]', field: 'usageDetails.input', reason: 'invalid_number' },
      { record: 'data[8]', field: 'startTime', reason: 'missing_field' },
    ]);
    const csv = await importAll(exportCsv);
    expect(csv.rejections.map(({ line }) => line)).toEqual([9, 10]);
  });

  it('gives the same rows from the API page and the blob export (JSON Lines, CSV)', async () => {
    const fromPage = await importAll(page);
    expect((await importAll(exportLines)).rows).toEqual(fromPage.rows);
    expect((await importAll(exportCsv)).rows).toEqual(fromPage.rows);
  });

  it('attributes a trace’s observations to the trace’s user, session, tags and metadata', async () => {
    const { rows, tally } = await importAll(trace);
    expect(tally).toMatchObject({ recordsKept: 2, skippedByReason: { not_a_generation: 1 } });
    expect(rowWithId(rows, 'obs_b101')).toMatchObject({
      provider: 'cohere',
      customer_id: 'cust_trace',
      session_id: 'sess_b1',
      feature_id: 'search',
      subscription_tier: 'starter',
      product_id: 'portal',
      tags: '{"feature":"search","tier":"starter"}',
    });
    expect(rowWithId(rows, 'obs_b102')).toMatchObject({
      provider: 'openai',
      input_tokens: 9,
      output_tokens: 0,
    });
  });

  it('sums usage details by Langfuse’s own rule', () => {
    expect(
      sumUsageDetails({ input: 6, output: 2055, 'completion_details.reasoning': 1104, total: 2061 }),
    ).toEqual({
      input: 6,
      output: 2055,
      cached: 0,
      cacheWrite: 0,
      reasoning: 1104,
    });
    expect(
      sumUsageDetails({ input: 179, output: 35, output_reasoning: 64, input_cache_read: 10 }),
    ).toMatchObject({
      input: 189,
      output: 99,
      cached: 10,
      reasoning: 64,
    });
    expect(sumUsageDetails({ input: 1.5 })).toBe('input');
  });
});
