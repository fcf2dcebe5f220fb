import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ImportBatch,
  importExport,
  type ImportOptions,
  type ImportRejection,
  type ImportRow,
} from '../src';

/** The fixture folder of a source. */
export function fixture(...parts: string[]): string {
  return join(__dirname, 'fixtures', ...parts);
}

/** Everything an import produced: rows, rejections and the final batch's tally and detection. */
export async function importAll(file: string, options: ImportOptions = {}) {
  const rows: ImportRow[] = [];
  const rejections: ImportRejection[] = [];
  let last: ImportBatch | undefined;
  for await (const batch of importExport(file, options)) {
    rows.push(...batch.rows);
    rejections.push(...batch.rejections);
    last = batch;
  }
  if (!last) throw new Error('no batch');
  return { rows, rejections, tally: last.tally, detection: last.detection };
}

/** The row with `call_id`. */
export function rowWithId(rows: readonly ImportRow[], callId: string): ImportRow {
  const row = rows.find((candidate) => candidate.call_id === callId);
  if (!row) throw new Error(`no row ${callId}`);
  return row;
}

/** A file with `content` in a fresh temporary folder. */
export function temporaryFile(name: string, content: string): string {
  const folder = mkdtempSync(join(tmpdir(), 'finops-importers-'));
  const path = join(folder, name);
  writeFileSync(path, content);
  return path;
}

/** A fresh temporary folder. */
export function temporaryFolder(): string {
  return mkdtempSync(join(tmpdir(), 'finops-importers-'));
}
