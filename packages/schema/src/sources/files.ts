import { readdir, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { CallLogSourceError, detectLogFormat, isLogFileName, type LogFormat } from './container';

/** One file of a call log, with its container and size. */
export interface LogFile {
  path: string;
  format: LogFormat;
  /** Bytes on disk (compressed bytes for a gzip file). */
  size: number;
}

const GLOB_CHARACTERS = /[*?[]/;

/** Whether a path is a pattern (`*`, `?`, `[…]`, `**`) rather than a name. */
export function isGlobPattern(path: string): boolean {
  return GLOB_CHARACTERS.test(path);
}

/** One path segment's pattern as a regular expression: `*`, `?` and `[…]` (`[!…]` negates); names starting with a dot only match a pattern that starts with one. */
function segmentPattern(segment: string): RegExp {
  let source = '';
  for (let index = 0; index < segment.length; index++) {
    const character = segment[index] as string;
    if (character === '*') source += '[^/]*';
    else if (character === '?') source += '[^/]';
    else if (character === '[') {
      const close = segment.indexOf(']', index + 2);
      if (close === -1) source += '\\[';
      else {
        let set = segment.slice(index + 1, close);
        if (set.startsWith('!')) set = `^${set.slice(1)}`;
        source += `[${set.replace(/\\/g, '\\\\')}]`;
        index = close;
      }
    } else source += character.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(segment.startsWith('.') ? `^${source}$` : `^(?!\\.)${source}$`);
}

async function entriesOf(folder: string): Promise<{ name: string; isFile: boolean; isFolder: boolean }[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const listed = [];
  for (const entry of entries) {
    let isFile = entry.isFile();
    let isFolder = entry.isDirectory();
    if (entry.isSymbolicLink()) {
      const target = await stat(join(folder, entry.name)).catch(() => undefined);
      isFile = target?.isFile() ?? false;
      isFolder = target?.isDirectory() ?? false;
    }
    listed.push({ name: entry.name, isFile, isFolder });
  }
  return listed;
}

/** The files under a folder (subfolders included, hidden names skipped) whose extension is a log container's. */
async function filesOfFolder(folder: string, into: string[], ancestors = new Set<string>()): Promise<void> {
  // A folder linked from inside itself is not entered again.
  const real = await realpath(folder);
  if (ancestors.has(real)) return;
  ancestors.add(real);
  for (const entry of await entriesOf(folder)) {
    if (entry.name.startsWith('.')) continue;
    const path = join(folder, entry.name);
    if (entry.isFolder) await filesOfFolder(path, into, ancestors);
    else if (entry.isFile && isLogFileName(entry.name)) into.push(path);
  }
  ancestors.delete(real);
}

/** The files matching a pattern's segments from `index` on, under `folder`. */
async function matchSegments(
  folder: string,
  segments: readonly string[],
  index: number,
  into: Set<string>,
  ancestors = new Set<string>(),
): Promise<void> {
  const segment = segments[index] as string;
  const last = index === segments.length - 1;
  let entries: Awaited<ReturnType<typeof entriesOf>>;
  let real: string;
  try {
    real = await realpath(folder === '' ? '.' : folder);
    entries = await entriesOf(folder === '' ? '.' : folder);
  } catch {
    return;
  }
  if (segment === '**') {
    // A folder linked from inside itself is not entered again.
    if (ancestors.has(real)) return;
    ancestors.add(real);
    // Zero folders, then one more folder deep with the same `**`.
    if (!last) await matchSegments(folder, segments, index + 1, into);
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = folder === '' ? entry.name : join(folder, entry.name);
      if (entry.isFolder) await matchSegments(path, segments, index, into, ancestors);
      else if (last && entry.isFile) into.add(path);
    }
    ancestors.delete(real);
    return;
  }
  const pattern = segmentPattern(segment);
  for (const entry of entries) {
    if (!pattern.test(entry.name)) continue;
    const path = folder === '' ? entry.name : join(folder, entry.name);
    if (last ? entry.isFile : entry.isFolder) {
      if (last) into.add(path);
      else await matchSegments(path, segments, index + 1, into);
    }
  }
}

/** The files a pattern matches: segments before the first one with a wildcard are the folder to search. */
async function filesOfPattern(pattern: string): Promise<string[]> {
  const segments = pattern.split(/[\\/]+/);
  const first = segments.findIndex((segment) => isGlobPattern(segment));
  const folder = segments.slice(0, first).join(sep) || (pattern.startsWith('/') ? sep : '');
  const found = new Set<string>();
  await matchSegments(folder, segments, first, found);
  return [...found];
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The files of a call log, in the order they are read: a file is itself; a
 * folder is every file under it whose extension is a log container's
 * (`.csv`, `.jsonl`, `.ndjson`, `.parquet`, optionally `.gz`), subfolders
 * included, hidden names skipped; a pattern (`logs/*.csv.gz`,
 * `exports/**\/*.parquet`) is the files it matches. Several files come in
 * name order (by code point of their paths: zero-pad numbers in names).
 * Each file's container is detected ({@link detectLogFormat}). Throws a
 * {@link CallLogSourceError} (`no_log_files`) when a folder or pattern holds
 * no file.
 */
export async function listCallLogFiles(input: string): Promise<LogFile[]> {
  const info = await stat(input).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' && isGlobPattern(input)) return undefined;
    throw error;
  });
  let paths: string[];
  if (info === undefined) {
    paths = await filesOfPattern(input);
    if (paths.length === 0)
      throw new CallLogSourceError('no_log_files', input, 'no file matches this pattern');
  } else if (info.isDirectory()) {
    paths = [];
    await filesOfFolder(input, paths);
    if (paths.length === 0)
      throw new CallLogSourceError(
        'no_log_files',
        input,
        'the folder holds no log file (.csv, .jsonl, .ndjson or .parquet, optionally .gz)',
      );
  } else {
    paths = [input];
  }
  paths.sort(byName);
  const files: LogFile[] = [];
  for (const path of paths) {
    const format = await detectLogFormat(path);
    files.push({ path, format, size: path === input && info ? info.size : (await stat(path)).size });
  }
  return files;
}

/**
 * Whether a path is one uncompressed CSV file: what the byte-offset readers
 * (a growing file followed, a file split across workers) take.
 */
export async function isPlainCsvFile(path: string): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined || !info.isFile()) return false;
  const format = await detectLogFormat(path);
  return format.container === 'csv' && !format.gzip;
}
