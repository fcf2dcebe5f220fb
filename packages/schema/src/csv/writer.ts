import { AtomicFileWriter } from '../atomic';
import { microsToDecimalString } from '../money';
import { type CallRecord, CSV_COLUMNS } from '../record';

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;

/** Options of CSV field formatting. */
export interface CsvFieldOptions {
  /**
   * Prefix a cell that starts with `=`, `+`, `-`, `@`, tab or carriage return
   * with `'` so that spreadsheets do not run it as a formula. For exports
   * meant for spreadsheets; never for call logs, which must round-trip.
   */
  neutralizeFormulas?: boolean;
}

/** One CSV field, quoted per RFC 4180 when it holds a comma, quote or line break. */
export function escapeCsvField(value: string, options: CsvFieldOptions = {}): string {
  const text = options.neutralizeFormulas && FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line (with its line feed) of arbitrary cells. */
export function formatCsvLine(cells: readonly (string | number)[], options: CsvFieldOptions = {}): string {
  return `${cells.map((cell) => (typeof cell === 'number' ? String(cell) : escapeCsvField(cell, options))).join(',')}\n`;
}

/** The header line of a call log: the 19 columns, then any extra columns. */
export function csvHeaderLine(extraColumns: readonly string[] = []): string {
  return formatCsvLine([...CSV_COLUMNS, ...extraColumns]);
}

function field(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One record as a CSV line (with its line feed), columns in canonical order. */
export function formatCsvRecord(record: CallRecord, extraColumns: readonly string[] = []): string {
  let line =
    field(record.timestamp) +
    ',' +
    field(record.callId) +
    ',' +
    field(record.provider) +
    ',' +
    field(record.model) +
    ',' +
    record.inputTokens +
    ',' +
    record.outputTokens +
    ',' +
    microsToDecimalString(record.costMicros) +
    ',' +
    record.latencyMs +
    ',' +
    field(record.customerId) +
    ',' +
    record.subscriptionTier +
    ',' +
    field(record.organizationId) +
    ',' +
    field(record.productId) +
    ',' +
    field(record.featureId) +
    ',' +
    field(record.taskType) +
    ',' +
    record.environment +
    ',' +
    field(record.requestId) +
    ',' +
    field(record.traceId) +
    ',' +
    field(record.sessionId) +
    ',' +
    field(record.userAgent);
  for (const column of extraColumns) line += ',' + field(record.extra?.[column] ?? '');
  return line + '\n';
}

/** Many records as CSV lines. */
export function formatCsvRecords(
  records: readonly CallRecord[],
  extraColumns: readonly string[] = [],
): string {
  let text = '';
  for (const record of records) text += formatCsvRecord(record, extraColumns);
  return text;
}

/** What {@link writeCallLog} wrote. */
export interface WriteSummary {
  path: string;
  rows: number;
  bytes: number;
}

/**
 * Writes records to a CSV call log atomically: the file appears complete,
 * with its header, or not at all.
 */
export async function writeCallLog(
  path: string,
  batches: AsyncIterable<readonly CallRecord[]> | Iterable<readonly CallRecord[]>,
  options: { extraColumns?: readonly string[] } = {},
): Promise<WriteSummary> {
  const extraColumns = options.extraColumns ?? [];
  const writer = await AtomicFileWriter.open(path);
  let rows = 0;
  try {
    await writer.write(csvHeaderLine(extraColumns));
    for await (const batch of batches) {
      await writer.write(formatCsvRecords(batch, extraColumns));
      rows += batch.length;
    }
    await writer.commit();
  } catch (error) {
    await writer.abort();
    throw error;
  }
  return { path, rows, bytes: writer.bytesWritten };
}
