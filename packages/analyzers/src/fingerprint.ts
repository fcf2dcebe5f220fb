import { CallIdSet, callIdFingerprint } from '@finops/schema';

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
  constructor(private readonly excluded?: CallIdSet) {
    super();
  }

  override addSpan(text: string, start: number, end: number): boolean {
    const scratch = this.scratch;
    callIdFingerprint(text, scratch, start, end);
    const low = scratch[0] as number;
    const high = scratch[1] as number;
    if (this.excluded?.hasFingerprint(low, high)) return false;
    if (!this.addFingerprint(low, high)) return false;
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
