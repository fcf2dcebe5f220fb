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

/** Settings of a fresh database in the shared embedded folder. */
export function freshSettings(prefix: string): ClickHouseSettings {
  return { target: `chdb:${ENGINE_FOLDER}`, database: `${prefix}_${process.pid}_${count++}` };
}

/** A connection to a fresh database in the shared embedded folder. */
export async function freshWarehouse(prefix: string): Promise<CallWarehouse> {
  return CallWarehouse.open(freshSettings(prefix));
}
