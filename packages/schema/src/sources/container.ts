import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { constants, gunzipSync } from 'node:zlib';
import { FinopsError } from '../errors';

/** How a log file holds its rows: CSV text, JSON Lines text, or Parquet. */
export type LogContainer = 'csv' | 'json-lines' | 'parquet';

/** A log file's container and whether it is gzip-compressed (Parquet never is: it compresses inside). */
export interface LogFormat {
  container: LogContainer;
  gzip: boolean;
}

/** Stable codes of {@link CallLogSourceError}. */
export const SOURCE_ERROR_CODES = [
  'unknown_container',
  'corrupt_container',
  'no_log_files',
  'csv_only',
] as const;
/** Why a log's files cannot be read. */
export type SourceErrorCode = (typeof SOURCE_ERROR_CODES)[number];

/** A log input that cannot be read: names the file (or the folder or pattern) and a stable code. */
export class CallLogSourceError extends FinopsError {
  declare readonly code: SourceErrorCode;

  constructor(
    code: SourceErrorCode,
    readonly file: string,
    reason: string,
  ) {
    super(code, `${file}: ${reason}`);
    this.name = 'CallLogSourceError';
  }
}

const GZIP_MAGIC = [0x1f, 0x8b] as const;
const PARQUET_MAGIC = 'PAR1';
/** Bytes looked at to tell the container of a file that its name does not tell. */
const SNIFF_BYTES = 4096;

/** The container that a file name's extension names (`.gz` aside), if any. */
function containerOfName(name: string): LogContainer | undefined {
  const lower = name.toLowerCase().replace(/\.gz$/, '');
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'json-lines';
  if (lower.endsWith('.parquet')) return 'parquet';
  return undefined;
}

/** Whether a file name has an extension of a log container (what a folder's listing keeps). */
export function isLogFileName(name: string): boolean {
  return containerOfName(name) !== undefined;
}

/** The first bytes of a text: JSON Lines when the first thing after spaces (and a byte-order mark) is `{`. */
function sniffText(bytes: Uint8Array): LogContainer | undefined {
  let at = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (
    at < bytes.length &&
    (bytes[at] === 0x20 || bytes[at] === 0x09 || bytes[at] === 0x0a || bytes[at] === 0x0d)
  )
    at++;
  if (at < bytes.length && bytes[at] === 0x7b) return 'json-lines';
  // Text of a CSV holds no NUL byte and decodes as UTF-8 (allowing a character cut at the end).
  if (bytes.includes(0)) return undefined;
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const replacements = text.slice(0, Math.max(0, text.length - 3)).includes('\ufffd');
  return replacements ? undefined : 'csv';
}

/** The first decompressed bytes of a gzip file's head (as much as the head holds). */
function gunzipHead(head: Uint8Array): Uint8Array {
  try {
    return gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH } /* the head is a cut stream */);
  } catch {
    return new Uint8Array(0);
  }
}

/**
 * Tells a log file's container by its first bytes (gzip `1f 8b`, Parquet
 * `PAR1`) and its name (`.csv`, `.jsonl`, `.ndjson`, `.parquet`, each
 * optionally `.gz`); the bytes win when they disagree with the name. A file
 * whose name tells nothing is looked at: text starting with `{` is JSON
 * Lines, other text is CSV. Throws a {@link CallLogSourceError} naming the
 * file when it is neither (`unknown_container`) or is not what it claims
 * (`corrupt_container`, e.g. a `.parquet` file without its magic bytes).
 */
export async function detectLogFormat(path: string): Promise<LogFormat> {
  const handle = await open(path, 'r');
  let head: Uint8Array;
  let size: number;
  try {
    size = (await handle.stat()).size;
    const buffer = Buffer.alloc(Math.min(SNIFF_BYTES, size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    head = buffer.subarray(0, bytesRead);
    if (head.length >= 4 && Buffer.from(head.subarray(0, 4)).toString('latin1') === PARQUET_MAGIC) {
      const tail = Buffer.alloc(4);
      await handle.read(tail, 0, 4, Math.max(0, size - 4));
      if (size < 12 || tail.toString('latin1') !== PARQUET_MAGIC)
        throw new CallLogSourceError(
          'corrupt_container',
          path,
          'the Parquet file is truncated (it does not end with the PAR1 footer)',
        );
      return { container: 'parquet', gzip: false };
    }
  } finally {
    await handle.close();
  }
  const named = containerOfName(basename(path));
  if (head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1]) {
    if (named === 'parquet')
      throw new CallLogSourceError(
        'corrupt_container',
        path,
        'a gzip-compressed Parquet file cannot be read',
      );
    const container = named ?? sniffText(gunzipHead(head));
    if (container === undefined)
      throw new CallLogSourceError(
        'unknown_container',
        path,
        'the gzip data holds neither CSV nor JSON Lines (name it .csv.gz, .jsonl.gz or .ndjson.gz)',
      );
    return { container, gzip: true };
  }
  if (named === 'parquet')
    throw new CallLogSourceError(
      'corrupt_container',
      path,
      'is not a Parquet file (it does not start with PAR1)',
    );
  if (/\.gz$/i.test(path))
    throw new CallLogSourceError(
      'corrupt_container',
      path,
      'is not gzip data (it does not start with 1f 8b)',
    );
  if (named !== undefined) return { container: named, gzip: false };
  if (size === 0) return { container: 'csv', gzip: false };
  const sniffed = sniffText(head);
  if (sniffed === undefined)
    throw new CallLogSourceError(
      'unknown_container',
      path,
      'is not a call log container: neither CSV, JSON Lines, Parquet nor gzip',
    );
  return { container: sniffed, gzip: false };
}
