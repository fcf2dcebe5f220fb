import { avalanche } from './avalanche';

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
   * table of keys by slot would be one more random read into memory per probe. With the `fingerprint`
   * option, four numbers a slot: the fingerprint's three words and the id + 1.
   */
  private entries: Int32Array;
  private mask: number;
  /** Distinct values, by id (ids are dense, in order of first appearance). */
  readonly values: string[] = [];
  /** Id of the value of the last {@link intern} or {@link internId} call. */
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
      /**
       * Find values by a 96-bit fingerprint of their text ({@link fingerprintText},
       * with a seed drawn at random for each interner) instead of comparing the
       * text with the value kept. In a table of millions of values (trace ids)
       * a lookup then reads one place in memory instead of three (the slot, the
       * list of values, the value); {@link internId} reads only the slot. Two
       * values that differ in one character never share a fingerprint; two
       * ids not written on purpose to collide share one with probability about
       * 2⁻⁹⁶ (n² / 2⁹⁷ for n ids). The hash is not a cryptographic one: someone
       * who knew the seed could write two ids that count as one. Implies
       * `seldomRepeated`.
       */
      fingerprint?: boolean;
    } = {},
  ) {
    this.fingerprinted = options.fingerprint === true;
    this.slotWidth = this.fingerprinted ? 4 : 2;
    this.entries = new Int32Array(this.slotWidth * 64);
    this.mask = 63;
    this.quick = options.seldomRepeated !== true;
    // Not reproducible on purpose: ids do not depend on it (they follow first sight), and a seed no one
    // knows in advance leaves no way to prepare ids that collide.
    this.seed = this.fingerprinted ? Math.floor(Math.random() * 0x1_0000_0000) | 0 : 0;
  }

  private readonly fingerprinted: boolean;
  /** Numbers a slot of {@link entries} holds. */
  private readonly slotWidth: number;
  /** The seed of this interner's fingerprints. */
  private readonly seed: number;

  /** Number of distinct values kept. */
  get size(): number {
    return this.values.length;
  }

  /** The shared string equal to `text.slice(start, end)`; sets {@link lastId} (-1 when the table is full). */
  intern(text: string, start: number, end: number): string {
    if (this.fingerprinted) {
      const id = this.idByFingerprint(text, start, end);
      return id >= 0 ? (this.values[id] as string) : flatSlice(text, start, end);
    }
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

  /**
   * The id of `text.slice(start, end)`, kept when new (-1 when the table is
   * full); sets {@link lastId}. With the `fingerprint` option, a value seen
   * before is found without reading it.
   */
  internId(text: string, start: number, end: number): number {
    if (this.fingerprinted) return this.idByFingerprint(text, start, end);
    this.intern(text, start, end);
    return this.lastId;
  }

  /** {@link internId} by the value's fingerprint: a slot is the fingerprint's three words and the id + 1. */
  private idByFingerprint(text: string, start: number, end: number): number {
    const fingerprint = this.fingerprint;
    this.fingerprintInto(text, start, end, fingerprint);
    const first = fingerprint[0] as number;
    const second = fingerprint[1] as number;
    const third = fingerprint[2] as number;
    const entries = this.entries;
    let slot = first & this.mask;
    for (;;) {
      const at = slot * 4;
      const idPlusOne = entries[at + 3] as number;
      if (idPlusOne === 0) break;
      if (entries[at] === first && entries[at + 1] === second && entries[at + 2] === third) {
        return (this.lastId = idPlusOne - 1);
      }
      slot = (slot + 1) & this.mask;
    }
    if (this.values.length >= this.maxSize) return (this.lastId = -1);
    const id = this.values.length;
    this.values.push(flatSlice(text, start, end));
    const at = slot * 4;
    entries[at] = first;
    entries[at + 1] = second;
    entries[at + 2] = third;
    entries[at + 3] = id + 1;
    if (this.values.length * 2 > this.mask + 1) this.grow();
    return (this.lastId = id);
  }

  /** Where {@link idByFingerprint} computes a fingerprint (no allocation per lookup). */
  private readonly fingerprint = new Int32Array(3);

  /** Writes the fingerprint of `text.slice(start, end)` to `out` (a method, so that a test can weaken it). */
  protected fingerprintInto(text: string, start: number, end: number, out: Int32Array): void {
    fingerprintText(text, start, end, out, this.seed);
  }

  /** The shared string equal to `value` (for values that are already strings). */
  internString(value: string): string {
    return this.intern(value, 0, value.length);
  }

  /**
   * Doubles the table. A slot is {@link slotWidth} numbers: the hash (the fingerprint's first word),
   * which places it, first and the id + 1 last.
   */
  private grow(): void {
    const width = this.slotWidth;
    const entries = this.entries;
    const capacity = (this.mask + 1) * 2;
    const grown = new Int32Array(capacity * width);
    const mask = capacity - 1;
    for (let at = 0; at < entries.length; at += width) {
      if (entries[at + width - 1] === 0) continue;
      let target = (entries[at] as number) & mask;
      while (grown[target * width + width - 1] !== 0) target = (target + 1) & mask;
      // Stores one by one, not a copy of a subarray: a view made per slot costs more than the move.
      for (let word = 0; word < width; word++) grown[target * width + word] = entries[at + word] as number;
    }
    this.entries = grown;
    this.mask = mask;
  }
}

/**
 * The 96-bit fingerprint of `text.slice(start, end)` under `seed`, as three
 * 32-bit words written to `out`: three hashes over the characters, taken two
 * at a time, each with its own constants and a final avalanche (the first
 * word also places the value in a table). Each step rotates the state before
 * it multiplies, so that a difference in a word's top bit, which an odd
 * multiplication alone keeps as it is, is spread by the carries. Every step
 * is one-to-one in the state for a given pair of characters, and in the
 * pair for a given state, so two values of one length that differ in one
 * pair of characters differ in all three words.
 */
export function fingerprintText(text: string, start: number, end: number, out: Int32Array, seed = 0): void {
  const length = end - start;
  let first = 0x811c9dc5 ^ length ^ seed;
  let second = 0x01000193 ^ Math.imul(length, 0x9e3779b1) ^ Math.imul(seed, 0x85ebca77);
  let third = 0x6a09e667 ^ Math.imul(length, 0x85ebca77) ^ Math.imul(seed, 0xc2b2ae3d);
  for (let index = start; index < end; index += 2) {
    // An odd length's last character is a pair of its own (its upper half zero).
    const pair = text.charCodeAt(index) | (index + 1 < end ? text.charCodeAt(index + 1) << 16 : 0);
    first ^= pair;
    first = Math.imul((first << 13) | (first >>> 19), 0x01000193);
    second ^= pair;
    second = Math.imul((second << 7) | (second >>> 25), 0x5bd1e995);
    second ^= second >>> 15;
    third ^= pair;
    third = Math.imul((third << 5) | (third >>> 27), 0x27d4eb2d);
    third ^= third >>> 13;
  }
  first = avalanche(first);
  second ^= second >>> 16;
  second = Math.imul(second, 0x7feb352d);
  second ^= second >>> 15;
  third ^= third >>> 15;
  third = Math.imul(third, 0x2c1b3c6d);
  third ^= third >>> 12;
  out[0] = first;
  out[1] = second;
  out[2] = third;
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
