import { FinopsError } from '@finops/schema';

/**
 * Dense integer ids for the values of one dimension (customer ids, models, …).
 * Each new value is stored as a flat copy, so that a key sliced out of a large
 * chunk of the file does not keep the chunk alive.
 */
export class Interner {
  /** Values by id, in order of first appearance. */
  readonly values: string[] = [];
  /** Ids by value; built on the first lookup after {@link adoptDistinct} (a merged part is only read). */
  private idsByValue: Map<string, number> | undefined = new Map<string, number>();

  private get ids(): Map<string, number> {
    if (this.idsByValue === undefined) {
      const ids = new Map<string, number>();
      this.values.forEach((value, id) => ids.set(value, id));
      this.idsByValue = ids;
    }
    return this.idsByValue;
  }

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
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      const copy = flatCopy(value);
      this.values.push(copy);
      this.ids.set(copy, id);
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
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.ids.set(value, id);
    }
    return id;
  }

  /**
   * Takes the values of another interner's dictionary into this empty one,
   * ids unchanged, without copying or looking them up: a state read back
   * from another thread holds distinct flat strings, and as the source of a
   * merge its dictionary is only read (the map by value is built if it is
   * ever looked up).
   */
  adoptDistinct(values: readonly string[]): void {
    if (this.values.length > 0)
      throw new FinopsError('interner_not_empty', 'a dictionary can be adopted only by an empty one');
    for (const value of values) this.values.push(value);
    this.idsByValue = undefined;
  }

  /** The id of `value`, or -1 when it was never seen. */
  find(value: string): number {
    return this.ids.get(value) ?? -1;
  }
}

/** A copy of a string that shares no memory with the text it was sliced from. */
export function flatCopy(value: string): string {
  return Buffer.from(value, 'utf8').toString('utf8');
}
