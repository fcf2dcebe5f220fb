import { avalanche } from './avalanche';

/**
 * The 64-bit fingerprint of a call id as two 32-bit halves written to
 * `out[0]` and `out[1]`: two independent multiplicative hashes over the id's
 * characters, taken two at a time, each with a final avalanche. `(0, 0)` is
 * never produced (it marks an empty slot). `start` and `end` select a part
 * of `id` (a field of a row, read without copying it).
 */
export function callIdFingerprint(id: string, out: Uint32Array, start = 0, end = id.length): void {
  const length = end - start;
  let low = 0x811c9dc5 ^ length;
  let high = 0x01000193 ^ Math.imul(length, 0x9e3779b1);
  let index = start;
  for (; index + 1 < end; index += 2) {
    const pair = id.charCodeAt(index) | (id.charCodeAt(index + 1) << 16);
    low = Math.imul(low ^ pair, 0x01000193);
    high = Math.imul(high ^ pair, 0x5bd1e995);
    high ^= high >>> 15;
  }
  if (index < end) {
    const code = id.charCodeAt(index);
    low = Math.imul(low ^ code, 0x01000193);
    high = Math.imul(high ^ code, 0x5bd1e995);
    high ^= high >>> 15;
  }
  low = avalanche(low);
  high ^= high >>> 16;
  high = Math.imul(high, 0x7feb352d);
  high ^= high >>> 15;
  low >>>= 0;
  high >>>= 0;
  out[0] = low;
  out[1] = low === 0 && high === 0 ? 1 : high;
}

/**
 * A set of call ids that stays small for tens of millions of rows.
 *
 * Each id is stored as its 64-bit fingerprint ({@link callIdFingerprint}) in
 * an open-addressing table: 8 bytes a slot, at most 70 % full, so about
 * 12–23 bytes an id instead of the ~80 a JavaScript `Set` of strings needs.
 * Two different ids share a fingerprint with probability about n² / 2⁶⁵:
 * for 50 million ids, roughly 7 in 100,000 files would see one row wrongly
 * taken for a duplicate (and that row is quarantined, never silently lost).
 * Fingerprints can also be added and looked up directly, so that parts of a
 * file read apart can exchange the ids they kept.
 */
export class CallIdSet {
  // Both halves of a fingerprint side by side (slot × 2, slot × 2 + 1): one cache line per probe.
  // The table starts small and doubles: a table sized for the whole file up front is slower, as
  // every early insert then misses the cache.
  private slots: Uint32Array;
  private mask: number;
  private count = 0;
  /** Scratch space for a fingerprint being computed. */
  protected readonly scratch = new Uint32Array(2);

  constructor(initialCapacity = 1 << 16) {
    let capacity = 1 << 4;
    while (capacity < initialCapacity) capacity <<= 1;
    this.slots = new Uint32Array(capacity * 2);
    this.mask = capacity - 1;
  }

  /** Number of distinct ids added. */
  get size(): number {
    return this.count;
  }

  /** Bytes held by the table. */
  get byteSize(): number {
    return this.slots.byteLength;
  }

  /** Adds an id; returns `false` when it was already in the set. */
  add(id: string): boolean {
    return this.addSpan(id, 0, id.length);
  }

  /** Adds the id `text.slice(start, end)` without copying it; returns `false` when it was already in the set. */
  addSpan(text: string, start: number, end: number): boolean {
    callIdFingerprint(text, this.scratch, start, end);
    return this.addFingerprint(this.scratch[0] as number, this.scratch[1] as number);
  }

  /** True when the fingerprint's id is in the set. */
  hasFingerprint(low: number, high: number): boolean {
    const slots = this.slots;
    let slot = (low ^ (high >>> 7)) & this.mask;
    for (;;) {
      const slotLow = slots[slot * 2] as number;
      const slotHigh = slots[slot * 2 + 1] as number;
      if (slotLow === 0 && slotHigh === 0) return false;
      if (slotLow === low && slotHigh === high) return true;
      slot = (slot + 1) & this.mask;
    }
  }

  /** Adds a fingerprint (from {@link callIdFingerprint}); returns `false` when it was already in the set. */
  addFingerprint(low: number, high: number): boolean {
    const slots = this.slots;
    let slot = (low ^ (high >>> 7)) & this.mask;
    for (;;) {
      const slotLow = slots[slot * 2] as number;
      const slotHigh = slots[slot * 2 + 1] as number;
      if (slotLow === 0 && slotHigh === 0) break;
      if (slotLow === low && slotHigh === high) return false;
      slot = (slot + 1) & this.mask;
    }
    slots[slot * 2] = low;
    slots[slot * 2 + 1] = high;
    this.count++;
    if (this.count * 10 > (this.mask + 1) * 7) this.grow();
    return true;
  }

  private grow(): void {
    const old = this.slots;
    const capacity = (this.mask + 1) * 2;
    this.slots = new Uint32Array(capacity * 2);
    this.mask = capacity - 1;
    this.count = 0;
    for (let at = 0; at < old.length; at += 2) {
      const low = old[at] as number;
      const high = old[at + 1] as number;
      if (low !== 0 || high !== 0) this.addFingerprint(low, high);
    }
  }
}
