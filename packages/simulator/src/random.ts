/**
 * The seeded random stream behind every choice of the simulator: sfc32
 * (Chris Doty-Humphrey's Small Fast Counting generator, 128-bit state) seeded
 * through splitmix32. Only 32-bit integer arithmetic, so the stream is the
 * same on every machine and JavaScript engine.
 */

const TWO_POW_32 = 4_294_967_296;
const INVERSE_TWO_POW_32 = 1 / TWO_POW_32;

/** One step of splitmix32 on `state`: returns the next state and its 32-bit output. */
export function splitmix32(state: number): { state: number; value: number } {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aab3);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  z ^= z >>> 15;
  return { state: next, value: z >>> 0 };
}

/**
 * A seeded pseudo-random generator (sfc32). The same seed gives the same
 * sequence everywhere. Any finite number is a valid seed: its integer part
 * (up to 2⁵³) is used in full.
 */
export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
    const whole = Math.trunc(seed);
    const low = whole >>> 0;
    const high = Math.floor(whole / TWO_POW_32) >>> 0;
    // Both halves of the seed feed the splitmix32 state, so seeds that differ only above bit 32 differ.
    let state = (low ^ Math.imul(high, 0x85ebca6b)) | 0;
    const words: number[] = [];
    for (let index = 0; index < 4; index++) {
      const step = splitmix32(state);
      state = step.state;
      words.push(step.value | 0);
    }
    this.a = words[0] ?? 0;
    this.b = words[1] ?? 0;
    this.c = words[2] ?? 0;
    this.d = words[3] ?? 1;
    // Discard the first outputs, as the algorithm's author recommends, to mix the seeded state.
    for (let index = 0; index < 15; index++) this.nextUint32();
  }

  /** The next 32-bit unsigned integer. */
  nextUint32(): number {
    const a = this.a;
    const b = this.b;
    const c = this.c;
    const d = this.d;
    const t = (((a + b) | 0) + d) | 0;
    this.d = (d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    this.c = (((c << 21) | (c >>> 11)) + t) | 0;
    return t >>> 0;
  }

  /** A uniform number in [0, 1) with 32 bits of resolution. */
  next(): number {
    const a = this.a;
    const b = this.b;
    const c = this.c;
    const d = this.d;
    const t = (((a + b) | 0) + d) | 0;
    this.d = (d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    this.c = (((c << 21) | (c >>> 11)) + t) | 0;
    // × 2⁻³² is exact, the same number as ÷ 2³², and cheaper.
    return (t >>> 0) * INVERSE_TWO_POW_32;
  }

  /** A uniform integer in [0, count). */
  below(count: number): number {
    return Math.floor(this.next() * count);
  }

  /** A uniform integer in [min, max], both included. */
  integer(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A uniform number in [min, max). */
  uniform(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  /** True with probability `probability`. */
  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let index = items.length - 1; index > 0; index--) {
      const other = this.below(index + 1);
      const item = items[index] as T;
      items[index] = items[other] as T;
      items[other] = item;
    }
    return items;
  }

  /** Index drawn from cumulative weights (ascending, last = total). */
  pickCumulative(cumulative: ArrayLike<number>): number {
    const last = cumulative.length - 1;
    const target = this.next() * (cumulative[last] ?? 0);
    if (last >= BINARY_SEARCH_FROM) return firstAbove(cumulative, target, last);
    for (let index = 0; index < last; index++) {
      if (target < (cumulative[index] ?? 0)) return index;
    }
    return last;
  }
}

/** Lists at least this long are searched by halving rather than in order. */
const BINARY_SEARCH_FROM = 16;

/**
 * The first index below `last` whose running sum exceeds `target`, else
 * `last`: the same index an in-order scan finds, since the sums never
 * decrease.
 */
function firstAbove(cumulative: ArrayLike<number>, target: number, last: number): number {
  let low = 0;
  let high = last;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (target < (cumulative[middle] ?? 0)) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** Running sums of `weights`, for {@link SeededRandom.pickCumulative}. */
export function cumulativeWeights(weights: readonly number[]): Float64Array {
  const cumulative = new Float64Array(weights.length);
  let sum = 0;
  for (let index = 0; index < weights.length; index++) {
    sum += weights[index] ?? 0;
    cumulative[index] = sum;
  }
  return cumulative;
}
