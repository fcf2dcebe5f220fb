/**
 * Splits CSV text into rows (RFC 4180). Lines without a quote character take
 * a fast path (search for commas); any line with a quote goes through the
 * general state machine, which handles quoted commas, doubled quotes and line
 * breaks inside quotes. Both paths give the same fields for the same text.
 */

/**
 * Receives one row as spans: field `i` is `fieldText.slice(starts[i], ends[i])`.
 * For rows without quotes `fieldText` is the scanned text itself (no string is
 * created per field); for quoted rows it is the unquoted fields joined. The
 * raw row, as written, is `text.slice(rawStart, rawEnd)`.
 */
export type RowHandler = (
  fieldText: string,
  starts: Int32Array,
  ends: Int32Array,
  count: number,
  line: number,
  rawStart: number,
  rawEnd: number,
  text: string,
) => void;
/** Receives a row that cannot be split into fields. */
export type MalformedHandler = (
  line: number,
  why: string,
  rawStart: number,
  rawEnd: number,
  text: string,
) => void;

/** Options of {@link CsvScanner}. */
export interface CsvScannerOptions {
  /** Longest row, in characters, before an open quote is taken for a mistake; 1 MiB by default. */
  maxRowChars?: number;
  /** Send every line through the general path (for tests of the fast path). */
  generalPathOnly?: boolean;
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

type GeneralOutcome = 'row' | 'incomplete' | 'malformed';

/**
 * A resumable CSV row scanner. Feed it text that ends on a line break (or
 * the last text of the input with `final`), and it reports complete rows,
 * returning how much of the text it consumed; the rest (a row still open
 * inside quotes) is to be given again with more text after it.
 */
export class CsvScanner {
  /** Line number (1-based) of the next line to be scanned. */
  line = 1;
  /** Blank lines skipped so far. */
  blankLines = 0;
  private readonly fields: string[] = [];
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);
  private readonly maxRowChars: number;
  private readonly generalOnly: boolean;
  // Results of the general path, kept on the instance to avoid allocations.
  private generalNext = 0;
  private generalRawEnd = 0;
  private generalWhy = '';

  constructor(options: CsvScannerOptions = {}) {
    this.maxRowChars = options.maxRowChars ?? 1 << 20;
    this.generalOnly = options.generalPathOnly ?? false;
  }

  /**
   * Scans rows from `start`. Returns the index of the first character not
   * consumed; with `final` every character is consumed.
   */
  scan(
    text: string,
    start: number,
    final: boolean,
    onRow: RowHandler,
    onMalformed: MalformedHandler,
  ): number {
    const length = text.length;
    let position = start;
    let nextQuote = this.generalOnly ? -1 : text.indexOf('"', position);
    if (nextQuote === -1 && !this.generalOnly) nextQuote = length;
    while (position < length) {
      const newline = text.indexOf('\n', position);
      if (newline === -1 && !final) break;
      const lineEnd = newline === -1 ? length : newline;
      const next = newline === -1 ? length : newline + 1;
      if (lineEnd === position || (lineEnd === position + 1 && text.charCodeAt(position) === CR)) {
        this.line++;
        this.blankLines++;
        position = next;
        continue;
      }
      if (this.generalOnly || nextQuote < lineEnd) {
        const outcome = this.general(text, position, final);
        if (outcome === 'incomplete') {
          if (next - position > this.maxRowChars || length - position > this.maxRowChars) {
            this.malformedLine(
              text,
              position,
              lineEnd,
              next,
              'has a quote that is never closed',
              onMalformed,
            );
            position = next;
          } else {
            break;
          }
        } else if (outcome === 'malformed') {
          this.malformedLine(text, position, lineEnd, next, this.generalWhy, onMalformed);
          position = next;
        } else {
          const rowLine = this.line;
          const rowNext = this.generalNext;
          this.line += countLineBreaks(text, position, rowNext);
          if (rowNext === length && text.charCodeAt(length - 1) !== LF) this.line++;
          this.emitFields(rowLine, position, this.generalRawEnd, text, onRow);
          position = rowNext;
        }
        if (!this.generalOnly && nextQuote < position) {
          nextQuote = text.indexOf('"', position);
          if (nextQuote === -1) nextQuote = length;
        }
        continue;
      }
      let end = lineEnd;
      if (end > position && text.charCodeAt(end - 1) === CR) end--;
      const rowLine = this.line++;
      let starts = this.starts;
      let ends = this.ends;
      let count = 0;
      let fieldStart = position;
      let comma = text.indexOf(',', fieldStart);
      while (comma !== -1 && comma < end) {
        if (count + 1 >= starts.length) {
          this.growSpans();
          starts = this.starts;
          ends = this.ends;
        }
        starts[count] = fieldStart;
        ends[count++] = comma;
        fieldStart = comma + 1;
        comma = text.indexOf(',', fieldStart);
      }
      starts[count] = fieldStart;
      ends[count++] = end;
      onRow(text, starts, ends, count, rowLine, position, end, text);
      position = next;
    }
    return position;
  }

