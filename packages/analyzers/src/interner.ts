/**
 * Dense integer ids for the values of one dimension (customer ids, models, …).
 * Each new value is stored as a flat copy, so that a key sliced out of a large
 * chunk of the file does not keep the chunk alive.
 */
export class Interner {
  /** Values by id, in order of first appearance. */
  readonly values: string[] = [];
  /**
   * Id by value for {@link values}[0 … indexed − 1]: values appended by
   * {@link appendDistinct} or {@link adoptDistinct} are indexed only when a
   * lookup needs them, so that a dictionary of a million session ids filled
   * from a reader's own dictionary, or copied in sorted order, is never hashed.
   */
  private readonly ids = new Map<string, number>();
  private indexed = 0;
  /** The one {@link claim}er that may append without lookups, {@link SHARED} once anything else added a value. */
  private owner: unknown = undefined;

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
    this.share();
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
    this.share();
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.ids.set(value, id);
      this.indexed++;
    }
    return id;
  }

  /** The id of `value`, or -1 when it was never seen. */
  find(value: string): number {
    this.index();
    return this.ids.get(value) ?? -1;
  }

  /**
   * Whether `feeder` may add values with {@link appendDistinct}: true for the
   * first feeder of an empty dictionary until a value comes any other way.
   * A reader's dictionary hands each distinct value once, so its values
   * need no lookup here while nothing else adds to this dictionary.
   */
  claim(feeder: object): boolean {
    if (this.owner === undefined && this.values.length === 0) this.owner = feeder;
    return this.owner === feeder;
  }

  /** Adds a value known to be absent (see {@link claim}) without hashing it; returns its id. */
  appendDistinct(value: string): number {
    return this.values.push(value) - 1;
  }

  /** Adds distinct values, none of them present, as they are (flat copies already): ids follow in order. */
  adoptDistinct(values: readonly string[]): void {
    this.owner = SHARED;
    for (let index = 0; index < values.length; index++) this.values.push(values[index] as string);
  }

  /** Forgets every value (the dictionary is empty again), giving their memory back. */
  release(): void {
    this.values.length = 0;
    this.ids.clear();
    this.indexed = 0;
    this.owner = undefined;
    this.cacheKeys.fill(undefined);
  }

  /** Any value may now come from anywhere: index every value so far and give up the claim. */
  private share(): void {
    this.owner = SHARED;
    if (this.indexed < this.values.length) this.index();
  }

  /** Hashes the values appended without a lookup. */
  private index(): void {
    for (let id = this.indexed; id < this.values.length; id++) this.ids.set(this.values[id] as string, id);
    this.indexed = this.values.length;
  }
}

/** The owner of a dictionary that more than one source added to. */
const SHARED = Symbol('shared');

/** A copy of a string that shares no memory with the text it was sliced from. */
export function flatCopy(value: string): string {
  return Buffer.from(value, 'utf8').toString('utf8');
}

/** Buckets below which {@link codeUnitOrder} sorts by insertion. */
const INSERTION_BELOW = 24;
/** The radix sort's bucket of code units from 255 up, ordered by comparison (they are rare in ids). */
const WIDE_BUCKET = 256;

/** The bucket of a value's code unit at `depth`: 0 past its end, 1 + the code unit below 255, else {@link WIDE_BUCKET}. */
function bucketOf(value: string, depth: number): number {
  return depth < value.length ? Math.min(value.charCodeAt(depth), 255) + 1 : 0;
}

/**
 * The ids of distinct `values` in the order of their UTF-16 code units (the
 * order of `<` and of a plain `sort()`): a most-significant-digit radix
 * sort, one counting pass per character position, which orders a million
 * session or trace ids several times faster than a comparison sort.
 */
export function codeUnitOrder(values: readonly string[]): Int32Array {
  const count = values.length;
  const order = new Int32Array(count);
  for (let id = 0; id < count; id++) order[id] = id;
  const scratch = new Int32Array(count);
  // The bucket of each value of the range being ordered, read once per character position.
  const buckets = new Uint16Array(count);
  const starts = new Int32Array(WIDE_BUCKET + 2);
  // Ranges still to order, as (low, high, depth) triples: the values of one share their first `depth` code units.
  const pending: number[] = [0, count, 0];
  while (pending.length > 0) {
    let depth = pending.pop() as number;
    const high = pending.pop() as number;
    const low = pending.pop() as number;
    if (high - low < INSERTION_BELOW) {
      sortByComparison(order, low, high, values);
      continue;
    }
    depth = sharedPrefixEnd(order, low, high, values, depth);
    starts.fill(0);
    for (let at = low; at < high; at++) {
      const bucket = bucketOf(values[order[at] as number] as string, depth);
      buckets[at] = bucket;
      starts[bucket + 1] = (starts[bucket + 1] as number) + 1;
    }
    for (let bucket = 1; bucket <= WIDE_BUCKET + 1; bucket++)
      starts[bucket] = (starts[bucket] as number) + (starts[bucket - 1] as number);
    for (let at = low; at < high; at++) {
      const bucket = buckets[at] as number;
      const to = starts[bucket] as number;
      starts[bucket] = to + 1;
      scratch[low + to] = order[at] as number;
    }
    order.set(scratch.subarray(low, high), low);
    // starts[b] is now the end of bucket b; bucket 0 (ended here) holds one value at most, as values are distinct.
    for (let bucket = 1; bucket <= WIDE_BUCKET; bucket++) {
      const begin = low + (starts[bucket - 1] as number);
      const end = low + (starts[bucket] as number);
      if (end - begin < 2) continue;
      if (bucket === WIDE_BUCKET) sortByComparison(order, begin, end, values);
      else pending.push(begin, end, depth + 1);
    }
  }
  return order;
}

/** The first position from `depth` at which the values of `order[low … high − 1]` do not all have the same code unit. */
function sharedPrefixEnd(
  order: Int32Array,
  low: number,
  high: number,
  values: readonly string[],
  depth: number,
): number {
  const first = values[order[low] as number] as string;
  for (; depth < first.length; depth++) {
    const code = first.charCodeAt(depth);
    for (let at = low + 1; at < high; at++) {
      const value = values[order[at] as number] as string;
      if (depth >= value.length || value.charCodeAt(depth) !== code) return depth;
    }
  }
  return depth;
}

/** Orders `order[low … high − 1]` by comparing the values (insertion sort for a few, else a comparison sort). */
function sortByComparison(order: Int32Array, low: number, high: number, values: readonly string[]): void {
  if (high - low >= INSERTION_BELOW) {
    const sorted = Array.from(order.subarray(low, high)).sort((a, b) =>
      (values[a] as string) < (values[b] as string) ? -1 : 1,
    );
    order.set(sorted, low);
    return;
  }
  for (let at = low + 1; at < high; at++) {
    const id = order[at] as number;
    const value = values[id] as string;
    let to = at - 1;
    while (to >= low && (values[order[to] as number] as string) > value) {
      order[to + 1] = order[to] as number;
      to--;
    }
    order[to + 1] = id;
  }
}
