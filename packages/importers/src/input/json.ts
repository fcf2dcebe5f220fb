/**
 * JSON exports. JSON Lines are streamed line by line (memory flat whatever
 * the file size). A JSON document (an array, an API page, a trace download)
 * is parsed whole up to {@link MAX_JSON_DOCUMENT_BYTES}; a larger array or
 * page is streamed record by record (see `json-stream.ts`).
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';

/** The largest JSON document read whole by default: 64 MiB. */
export const MAX_JSON_DOCUMENT_BYTES = 64 * 1024 * 1024;

/** A problem with a whole export file (not one record of it). */
export class ExportFileError extends Error {
  constructor(
    readonly file: string,
    readonly code: 'too_large' | 'invalid_json' | 'unrecognized' | 'unreadable' | 'wrong_format',
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'ExportFileError';
  }
}

function lineOfPosition(text: string, message: string): string {
  const position = /position (\d+)/.exec(message)?.[1];
  if (position === undefined) return '';
  const before = text.slice(0, Number(position));
  const line = before.split('\n').length;
  const column = Number(position) - before.lastIndexOf('\n');
  return ` at line ${line}, column ${column}`;
}

/** Parses the JSON document at `path`, refusing files over `maxBytes`. */
export async function readJsonDocument(path: string, maxBytes = MAX_JSON_DOCUMENT_BYTES): Promise<unknown> {
  const { size } = await stat(path);
  if (size > maxBytes) {
    throw new ExportFileError(
      path,
      'too_large',
      `a JSON document of ${size} bytes is over the ${maxBytes}-byte limit for whole-file reading; export it as JSON Lines or CSV instead`,
    );
  }
  const text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    throw new ExportFileError(
      path,
      'invalid_json',
      `not valid JSON${lineOfPosition(text, message)}: ${message}`,
    );
  }
}

/** One line of a JSON Lines export: its value, or why it is not JSON. */
export type JsonLineItem = { line: number; value: unknown } | { line: number; problem: string };

/** One line's value, or why it is not JSON. */
function parseLine(text: string, line: number): JsonLineItem | undefined {
  if (text.trim() === '') return undefined;
  try {
    return { line, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { line, problem: `not valid JSON: ${(error as Error).message}` };
  }
}

/** Line breaks as readline counts them: LF, CRLF, or a lone CR. */
const LINE_BREAK = /\r\n|\r|\n/;

/**
 * The values of a JSON Lines file in batches (one per chunk read), one per
 * non-blank line, streamed. Lines are split in the chunks directly: a
 * line-by-line reader costs as much per line as parsing a short record.
 */
export async function* jsonLineBatches(path: string): AsyncGenerator<JsonLineItem[]> {
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let rest = '';
  let line = 0;
  const take = (text: string, items: JsonLineItem[]): void => {
    line++;
    const item = parseLine(line === 1 ? text.replace(/^\uFEFF/, '') : text, line);
    if (item) items.push(item);
  };
  for await (const chunk of stream as AsyncIterable<string>) {
    let text = rest + chunk;
    // A CR at the end of a chunk may be the first half of a CRLF: keep it for the next chunk.
    const keepCr = text.endsWith('\r');
    if (keepCr) text = text.slice(0, -1);
    const items: JsonLineItem[] = [];
    if (text.includes('\r')) {
      const parts = text.split(LINE_BREAK);
      rest = parts.pop() ?? '';
      for (const part of parts) take(part, items);
    } else {
      let start = 0;
      for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
        take(text.slice(start, end), items);
        start = end + 1;
      }
      rest = text.slice(start);
    }
    if (keepCr) rest += '\r';
    if (items.length > 0) yield items;
  }
  const last: JsonLineItem[] = [];
  if (rest !== '') {
    for (const part of rest.split(LINE_BREAK)) take(part, last);
  }
  if (last.length > 0) yield last;
}

/** The values of a JSON Lines file, one per non-blank line, streamed. */
export async function* jsonLines(path: string): AsyncGenerator<JsonLineItem> {
  for await (const items of jsonLineBatches(path)) yield* items;
}
