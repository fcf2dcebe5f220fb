import { parseCatalog } from '@finops/schema';
import { analyzeCosts } from '../src';
import { call } from './fixtures';

// Azure sells gpt-3.5-turbo 20 % cheaper than OpenAI in this catalog.
const catalog = parseCatalog({
  extends: 'builtin',
  providers: {
    azure: {
      share: 0.05,
      models: {
        'gpt-35-turbo-azure': { input: 0.0004, output: 0.0012, class: 'budget', latencyFactor: 0.6 },
      },
    },
  },
});

describe('provider arbitrage', () => {
  it('prices the same model at the cheaper provider and does not count that saving again', async () => {
    // Ten days of one OpenAI gpt-3.5-turbo call of 1,000 input tokens: $0.0005 = 500 micro-dollars a day.
    const records = Array.from({ length: 10 }, (_, day) =>
      call({
        day,
        provider: 'openai',
        model: 'gpt-3.5-turbo',
        taskType: 'analysis',
        featureId: 'analysis',
        inputTokens: 1000,
        outputTokens: 0,
      }),
    );
    expect(records.every((record) => record.costMicros === 500)).toBe(true);
    const result = (await analyzeCosts([records], { catalog })).optimization;
    // Azure: 10,000 tokens × $0.0004 / 1K = 4,000 micro-dollars against 5,000.
    expect(result?.arbitrage).toEqual([
      expect.objectContaining({
        family: 'gpt-3.5-turbo',
        provider: 'openai',
        model: 'gpt-3.5-turbo',
        toProvider: 'azure',
        toModel: 'gpt-35-turbo-azure',
        calls: 10,
        actualMicros: 5000,
        targetMicros: 4000,
        savingsMicros: 1000,
      }),
    ]);
    // Commitments rest on the spend left after the move: 400 a day, not 500.
    expect(result?.reserved.baselineDailyMicros).toBe(400);
    // Best: 90 % of 400 = 360 a day at 40 % off, i.e. 10 × (360 − 216) = 1,440.
    expect(result?.reserved.best).toEqual({ level: 0.9, discount: 0.4, savingsMicros: 1440 });
    expect(result?.total.totalMicros).toBe(1000 + 1440);
  });

  it('finds nothing where both providers charge the same, whatever the per-call rounding', async () => {
    // 3 input tokens at $0.0005 / 1K = $0.0000015, logged as 2 micro-dollars a call; 30 tokens price at 15.
    const records = Array.from({ length: 10 }, (_, day) =>
      call({
        day,
        provider: 'openai',
        model: 'gpt-3.5-turbo',
        taskType: 'analysis',
        inputTokens: 3,
        outputTokens: 0,
        costMicros: 2,
      }),
    );
    const result = (await analyzeCosts([records])).optimization;
    expect(result?.arbitrage).toEqual([]);
    expect(result?.total.arbitrageMicros).toBe(0);
  });
});
