import { parseCatalog } from '@finops/schema';
import { analyzeCosts } from '../src';
import { call } from './fixtures';

// Azure sells gpt-4o-mini 20 % cheaper than OpenAI ($0.15 per million input tokens) in this catalog: a negotiated rate.
const catalog = parseCatalog({
  extends: 'builtin',
  providers: {
    'azure.ai.openai': {
      models: { 'gpt-4o-mini': { inputPerMtok: '0.12', outputPerMtok: '0.48' } },
    },
  },
});

describe('provider arbitrage', () => {
  it('prices the same model at the cheaper provider and does not count that saving again', async () => {
    // Ten days of one OpenAI gpt-4o-mini call of 10,000 input tokens: $0.0015 = 1,500 micro-dollars a day.
    const records = Array.from({ length: 10 }, (_, day) =>
      call({
        day,
        provider: 'openai',
        model: 'gpt-4o-mini',
        taskType: 'analysis',
        featureId: 'analysis',
        inputTokens: 10_000,
        outputTokens: 0,
        costMicros: 1500,
      }),
    );
    const result = (await analyzeCosts([records], { catalog })).optimization;
    // Azure: 100,000 tokens × $0.12 / 1M = 12,000 micro-dollars against 15,000.
    expect(result?.arbitrage).toEqual([
      expect.objectContaining({
        family: 'gpt-4o-mini',
        provider: 'openai',
        model: 'gpt-4o-mini',
        toProvider: 'azure.ai.openai',
        toModel: 'gpt-4o-mini',
        calls: 10,
        actualMicros: 15_000,
        targetMicros: 12_000,
        savingsMicros: 3000,
      }),
    ]);
    // Commitments rest on the spend left after the move: 1,200 a day, not 1,500.
    expect(result?.reserved.baselineDailyMicros).toBe(1200);
    // Best: 90 % of 1,200 = 1,080 a day at 40 % off, i.e. 10 × (1,080 − 648) = 4,320.
    expect(result?.reserved.best).toEqual({ level: 0.9, discount: 0.4, savingsMicros: 4320 });
    expect(result?.total.totalMicros).toBe(3000 + 4320);
  });

  it('finds nothing where both providers charge the same, whatever the per-call rounding', async () => {
    // gpt-4o is $2.50 per million input tokens at OpenAI and at Azure. 3 input tokens price at 7.5
    // micro-dollars, logged as 8 a call; 30 tokens price at 75 against 80 logged.
    const records = Array.from({ length: 10 }, (_, day) =>
      call({
        day,
        provider: 'openai',
        model: 'gpt-4o',
        taskType: 'analysis',
        inputTokens: 3,
        outputTokens: 0,
        costMicros: 8,
      }),
    );
    const result = (await analyzeCosts([records])).optimization;
    expect(result?.arbitrage).toEqual([]);
    expect(result?.total.arbitrageMicros).toBe(0);
  });
});
