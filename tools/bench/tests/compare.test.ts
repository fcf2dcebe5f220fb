import { baselineGoesFirst, median, medianRates, pairedSpeedRatios, ratesOf } from '../src/compare';
import type { ChildReport } from '../src/types';

const MB = 1024 * 1024;

function run(wallMs: number, maxRssBytes = 100 * MB, bytes = 50 * MB, rows = 250_000): ChildReport {
  return { figures: { wallMs, bytes, rows }, maxRssBytes };
}

describe('comparing runs', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(() => median([])).toThrow(RangeError);
  });

  it('turns a run into MB/s, rows/s and peak memory, and takes each median on its own', () => {
    expect(ratesOf(run(2000))).toEqual({ mbPerSecond: 25, rowsPerSecond: 125_000, peakRssBytes: 100 * MB });
    expect(medianRates([run(1000, 90 * MB), run(4000, 300 * MB), run(2000, 100 * MB)])).toEqual({
      mbPerSecond: 25,
      rowsPerSecond: 125_000,
      peakRssBytes: 100 * MB,
    });
  });

  it('pairs runs by round, so a slow round slows both sides and leaves the ratio', () => {
    // Round 2 ran on a machine three times slower: both sides took three times as long.
    const current = [run(1100), run(3300), run(1000)];
    const baseline = [run(1000), run(3000), run(1000)];
    const summary = pairedSpeedRatios(current, baseline);
    expect(summary.ratios.map((ratio) => Number(ratio.toFixed(4)))).toEqual([0.9091, 0.9091, 1]);
    expect(summary.median).toBeCloseTo(0.9091, 4);
    expect(summary.lowest).toBeCloseTo(0.9091, 4);
    expect(summary.highest).toBe(1);
  });

  it('weighs each run by its work when the sides do different work', () => {
    const bytes = (report: ChildReport): number => report.figures.bytes ?? 0;
    const summary = pairedSpeedRatios([run(1000, MB, 20 * MB)], [run(1000, MB, 10 * MB)], bytes);
    expect(summary.median).toBe(2);
    expect(() => pairedSpeedRatios([run(1)], [])).toThrow(/pairing 1 runs with 0/);
    expect(() => pairedSpeedRatios([], [])).toThrow(RangeError);
  });

  it('alternates which side goes first', () => {
    expect([0, 1, 2, 3].map(baselineGoesFirst)).toEqual([true, false, true, false]);
  });
});
