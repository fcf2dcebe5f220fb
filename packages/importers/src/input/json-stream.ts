/**
 * Streams the records of a JSON document too large to parse whole: the
 * elements of a top-level array, or of the `data` array of an API page
 * (`{ "data": [ … ], … }`), one at a time. Memory is bounded by the largest
 * element, not the file. Other keys of a page (totals, cursors) are passed
 * over.
 */
import { createReadStream } from 'node:fs';

/** One element of the streamed array: its value (or why it is not JSON), index and first line. */
export type StreamedElement =
  { index: number; line: number; value: unknown } | { index: number; line: number; problem: string };

/** Which array a streamed document's records are in. */
export type StreamedLayout = 'array' | 'data';

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

const STRUCTURAL = /["{}[\],]/g;

/**
 * A resumable splitter fed text chunk by chunk. Until the record array opens
 * it reads character by character (to find the `data` key); inside it, it
 * jumps from one structural character to the next, and counts lines only
 * where an element starts.
 */
class ElementSplitter {
  layout: StreamedLayout | undefined;
  /** Set when the document is neither an array nor an object with a `data` array. */
  unsupported: string | undefined;
  private phase: 'start' | 'seek' | 'elements' | 'after' = 'start';
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Backslashes at the end of the last chunk, inside a string. */
  private carriedBackslashes = 0;
  private line = 1;
  private linesCountedTo = 0;
  private arrayDepth = 0;
  private key = '';
  private keyOpen = false;
  private lastKey = '';
  private pendingKey = '';
  private element = '';
  private collecting = false;
  private elementLine = 0;
  private index = 0;

  feed(text: string, out: StreamedElement[]): void {
    const length = text.length;
    let from = this.collecting ? 0 : -1;
    let at = 0;
    this.linesCountedTo = 0;
    while (at < length && this.phase !== 'after') {
      if (this.phase !== 'elements') {
        at = this.head(text, at);
        if (this.unsupported) return;
        continue;
      }
      if (this.inString) {
        const close = this.closingQuote(text, at);
        if (close === -1) break;
        this.inString = false;
        at = close + 1;
        continue;
      }
      if (this.depth === this.arrayDepth && !this.collecting) {
        const code = text.charCodeAt(at);
        if (isSpace(code) || code === COMMA) {
          at++;
          continue;
        }
        if (code === CLOSE_BRACKET) {
          this.phase = 'after';
          this.depth--;
          break;
        }
        this.collecting = true;
        this.elementLine = this.lineAt(text, at);
        from = at;
      }
      STRUCTURAL.lastIndex = at;
      const found = STRUCTURAL.exec(text);
      if (found === null) break;
      const index = found.index;
      const code = text.charCodeAt(index);
      at = index + 1;
      if (code === QUOTE) {
        this.inString = true;
      } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
        this.depth++;
      } else if (this.depth === this.arrayDepth) {
        // A comma or the array's end after a scalar element.
        this.finish(text, from, index, out);
        from = -1;
        if (code === CLOSE_BRACKET) {
          this.phase = 'after';
          this.depth--;
        }
      } else if (code !== COMMA) {
        this.depth--;
        if (this.depth === this.arrayDepth) {
          this.finish(text, from, index + 1, out);
          from = -1;
        }
      }
    }
    if (this.collecting && from >= 0) this.element += text.slice(from);
    this.lineAt(text, length);
  }

  /**
   * The quote that ends the string being read, from `at`: the first one not
   * escaped by an odd run of backslashes (a run may begin in the previous
   * chunk). `-1` when the string goes on past this chunk.
   */
  private closingQuote(text: string, at: number): number {
    let quote = text.indexOf('"', at);
    while (quote !== -1) {
      let backslashes = 0;
      let before = quote - 1;
      while (before >= at && text.charCodeAt(before) === BACKSLASH) {
        backslashes++;
        before--;
      }
      if (before < at) backslashes += this.carriedBackslashes;
      if (backslashes % 2 === 0) {
        this.carriedBackslashes = 0;
        return quote;
      }
      quote = text.indexOf('"', quote + 1);
    }
    let trailing = 0;
    let last = text.length - 1;
    while (last >= at && text.charCodeAt(last) === BACKSLASH) {
      trailing++;
      last--;
    }
    this.carriedBackslashes = last < at ? this.carriedBackslashes + trailing : trailing;
    return -1;
  }

  /** The line at `position`, counting the line feeds since the last count. */
  private lineAt(text: string, position: number): number {
    let next = text.indexOf('\n', this.linesCountedTo);
    while (next !== -1 && next < position) {
      this.line++;
      next = text.indexOf('\n', next + 1);
    }
    this.linesCountedTo = position;
    return this.line;
  }

  /** One character before the record array: finds it, and the `data` key of a page. */
  private head(text: string, at: number): number {
    const code = text.charCodeAt(at);
    if (this.phase === 'start' && !isSpace(code) && code !== OPEN_BRACE && code !== OPEN_BRACKET) {
      this.unsupported = 'a JSON document that is not an array or an object';
      return at + 1;
    }
    if (this.inString) {
      if (this.escaped) this.escaped = false;
      else if (code === BACKSLASH) this.escaped = true;
      else if (code === QUOTE) {
        this.inString = false;
        if (this.keyOpen) {
          this.keyOpen = false;
          this.lastKey = this.key;
        }
      } else if (this.keyOpen) this.key += text[at];
      return at + 1;
    }
    if (code === QUOTE) {
      this.inString = true;
      if (this.phase === 'seek' && this.depth === 1) {
        this.keyOpen = true;
        this.key = '';
      }
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      this.open(code);
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      this.depth--;
    } else if (this.phase === 'seek' && this.depth === 1) {
      if (code === COLON) this.pendingKey = this.lastKey;
      else if (code === COMMA) this.pendingKey = '';
    }
    return at + 1;
  }

  private open(code: number): void {
    if (this.phase === 'start') {
      this.phase = code === OPEN_BRACKET ? 'elements' : 'seek';
      if (code === OPEN_BRACKET) {
        this.layout = 'array';
        this.arrayDepth = 1;
      }
    } else if (
      this.phase === 'seek' &&
      this.depth === 1 &&
      code === OPEN_BRACKET &&
      this.pendingKey === 'data'
    ) {
      this.phase = 'elements';
      this.layout = 'data';
      this.arrayDepth = 2;
    }
    this.depth++;
  }

  private finish(text: string, from: number, to: number, out: StreamedElement[]): void {
    const raw = this.element + text.slice(Math.max(from, 0), to);
    this.element = '';
    this.collecting = false;
    const index = this.index++;
    try {
      out.push({ index, line: this.elementLine, value: JSON.parse(raw) as unknown });
    } catch (error) {
      out.push({ index, line: this.elementLine, problem: `not valid JSON: ${(error as Error).message}` });
    }
  }

  /** Why the document could not be streamed, once it has all been fed; `undefined` when it could. */
  endProblem(): string | undefined {
    if (this.unsupported) return this.unsupported;
    if (this.layout === undefined) return 'an object without a "data" array of records';
    if (this.phase !== 'after') return 'the document ends inside its array';
    return undefined;
  }
}

/**
 * The elements of the record array of the JSON document at `path`, streamed.
 * Ends with a thrown `Error` naming the problem when the document has no such
 * array or is cut short; elements read before that were yielded.
 */
export async function* streamJsonElements(
  path: string,
  onLayout: (layout: StreamedLayout) => void = () => undefined,
  chunkBytes = 1 << 20,
): AsyncGenerator<StreamedElement> {
  const splitter = new ElementSplitter();
  let announced = false;
  let first = true;
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: chunkBytes });
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      const out: StreamedElement[] = [];
      splitter.feed(first ? chunk.replace(/^\uFEFF/, '') : chunk, out);
      first = false;
      if (splitter.unsupported) break;
      if (!announced && splitter.layout !== undefined) {
        announced = true;
        onLayout(splitter.layout);
      }
      yield* out;
    }
  } finally {
    stream.destroy();
  }
  const problem = splitter.endProblem();
  if (problem !== undefined) throw new Error(problem);
}
