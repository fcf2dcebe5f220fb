/**
 * A set of call ids that stays small for tens of millions of rows.
 *
 * Each id is stored as a 64-bit fingerprint (two independent 32-bit hashes)
 * in an open-addressing table: 8 bytes a slot, at most 70 % full, so about
 * 12–23 bytes an id instead of the ~80 a JavaScript `Set` of strings needs.
 * Two different ids share a fingerprint with probability about n² / 2⁶⁵:
 * for 50 million ids, roughly 7 in 100,000 files would see one row wrongly
 * taken for a duplicate (and that row is quarantined, never silently lost).
 */
export class CallIdSet {
  private lows: Uint32Array;
  private highs: Uint32Array;
  private mask: number;
  private count = 0;

  constructor(initialCapacity = 1 << 16) {
    let capacity = 1 << 4;
    while (capacity < initialCapacity) capacity <<= 1;
    this.lows = new Uint32Array(capacity);
    this.highs = new Uint32Array(capacity);
    this.mask = capacity - 1;
  }

  /** Number of distinct ids added. */
  get size(): number {
    return this.count;
  }

  /** Bytes held by the table. */
  get byteSize(): number {
    return this.lows.byteLength + this.highs.byteLength;
  }

  /** Adds an id; returns `false` when it was already in the set. */
  add(id: string): boolean {
    let low = 0x811c9dc5;
    let high = 0x01000193 ^ id.length;
    for (let index = 0; index < id.length; index++) {
      const code = id.charCodeAt(index);
      low = Math.imul(low ^ code, 0x01000193);
      high = Math.imul(high ^ code, 0x5bd1e995);
      high ^= high >>> 15;
    }
    // Final avalanche so that similar ids spread over the table.
    low ^= low >>> 16;
    low = Math.imul(low, 0x85ebca6b);
    low ^= low >>> 13;
    low = Math.imul(low, 0xc2b2ae35);
    low ^= low >>> 16;
    high ^= high >>> 16;
    high = Math.imul(high, 0x7feb352d);
    high ^= high >>> 15;
    low >>>= 0;
    high >>>= 0;
    if (low === 0 && high === 0) high = 1; // (0, 0) marks an empty slot
    return this.insert(low, high);
  }

  private insert(low: number, high: number): boolean {
    const lows = this.lows;
    const highs = this.highs;
    let slot = (low ^ (high >>> 7)) & this.mask;
    for (;;) {
      const slotLow = lows[slot] as number;
      const slotHigh = highs[slot] as number;
      if (slotLow === 0 && slotHigh === 0) break;
      if (slotLow === low && slotHigh === high) return false;
      slot = (slot + 1) & this.mask;
    }
    lows[slot] = low;
    highs[slot] = high;
    this.count++;
    if (this.count * 10 > (this.mask + 1) * 7) this.grow();
    return true;
  }

  private grow(): void {
    const oldLows = this.lows;
    const oldHighs = this.highs;
    const capacity = (this.mask + 1) * 2;
    this.lows = new Uint32Array(capacity);
    this.highs = new Uint32Array(capacity);
    this.mask = capacity - 1;
    this.count = 0;
    for (let slot = 0; slot < oldLows.length; slot++) {
      const low = oldLows[slot] as number;
      const high = oldHighs[slot] as number;
      if (low !== 0 || high !== 0) this.insert(low, high);
    }
  }
}
