import { modelOfLineItem } from '../src/sources/openai-usage';
import { fixture, importAll } from './helpers';

const openaiUsage = fixture('openai-usage', 'completions-by-model.json');
const openaiCosts = fixture('openai-usage', 'costs-by-line-item.json');
const anthropicUsage = fixture('anthropic-usage', 'messages-usage.json');
const anthropicCosts = fixture('anthropic-usage', 'cost-report.json');

describe('openai-usage', () => {
  it('turns each bucket result into one row weighted by its requests', async () => {
    const { rows, tally, detection } = await importAll(openaiUsage);
    expect(detection.source.name).toBe('openai-usage');
    expect(tally).toMatchObject({
      recordsRead: 4,
      recordsKept: 2,
      recordsSkipped: 1,
      skippedByReason: { empty_bucket: 1 },
      rejectedByReason: { invalid_number: 1 },
      calls: 3120 + 410,
      inputTokens: 1843000 + 520000,
      outputTokens: 204500 + 61000,
      withReportedCost: 0,
    });
    expect(rows[0]).toMatchObject({
      timestamp: '2026-05-04T00:00:00Z',
      provider: 'openai',
      model: 'gpt-4o-2024-08-06',
      input_tokens: 1843000,
      cached_input_tokens: 912000,
      cache_write_input_tokens: 0,
      calls: 3120,
      api_key_id: 'key_7Hq',
      service_tier: 'default',
      tags: '{"project_id":"proj_support"}',
    });
    expect(rows[0]?.customer_id).toBeUndefined();
    expect(rows[0]?.cost_usd).toBeUndefined();
    expect(rows[1]).toMatchObject({ service_tier: 'batch', calls: 410 });
    expect(String(rows[0]?.call_id)).toMatch(/^openai_[0-9a-f]{24}$/);
  });

  it('gives the same call ids on a second import, so a repeat is caught', async () => {
    const first = await importAll(openaiUsage);
    const second = await importAll(openaiUsage);
    expect(second.rows.map((row) => row.call_id)).toEqual(first.rows.map((row) => row.call_id));
  });

  it('reads a costs page as dollars without tokens, rejecting other currencies', async () => {
    const { rows, tally, rejections } = await importAll(openaiCosts);
    expect(tally).toMatchObject({
      recordsKept: 2,
      withReportedCost: 2,
      reportedCostMicros: 2327500 + 2045000,
      inputTokens: 0,
    });
    expect(rows[0]).toMatchObject({
      model: 'gpt-4o-2024-08-06',
      cost_usd: '2.3275',
      input_tokens: 0,
      output_tokens: 0,
    });
    expect(rejections[0]).toMatchObject({
      record: 'data[0].results[2]',
      field: 'amount.currency',
      reason: 'invalid_cost',
    });
  });

  it('takes the model from a line item', () => {
    expect(modelOfLineItem('gpt-4o-2024-08-06, input')).toBe('gpt-4o-2024-08-06');
    expect(modelOfLineItem(undefined)).toBeUndefined();
  });
});

describe('anthropic-usage', () => {
  it('adds the cache back into input: uncached + reads + 5-minute and 1-hour writes', async () => {
    const { rows, tally, rejections, detection } = await importAll(anthropicUsage);
    expect(detection.source.name).toBe('anthropic-usage');
    expect(tally).toMatchObject({
      recordsRead: 4,
      recordsKept: 2,
      skippedByReason: { empty_bucket: 1 },
      calls: 2,
      inputTokens: 402000 + 1380000 + 51000 + 120000 + 8000,
      outputTokens: 96400 + 30000,
    });
    expect(rows[0]).toMatchObject({
      timestamp: '2026-05-04T00:00:00Z',
      provider: 'anthropic',
      model: 'claude-sonnet-4-5-20250929',
      input_tokens: 1833000,
      cached_input_tokens: 1380000,
      cache_write_input_tokens: 51000,
      service_tier: 'standard',
      api_key_id: 'apikey_01Xy',
    });
    expect(rows[1]).toMatchObject({ region: 'us', service_tier: 'batch', cache_write_input_tokens: 8000 });
    expect(rejections[0]).toMatchObject({
      record: 'data[0].results[3]',
      field: 'uncached_input_tokens',
      reason: 'missing_field',
    });
  });

  it('reads cost amounts as cents', async () => {
    const { rows, tally, rejections } = await importAll(anthropicCosts);
    expect(tally).toMatchObject({
      recordsKept: 4,
      withReportedCost: 4,
      reportedCostMicros: 414000 + 1206000 + 1446000 + 191250,
    });
    expect(rows[0]?.cost_usd).toBe('0.414');
    expect(rows[3]?.cost_usd).toBe('0.19125');
    expect(JSON.parse(String(rows[0]?.tags))).toMatchObject({
      token_type: 'cache_read_input_tokens',
      workspace_id: 'wrkspc_01Ab',
    });
    expect(rejections[0]).toMatchObject({ field: 'currency', reason: 'invalid_cost' });
  });
});
