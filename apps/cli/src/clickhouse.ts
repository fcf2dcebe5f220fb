import type { CallFilter, CallWarehouse } from '@finops/clickhouse';
import {
  type ClickHouseFlagValues,
  type ClickHouseSettings,
  settingsFromFlags,
} from '@finops/clickhouse/settings';
import type { CliConfig } from './config';

// The settings are checked from `@finops/clickhouse/settings`; the library and its client (about 80 ms
// to load) are imported only when a command reads or writes a table, not on every `finops analyze`.

/** The connection flags shared by `load`, `analyze` and `run`. */
export const CLICKHOUSE_FLAGS = {
  clickhouse: { type: 'string' },
  'clickhouse-user': { type: 'string' },
  'clickhouse-password': { type: 'string' },
  'clickhouse-database': { type: 'string' },
} as const;

/** The filter flags of `analyze` and `run` over ClickHouse. */
export const FILTER_FLAGS = {
  since: { type: 'string' },
  until: { type: 'string' },
  where: { type: 'string', multiple: true },
} as const;

/** Help lines of the connection flags. */
export const CLICKHOUSE_HELP = `  --clickhouse <target> a ClickHouse server (http(s)://host:8123) or the embedded
                        engine over a folder (chdb:<folder>; needs npm install chdb)
  --clickhouse-user <u> --clickhouse-database <db> --clickhouse-password <p>
                        (also the config file's "clickhouse" section and
                        FINOPS_CLICKHOUSE_URL, _USER, _PASSWORD, _DATABASE;
                        prefer the variable for the password)`;

export type { ClickHouseFlagValues };

/**
 * The connection settings from flags over the config file over the
 * environment; `undefined` when none names a target (or when `explicitOnly`
 * and `--clickhouse` was not given).
 */
export function clickHouseSettingsOf(
  values: ClickHouseFlagValues,
  config: CliConfig,
  explicitOnly: boolean,
  env: NodeJS.ProcessEnv = process.env,
): ClickHouseSettings | undefined {
  if (explicitOnly && values.clickhouse === undefined) return undefined;
  return settingsFromFlags(values, config.clickhouse, env);
}

/** The filter of `--since`, `--until` and `--where`. */
export async function filterOf(values: {
  since?: string;
  until?: string;
  where?: string[];
}): Promise<CallFilter> {
  const { filterFromFlags } = await import('@finops/clickhouse');
  return filterFromFlags(values);
}

/** Runs `work` with a connection, closed afterwards whatever happens. */
export async function withWarehouse<T>(
  settings: ClickHouseSettings,
  work: (warehouse: CallWarehouse) => Promise<T>,
): Promise<T> {
  const { CallWarehouse } = await import('@finops/clickhouse');
  const warehouse = await CallWarehouse.open(settings);
  try {
    return await work(warehouse);
  } finally {
    await warehouse.close();
  }
}
