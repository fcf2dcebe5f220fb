import { isAscii } from 'node:buffer';
import type { CallColumns } from '../columns';
import type { CallLogParserOptions } from '../csv/parser';
import type { ReadTally, Rejection } from '../quality';
import { type CallRecord, CSV_COLUMNS } from '../record';
import { type HeaderLayout, layoutFromHeader } from '../validate';
import { ValidatedRows } from './rows';

const COLUMN_COUNT = CSV_COLUMNS.length;
const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const MINUS = 45;
const PLUS = 43;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;
/** A span start meaning "the value is in the decoded list, not in the line". */
const DECODED = -1;

function isDigit(code: number): boolean {
  return code >= ZERO && code <= NINE;
}

/**
 * A JSON number with an exponent written out in plain decimals, exactly
 * (`1.5e3` → `1500`, `2E-4` → `0.0002`), so that token counts and costs
 * read the same as when written without one. Exponents past ±400 are left
 * as written (no count or cost is that large or small).
 */
export function expandExponent(literal: string): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?[eE]([+-]?\d+)$/.exec(literal);
  if (match === null) return literal;
  const [, sign, whole, fraction = '', exponentText] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
  ];
  const exponent = Number(exponentText);
  if (Math.abs(exponent) > 400) return literal;
  const digits = whole + fraction;
  const point = whole.length + exponent;
  let text: string;
  if (point <= 0) text = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) text = digits + '0'.repeat(point - digits.length);
  else text = `${digits.slice(0, point)}.${digits.slice(point)}`;
  text = text.replace(/^0+(?=\d)/, '');
  if (text.includes('.')) text = text.replace(/\.?0+$/, '');
  return sign + text;
}

/**
 * The push parser of JSON Lines call logs (`.jsonl`, `.ndjson`): one JSON
 * object a line, its keys the record's column names (any letter case), its
 * values strings or numbers (`null` for unknown); a nested object or array
 * (such as `tags`) is kept as its compact JSON text. Keys outside the
 * record go to `record.extra`. A line that is not a JSON object is rejected
 * (`malformed_row`) with its line number; blank lines are skipped.
 *
 * Lines are read in place: the values' spans in the decoded chunk go to the
 * validator as they are, so a line without escapes costs no string beyond
 * what the record keeps; the order of keys is learnt once per distinct key
 * sequence. The public surface is {@link CallLogParser}'s.
 */
export class JsonLinesParser {
  readonly source: string;
  /** Every column of the record, in canonical order: a line fills the columns it names. */
  readonly layout: HeaderLayout;
  private readonly rows: ValidatedRows;
  private readonly options: CallLogParserOptions;
  private pending: Buffer = Buffer.alloc(0);
  private atStart = true;
  private ended = false;
  private line: number;
  private readonly starts = new Int32Array(COLUMN_COUNT);
  private readonly ends = new Int32Array(COLUMN_COUNT);
  private readonly decoded: string[] = new Array<string>(COLUMN_COUNT).fill('');
  private decodedCount = 0;
  // The keys of the last line, by position: the next line usually has the same ones in the same order.
  private readonly shapeKeys: string[] = [];
  private readonly shapeColumns: number[] = [];
  private readonly columnOfName = new Map<string, number>();
  private lastKey = '';
  // Keys outside the record on the current line (records only).
  private extraNames: string[] = [];
  private extraValues: string[] = [];
  private nextBackslash = 0;
  private why = '';

  constructor(options: CallLogParserOptions = {}) {
    this.options = options;
    this.source = options.source ?? 'input';
    this.line = options.firstLine ?? 1;
    this.layout = layoutFromHeader(CSV_COLUMNS, this.source);
    CSV_COLUMNS.forEach((column, index) => this.columnOfName.set(column, index));
    // A column mapping names our columns by the log's own keys.
    for (const [ours, theirs] of Object.entries(options.mapping ?? {})) {
      const index = CSV_COLUMNS.indexOf(ours as (typeof CSV_COLUMNS)[number]);
      if (theirs === undefined || index < 0) continue;
      this.columnOfName.delete(ours);
      this.columnOfName.set(theirs.trim().toLowerCase(), index);
    }
    this.rows = new ValidatedRows(this.layout, options, this.source);
  }

  /** Running counts of this parser's input. */
  get tally(): ReadTally {
    return this.rows.tally;
  }

  /** Line number of the next line to be read. */
  get nextLine(): number {
    return this.line;
  }

