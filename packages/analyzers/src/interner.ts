/**
 * Dense integer ids for the values of one dimension (customer ids, models, …).
 * Each new value is stored as a flat copy, so that a key sliced out of a large
 * chunk of the file does not keep the chunk alive.
 */
export class Interner {
  /** Values by id, in order of first appearance. */
  readonly values: string[] = [];
  private readonly ids = new Map<string, number>();
  /** Values with an entry in `ids`: those {@link adopt}ed are indexed on the first lookup by value. */
  private indexed = 0;

  /** Number of distinct values. */
  get size(): number {
    return this.values.length;
  }

  // A small direct-mapped cache in front of the map: a dimension with few values
  // (features, task types, organizations) is found without hashing the string.
  private readonly cacheKeys: (string | undefined)[] = new Array<string | undefined>(64).fill(undefined);
  private readonly cacheIds = new Int32Array(64);

  /** The id of `value`, adding it when new. */
  id(value: string): number {
    const length = value.length;
    const slot =
      length === 0
        ? 0
        : (length * 31 +
            value.charCodeAt(0) * 7 +
            value.charCodeAt(length - 1) * 3 +
            value.charCodeAt(length >> 1)) &
          63;
    if (this.cacheKeys[slot] === value) return this.cacheIds[slot] as number;
    if (this.indexed < this.values.length) this.indexAdopted();
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      const copy = flatCopy(value);
      this.values.push(copy);
      this.ids.set(copy, id);
      this.indexed++;
    }
    this.cacheKeys[slot] = this.values[id];
    this.cacheIds[slot] = id;
    return id;
  }

  /**
   * The id of `value`, adding it as it is when new: for a value that is
   * already a flat copy (read by the schema's parser, or taken from another
   * interner) and seldom repeated (session and trace ids, one or a few calls
   * each), where neither the cache nor a copy pays for itself.
   */
  idOfFlat(value: string): number {
    if (this.indexed < this.values.length) this.indexAdopted();
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.ids.set(value, id);
      this.indexed++;
    }
    return id;
  }

  /**
   * Appends a value known to be new (a flat copy), without a lookup; returns
   * its id. For a table filled from one source of distinct values in order
   * (a parser's table of trace ids), whose ids it then shares; the lookup
   * table by value is built only if a value is ever looked up.
   */
  adopt(value: string): number {
    this.values.push(value);
    return this.values.length - 1;
  }

  /** The id of `value`, or -1 when it was never seen. */
  find(value: string): number {
    if (this.indexed < this.values.length) this.indexAdopted();
    return this.ids.get(value) ?? -1;
  }

  private indexAdopted(): void {
    const values = this.values;
    for (let id = this.indexed; id < values.length; id++) this.ids.set(values[id] as string, id);
    this.indexed = values.length;
  }
}

/** A copy of a string that shares no memory with the text it was sliced from. */
export function flatCopy(value: string): string {
  return Buffer.from(value, 'utf8').toString('utf8');
}
