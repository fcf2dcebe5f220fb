/**
 * The state a pull leaves beside its log (`<log>.pull.json`): which API,
 * report and grouping the log holds, and where the next pull resumes.
 * Written atomically after the log, so a crash between the two leaves a
 * state that points at or before what the log holds (the repeats are then
 * recognised by their call ids).
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '@finops/schema';
import { isoTimestamp, isObject } from '../values';
import { PullError } from './http';

/** What a pull remembers between runs. */
export interface PullState {
  version: 1;
  api: string;
  /** The API's address without credentials or query. */
  baseUrl: string;
  report: string;
  bucketWidth?: string;
  groupBy: string[];
  /** Start of the first pull into this log. */
  since: string;
  /** Where the next pull starts (ISO 8601 UTC). */
  resumeFrom: string;
  /** Whether the last pull read its whole range. */
  complete: boolean;
  /** Rows in the log. */
  rows: number;
  updatedAt: string;
}

/** The state file of the log at `out`. */
export function pullStatePath(out: string): string {
  return `${out}.pull.json`;
}

function invalidState(path: string, why: string): PullError {
  return new PullError('state_mismatch', `${path}: ${why}; delete it or pull with --restart`);
}

/** The state at `path`, or `undefined` when there is none. */
export async function readPullState(path: string): Promise<PullState | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw invalidState(path, `cannot be read (${(error as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidState(path, 'is not JSON');
  }
  if (!isObject(value) || value['version'] !== 1)
    throw invalidState(path, 'is not a pull state of version 1');
  for (const key of ['api', 'baseUrl', 'report', 'since', 'resumeFrom'] as const) {
    if (typeof value[key] !== 'string') throw invalidState(path, `has no "${key}"`);
  }
  if (isoTimestamp(String(value['resumeFrom'])) === undefined)
    throw invalidState(path, '"resumeFrom" is not a time');
  if (!Array.isArray(value['groupBy'])) throw invalidState(path, 'has no "groupBy" list');
  return value as unknown as PullState;
}

/** Writes the state atomically. */
export async function writePullState(path: string, state: PullState): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(state, null, 2)}\n`);
}
