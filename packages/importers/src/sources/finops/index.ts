/**
 * Our own call log (CSV or JSON Lines with our column names, version 1 or
 * 2 of the record) passed through: checked and normalised like any other
 * source, so that logs from several places can be merged and deduplicated.
 * Columns that are not ours are left out.
 */
import type { AttributionMap } from '../../attribution';
import { type ImportColumn, IMPORT_COLUMNS, INTEGER_COLUMNS } from '../../columns';
import { CallBuilder, malformed, type SourceImporter, type SourceOutcome } from '../../source';
import { isObject, isoTimestamp, textOf } from '../../values';
import { firstPageRecord, hasKeys, headerHas, pageRecords } from '../shared';

/** Our own log already has our columns: no attribution unless a map says otherwise. */
export const FINOPS_ATTRIBUTION: AttributionMap = {};

const INTEGERS = new Set<ImportColumn>(INTEGER_COLUMNS);
const REQUIRED = new Set<ImportColumn>(['timestamp', 'provider', 'model', 'input_tokens', 'output_tokens']);

function isCallRow(record: Readonly<Record<string, unknown>>): boolean {
  return hasKeys(record, 'timestamp', 'provider', 'model', 'input_tokens', 'output_tokens');
}

/** One row of our log, column by column. */
export function readLogRow(record: Record<string, unknown>, at?: string): SourceOutcome {
  const call = new CallBuilder();
  for (const column of IMPORT_COLUMNS) {
    const value = record[column];
    if (column === 'timestamp') {
      const text = textOf(value);
      // Kept as written when valid: a log's timestamps round-trip unchanged.
      if (text === undefined) call.reject(column, 'missing_field', '"timestamp" is missing');
      else if (isoTimestamp(text) === undefined)
        call.reject(
          column,
          'invalid_timestamp',
          `"timestamp" is not an ISO 8601 time: ${JSON.stringify(text)}`,
        );
      else call.row.timestamp = text;
    } else if (column === 'cost_usd') {
      call.cost(value, column);
    } else if (column === 'tags' && isObject(value)) {
      call.row.tags = JSON.stringify(value);
    } else if (INTEGERS.has(column)) {
      call.integer(column, value, column, REQUIRED.has(column));
    } else {
      call.text(column, value, column, REQUIRED.has(column));
    }
  }
  return call.outcome({ record }, at);
}

/** The pass-through importer of our own log. */
export const finops: SourceImporter = {
  name: 'finops',
  title: 'The toolkit’s own call log (CSV or JSON Lines), checked and passed through',
  formats: ['csv', 'jsonl', 'json'],
  defaultAttribution: FINOPS_ATTRIBUTION,
  recognizeCsv(header) {
    return headerHas(header, 'timestamp', 'provider', 'model', 'input_tokens', 'output_tokens');
  },
  recognizeJson(value) {
    const first = firstPageRecord(value);
    return first !== undefined && isCallRow(first);
  },
  *readJson(value) {
    for (const { record, at } of pageRecords(value, isCallRow)) {
      yield record === undefined ? malformed('a call must be a JSON object', at) : readLogRow(record, at);
    }
  },
  readCsvRow(row) {
    return readLogRow(row);
  },
};
