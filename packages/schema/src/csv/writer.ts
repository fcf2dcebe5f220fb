import { AtomicFileWriter } from '../atomic';
import { microsToDecimalString } from '../money';
import { type CallRecord, COLUMN_SPECS, type CsvColumn, UNATTRIBUTED, V1_COLUMNS } from '../record';

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

/**
 * The header line of a call log: the schema columns (by default the 19 of a
 * version-1 log, {@link V1_COLUMNS}), then any extra columns.
 */
export function csvHeaderLine(
  extraColumns: readonly string[] = [],
  columns: readonly CsvColumn[] = V1_COLUMNS,
): string {
  return formatCsvLine([...columns, ...extraColumns]);
}

function field(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** An attribution value as written: {@link UNATTRIBUTED} goes back to an empty field. */
function attribution(value: string): string {
  return value === UNATTRIBUTED ? '' : field(value);
}

const SPEC_BY_COLUMN = new Map(COLUMN_SPECS.map((spec) => [spec.column, spec]));

/** One cell of a record in any column of the schema. */
function cellOf(record: CallRecord, column: CsvColumn): string {
  if (column === 'cost_usd')
    return record.costSource === 'reported' || record.costSource === undefined
      ? microsToDecimalString(record.costMicros)
      : '';
  const spec = SPEC_BY_COLUMN.get(column);
  const value = spec === undefined ? undefined : record[spec.field];
  if (value === undefined || value === null) return column === 'calls' ? '1' : '';
  if (typeof value === 'number') return String(value);
  return attribution(String(value));
}

/**
 * One record as a CSV line (with its line feed): the version-1 columns in
 * canonical order by default, or the given `columns`. A cost the catalog
 * priced is written empty, so that reading the line back prices it again.
 */
export function formatCsvRecord(
  record: CallRecord,
  extraColumns: readonly string[] = [],
  columns: readonly CsvColumn[] = V1_COLUMNS,
): string {
  if (columns !== V1_COLUMNS) {
    let line = columns.map((column) => cellOf(record, column)).join(',');
    for (const column of extraColumns) line += ',' + field(record.extra?.[column] ?? '');
    return line + '\n';
  }
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
    cellOf(record, 'cost_usd') +
    ',' +
    (record.latencyMs ?? '') +
    ',' +
    attribution(record.customerId) +
    ',' +
    attribution(record.subscriptionTier) +
    ',' +
    attribution(record.organizationId) +
    ',' +
    attribution(record.productId) +
    ',' +
    attribution(record.featureId) +
    ',' +
    attribution(record.taskType) +
    ',' +
    attribution(record.environment) +
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
  columns: readonly CsvColumn[] = V1_COLUMNS,
): string {
  let text = '';
  for (const record of records) text += formatCsvRecord(record, extraColumns, columns);
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
  options: { extraColumns?: readonly string[]; columns?: readonly CsvColumn[] } = {},
): Promise<WriteSummary> {
  const extraColumns = options.extraColumns ?? [];
  const columns = options.columns ?? V1_COLUMNS;
  const writer = await AtomicFileWriter.open(path);
  let rows = 0;
  try {
    await writer.write(csvHeaderLine(extraColumns, columns));
    for await (const batch of batches) {
      await writer.write(formatCsvRecords(batch, extraColumns, columns));
      rows += batch.length;
    }
    await writer.commit();
  } catch (error) {
    await writer.abort();
    throw error;
  }
  return { path, rows, bytes: writer.bytesWritten };
}
