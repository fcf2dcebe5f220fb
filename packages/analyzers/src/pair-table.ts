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
