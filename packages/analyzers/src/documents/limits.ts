/**
 * What an analysis cannot compute from bucketed rows: a usage report's row
 * stands for `calls` calls and gives their sums, so every figure that needs
 * a single call (its latency, its own input/output ratio, its minute) is one
 * of the row's averages instead.
 */
import type { TextBlock } from '@finops/schema';
import type { AnalysisMeta } from '../engine';
import { count, plural } from './shared';

/** Whether the kept rows stand for more calls than there are rows (some rows carry a `calls` weight above 1). */
export function hasBucketedRows(meta: AnalysisMeta): boolean {
  return meta.calls > meta.rowsKept;
}

/**
 * A paragraph that says, for a log with bucketed rows, how many calls the
 * rows stand for and what the page cannot compute from them; none for a log
 * of single calls.
 */
export function bucketedRowsNote(meta: AnalysisMeta, limits: readonly string[]): TextBlock[] {
  if (!hasBucketedRows(meta)) return [];
  return [
    {
      kind: 'text',
      paragraphs: [
        `${plural(meta.rowsKept, 'row')} stand for ${count(meta.calls)} calls: some rows are buckets that give the sums of many calls. From such rows this page cannot compute:`,
        ...limits.map((limit) => `– ${limit}`),
      ],
    },
  ];
}
