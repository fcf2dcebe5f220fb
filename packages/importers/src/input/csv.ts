/**
 * Streams the rows of a CSV export as objects keyed by its header, with the
 * line each row starts on. RFC 4180 quoting (fields with line breaks too), a
 * leading byte-order mark, LF and CRLF; a row that cannot be split is
 * reported, never dropped.
 */
import { createReadStream } from 'node:fs';
import { CsvScanner } from '@finops/schema';

/** One CSV row of an export, or a line that could not be read as one. */
export type CsvRowItem = { line: number; row: Record<string, string> } | { line: number; problem: string };

/** The header row of CSV text (the first row), as written. */
export function splitCsvHeader(text: string): string[] {
  const scanner = new CsvScanner();
  let header: string[] = [];
  const firstRowEnd = findFirstRowEnd(text);
  scanner.scan(
    text.slice(0, firstRowEnd),
    0,
    true,
    (fieldText, starts, ends, count) => {
      if (header.length > 0) return;
      header = [];
      for (let index = 0; index < count; index++)
        header.push(fieldText.slice(starts[index] as number, ends[index] as number));
    },
    () => undefined,
  );
  return header.map((name) => name.trim());
}

function findFirstRowEnd(text: string): number {
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 34) quoted = !quoted;
    else if (code === 10 && !quoted) return index + 1;
  }
  return text.length;
}

/** The rows of the CSV file at `path`, in order, from a stream (memory stays flat). */
export async function* csvRows(path: string): AsyncGenerator<CsvRowItem> {
  const scanner = new CsvScanner();
  let header: string[] | undefined;
  let pending: CsvRowItem[] = [];
  const onRow = (
    fieldText: string,
    starts: Int32Array,
    ends: Int32Array,
    count: number,
    line: number,
  ): void => {
    const fields: string[] = [];
    for (let index = 0; index < count; index++)
      fields.push(fieldText.slice(starts[index] as number, ends[index] as number));
    if (header === undefined) {
      header = fields.map((name, index) => (index === 0 ? name.replace(/^\uFEFF/, '') : name).trim());
      return;
    }
    if (fields.length !== header.length) {
      pending.push({ line, problem: `has ${fields.length} fields, the header has ${header.length}` });
      return;
    }
    const row: Record<string, string> = {};
    for (let index = 0; index < header.length; index++)
      row[header[index] as string] = fields[index] as string;
    pending.push({ line, row });
  };
  const onMalformed = (line: number, why: string): void => {
    pending.push({ line, problem: why });
  };
  let carry = '';
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  for await (const chunk of stream as AsyncIterable<string>) {
    const text = carry + chunk;
    const lastBreak = text.lastIndexOf('\n');
    if (lastBreak === -1) {
      carry = text;
      continue;
    }
    const consumed = scanner.scan(text.slice(0, lastBreak + 1), 0, false, onRow, onMalformed);
    carry = text.slice(consumed);
    yield* pending;
    pending = [];
  }
  if (carry !== '') scanner.scan(carry, 0, true, onRow, onMalformed);
  yield* pending;
}