  /** Bytes consumed so far (complete lines). */
  get consumedBytes(): number {
    return this.rows.tally.bytesRead;
  }

  /** Number of records (or calls in columns) waiting to be taken. */
  get queuedRecords(): number {
    return this.rows.queued;
  }

  /** Takes the records and rejections queued since the last call. */
  take(): { records: CallRecord[]; rejections: Rejection[] } {
    return this.rows.take();
  }

  /** With `columns: true`: takes the calls kept since the last call, in columns (see {@link CallLogParser.takeColumns}). */
  takeColumns(): { columns: CallColumns; rejections: Rejection[]; values: readonly (readonly string[])[] } {
    return this.rows.takeColumns();
  }

  /** Feeds the next bytes (or text) of the input. */
  push(chunk: Uint8Array | string): void {
    if (this.ended) throw new Error('JsonLinesParser: push() after end()');
    let bytes =
      typeof chunk === 'string'
        ? Buffer.from(chunk, 'utf8')
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.pending.length > 0) bytes = Buffer.concat([this.pending, bytes]);
    this.pending = Buffer.alloc(0);
    if (this.atStart) {
      if (bytes.length < 3 && UTF8_BOM.slice(0, bytes.length).every((byte, index) => bytes[index] === byte)) {
        this.pending = bytes;
        return;
      }
      this.atStart = false;
      if (bytes[0] === UTF8_BOM[0] && bytes[1] === UTF8_BOM[1] && bytes[2] === UTF8_BOM[2]) {
        bytes = bytes.subarray(3);
        this.rows.tally.bytesRead += 3;
      }
    }
    const cut = bytes.lastIndexOf(LF) + 1;
    if (cut > 0) this.consume(bytes, cut);
    this.pending = Buffer.from(bytes.subarray(cut));
  }

  /** Ends the input: a last line without a line break is read too. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.pending.length > 0) this.consume(this.pending, this.pending.length);
    this.pending = Buffer.alloc(0);
  }

  private consume(bytes: Buffer, cut: number): void {
    const text = isAscii(bytes.subarray(0, cut))
      ? bytes.toString('latin1', 0, cut)
      : bytes.toString('utf8', 0, cut);
    this.nextBackslash = text.indexOf('\\');
    if (this.nextBackslash === -1) this.nextBackslash = text.length;
    let position = 0;
    while (position < text.length) {
      let newline = text.indexOf('\n', position);
      if (newline === -1) newline = text.length;
      let end = newline;
      if (end > position && text.charCodeAt(end - 1) === CR) end--;
      this.readLine(text, position, end);
      position = newline + 1;
    }
    this.rows.tally.bytesRead += cut;
  }

  private readLine(text: string, start: number, end: number): void {
    const line = this.line++;
    let first = start;
    while (first < end && (text.charCodeAt(first) === SPACE || text.charCodeAt(first) === TAB)) first++;
    if (first === end) {
      this.rows.tally.blankLines++;
      return;
    }
    if (this.nextBackslash < start) {
      this.nextBackslash = text.indexOf('\\', start);
      if (this.nextBackslash === -1) this.nextBackslash = text.length;
    }
    this.starts.fill(0);
    this.ends.fill(0);
    this.decodedCount = 0;
    if (this.extraNames.length > 0) {
      this.extraNames = [];
      this.extraValues = [];
    }
    if (!this.scanObject(text, first, end, this.nextBackslash < end)) {
      this.rows.malformed(line, this.why, text.slice(start, end));
      return;
    }
    let rowText = text;
    if (this.decodedCount > 0) rowText = this.assemble(text);
    if (!this.rows.add(rowText, this.starts, this.ends, COLUMN_COUNT, line)) {
      this.rows.rejectLast(text.slice(start, end));
      return;
    }
    const record = this.rows.lastRecord;
    if (record !== undefined && this.extraNames.length > 0) {
      const extra: Record<string, string> = {};
      this.extraNames.forEach((name, index) => (extra[name] = this.extraValues[index] as string));
      record.extra = extra;
    }
  }

  /** One text holding every field, for a line with decoded values (escapes, nested values, exponents). */
  private assemble(text: string): string {
    let row = '';
    const starts = this.starts;
    const ends = this.ends;
    for (let column = 0; column < COLUMN_COUNT; column++) {
      const start = starts[column] as number;
      const piece = start === DECODED ? (this.decoded[column] as string) : text.slice(start, ends[column]);
      starts[column] = row.length;
      row += piece;
      ends[column] = row.length;
    }
    return row;
  }

  private malformed(why: string): false {
    this.why = why;
    return false;
  }

  private fail(why: string): -1 {
    this.why = why;
    return -1;
  }

  /** Reads `{ "key": value, … }` spanning `[start, end)`, filling the spans of the columns it names. */
  private scanObject(text: string, start: number, end: number, escapes: boolean): boolean {
    if (text.charCodeAt(start) !== OPEN_BRACE) return this.malformed('is not a JSON object');
    let at = skipSpace(text, start + 1, end);
    if (text.charCodeAt(at) === CLOSE_BRACE) return this.afterObject(text, at + 1, end);
    for (let keyIndex = 0; ; keyIndex++) {
      if (at >= end || text.charCodeAt(at) !== QUOTE)
        return this.malformed('is not valid JSON: expected a key in double quotes');
      // The usual line has the keys of the line before, in the same order: a known key needs no search for its end.
      const known = this.shapeKeys[keyIndex];
      let keyClose = known === undefined ? -1 : at + 1 + known.length;
      let column: number;
      if (
        known !== undefined &&
        keyClose < end &&
        text.charCodeAt(keyClose) === QUOTE &&
        text.startsWith(known, at + 1)
      ) {
        column = this.shapeColumns[keyIndex] as number;
        this.lastKey = known;
      } else {
        keyClose = closingQuote(text, at, end, escapes);
        if (keyClose < 0) return this.malformed('is not valid JSON: a string is never closed');
        column = this.columnOfKey(
          text,
          at,
          keyClose,
          keyIndex,
          escapes && this.hasBackslash(text, at, keyClose),
        );
        if (column === -2) return this.malformed('is not valid JSON: a key has a bad escape');
      }
      at = skipSpace(text, keyClose + 1, end);
      if (text.charCodeAt(at) !== COLON) return this.malformed('is not valid JSON: expected ":" after a key');
      at = skipSpace(text, at + 1, end);
      at = this.scanValue(text, at, end, column, escapes);
      if (at < 0) return false;
      at = skipSpace(text, at, end);
      const next = text.charCodeAt(at);
      if (next === COMMA) {
        at = skipSpace(text, at + 1, end);
        continue;
      }
      if (next === CLOSE_BRACE) return this.afterObject(text, at + 1, end);
      return this.malformed('is not valid JSON: expected "," or "}" after a value');
    }
  }

  private afterObject(text: string, at: number, end: number): boolean {
    return skipSpace(text, at, end) === end ? true : this.malformed('has text after the JSON object');
  }

  private hasBackslash(text: string, from: number, to: number): boolean {
    const found = text.indexOf('\\', from);
    return found !== -1 && found < to;
  }

  /** The column a key names (-1 for a key outside the record, -2 for a key that cannot be decoded). */
  private columnOfKey(text: string, open: number, close: number, keyIndex: number, escaped: boolean): number {
    let key: string;
    if (escaped) {
      try {
        key = JSON.parse(text.slice(open, close + 1)) as string;
      } catch {
        return -2;
      }
    } else key = text.slice(open + 1, close);
    const column = this.columnOfName.get(key) ?? this.columnOfName.get(key.trim().toLowerCase()) ?? -1;
    if (!escaped) {
      this.shapeKeys[keyIndex] = key;
      this.shapeColumns[keyIndex] = column;
    }
    this.lastKey = key;
    return column;
  }

  /** Reads one value at `at` into `column`; returns the index after it, or -1 when it is not JSON. */
  private scanValue(text: string, at: number, end: number, column: number, escapes: boolean): number {
    const code = text.charCodeAt(at);
    if (code === QUOTE) {
      const close = closingQuote(text, at, end, escapes);
      if (close < 0) return this.fail('is not valid JSON: a string is never closed');
      if (escapes && this.hasBackslash(text, at, close)) {
        let value: string;
        try {
          value = JSON.parse(text.slice(at, close + 1)) as string;
        } catch {
          return this.fail('is not valid JSON: a string has a bad escape');
        }
        this.setDecoded(column, value);
      } else this.setSpan(text, column, at + 1, close);
      return close + 1;
    }
    if (code === MINUS || isDigit(code)) {
      const after = numberEnd(text, at, end);
      if (after < 0) return this.fail('is not valid JSON: a number is malformed');
      if (hasExponent(text, at, after)) this.setDecoded(column, expandExponent(text.slice(at, after)));
      else this.setSpan(text, column, at, after);
      return after;
    }
    if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      const close = nestedEnd(text, at, end);
      let compact: string;
      try {
        compact = close < 0 ? '' : JSON.stringify(JSON.parse(text.slice(at, close)));
      } catch {
        compact = '';
      }
      if (compact === '') return this.fail('is not valid JSON: a nested value is malformed');
      this.setDecoded(column, compact);
      return close;
    }
    for (const word of WORDS) {
      if (text.startsWith(word, at)) {
        if (word === 'null') this.setSpan(text, column, 0, 0);
        else this.setSpan(text, column, at, at + word.length);
        return at + word.length;
      }
    }
    return this.fail(
      'is not valid JSON: a value is not a string, number, object, array, true, false or null',
    );
  }

  private setSpan(text: string, column: number, start: number, end: number): void {
    if (column >= 0) {
      if (this.starts[column] === DECODED) this.decodedCount--;
      this.starts[column] = start;
      this.ends[column] = end;
    } else if (column === -1 && !this.rows.inColumns) this.addExtra(text.slice(start, end));
  }

  private setDecoded(column: number, value: string): void {
    if (column >= 0) {
      if (this.starts[column] !== DECODED) this.decodedCount++;
      this.starts[column] = DECODED;
      this.decoded[column] = value;
    } else if (column === -1 && !this.rows.inColumns) this.addExtra(value);
  }

  private addExtra(value: string): void {
    const at = this.extraNames.indexOf(this.lastKey);
    if (at >= 0) this.extraValues[at] = value;
    else {
      this.extraNames.push(this.lastKey);
      this.extraValues.push(value);
    }
  }
}

