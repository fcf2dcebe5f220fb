/**
 * Aggregates of the cells of a table, stored row by row in one
 * `Float64Array` (all the figures of a cell side by side, so that updating a
 * cell touches one cache line). Values are integers (counts, micro-dollars,
 * tokens, milliseconds), exact up to 2^53.
 */
export class ColumnBlock<Name extends string> {
  /** Figures per cell. */
  readonly width: number;
  /** Cell `c`'s figure `k` is at `c × width + k`. */
  data: Float64Array;
  /** Number of cells. */
  size = 0;
  /** Position of each named figure within a cell. */
  readonly index: Readonly<Record<Name, number>>;
  private view: Record<Name, number[]> | undefined;

  constructor(readonly names: readonly Name[]) {
    this.width = names.length;
    this.data = new Float64Array(64 * this.width);
    this.index = Object.fromEntries(names.map((name, position) => [name, position])) as Record<Name, number>;
  }

  /** Adds a cell of zeros and returns the offset of its first figure. */
  append(): number {
    const offset = this.size * this.width;
    if (offset + this.width > this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.size++;
    this.view = undefined;
    return offset;
  }

  /** Empties the block for reuse, keeping its memory: cells appended after are zeros again. */
  clear(): void {
    this.data.fill(0, 0, this.size * this.width);
    this.size = 0;
    this.view = undefined;
  }

  /** Marks the block changed (after writing to {@link data}). */
  touch(): void {
    this.view = undefined;
  }

  /** The figures as one plain array per name, indexed by cell (built once until the block changes). */
  columns(): Readonly<Record<Name, number[]>> {
    if (this.view === undefined) {
      const view = {} as Record<Name, number[]>;
      this.names.forEach((name, position) => {
        const values = new Array<number>(this.size);
        for (let cell = 0; cell < this.size; cell++)
          values[cell] = this.data[cell * this.width + position] as number;
        view[name] = values;
      });
      this.view = view;
    }
    return this.view;
  }
}
