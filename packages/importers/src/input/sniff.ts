/**
 * Tells the layout of an export from its first bytes: a JSON document, JSON
 * Lines (the first line is a complete JSON value and more lines follow), or
 * CSV (anything else, with its header row).
 */
import { open } from 'node:fs/promises';
import type { InputFormat } from '../source';
import { splitCsvHeader } from './csv';

/** Bytes read from the start of a file to tell its layout. */
export const SNIFF_BYTES = 64 * 1024;

/**
 * The longest first line read to tell JSON Lines from a JSON document: a
 * Collector file exporter line holds a whole batch of spans and easily
 * passes {@link SNIFF_BYTES}.
 */
export const MAX_FIRST_LINE_BYTES = 64 * 1024 * 1024;

/** What the first bytes of an export say about it. */
export interface Sniffed {
  format: InputFormat;
  /** The first line parsed (JSON Lines). */
  firstValue?: unknown;
  /** The header row (CSV). */
  header?: string[];
}

async function readStart(path: string): Promise<{ text: string; whole: boolean }> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    const text = buffer
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
    return { text, whole: bytesRead < SNIFF_BYTES };
  } finally {
    await handle.close();
  }
}

/**
 * The first line of a file whose first line is longer than
 * {@link SNIFF_BYTES} (with the first byte after it, so that a next line
 * shows), and whether the file ends with that line.
 */
async function readFirstLine(path: string): Promise<{ text: string; whole: boolean }> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const chunks: Buffer[] = [];
    let position = 0;
    for (;;) {
      const buffer = Buffer.alloc(1 << 20);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      const chunk = buffer.subarray(0, bytesRead);
      const newline = chunk.indexOf(10);
      chunks.push(newline === -1 ? chunk : chunk.subarray(0, newline + 2));
      const lineEnd = newline === -1 ? undefined : position + newline + 1;
      position += bytesRead;
      if (lineEnd !== undefined || bytesRead === 0 || position >= MAX_FIRST_LINE_BYTES) {
        const text = Buffer.concat(chunks)
          .toString('utf8')
          .replace(/^\uFEFF/, '');
        return { text, whole: lineEnd === undefined ? position >= size : lineEnd >= size };
      }
    }
  } finally {
    await handle.close();
  }
}

/** The layout of the export at `path`. */
export async function sniffFile(path: string): Promise<Sniffed> {
  let { text: start, whole } = await readStart(path);
  if (!whole && start.trimStart().startsWith('{') && !start.includes('\n')) {
    ({ text: start, whole } = await readFirstLine(path));
  }
  const trimmed = start.trimStart();
  if (trimmed.startsWith('[')) return { format: 'json' };
  if (trimmed.startsWith('{')) {
    const newline = trimmed.indexOf('\n');
    const firstLine = (newline === -1 ? trimmed : trimmed.slice(0, newline)).trim();
    try {
      const firstValue: unknown = JSON.parse(firstLine);
      // A file of one JSON line is one document.
      const rest = newline === -1 ? '' : trimmed.slice(newline + 1);
      if (whole && rest.trim() === '') return { format: 'json' };
      return { format: 'jsonl', firstValue };
    } catch {
      return { format: 'json' };
    }
  }
  return { format: 'csv', header: splitCsvHeader(start) };
}
