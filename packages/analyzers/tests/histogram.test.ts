/* eslint-disable @typescript-eslint/no-non-null-assertion -- fixtures have known shapes */
import fc from 'fast-check';
import {
  HISTOGRAM_RAW_LIMIT,
  addToHistogram,
  excessOver,
  mergeHistogram,
  newHistogram,
  percentile,
} from '../src';

function exact(values: number[], p: number): number {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length))) - 1]!;
}

describe('latency histogram', () => {
  it('is exact for small groups', () => {
    const histogram = newHistogram();
    for (let value = 100; value >= 1; value--) addToHistogram(histogram, value * 37);
    expect(percentile(histogram, 0.5)).toBe(50 * 37);
    expect(percentile(histogram, 0.99)).toBe(99 * 37);
  });

  it('stays within 1 % of the exact nearest-rank percentile for large groups', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 120_000 }), {
          minLength: HISTOGRAM_RAW_LIMIT + 1,
          maxLength: 2000,
        }),
        fc.constantFrom(0.5, 0.9, 0.95, 0.99),
        (values, p) => {
          const histogram = newHistogram();
          for (const value of values) addToHistogram(histogram, value);
          expect(histogram.raw).toBeNull();
          const truth = exact(values, p);
          expect(Math.abs(percentile(histogram, p) - truth)).toBeLessThanOrEqual(truth * 0.01 + 1e-9);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('merges parts into the histogram of the whole', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 50_000 }), { maxLength: 600 }),
        fc.nat(),
        (values, cutSeed) => {
          const cut = values.length === 0 ? 0 : cutSeed % values.length;
          const whole = newHistogram(true);
          const left = newHistogram(true);
          const right = newHistogram(true);
          values.forEach((value, index) => {
            addToHistogram(whole, value);
            addToHistogram(index < cut ? left : right, value);
          });
          mergeHistogram(right, left);
          for (const p of [0.5, 0.95, 0.99]) expect(percentile(right, p)).toBe(percentile(whole, p));
          expect(excessOver(right, 10_000)).toEqual(excessOver(whole, 10_000));
          expect(right.n).toBe(values.length);
        },
      ),
      { numRuns: 60 },
    );
  });
});
