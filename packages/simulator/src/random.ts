/**
 * The seeded random stream behind every choice of the simulator: sfc32
 * (Chris Doty-Humphrey's Small Fast Counting generator, 128-bit state) seeded
 * through splitmix32. Only 32-bit integer arithmetic, so the stream is the
 * same on every machine and JavaScript engine.
 */

const TWO_POW_32 = 4_294_967_296;
const INVERSE_TWO_POW_32 = 1 / TWO_POW_32;
/** Outputs of the stream drawn at a time. */
const BUFFERED_WORDS = 256;

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
  /** The sfc32 state a, b, c, d: in a typed array, so that storing it never boxes a number. */
  private readonly state = new Int32Array(4);
  /**
   * The stream's next outputs, drawn {@link BUFFERED_WORDS} at a time in one
   * tight loop: taking one is small enough for the compiler to inline into
   * every caller, so a draw neither calls a function nor boxes its result.
   */
  private readonly words = new Uint32Array(BUFFERED_WORDS);
  /** Index of the next unused output in {@link words}. */
  private taken = BUFFERED_WORDS;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
    const whole = Math.trunc(seed);
    const low = whole >>> 0;
    const high = Math.floor(whole / TWO_POW_32) >>> 0;
    // Both halves of the seed feed the splitmix32 state, so seeds that differ only above bit 32 differ.
    let state = (low ^ Math.imul(high, 0x85ebca6b)) | 0;
    for (let index = 0; index < 4; index++) {
      const step = splitmix32(state);
      state = step.state;
      this.state[index] = step.value | 0;
    }
    // Discard the first outputs, as the algorithm's author recommends, to mix the seeded state.
    for (let index = 0; index < 15; index++) this.nextUint32();
  }

  /** Draws the next {@link BUFFERED_WORDS} outputs of sfc32 into {@link words}. */
  private refill(): void {
    const state = this.state;
    const words = this.words;
    let a = state[0] as number;
    let b = state[1] as number;
    let c = state[2] as number;
    let d = state[3] as number;
    for (let index = 0; index < BUFFERED_WORDS; index++) {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (((c << 21) | (c >>> 11)) + t) | 0;
      words[index] = t;
    }
    state[0] = a;
    state[1] = b;
    state[2] = c;
    state[3] = d;
    this.taken = 0;
  }

  /** The next 32-bit unsigned integer. */
  nextUint32(): number {
    if (this.taken === BUFFERED_WORDS) this.refill();
    return this.words[this.taken++] as number;
  }

  /** A uniform number in [0, 1) with 32 bits of resolution. */
  next(): number {
    if (this.taken === BUFFERED_WORDS) this.refill();
    // × 2⁻³² is exact, the same number as ÷ 2³², and cheaper.
    return (this.words[this.taken++] as number) * INVERSE_TWO_POW_32;
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

  /**
   * `Math.floor(total × uniform(min, max))`: a whole share of `total`. A
   * whole number comes back from a call unboxed, where a fraction would not.
   */
  portion(total: number, min: number, max: number): number {
    return Math.floor(total * this.uniform(min, max));
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
