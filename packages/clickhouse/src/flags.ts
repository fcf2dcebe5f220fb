import type { CallFilter } from './scope';
import { parseWhere } from './scope';
import { type ClickHouseSettings, resolveClickHouseSettings } from './settings';

/**
 * The connection flags as the toolkit's commands name them
 * (`--clickhouse`, `--clickhouse-user`, `--clickhouse-password`,
 * `--clickhouse-database`), parsed.
 */
export interface ClickHouseFlagValues {
  clickhouse?: string;
  'clickhouse-user'?: string;
  'clickhouse-password'?: string;
  'clickhouse-database'?: string;
}

/**
 * The connection settings from the flags over a config file's `clickhouse`
 * section over the environment (see {@link resolveClickHouseSettings});
 * `undefined` when none names a target.
 */
export function settingsFromFlags(
  values: ClickHouseFlagValues,
  config: Partial<ClickHouseSettings> | undefined,
  env: Readonly<Record<string, string | undefined>>,
): ClickHouseSettings | undefined {
  const flags: Partial<ClickHouseSettings> = {};
  if (values.clickhouse !== undefined) flags.target = values.clickhouse;
  if (values['clickhouse-user'] !== undefined) flags.user = values['clickhouse-user'];
  if (values['clickhouse-password'] !== undefined) flags.password = values['clickhouse-password'];
  if (values['clickhouse-database'] !== undefined) flags.database = values['clickhouse-database'];
  return resolveClickHouseSettings({ flags, config, env });
}

/** The filter of `--since`, `--until` and `--where column=value` (repeatable). */
export function filterFromFlags(values: { since?: string; until?: string; where?: string[] }): CallFilter {
  const filter: CallFilter = {};
  if (values.since !== undefined) filter.since = values.since;
  if (values.until !== undefined) filter.until = values.until;
  if (values.where !== undefined && values.where.length > 0) filter.where = parseWhere(values.where);
  return filter;
}
