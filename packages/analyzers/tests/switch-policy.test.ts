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
    // 4 calls × (1,000 × $0.03 + 500 × $0.06) / 1K = $0.24 on gpt-4 in each group.
    // analysis: the cheapest standard model for 4,000 + 2,000 tokens is cohere command at $0.008.
    expect(recommended('analysis')).toEqual([
      expect.objectContaining({
        toProvider: 'cohere',
        toModel: 'command',
        classGap: 1,
        risk: 'medium',
        actualMicros: 240_000,
        targetMicros: 8_000,
        savingsMicros: 232_000,
      }),
    ]);
    // The two-class drop is listed for analysis, with its risk, but not counted.
    expect(result?.switches).toContainEqual(
      expect.objectContaining({
        taskType: 'analysis',
        toModel: 'gemini-1.5-flash',
        classGap: 2,
        risk: 'high',
        recommended: false,
      }),
    );
    // qa may go to the cheapest budget model: gemini-1.5-flash at 4,000 × $0.000075 + 2,000 × $0.0003 = $0.0009.
    expect(recommended('qa')).toEqual([
      expect.objectContaining({
        toModel: 'gemini-1.5-flash',
        classGap: 2,
        targetMicros: 900,
        savingsMicros: 239_100,
      }),
    ]);
    expect(result?.total.switchingMicros).toBe(232_000 + 239_100);
  });
});
