import fc from 'fast-check';
import { cumulativeWeights, SeededRandom, splitmix32 } from '../src';
import { civilFromDays, weekdayOf } from '../src/calendar';
import { exactExp, integerPower, logistic, sinTurns } from '../src/exact-math';

describe('SeededRandom', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const first = new SeededRandom(42);
    const second = new SeededRandom(42);
    const other = new SeededRandom(43);
    const a = Array.from({ length: 100 }, () => first.nextUint32());
    const b = Array.from({ length: 100 }, () => second.nextUint32());
    const c = Array.from({ length: 100 }, () => other.nextUint32());
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('uses the whole integer part of large seeds', () => {
    expect(new SeededRandom(2 ** 40).nextUint32()).not.toBe(new SeededRandom(0).nextUint32());
    expect(new SeededRandom(2 ** 40 + 1).nextUint32()).not.toBe(new SeededRandom(2 ** 40).nextUint32());
    expect(() => new SeededRandom(Number.NaN)).toThrow(RangeError);
  });

  it('is uniform: chi-square over 100 buckets and mean of 10^6 draws', () => {
    const random = new SeededRandom(7);
    const buckets = new Array<number>(100).fill(0);
    const draws = 1_000_000;
    let total = 0;
    let outside = 0;
    for (let index = 0; index < draws; index++) {
      const value = random.next();
      if (!(value >= 0 && value < 1)) outside++;
      total += value;
      const bucket = Math.floor(value * 100);
      buckets[bucket] = (buckets[bucket] ?? 0) + 1;
    }
    expect(outside).toBe(0);
    const expected = draws / 100;
    const chiSquare = buckets.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
    // 99 degrees of freedom: the 0.1 % and 99.9 % quantiles are about 59 and 149.
    expect(chiSquare).toBeGreaterThan(59);
    expect(chiSquare).toBeLessThan(149);
    expect(total / draws).toBeCloseTo(0.5, 2);
  });

  it('has no correlation between successive draws', () => {
    const random = new SeededRandom(11);
    let previous = random.next() - 0.5;
    let product = 0;
    const draws = 200_000;
    for (let index = 0; index < draws; index++) {
      const value = random.next() - 0.5;
      product += previous * value;
      previous = value;
    }
    // Correlation estimate: E[xy] / Var(x), with Var = 1/12; its standard error is about 1/sqrt(n).
    expect(Math.abs(product / draws / (1 / 12))).toBeLessThan(4 / Math.sqrt(draws));
  });

  it('draws integers within bounds and shuffles into a permutation', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: -1000, max: 1000 }),
        fc.integer({ min: 0, max: 1000 }),
        (seed, min, span) => {
          const random = new SeededRandom(seed);
          for (let index = 0; index < 20; index++) {
            const value = random.integer(min, min + span);
            expect(Number.isInteger(value) && value >= min && value <= min + span).toBe(true);
          }
        },
      ),
    );
    fc.assert(
      fc.property(fc.integer(), fc.array(fc.integer(), { maxLength: 50 }), (seed, items) => {
        const shuffled = new SeededRandom(seed).shuffle([...items]);
        expect([...shuffled].sort((a, b) => a - b)).toEqual([...items].sort((a, b) => a - b));
      }),
    );
  });

  it('picks from cumulative weights in proportion to the weights', () => {
    const random = new SeededRandom(3);
    const cumulative = cumulativeWeights([1, 0, 3]);
    const counts = [0, 0, 0];
    for (let index = 0; index < 40_000; index++) {
      const picked = random.pickCumulative(cumulative);
      counts[picked] = (counts[picked] ?? 0) + 1;
    }
    expect(counts[1]).toBe(0);
    expect((counts[0] ?? 0) / 40_000).toBeCloseTo(0.25, 1);
    expect((counts[2] ?? 0) / 40_000).toBeCloseTo(0.75, 1);
  });

  it('draws in blocks without changing the stream, and takes a whole share as floor(total × uniform) does', () => {
    const blocks = new SeededRandom(99);
    const mirror = new SeededRandom(99);
    // Past several blocks of the buffered stream, each kind of draw takes the same next output.
    for (let index = 0; index < 2000; index++) {
      const total = 1 + (index % 5000);
      expect(blocks.portion(total, 0.3, 0.9)).toBe(Math.floor(total * mirror.uniform(0.3, 0.9)));
      expect(blocks.chance(0.4)).toBe(mirror.next() < 0.4);
      expect(blocks.below(900_000)).toBe(Math.floor(mirror.next() * 900_000));
      expect(blocks.nextUint32()).toBe(Math.round(mirror.next() * 2 ** 32));
    }
  });

  it('seeds through splitmix32', () => {
    const step = splitmix32(0);
    expect(step.state).toBe(0x9e3779b9 | 0);
    expect(step.value).toBeGreaterThanOrEqual(0);
    expect(splitmix32(0)).toEqual(step);
  });
});

describe('exact math', () => {
  it('matches Math.sin and Math.exp closely', () => {
    fc.assert(
      fc.property(fc.double({ min: -50, max: 50, noNaN: true }), (turns) => {
        expect(Math.abs(sinTurns(turns) - Math.sin(2 * Math.PI * turns))).toBeLessThan(1e-9);
      }),
    );
    fc.assert(
      fc.property(fc.double({ min: -700, max: 700, noNaN: true }), (x) => {
        const expected = Math.exp(x);
        expect(Math.abs(exactExp(x) - expected)).toBeLessThanOrEqual(expected * 1e-13);
      }),
    );
    expect(exactExp(800)).toBe(Infinity);
    expect(exactExp(-800)).toBe(0);
    expect(logistic(0)).toBe(0.5);
    expect(integerPower(1.1, 3)).toBeCloseTo(1.331, 12);
  });
});

describe('calendar', () => {
  it('agrees with Date on civil dates and weekdays', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100_000, max: 100_000 }), (dayNumber) => {
        const date = new Date(dayNumber * 86_400_000);
        expect(civilFromDays(dayNumber)).toEqual({
          year: date.getUTCFullYear(),
          month: date.getUTCMonth() + 1,
          day: date.getUTCDate(),
        });
        expect(weekdayOf(dayNumber)).toBe((date.getUTCDay() + 6) % 7);
      }),
    );
  });
});

describe('pickCumulative on long lists', () => {
  it('finds the same index by halving as an in-order scan, zero weights included', () => {
    const weights = Array.from({ length: 40 }, (_, index) => (index % 7 === 3 ? 0 : (index % 5) + 0.5));
    const cumulative = cumulativeWeights(weights);
    const total = cumulative[cumulative.length - 1] ?? 0;
    const scan = (target: number): number => {
      for (let index = 0; index < cumulative.length - 1; index++)
        if (target < (cumulative[index] ?? 0)) return index;
      return cumulative.length - 1;
    };
    const random = new SeededRandom(77);
    const mirror = new SeededRandom(77);
    for (let draw = 0; draw < 5000; draw++) {
      const picked = random.pickCumulative(cumulative);
      expect(picked).toBe(scan(mirror.next() * total));
      expect(weights[picked]).toBeGreaterThan(0);
    }
  });
});
