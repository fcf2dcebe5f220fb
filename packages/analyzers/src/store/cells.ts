import { FinopsError } from '@finops/schema';
import type { HistogramData } from '../histogram';
import type { Dimension, HistogramKind } from './grouping';
import type { GroupingReader } from './reader';

/** What a grouping's cells hold, column by column (each array indexed by cell). */
export interface CellColumns {
  size: number;
  keys: Partial<Record<Dimension, readonly number[]>>;
  measures?: Readonly<Record<string, readonly number[]>>;
  histograms?: Partial<Record<HistogramKind, readonly HistogramData[]>>;
  bins?: Readonly<Record<string, readonly (readonly number[])[]>>;
}

/** A {@link GroupingReader} over columns; asking for a column the grouping lacks is an error that names both. */
export class CellsView implements GroupingReader {
  constructor(
    private readonly name: string,
    private readonly columns: CellColumns,
  ) {}

  get size(): number {
    return this.columns.size;
  }

  keys(dimension: Dimension): readonly number[] {
    return this.pick('dimension', dimension, this.columns.keys[dimension]);
  }

  measure(name: string): readonly number[] {
    return this.pick('measure', name, this.columns.measures?.[name]);
  }

  histograms(kind: HistogramKind): readonly HistogramData[] {
    return this.pick('histogram', kind, this.columns.histograms?.[kind]);
  }

  bins(name: string): readonly (readonly number[])[] {
    return this.pick('bins', name, this.columns.bins?.[name]);
  }

  private pick<T>(what: string, name: string, column: T | undefined): T {
    if (column === undefined)
      throw new FinopsError('grouping_column_missing', `grouping "${this.name}" has no ${what} "${name}"`);
    return column;
  }
}

/** The ids 0 … size − 1 (the key of a grouping with one dimension, one cell per value). */
export function identity(size: number): number[] {
  return Array.from({ length: size }, (_, index) => index);
}

/** Column `offset` of a flat array of `width` figures per cell. */
export function strided(values: readonly number[], width: number, offset: number): number[] {
  const size = Math.floor(values.length / width);
  const column = new Array<number>(size);
  for (let cell = 0; cell < size; cell++) column[cell] = values[cell * width + offset] as number;
  return column;
}
