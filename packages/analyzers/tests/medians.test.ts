/* eslint-disable @typescript-eslint/no-non-null-assertion -- ranks within the list */
import fc from 'fast-check';
import { lowerMedian, median, nearestRanks } from '../src/shared/medians';

/** The value a sort gives at a nearest rank (1-based, clamped to the list). */
function bySort(values: readonly number[], rank: number): number {
  if (values.length === 0) return 0;
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

const lists = fc.oneof(
  fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 400 }),
  // −0 made +0: the two are equal to a sort and to selection, and the figures never hold −0.
  fc.array(
    fc.double({ min: -1e9, max: 1e9, noNaN: true, noDefaultInfinity: true }).map((value) => value + 0),
    { maxLength: 400 },
  ),
);

describe('nearest ranks by selection', () => {
  it('give what a sort gives at every pair of ranks, for lists with many equal values', () => {
    fc.assert(
      fc.property(lists, fc.nat(), fc.nat(), (values, first, second) => {
        const low = Math.min(first, second) % (values.length + 2);
        const high = Math.max(first, second) % (values.length + 2);
        const ranks = [Math.min(low, high), Math.max(low, high)];
        expect(nearestRanks(Float64Array.from(values), ranks)).toEqual(
          ranks.map((rank) => bySort(values, rank)),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('give the median and the 95th percentile of sorted, reversed and constant runs', () => {
    const size = 100_001;
    const runs = [
      Array.from({ length: size }, (_, index) => index),
      Array.from({ length: size }, (_, index) => size - index),
      new Array<number>(size).fill(7),
      Array.from({ length: size }, (_, index) => (index * 7919) % 1000),
    ];
    for (const values of runs) {
      const ranks = [Math.ceil(0.5 * size), Math.ceil(0.95 * size)];
      expect(nearestRanks(Float64Array.from(values), ranks)).toEqual(
        ranks.map((rank) => bySort(values, rank)),
      );
    }
  });

  it('keep the medians of plain lists', () => {
    fc.assert(
      fc.property(lists, (values) => {
        const sorted = values.slice().sort((a, b) => a - b);
        const middle = Math.floor(sorted.length / 2);
        const expected =
          sorted.length === 0
            ? 0
            : sorted.length % 2 === 1
              ? sorted[middle]!
              : (sorted[middle - 1]! + sorted[middle]!) / 2;
        expect(median(values)).toBe(expected);
        expect(lowerMedian(values)).toBe(bySort(values, Math.ceil(values.length / 2)));
      }),
      { numRuns: 300 },
    );
  });
});
