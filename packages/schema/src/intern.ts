/** Slots of the cache of recent values, less one: room for a column of a few hundred values (customers). */
const QUICK_MASK = 511;

/**
 * Turns repeated field values into one shared string each, read straight from
 * a row's text without slicing it first. Values that repeat (provider, model,
 * customer, …) then cost no allocation per row, and the strings kept are
 * compact copies that do not hold on to the chunk of the file they came from.
 */
export class StringInterner {
  /**
   * Per slot, the value's hash and its id + 1 side by side (one cache line per probe; id + 1 of 0 marks
   * an empty slot). The value itself is read from {@link values} by id: a value seen again soon after
   * its first sight (a session's calls) is near the end of that list, already in the cache, where a
   * table of keys by slot would be one more random read into memory per probe.
   */
  private entries: Int32Array;
  private mask: number;
  /** Distinct values, by id (ids are dense, in order of first appearance). */
  readonly values: string[] = [];
  /** Id of the value returned by the last {@link intern} call. */
  lastId = -1;
  private readonly quick: boolean;

  constructor(
    /** Past this many distinct values, new values are returned without being kept. */
    readonly maxSize = 1 << 16,
    options: {
      /**
       * The values seldom repeat (trace and session ids): skip the small cache
       * of recent values, which such a column would only miss and overwrite.
       */
      seldomRepeated?: boolean;
    } = {},
  ) {
    this.entries = new Int32Array(128);
    this.mask = 63;
    this.quick = options.seldomRepeated !== true;
  }

  /** Number of distinct values kept. */
  get size(): number {
    return this.values.length;
  }

  /** The shared string equal to `text.slice(start, end)`; sets {@link lastId} (-1 when the table is full). */
  intern(text: string, start: number, end: number): string {
    if (!this.quick) return this.lookup(text, start, end);
    // A small direct-mapped cache in front of the table: columns with few values (provider, model,
    // product, …) are found from a few characters, without hashing the whole value. The last three
    // characters take part, as values often differ only at their end (cust_0001, cust_0002, …).
    const length = end - start;
    const quick =
      (length * 31 +
        text.charCodeAt(start) * 7 +
        text.charCodeAt(start + (length >> 1)) * 3 +
        text.charCodeAt(end - 1) +
        text.charCodeAt(end - 2) * 11 +
        text.charCodeAt(end - 3) * 121) &
      QUICK_MASK;
    const cached = this.quickKeys[quick];
    if (cached !== undefined && cached.length === length && text.startsWith(cached, start)) {
      this.lastId = this.quickIds[quick] as number;
      return cached;
    }
    const value = this.lookup(text, start, end);
    if (this.lastId >= 0) {
      this.quickKeys[quick] = value;
      this.quickIds[quick] = this.lastId;
    }
    return value;
  }

  private readonly quickKeys: (string | undefined)[] = new Array<string | undefined>(QUICK_MASK + 1).fill(
    undefined,
  );
  private readonly quickIds = new Int32Array(QUICK_MASK + 1);

  private lookup(text: string, start: number, end: number): string {
    let hash = 0x811c9dc5 ^ (end - start);
    let index = start;
    // Two characters a step: the values are short, and collisions are settled by comparison below.
    for (; index + 1 < end; index += 2) {
      hash = Math.imul(hash ^ (text.charCodeAt(index) | (text.charCodeAt(index + 1) << 16)), 0x01000193);
    }
    if (index < end) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
    hash ^= hash >>> 15;
    const length = end - start;
    const entries = this.entries;
    let slot = hash & this.mask;
    for (;;) {
      const idPlusOne = entries[slot * 2 + 1] as number;
      if (idPlusOne === 0) break;
      if (entries[slot * 2] === hash) {
        const key = this.values[idPlusOne - 1] as string;
        if (key.length === length && text.startsWith(key, start)) {
          this.lastId = idPlusOne - 1;
          return key;
        }
      }
      slot = (slot + 1) & this.mask;
    }
    const value = flatSlice(text, start, end);
    if (this.values.length >= this.maxSize) {
      this.lastId = -1;
      return value;
    }
    const id = this.values.length;
    this.values.push(value);
    entries[slot * 2] = hash;
    entries[slot * 2 + 1] = id + 1;
    this.lastId = id;
    if (this.values.length * 2 > this.mask + 1) this.grow();
    return value;
  }

  /** The shared string equal to `value` (for values that are already strings). */
  internString(value: string): string {
    return this.intern(value, 0, value.length);
  }

  private grow(): void {
    const entries = this.entries;
    const capacity = (this.mask + 1) * 2;
    const grown = new Int32Array(capacity * 2);
    const mask = capacity - 1;
    for (let slot = 0; slot < entries.length; slot += 2) {
      const idPlusOne = entries[slot + 1] as number;
      if (idPlusOne === 0) continue;
      const hash = entries[slot] as number;
      let target = hash & mask;
      while (grown[target * 2 + 1] !== 0) target = (target + 1) & mask;
      grown[target * 2] = hash;
      grown[target * 2 + 1] = idPlusOne;
    }
    this.entries = grown;
    this.mask = mask;
  }
}

/**
 * Shortest length at which V8 slices a string as a view into its parent
 * (`SlicedString::kMinLength`); shorter slices are copies already.
 */
const SHORTEST_VIEW = 13;

/**
 * `text.slice(start, end)` as a string of its own, which does not keep `text` alive. Joining two
 * parts copies them into one new flat string (a slice of 13 characters or more is a view of `text`;
 * a round trip through a buffer would copy too, at about three times the cost).
 */
function flatSlice(text: string, start: number, end: number): string {
  if (end - start < SHORTEST_VIEW) return text.slice(start, end);
  const middle = start + ((end - start) >> 1);
  return [text.slice(start, middle), text.slice(middle, end)].join('');
}
