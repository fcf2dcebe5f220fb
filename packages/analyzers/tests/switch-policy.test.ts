import { analyzeCosts } from '../src';
import { call } from './fixtures';

describe('model switch recommendations', () => {
  it('moves complex tasks one class down and simple tasks to the cheapest lower class', async () => {
    const records = [
      ...Array.from({ length: 4 }, () => call({ provider: 'openai', model: 'gpt-4', taskType: 'analysis' })),
      ...Array.from({ length: 4 }, () => call({ provider: 'openai', model: 'gpt-4', taskType: 'qa' })),
    ];
    const result = (await analyzeCosts([records])).optimization;
    const recommended = (task: string) =>
      result?.switches.filter((entry) => entry.taskType === task && entry.recommended) ?? [];
    // 4 calls × (1,000 × $30 + 500 × $60) / 1M = $0.24 on gpt-4 in each group.
    // analysis: the cheapest standard model for 4,000 + 2,000 tokens is Bedrock's Llama 3.3 70B at 6,000 × $0.72 / 1M = $0.00432.
    expect(recommended('analysis')).toEqual([
      expect.objectContaining({
        toProvider: 'aws.bedrock',
        toModel: 'meta.llama3-3-70b-instruct',
        classGap: 1,
        risk: 'medium',
        actualMicros: 240_000,
        targetMicros: 4_320,
        savingsMicros: 235_680,
      }),
    ]);
    // The two-class drop is listed for analysis, with its risk, but not counted.
    expect(result?.switches).toContainEqual(
      expect.objectContaining({
        taskType: 'analysis',
        toModel: 'amazon.nova-micro',
        classGap: 2,
        risk: 'high',
        recommended: false,
      }),
    );
    // qa may go to the cheapest budget model: amazon.nova-micro at (4,000 × $0.035 + 2,000 × $0.14) / 1M = $0.00042.
    expect(recommended('qa')).toEqual([
      expect.objectContaining({
        toModel: 'amazon.nova-micro',
        classGap: 2,
        targetMicros: 420,
        savingsMicros: 239_580,
      }),
    ]);
    expect(result?.total.switchingMicros).toBe(235_680 + 239_580);
  });
});
