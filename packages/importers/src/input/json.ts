/**
 * JSON exports. JSON Lines are streamed line by line (memory flat whatever
 * the file size). A JSON document (an array, an API page, a trace download)
 * is parsed whole up to {@link MAX_JSON_DOCUMENT_BYTES}; a larger array or
 * page is streamed record by record (see `json-stream.ts`).
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';

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

/** The values of a JSON Lines file, one per non-blank line, streamed. */
export async function* jsonLines(path: string): AsyncGenerator<JsonLineItem> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  for await (const raw of lines) {
    line++;
    const text = line === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (text.trim() === '') continue;
    try {
      yield { line, value: JSON.parse(text) as unknown };
    } catch (error) {
      yield { line, problem: `not valid JSON: ${(error as Error).message}` };
    }
  }
}
