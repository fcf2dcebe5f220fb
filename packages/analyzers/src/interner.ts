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

  /**
   * Appends another dictionary's values as they are, without looking any up,
   * and returns the id of the first: a value both hold gets a second id.
   * For the part of a log read by another thread, whose session and trace
   * ids would otherwise each be hashed here; the canonical copy (which
   * orders the values, {@link codeUnitOrder}) gives repeated values one id
   * again. A lookup finds a repeated value's last id.
   */
  appendAll(values: readonly string[]): number {
    this.owner = SHARED;
    const first = this.values.length;
    for (let index = 0; index < values.length; index++) this.values.push(values[index] as string);
    return first;
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

/** Runs of equal keys from this length up are ordered by a comparison sort rather than by insertion. */
const INSERTION_BELOW = 24;
/** Code units of each value (past the prefix all share) packed into its key: 8 bits each, in two 32-bit words. */
const KEY_UNITS = 8;

/**
 * The key of a value in two 32-bit words: its code units from `at`, a byte
 * each (0 past its end, else 1 + the unit). A unit from 254 up is 255 and
 * ends the key (the bytes after it are 0): such units share a byte, so the
 * units after them must not order the key, or "þa" would follow "ÿ"; the
 * comparison of the tied values orders them instead.
 */
function writeKey(value: string, at: number, id: number, high: Uint32Array, low: Uint32Array): boolean {
  let first = 0;
  let second = 0;
  let ended = false;
  let whole = false;
  for (let unit = 0; unit < KEY_UNITS; unit++) {
    let byte = 0;
    if (!ended && at + unit < value.length) {
      const code = value.charCodeAt(at + unit);
      ended = code >= 254;
      byte = ended ? 255 : code + 1;
    } else {
      // The value ends inside the key (a 0 byte follows its last unit), every unit a byte of its own.
      if (!ended) whole = true;
      ended = true;
    }
    if (unit < KEY_UNITS / 2) first = (first << 8) | byte;
    else second = (second << 8) | byte;
  }
  high[id] = first >>> 0;
  low[id] = second >>> 0;
  return whole;
}

/** The number of leading code units every value shares. */
function sharedPrefixLength(values: readonly string[]): number {
  if (values.length === 0) return 0;
  const first = values[0] as string;
  let shared = first.length;
  for (let index = 1; index < values.length && shared > 0; index++) {
    const value = values[index] as string;
    const limit = Math.min(shared, value.length);
    let at = 0;
    while (at < limit && value.charCodeAt(at) === first.charCodeAt(at)) at++;
    shared = at;
  }
  return shared;
}

/**
 * The ids of distinct `values` in the order of their UTF-16 code units (the
 * order of `<` and of a plain `sort()`). Each value gets a 64-bit key, its
 * first {@link KEY_UNITS} code units past the prefix every value shares,
 * and the ids are ordered by four stable counting passes of 16 bits over
 * the keys (least significant first); values whose keys tie (a longer
 * shared part, or units from 254 up) are then ordered by comparison. A
 * million session or trace ids are ordered in a few linear passes over
 * typed arrays rather than by a million-fold comparison of strings.
 */
export function codeUnitOrder(values: readonly string[]): Int32Array {
  return codeUnitRuns(values).order;
}

/**
 * {@link codeUnitOrder} of values that may repeat, and which of them
 * repeat: `repeated[at]` is 1 when the value at `order[at]` equals the one
 * before it. A value that ends within its key (the key holds it whole) is
 * told equal to another by their keys alone, with no comparison of strings.
 */
export function codeUnitRuns(values: readonly string[]): { order: Int32Array; repeated: Uint8Array } {
  const count = values.length;
  const prefix = sharedPrefixLength(values);
  const high = new Uint32Array(count);
  const low = new Uint32Array(count);
  const whole = new Uint8Array(count);
  for (let id = 0; id < count; id++) if (writeKey(values[id] as string, prefix, id, high, low)) whole[id] = 1;
  let order = new Int32Array(count);
  for (let id = 0; id < count; id++) order[id] = id;
  let next = new Int32Array(count);
  const starts = new Int32Array(65_537);
  for (const [words, shift] of [
    [low, 0],
    [low, 16],
    [high, 0],
    [high, 16],
  ] as const) {
    if (orderByDigit(order, next, words, shift, starts)) [order, next] = [next, order];
  }
  const repeated = new Uint8Array(count);
  orderTies(order, high, low, whole, values, repeated);
  return { order, repeated };
}

/**
 * One stable counting pass: `order` sorted by the 16 bits of `words` from
 * `shift`, written into `into`. Returns false (and writes nothing) when
 * every value has the same digit, so that the pass can be skipped.
 */
function orderByDigit(
  order: Int32Array,
  into: Int32Array,
  words: Uint32Array,
  shift: number,
  starts: Int32Array,
): boolean {
  const count = order.length;
  starts.fill(0);
  for (let at = 0; at < count; at++) {
    const slot = ((words[at] as number) >>> shift) & 0xffff;
    starts[slot + 1] = (starts[slot + 1] as number) + 1;
  }
  for (let slot = 1; slot <= 65_536; slot++) {
    if (starts[slot] === count) return false;
    starts[slot] = (starts[slot] as number) + (starts[slot - 1] as number);
  }
  for (let at = 0; at < count; at++) {
    const id = order[at] as number;
    const slot = ((words[id] as number) >>> shift) & 0xffff;
    const to = starts[slot] as number;
    starts[slot] = to + 1;
    into[to] = id;
  }
  return true;
}

/**
 * Orders each run of `order` whose values have the same key by comparing
 * the values themselves, and marks in `repeated` each value equal to the
 * one before it. A run of values held whole by their keys is of one value
 * repeated: it needs no comparison.
 */
function orderTies(
  order: Int32Array,
  high: Uint32Array,
  low: Uint32Array,
  whole: Uint8Array,
  values: readonly string[],
  repeated: Uint8Array,
): void {
  let start = 0;
  for (let at = 1; at <= order.length; at++) {
    if (at < order.length) {
      const id = order[at] as number;
      const first = order[start] as number;
      if (high[id] === high[first] && low[id] === low[first]) continue;
    }
    if (at - start > 1) {
      if (whole[order[start] as number] === 1) repeated.fill(1, start + 1, at);
      else {
        sortByComparison(order, start, at, values);
        for (let tie = start + 1; tie < at; tie++)
          if (values[order[tie] as number] === values[order[tie - 1] as number]) repeated[tie] = 1;
      }
    }
    start = at;
  }
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
