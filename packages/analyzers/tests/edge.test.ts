import { CostAnalyzer, analyzeCosts } from '../src';
import { call, randomLog } from './fixtures';

describe('edge cases', () => {
  it('an empty input gives empty results', async () => {
    const empty = await analyzeCosts([]);
    expect(empty.meta.window).toEqual({ start: null, end: null, days: 0 });
    expect(empty.understanding?.totals.calls).toBe(0);
    expect(empty.profitability?.customers).toEqual([]);
    expect(JSON.parse(JSON.stringify(empty))).toEqual(empty);
  });

  it('results survive JSON unchanged (no NaN, Infinity or undefined)', async () => {
    for (const records of [[call({})], randomLog(500, 30, 99)]) {
      const results = await analyzeCosts(records);
      expect(JSON.parse(JSON.stringify(results))).toEqual(results);
    }
  });
});

describe('states', () => {
  it('refuse to merge states built with different settings', () => {
    const a = new CostAnalyzer();
    const b = new CostAnalyzer({ config: { performance: { slaMs: 500 } } });
    b.addRecord(call({}));
    expect(() => a.merge(b)).toThrow(/different settings/);
  });

  it('read back a saved state of a future version as an error', () => {
    const state = new CostAnalyzer().state();
    expect(() => CostAnalyzer.fromState({ ...state, cube: { ...state.cube, version: 3 as 2 } })).toThrow(
      /version/,
    );
  });
});