const WORDS = ['true', 'false', 'null'] as const;

function skipSpace(text: string, at: number, end: number): number {
  while (at < end) {
    const code = text.charCodeAt(at);
    if (code !== SPACE && code !== TAB && code !== CR) break;
    at++;
  }
  return at;
}

/** Index of the quote closing the string that opens at `open` (-1 when it does not close before `end`). */
function closingQuote(text: string, open: number, end: number, escapes: boolean): number {
  let cursor = open + 1;
  for (;;) {
    const quote = text.indexOf('"', cursor);
    if (quote === -1 || quote >= end) return -1;
    if (!escapes) return quote;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote;
    cursor = quote + 1;
  }
}

/** Whether the number spanning `[start, end)` has an exponent. */
function hasExponent(text: string, start: number, end: number): boolean {
  for (let at = start; at < end; at++) {
    const code = text.charCodeAt(at);
    if (code === 101 || code === 69) return true;
  }
  return false;
}

/** The end of the JSON number at `at`, or -1 when it is malformed. */
function numberEnd(text: string, at: number, end: number): number {
  let cursor = at;
  if (text.charCodeAt(cursor) === MINUS) cursor++;
  if (!isDigit(text.charCodeAt(cursor))) return -1;
  if (text.charCodeAt(cursor) === ZERO) cursor++;
  else while (cursor < end && isDigit(text.charCodeAt(cursor))) cursor++;
  if (text.charCodeAt(cursor) === DOT) {
    cursor++;
    if (!isDigit(text.charCodeAt(cursor))) return -1;
    while (cursor < end && isDigit(text.charCodeAt(cursor))) cursor++;
  }
  const code = text.charCodeAt(cursor);
  if (code === 101 || code === 69) {
    cursor++;
    if (text.charCodeAt(cursor) === PLUS || text.charCodeAt(cursor) === MINUS) cursor++;
    if (!isDigit(text.charCodeAt(cursor))) return -1;
    while (cursor < end && isDigit(text.charCodeAt(cursor))) cursor++;
  }
  return cursor > end ? -1 : cursor;
}

/** The index just past the object or array opening at `at`, strings skipped (-1 when it does not close). */
function nestedEnd(text: string, at: number, end: number): number {
  let depth = 0;
  for (let cursor = at; cursor < end; cursor++) {
    const code = text.charCodeAt(cursor);
    if (code === QUOTE) {
      const close = closingQuote(text, cursor, end, true);
      if (close < 0) return -1;
      cursor = close;
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) depth++;
    else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      depth--;
      if (depth === 0) return cursor + 1;
    }
  }
  return -1;
}
