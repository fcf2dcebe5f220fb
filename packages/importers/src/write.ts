/** Writing an import as our CSV call log, atomically: the file appears complete or not at all. */
import { AtomicFileWriter, formatCsvLine } from '@finops/schema';
import { type ImportRow, IMPORT_COLUMNS } from './columns';
import { type Detection, type ImportBatch, importExport, type ImportOptions } from './import';
import { ExportFileError } from './input/json';
import {
  importLitellmDatabase,
  isPostgresUrl,
  type LitellmDatabaseOptions,
} from './sources/litellm/postgres';
import type { ImportRejection, ImportTally } from './tally';

/**
 * Batches of an import from a file, or from a PostgreSQL URL (LiteLLM's
 * spend logs table, the one database source).
 */
export function importInput(
  input: string,
  options: ImportOptions & Omit<LitellmDatabaseOptions, keyof ImportOptions> = {},
): AsyncGenerator<ImportBatch> {
  if (!isPostgresUrl(input)) return importExport(input, options);
  if (options.from !== undefined && options.from !== 'litellm') {
    throw new ExportFileError(
      'database',
      'wrong_format',
      `a database URL is read as litellm, not ${options.from}`,
    );
  }
  return importLitellmDatabase(input, options);
}

/** One row as the cells of a CSV line, in {@link IMPORT_COLUMNS} order (unknown = empty). */
export function rowCells(row: ImportRow): (string | number)[] {
  return IMPORT_COLUMNS.map((column) => row[column] ?? '');
}

/** What {@link importToCsv} did. */
export interface ImportSummary {
  detection: Detection;
  tally: ImportTally;
  /** The first rejections of each reason (up to `examplesPerReason`). */
  examples: ImportRejection[];
  out: string;
  bytes: number;
}

/** Writes batches of rows as a call log with the import columns' header, atomically. */
export async function writeImportedLog(
  out: string,
  batches: AsyncIterable<ImportBatch>,
  onBatch: (batch: ImportBatch) => void = () => undefined,
): Promise<{ bytes: number; last: ImportBatch | undefined }> {
  const writer = await AtomicFileWriter.open(out);
  let last: ImportBatch | undefined;
  try {
    await writer.write(formatCsvLine(IMPORT_COLUMNS));
    for await (const batch of batches) {
      let text = '';
      for (const row of batch.rows) text += formatCsvLine(rowCells(row));
      if (text !== '') await writer.write(text);
      onBatch(batch);
      last = batch;
    }
    await writer.commit();
  } catch (error) {
    await writer.abort();
    throw error;
  }
  return { bytes: writer.bytesWritten, last };
}

/**
 * Imports an export (a file, or a PostgreSQL URL of LiteLLM's database) into
 * a CSV call log at `out` (written atomically) and returns the tally with the
 * first rejections of each reason.
 */
export async function importToCsv(
  file: string,
  out: string,
  options: ImportOptions &
    Omit<LitellmDatabaseOptions, keyof ImportOptions> & { examplesPerReason?: number } = {},
): Promise<ImportSummary> {
  const perReason = options.examplesPerReason ?? 5;
  const examples: ImportRejection[] = [];
  const shown: Record<string, number> = {};
  const { bytes, last } = await writeImportedLog(out, importInput(file, options), (batch) => {
    for (const rejection of batch.rejections) {
      const count = shown[rejection.reason] ?? 0;
      if (count < perReason) {
        examples.push(rejection);
        shown[rejection.reason] = count + 1;
      }
    }
  });
  if (!last) throw new Error(`${file}: the import produced no result`);
  return { detection: last.detection, tally: last.tally, examples, out, bytes };
}