  private growSpans(): void {
    const starts = new Int32Array(this.starts.length * 2);
    const ends = new Int32Array(this.ends.length * 2);
    starts.set(this.starts);
    ends.set(this.ends);
    this.starts = starts;
    this.ends = ends;
  }

  /** Hands the general path's fields over as spans of their concatenation. */
  private emitFields(line: number, rawStart: number, rawEnd: number, text: string, onRow: RowHandler): void {
    const fields = this.fields;
    while (fields.length >= this.starts.length) this.growSpans();
    let offset = 0;
    for (let index = 0; index < fields.length; index++) {
      this.starts[index] = offset;
      offset += (fields[index] as string).length;
      this.ends[index] = offset;
    }
    onRow(fields.join(''), this.starts, this.ends, fields.length, line, rawStart, rawEnd, text);
  }

  private malformedLine(
    text: string,
    start: number,
    lineEnd: number,
    next: number,
    why: string,
    onMalformed: MalformedHandler,
  ): void {
    let end = lineEnd;
    if (end > start && text.charCodeAt(end - 1) === CR) end--;
    onMalformed(this.line++, why, start, end, text);
    void next;
  }

  /** The general RFC 4180 path for one row starting at `start`. */
  private general(text: string, start: number, final: boolean): GeneralOutcome {
    const length = text.length;
    const fields = this.fields;
    fields.length = 0;
    let position = start;
    for (;;) {
      if (position < length && text.charCodeAt(position) === QUOTE) {
        let value = '';
        let cursor = position + 1;
        for (;;) {
          const quote = text.indexOf('"', cursor);
          if (quote === -1) {
            if (final) {
              this.generalWhy = 'has a quote that is never closed';
              return 'malformed';
            }
            return 'incomplete';
          }
          if (quote + 1 >= length && !final) return 'incomplete';
          if (text.charCodeAt(quote + 1) === QUOTE) {
            value += text.slice(cursor, quote + 1);
            cursor = quote + 2;
            continue;
          }
          value += text.slice(cursor, quote);
          position = quote + 1;
          break;
        }
        fields.push(value);
        if (position >= length) {
          if (!final) return 'incomplete';
          this.generalRawEnd = length;
          this.generalNext = length;
          return 'row';
        }
        const after = text.charCodeAt(position);
        if (after === COMMA) {
          position++;
          continue;
        }
        if (after === LF) {
          this.generalRawEnd = position;
          this.generalNext = position + 1;
          return 'row';
        }
        if (after === CR) {
          if (position + 1 >= length) {
            if (!final) return 'incomplete';
            this.generalRawEnd = position;
            this.generalNext = length;
            return 'row';
          }
          if (text.charCodeAt(position + 1) === LF) {
            this.generalRawEnd = position;
            this.generalNext = position + 2;
            return 'row';
          }
        }
        this.generalWhy = 'has text after the closing quote of a field';
        return 'malformed';
      }
      let cursor = position;
      for (; cursor < length; cursor++) {
        const code = text.charCodeAt(cursor);
        if (code === COMMA || code === LF || code === QUOTE) break;
      }
      if (cursor < length && text.charCodeAt(cursor) === QUOTE) {
        this.generalWhy = 'has a quote inside a field that does not start with one';
        return 'malformed';
      }
      if (cursor >= length) {
        if (!final) return 'incomplete';
        fields.push(text.slice(position, length));
        this.generalRawEnd = length;
        this.generalNext = length;
        return 'row';
      }
      if (text.charCodeAt(cursor) === COMMA) {
        fields.push(text.slice(position, cursor));
        position = cursor + 1;
        continue;
      }
      // Line feed: the row ends; a carriage return before it belongs to the line ending.
      const end = cursor > position && text.charCodeAt(cursor - 1) === CR ? cursor - 1 : cursor;
      fields.push(text.slice(position, end));
      this.generalRawEnd = end;
      this.generalNext = cursor + 1;
      return 'row';
    }
  }
}

function countLineBreaks(text: string, start: number, end: number): number {
  let count = 0;
  let index = text.indexOf('\n', start);
  while (index !== -1 && index < end) {
    count++;
    index = text.indexOf('\n', index + 1);
  }
  return count;
}
