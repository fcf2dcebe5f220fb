/**
 * Turns repeated field values into one shared string each, read straight from
 * a row's text without slicing it first. Values that repeat (provider, model,
 * customer, …) then cost no allocation per row, and the strings kept are
 * compact copies that do not hold on to the chunk of the file they came from.
 */
export class StringInterner {
  private keys: (string | undefined)[];
  private hashes: Int32Array;
  private ids: Int32Array;
  private mask: number;
  /** Distinct values, by id (ids are dense, in order of first appearance). */
  readonly values: string[] = [];
  /** Id of the value returned by the last {@link intern} call. */
  lastId = -1;

  constructor(
    /** Past this many distinct values, new values are returned without being kept. */
    readonly maxSize = 1 << 16,
  ) {
    this.keys = new Array<string | undefined>(64);
    this.hashes = new Int32Array(64);
    this.ids = new Int32Array(64);
    this.mask = 63;
  }

  /** Number of distinct values kept. */
  get size(): number {
    return this.values.length;
  }

  /** The shared string equal to `text.slice(start, end)`; sets {@link lastId} (-1 when the table is full). */
  intern(text: string, start: number, end: number): string {
    // A small direct-mapped cache in front of the table: columns with few values (provider, model,
    // product, …) are found from four characters, without hashing the whole value.
    const length = end - start;
    const quick =
      (length * 31 +
        text.charCodeAt(start) * 7 +
        text.charCodeAt(end - 1) * 3 +
        text.charCodeAt(start + (length >> 1))) &
      63;
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

  private readonly quickKeys: (string | undefined)[] = new Array<string | undefined>(64).fill(undefined);
  private readonly quickIds = new Int32Array(64);

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
    let slot = hash & this.mask;
    for (;;) {
      const key = this.keys[slot];
      if (key === undefined) break;
      if (this.hashes[slot] === hash && key.length === length && text.startsWith(key, start)) {
        this.lastId = this.ids[slot] as number;
        return key;
      }
      slot = (slot + 1) & this.mask;
    }
    const value = Buffer.from(text.slice(start, end), 'utf8').toString('utf8');
    if (this.values.length >= this.maxSize) {
      this.lastId = -1;
      return value;
    }
    const id = this.values.length;
    this.values.push(value);
    this.keys[slot] = value;
    this.hashes[slot] = hash;
    this.ids[slot] = id;
    this.lastId = id;
    if (this.values.length * 2 > this.mask + 1) this.grow();
    return value;
  }

  /** The shared string equal to `value` (for values that are already strings). */
  internString(value: string): string {
    return this.intern(value, 0, value.length);
  }

  private grow(): void {
    const keys = this.keys;
    const hashes = this.hashes;
    const ids = this.ids;
    const capacity = (this.mask + 1) * 2;
    this.keys = new Array<string | undefined>(capacity);
    this.hashes = new Int32Array(capacity);
    this.ids = new Int32Array(capacity);
    this.mask = capacity - 1;
    for (let slot = 0; slot < keys.length; slot++) {
      const key = keys[slot];
      if (key === undefined) continue;
      let target = (hashes[slot] as number) & this.mask;
      while (this.keys[target] !== undefined) target = (target + 1) & this.mask;
      this.keys[target] = key;
      this.hashes[target] = hashes[slot] as number;
      this.ids[target] = ids[slot] as number;
    }
  }
}
