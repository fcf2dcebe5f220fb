/* eslint-disable @typescript-eslint/no-non-null-assertion -- fixtures have known shapes */
import fc from 'fast-check';
import { type CallRecord, checkReportDocument } from '@finops/schema';
import { analyzeCosts, ratioBin, ratioBinLowerEdge, resolveConfig } from '../src';
import { toReportDocument } from '../src/documents';
import { call, randomLogV2 } from './fixtures';
import { assertMergeLaws } from './merge-laws';

/**
 * Five calls priced from the catalog (openai, pico-dollars per token:
 * gpt-4o 2.5 M in / 10 M out / 1.25 M cached; gpt-5 1.25 M / 10 M;
 * gpt-4o-mini 0.15 M / 0.6 M; gpt-5-nano 0.05 M / 0.4 M).
 */
function tokensLog(): CallRecord[] {
  return [
    // Ratio 25: oversized, input-heavy; $0.0029.
    call({
      model: 'gpt-4o',
      taskType: 'summarization',
      featureId: 'docs',
      customerId: 'cust_a',
      inputTokens: 1_000,
      outputTokens: 40,
    }),
    // Ratio 800: oversized and long input with tiny output; $0.0201.
    call({
      model: 'gpt-4o',
      taskType: 'summarization',
      featureId: 'docs',
      customerId: 'cust_a',
      inputTokens: 8_000,
      outputTokens: 10,
    }),
    // Ratio 1: balanced; gpt-4o is not premium, so no rule on chat.
    call({
      model: 'gpt-4o',
      taskType: 'chat',
      featureId: 'chat',
      customerId: 'cust_b',
      inputTokens: 100,
      outputTokens: 100,
    }),
    // Ratio 0.2: output-heavy; a premium model on the simple task qa; $0.01025.
    call({
      model: 'gpt-5',
      taskType: 'qa',
      featureId: 'chat',
      customerId: 'cust_b',
      inputTokens: 200,
      outputTokens: 1_000,
    }),
    // Ratio 0.2: output-heavy; $0.00063.
    call({
      model: 'gpt-4o-mini',
      taskType: 'qa',
      featureId: 'qa_bot',
      customerId: 'cust_b',
      inputTokens: 200,
      outputTokens: 1_000,
    }),
  ];
}

describe('the ratio bin', () => {
  it('is a quarter octave of input / output, clamped, and its lower edge inverts it', () => {
    expect(ratioBin(100, 100)).toBe(40);
    expect(ratioBin(1_000, 40)).toBe(58);
    expect(ratioBin(0, 0)).toBe(0);
    expect(ratioBin(10, 0)).toBe(80);
    expect(ratioBin(1, 1e9)).toBe(0);
    expect(ratioBinLowerEdge(40)).toBe(1);
    expect(ratioBinLowerEdge(44)).toBe(2);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 1, max: 1e6 }), (input, output) => {
        const bin = ratioBin(input, output);
        const ratio = input / output;
        if (bin > 0 && bin < 80) {
          expect(ratioBinLowerEdge(bin)).toBeLessThanOrEqual(ratio * (1 + 1e-12));
          expect(ratioBinLowerEdge(bin + 1)).toBeGreaterThan(ratio * (1 - 1e-12));
        }
      }),
    );
  });
});

