import { tokenDirection, tokensPerUnit } from '../src/sources/focus';
import { fixture, importAll } from './helpers';

const costs = fixture('focus', 'ai-costs.csv');

describe('focus', () => {
  it('keeps token usage rows, skips other charges, rejects refunds, unknown directions and other currencies', async () => {
    const { tally, rejections, detection } = await importAll(costs);
    expect(detection.source.name).toBe('focus');
    expect(tally).toMatchObject({
      recordsRead: 10,
      recordsKept: 4,
      recordsSkipped: 3,
      skippedByReason: { not_token_usage: 1, not_a_usage_charge: 2 },
      recordsRejected: 3,
      inputTokens: 1507000 + 1380000 + 931000,
      outputTokens: 96400,
      withReportedCost: 4,
      reportedCostMicros: 4521000 + 1446000 + 414000 + 2327500,
    });
    expect(rejections.map(({ line, field, reason }) => ({ line, field, reason }))).toEqual([
      { line: 9, field: 'ConsumedQuantity', reason: 'invalid_number' },
      { line: 10, field: 'SkuMeter', reason: 'missing_field' },
      { line: 11, field: 'BillingCurrency', reason: 'invalid_cost' },
    ]);
  });

  it('scales quantities by their unit and reads the direction from the SKU', async () => {
    const { rows } = await importAll(costs);
    expect(rows[0]).toMatchObject({
      timestamp: '2026-05-04T00:00:00Z',
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      input_tokens: 1507000,
      output_tokens: 0,
      cost_usd: '4.521',
      feature_id: 'ticket-summary',
      environment: 'production',
    });
    expect(rows[0]?.customer_id).toBeUndefined();
    expect(rows[1]).toMatchObject({ input_tokens: 0, output_tokens: 96400 });
    expect(rows[2]).toMatchObject({ input_tokens: 1380000, cached_input_tokens: 1380000 });
    expect(rows[3]).toMatchObject({
      provider: 'azure.ai.openai',
      model: 'gpt-4o',
      input_tokens: 931000,
      region: 'eastus2',
      product_id: 'portal',
    });
  });

  it('reads a customer from an x_ column when a map names it', async () => {
    const { rows } = await importAll(costs, { attribution: { customer_id: 'x_customer_id' } });
    expect(rows[0]?.customer_id).toBe('cust_8841');
  });

  it('knows token units and directions', () => {
    expect(tokensPerUnit('1000 Tokens')).toBe(1000);
    expect(tokensPerUnit('1M Tokens')).toBe(1_000_000);
    expect(tokensPerUnit('Tokens')).toBe(1);
    expect(tokensPerUnit('GB-Months')).toBeUndefined();
    expect(tokenDirection('gpt-4o-0806-Outp-glbl Tokens')).toBe('output');
    expect(tokenDirection('Cache Write Tokens')).toBe('cache_write');
    expect(tokenDirection('mistral-small tokens')).toBeUndefined();
  });
});
