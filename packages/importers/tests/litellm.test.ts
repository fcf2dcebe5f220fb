import { fixture, importAll, rowWithId, temporaryFile } from './helpers';

const page = fixture('litellm', 'spend-logs-page.json');
const lines = fixture('litellm', 'spend-logs.jsonl');
const table = fixture('litellm', 'spend-logs.csv');

describe('litellm', () => {
  it('recognises a /spend/logs/v2 page, JSON Lines and a CSV of the table without --from', async () => {
    for (const [file, format] of [
      [page, 'json'],
      [lines, 'jsonl'],
      [table, 'csv'],
    ] as const) {
      const { detection } = await importAll(file);
      expect(detection.source.name).toBe('litellm');
      expect(detection.format).toBe(format);
      expect(detection.forced).toBe(false);
    }
  });

  it('keeps the good rows with the totals the fixture means', async () => {
    const { tally } = await importAll(page);
    expect(tally).toMatchObject({
      recordsRead: 9,
      recordsKept: 6,
      recordsRejected: 2,
      recordsSkipped: 1,
      rejectedByReason: { invalid_number: 1, invalid_timestamp: 1 },
      skippedByReason: { duplicate_call_id: 1 },
      withReportedCost: 5,
      calls: 6,
      inputTokens: 2431 + 2431 + 2980 + 2943 + 1200 + 0,
      outputTokens: 182 + 182 + 440 + 182 + 90 + 0,
      reportedCostMicros: 4493 + 0 + 9450 + 6413 + 0,
    });
  });

  it('maps a row onto our columns, attribution from end_user, tags and spend_logs_metadata', async () => {
    const { rows } = await importAll(page);
    expect(rowWithId(rows, 'chatcmpl-9f2c1d7e')).toEqual({
      call_id: 'chatcmpl-9f2c1d7e',
      request_id: 'chatcmpl-9f2c1d7e',
      timestamp: '2026-05-04T09:12:03.12Z',
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      input_tokens: 2431,
      output_tokens: 182,
      cached_input_tokens: 2048,
      cache_write_input_tokens: 0,
      cost_usd: '0.0044934',
      latency_ms: 1884,
      time_to_first_token_ms: 582,
      status: 'success',
      api_key_id: '3b9e0c6d5f1a4e2b8c7d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8fe41a',
      user_id: 'u_ops_17',
      team_id: 'team_support',
      session_id: 'conv_55c0',
      trace_id: 'conv_55c0',
      tags: '{"feature":"ticket-summary","env":"production"}',
      customer_id: 'cust_8841',
      subscription_tier: 'pro',
      product_id: 'helpdesk',
      feature_id: 'ticket-summary',
      task_type: 'summarization',
      environment: 'production',
    });
  });

  it('never takes the LiteLLM organization for the customer tenant', async () => {
    const { rows } = await importAll(page);
    expect(rowWithId(rows, 'chatcmpl-9f2c1d7e').organization_id).toBeUndefined();
  });

  it('keeps a proxy cache hit as a free call, flagged, with the request id of the call it repeats', async () => {
    const { rows } = await importAll(page);
    const hit = rowWithId(rows, 'chatcmpl-9f2c1d7e_cache_hit1777885990');
    expect(hit.request_id).toBe('chatcmpl-9f2c1d7e');
    expect(hit.cost_usd).toBe('0');
    expect(JSON.parse(String(hit.tags))).toMatchObject({ gateway_cache_hit: 'true' });
  });

  it('leaves the cost unknown when spend is 0 on a call with tokens (model not in the price map)', async () => {
    const { rows } = await importAll(page);
    const unpriced = rowWithId(rows, 'chatcmpl-c0ffee01');
    expect(unpriced.cost_usd).toBeUndefined();
    expect(unpriced.provider).toBe('aws.bedrock');
    expect(unpriced.model).toBe('anthropic.claude-3-5-haiku-20241022-v1:0');
    expect(unpriced.environment).toBe('staging');
  });

  it('adds the cache back into prompt_tokens of a version that left it out', async () => {
    const { rows } = await importAll(page);
    const older = rowWithId(rows, 'msg_01HqLw3oDd2kQ');
    expect(older.input_tokens).toBe(383 + 2048 + 512);
    expect(older.latency_ms).toBe(2250);
  });

  it('drops the random session ids LiteLLM invents, keeps the ones the caller set', async () => {
    const { rows } = await importAll(page);
    expect(rowWithId(rows, 'chatcmpl-BvX81kQz').session_id).toBeUndefined();
    expect(rowWithId(rows, 'chatcmpl-c0ffee01').session_id).toBe('cust_0042-chat-7');
  });

  it('strips the provider prefix of the model and reads OpenAI-shaped usage details', async () => {
    const { rows } = await importAll(page);
    const row = rowWithId(rows, 'chatcmpl-BvX81kQz');
    expect(row).toMatchObject({ model: 'gpt-4o-2024-08-06', cached_input_tokens: 1920, reasoning_tokens: 0 });
    expect(row.subscription_tier).toBe('enterprise');
  });

  it('takes the provider from the model prefix when the row names none, and keeps other slashes', async () => {
    const file = temporaryFile(
      'rows.jsonl',
      [
        {
          request_id: 'r1',
          startTime: '2026-05-04T09:00:00Z',
          model: 'anthropic/claude-sonnet-4-5',
          prompt_tokens: 1,
          completion_tokens: 1,
          spend: 0.1,
        },
        {
          request_id: 'r2',
          startTime: '2026-05-04T09:00:00Z',
          model: 'meta-llama/Llama-3.1-70B',
          custom_llm_provider: 'together_ai',
          prompt_tokens: 1,
          completion_tokens: 1,
        },
      ]
        .map((row) => JSON.stringify(row))
        .join('\n'),
    );
    const { rows } = await importAll(file);
    expect(rows[0]).toMatchObject({ provider: 'anthropic', model: 'claude-sonnet-4-5' });
    expect(rows[1]).toMatchObject({ provider: 'together_ai', model: 'meta-llama/Llama-3.1-70B' });
  });

  it('keeps a failed call as an error with its error class', async () => {
    const { rows } = await importAll(page);
    expect(rowWithId(rows, 'e3b0c442-98fc-4c14-9afb-f4c8996fb924')).toMatchObject({
      status: 'error',
      error_type: 'RateLimitError',
      input_tokens: 0,
      cost_usd: '0',
    });
  });

  it('rejects bad rows with file, record, field and reason', async () => {
    const json = await importAll(page);
    expect(json.rejections.map(({ record, field, reason }) => ({ record, field, reason }))).toEqual([
      { record: 'data[6]', field: 'prompt_tokens', reason: 'invalid_number' },
      { record: 'data[7]', field: 'startTime', reason: 'invalid_timestamp' },
    ]);
    expect(json.rejections[0]?.message).toBe(
      `${page} data[6]: "prompt_tokens" is not a whole number ≥ 0: "many"`,
    );
    const csv = await importAll(table);
    expect(csv.rejections.map(({ line, field }) => ({ line, field }))).toEqual([
      { line: 8, field: 'prompt_tokens' },
      { line: 9, field: 'startTime' },
    ]);
    const jsonl = await importAll(lines);
    expect(jsonl.rejections.map(({ line }) => line)).toEqual([7, 8]);
  });

  it('gives the same rows from the page, JSON Lines and the CSV of the table', async () => {
    const fromPage = await importAll(page);
    const fromLines = await importAll(lines);
    const fromTable = await importAll(table);
    expect(fromLines.rows).toEqual(fromPage.rows);
    expect(fromTable.rows).toEqual(fromPage.rows);
    expect(fromTable.tally.reportedCostMicros).toBe(fromPage.tally.reportedCostMicros);
  });
});
