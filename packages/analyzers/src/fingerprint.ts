import { CallIdSet } from '@finops/schema';

/**
 * The 64-bit fingerprint of a call id, computed exactly as the schema's
 * {@link CallIdSet} does (two 32-bit hashes), so that duplicates found across
 * parts of a file are the ones a single pass would find.
 */
export function fingerprintOf(id: string, out: Uint32Array): void {
  let low = 0x811c9dc5;
  let high = 0x01000193 ^ id.length;
  for (let index = 0; index < id.length; index++) {
    const code = id.charCodeAt(index);
    low = Math.imul(low ^ code, 0x01000193);
    high = Math.imul(high ^ code, 0x5bd1e995);
    high ^= high >>> 15;
  }
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
  if (low === 0 && high === 0) high = 1;
  out[0] = low;
  out[1] = high;
}

/** An open-addressing set of 64-bit fingerprints (pairs of 32-bit halves). */
export class FingerprintSet {
  private lows: Uint32Array;
  private highs: Uint32Array;
  private mask: number;
  private count = 0;

  constructor(capacity = 1 << 10) {
    let size = 16;
    while (size < capacity * 2) size <<= 1;
    this.lows = new Uint32Array(size);
    this.highs = new Uint32Array(size);
    this.mask = size - 1;
  }

  /** Number of fingerprints held. */
  get size(): number {
    return this.count;
  }

  /** True when the fingerprint is in the set. */
  has(low: number, high: number): boolean {
    let slot = (low ^ (high >>> 7)) & this.mask;
    for (;;) {
      const slotLow = this.lows[slot] as number;
      const slotHigh = this.highs[slot] as number;
      if (slotLow === 0 && slotHigh === 0) return false;
      if (slotLow === low && slotHigh === high) return true;
      slot = (slot + 1) & this.mask;
    }
  }

  /** Adds a fingerprint; false when it was already there. */
  add(low: number, high: number): boolean {
    let slot = (low ^ (high >>> 7)) & this.mask;
    for (;;) {
      const slotLow = this.lows[slot] as number;
      const slotHigh = this.highs[slot] as number;
      if (slotLow === 0 && slotHigh === 0) break;
      if (slotLow === low && slotHigh === high) return false;
      slot = (slot + 1) & this.mask;
    }
    this.lows[slot] = low;
    this.highs[slot] = high;
    this.count++;
    if (this.count * 10 > (this.mask + 1) * 7) this.grow();
    return true;
  }

  private grow(): void {
    const lows = this.lows;
    const highs = this.highs;
    const size = (this.mask + 1) * 2;
    this.lows = new Uint32Array(size);
    this.highs = new Uint32Array(size);
    this.mask = size - 1;
    this.count = 0;
    for (let slot = 0; slot < lows.length; slot++) {
      if (lows[slot] !== 0 || highs[slot] !== 0) this.add(lows[slot] as number, highs[slot] as number);
    }
  }
}

/**
 * A {@link CallIdSet} that records the fingerprint of every id it accepts
 * (the kept rows of a part of a file, in order) and refuses the ids of
 * `excluded` (ids already kept by an earlier part), so that a part can be
 * read again exactly as a single pass would read it.
 */
export class RecordingIdSet extends CallIdSet {
  /** Fingerprints of the accepted ids, two entries (low, high) each; valid up to {@link length} × 2. */
  fingerprints = new Uint32Array(1 << 12);
  /** Number of accepted ids. */
  length = 0;
  private readonly scratch = new Uint32Array(2);

  constructor(private readonly excluded?: FingerprintSet) {
    super();
  }

  override add(id: string): boolean {
    const scratch = this.scratch;
    fingerprintOf(id, scratch);
    const low = scratch[0] as number;
    const high = scratch[1] as number;
    if (this.excluded?.has(low, high)) return false;
    if (!super.add(id)) return false;
    if (this.length * 2 + 2 > this.fingerprints.length) {
      const grown = new Uint32Array(this.fingerprints.length * 2);
      grown.set(this.fingerprints);
      this.fingerprints = grown;
    }
    this.fingerprints[this.length * 2] = low;
    this.fingerprints[this.length * 2 + 1] = high;
    this.length++;
    return true;
  }
}