describe('tokens', () => {
  const config = { tokens: { minCalls: 1 } };

  it('gives ratio quantiles and kinds, waste with savings, and the cost spread, by hand', async () => {
    const results = await analyzeCosts(tokensLog(), { analyses: ['tokens'], config });
    const tokens = results.tokens!;
    // Bins 30, 30, 40, 58, 78: lower edges 2^-2.5, 1, 2^4.5, 2^9.5.
    expect(tokens.overall).toEqual({
      calls: 5,
      inputTokens: 9_500,
      outputTokens: 2_150,
      ratio: 4.4186,
      p25: 0.1768,
      p50: 1,
      p75: 22.6274,
      p90: 724.0773,
      inputHeavy: 2,
      outputHeavy: 2,
      balanced: 1,
    });
    expect(
      tokens.byFeature.map((entry) => [
        entry.feature,
        entry.calls,
        entry.inputHeavy,
        entry.balanced,
        entry.outputHeavy,
      ]),
    ).toEqual([
      ['chat', 2, 0, 1, 1],
      ['docs', 2, 2, 0, 0],
      ['qa_bot', 1, 0, 0, 1],
    ]);
    expect(tokens.byCustomer.map((entry) => [entry.customer, entry.calls, entry.ratio])).toEqual([
      ['cust_b', 3, 0.2381],
      ['cust_a', 2, 180],
    ]);
    expect(
      tokens.waste.map(({ rule, model, taskType, calls, costMicros, savingMicros }) => ({
        rule,
        model,
        taskType,
        calls,
        costMicros,
        savingMicros,
      })),
    ).toEqual([
      // (9,000 − 5 × 50) input tokens × 2.5 µ$.
      {
        rule: 'oversized_prompt',
        model: 'gpt-4o',
        taskType: 'summarization',
        calls: 2,
        costMicros: 23_000,
        savingMicros: 21_875,
      },
      // 8,000 input tokens × (2.5 − 1.25) µ$.
      {
        rule: 'long_input_tiny_output',
        model: 'gpt-4o',
        taskType: 'summarization',
        calls: 1,
        costMicros: 20_100,
        savingMicros: 10_000,
      },
      // $0.01025 against gpt-5-nano's 200 × 0.05 + 1,000 × 0.4 µ$.
      {
        rule: 'premium_on_simple_task',
        model: 'gpt-5',
        taskType: 'qa',
        calls: 1,
        costMicros: 10_250,
        savingMicros: 9_840,
      },
    ]);
    expect(tokens.waste[2]!.fix).toBe(
      'Move the task to gpt-5-nano, the cheapest model of openai below the premium class.',
    );
    expect(tokens.costSpread).toEqual([
      {
        taskType: 'qa',
        models: [
          { provider: 'openai', model: 'gpt-4o-mini', calls: 1, costPer1kTokensMicros: 525 },
          { provider: 'openai', model: 'gpt-5', calls: 1, costPer1kTokensMicros: 8_541.6667 },
        ],
        spread: 16.2698,
      },
    ]);
    expect(tokens.recommendations).toHaveLength(3);
    expect(tokens.recommendations[0]!.text).toBe(
      '2 calls of openai/gpt-4o on summarization send at least 20 input tokens per output token and cost $0.02; trimming their prompts to 5 per output token would save $0.02.',
    );
  });

  it('moves calls between kinds and rules as the thresholds move', async () => {
    const results = await analyzeCosts(tokensLog(), {
      analyses: ['tokens'],
      config: { tokens: { inputHeavyRatio: 30, oversizedRatio: 1_000, simpleTasks: [] } },
    });
    expect(results.tokens!.overall).toMatchObject({ inputHeavy: 1, balanced: 2, outputHeavy: 2 });
    expect(results.tokens!.waste.map((entry) => entry.rule)).toEqual(['long_input_tiny_output']);
    expect(() => resolveConfig({ tokens: { simpleTasks: 'qa' as unknown as string[] } })).toThrow(
      /config\.tokens\.simpleTasks/,
    );
  });

  it('judges a bucketed row by its mean tokens, says what it cannot see, and builds a sound page', async () => {
    const bucketed = [
      call({ calls: 4, inputTokens: 16_000, outputTokens: 40, costMicros: 40_000 }),
      ...tokensLog(),
    ];
    const results = await analyzeCosts(bucketed, { analyses: ['tokens'], config });
    // 4,000 input and 10 output tokens per call: long input, tiny output, for all four calls.
    expect(
      results.tokens!.waste.find(
        (entry) => entry.rule === 'long_input_tiny_output' && entry.taskType === 'chat',
      ),
    ).toMatchObject({
      calls: 4,
      costMicros: 40_000,
    });
    const page = toReportDocument('tokens', results);
    expect(checkReportDocument(page)).toEqual([]);
    expect(JSON.stringify(page)).toContain("calls' mean tokens");
  });
});

describe('merge laws of tokens', () => {
  it('any split, merged in any order, gives the one-pass result', () => {
    assertMergeLaws(['tokens'], randomLogV2(500, 10, 7));
  });
});
