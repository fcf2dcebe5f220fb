import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CallWarehouse, type ClickHouseSettings } from '../src';

/**
 * The embedded engine binds one data folder per process: every test file
 * of a process shares this one, each test in a database of its own.
 */
export const ENGINE_FOLDER = join(tmpdir(), `finops-clickhouse-tests-${process.pid}`);
mkdirSync(ENGINE_FOLDER, { recursive: true });

let count = 0;

/**
 * Unique to this evaluation of the module: a process id is reused, and a
 * folder a stopped run left behind holds its databases, so a name of the
 * process id and a count alone found an earlier run's tables and loads.
 */
const RUN = randomBytes(4).toString('hex');

/** Settings of a fresh database in the shared embedded folder. */
export function freshSettings(prefix: string): ClickHouseSettings {
  return { target: `chdb:${ENGINE_FOLDER}`, database: `${prefix}_${process.pid}_${RUN}_${count++}` };
}

/** A connection to a fresh database in the shared embedded folder. */
export async function freshWarehouse(prefix: string): Promise<CallWarehouse> {
  return CallWarehouse.open(freshSettings(prefix));
}
