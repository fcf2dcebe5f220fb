import { needsSessionIds } from './store/grouping';
import {
  type CallColumns,
  listCallLogFiles,
  type QuarantineWriter,
  type ReadTally,
  streamCallLogFiles,
} from '@finops/schema';
import { ColumnIdMap } from './cube';
import type { AnalyzeOptions, CostAnalyzer } from './engine';

/**
 * Reads a log that is not one plain CSV file — a `.csv.gz`, JSON Lines or
 * Parquet file, a folder or a pattern of files — into `analyzer`, in column
 * batches, in this thread: such logs are not split across workers (a
 * compressed stream or a row group cannot be entered at a byte offset).
 * Files come in name order with one call-id set across them.
 */
export async function analyzeLogFiles(
  analyzer: CostAnalyzer,
  input: string,
  options: AnalyzeOptions,
  quarantine: QuarantineWriter | undefined,
): Promise<void> {
  const files = await listCallLogFiles(input);
  const totalBytes = files.reduce((sum, file) => sum + file.size, 0);
  let bytesRead = 0;
  let tally: ReadTally | undefined;
  // Each file has its own parser, so its own dimension tables: a new id map per file.
  let fileIndex = -1;
  let idMap = new ColumnIdMap();
  for await (const slice of streamCallLogFiles(files, {
    catalog: analyzer.catalog,
    strict: options.strict,
    columns: true,
    sessionColumns: needsSessionIds(analyzer.storeSettings().groupings ?? []),
    mapping: options.mapping,
  })) {
    if (slice.fileIndex !== fileIndex) {
      fileIndex = slice.fileIndex;
      idMap = new ColumnIdMap();
    }
    analyzer.addColumns(
      slice.columns as CallColumns,
      slice.values as readonly (readonly string[])[],
      idMap,
      slice.rejections,
    );
    if (quarantine) await quarantine.write(slice.rejections);
    tally = slice.tally;
    if (slice.bytes > 0) {
      bytesRead += slice.bytes;
      options.progress?.({ bytesRead, totalBytes });
    }
  }
  if (tally) analyzer.addParsed([], [], tally);
}
