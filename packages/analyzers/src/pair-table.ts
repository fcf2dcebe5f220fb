/**
 * An open-addressing hash table from a pair of non-negative integers
 * (dimension ids) to a dense cell index. Cells are numbered in insertion
 * order, so that aggregates can live in arrays indexed by cell. A probe reads
 * one interleaved slot (first id, second id, cell), so a lookup touches one
 * cache line; no allocation per lookup.
 */
export class PairTable {
  /** First id of each cell, by cell index. */
  readonly first: number[] = [];
  /** Second id of each cell, by cell index. */
  readonly second: number[] = [];
  private slots: Int32Array;
  private mask: number;

  constructor() {
    this.slots = new Int32Array(64 * 3).fill(-1);
    this.mask = 63;
  }

  /** Number of cells. */
  get size(): number {
    return this.first.length;
  }

  /** Index of the cell of `(a, b)`, or -1 when there is none. */
  find(a: number, b: number): number {
    const slots = this.slots;
    let slot = hashPair(a, b) & this.mask;
    for (;;) {
      const at = slot * 3;
      const cell = slots[at + 2] as number;
      if (cell === -1) return -1;
      if (slots[at] === a && slots[at + 1] === b) return cell;
      slot = (slot + 1) & this.mask;
    }
  }

  /** Index of the cell of `(a, b)`, creating it (numbered {@link size}) when new. */
  cell(a: number, b: number): number {
    const slots = this.slots;
    let slot = hashPair(a, b) & this.mask;
    for (;;) {
      const at = slot * 3;
      const cell = slots[at + 2] as number;
      if (cell === -1) break;
      if (slots[at] === a && slots[at + 1] === b) return cell;
      slot = (slot + 1) & this.mask;
    }
    const index = this.first.length;
    this.first.push(a);
    this.second.push(b);
    const at = slot * 3;
    slots[at] = a;
    slots[at + 1] = b;
    slots[at + 2] = index;
    if (index * 2 > this.mask) this.grow();
    return index;
  }

  /**
   * Per first id, the second id it was last asked with and that cell + 1
   * (0: none yet), side by side; see {@link recentCell}.
   */
  private recent = new Int32Array(0);

  /**
   * {@link cell} for a first id (non-negative) that is mostly asked with
   * the same second id as last time (a customer's calls of one day, a
   * model and task type's calls of one day, in a log in time order): the
   * cell is then read from an array by the first id, without hashing.
   * Cells are never renumbered, so what is remembered stays true.
   */
  recentCell(a: number, b: number): number {
    const at = 2 * a;
    const recent = this.recent;
    if (at + 1 < recent.length && recent[at + 1] !== 0 && recent[at] === b)
      return (recent[at + 1] as number) - 1;
    const cell = this.cell(a, b);
    if (at + 1 >= this.recent.length) this.widenRecent(at + 2);
    this.recent[at] = b;
    this.recent[at + 1] = cell + 1;
    return cell;
  }

  private widenRecent(length: number): void {
    let size = Math.max(64, this.recent.length);
    while (size < length) size *= 2;
    const widened = new Int32Array(size);
    widened.set(this.recent);
    this.recent = widened;
  }

  private grow(): void {
    const capacity = (this.mask + 1) * 2;
    const slots = new Int32Array(capacity * 3).fill(-1);
    this.slots = slots;
    this.mask = capacity - 1;
    for (let cell = 0; cell < this.first.length; cell++) {
      const a = this.first[cell] as number;
      const b = this.second[cell] as number;
      let slot = hashPair(a, b) & this.mask;
      while ((slots[slot * 3 + 2] as number) !== -1) slot = (slot + 1) & this.mask;
      slots[slot * 3] = a;
      slots[slot * 3 + 1] = b;
      slots[slot * 3 + 2] = cell;
    }
  }
}

function hashPair(a: number, b: number): number {
  let hash = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca6b);
  hash ^= hash >>> 15;
  hash = Math.imul(hash, 0x2c1b3c6d);
  return (hash ^ (hash >>> 12)) >>> 0;
}
