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

/** The layout of the export at `path`. */
export async function sniffFile(path: string): Promise<Sniffed> {
  const { text: start, whole } = await readStart(path);
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
