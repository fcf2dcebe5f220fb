import type { CallWarehouse } from './connection';
import { ClickHouseError } from './errors';

/** Table of applied migrations: one row per version. */
export const MIGRATIONS_TABLE = 'finops_migrations';
/** Table of calls: one row per kept row of a loaded log. */
export const CALLS_TABLE = 'finops_calls';
/** Table of loads: one row per committed load, with its read tally and first rejections. */
export const LOADS_TABLE = 'finops_loads';

/** One step of the schema: a version and the statements that take the previous version to it. */
export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

/**
 * The calls table's stored hashes of a session or a trace: an id within one
 * customer's calls, hashed twice (`cityHash64` and `xxHash64` of the id and
 * the customer) — the key the sessions digest groups sessions and traces by
 * (see `digests/sessions.ts`). Stored as `MATERIALIZED` columns, the engine
 * computes them once as rows are written instead of in every query that
 * groups or looks up sessions and traces.
 */
export const PAIR_HASH_COLUMNS = {
  session: { key: 'session_hash', check: 'session_check_hash' },
  trace: { key: 'trace_hash', check: 'trace_check_hash' },
} as const;

/** The `ADD COLUMN` clauses of {@link PAIR_HASH_COLUMNS}. */
function pairHashColumns(): string {
  return Object.entries(PAIR_HASH_COLUMNS)
    .flatMap(([kind, { key, check }]) => [
      `ADD COLUMN IF NOT EXISTS ${key} UInt64 MATERIALIZED cityHash64(${kind}_id, customer_id) COMMENT 'cityHash64 of the ${kind} id and the customer'`,
      `ADD COLUMN IF NOT EXISTS ${check} UInt64 MATERIALIZED xxHash64(${kind}_id, customer_id) COMMENT 'xxHash64 of the ${kind} id and the customer'`,
    ])
    .join(',\n  ');
}

/**
 * The schema, in order. Version 1: the calls table (every record-v2 field,
 * money in integer micro-dollars, time as `DateTime64(3, 'UTC')`) as a
 * ReplacingMergeTree keyed by the call's id alone, and the loads table.
 * Version 2: the calls' session and trace hashes ({@link PAIR_HASH_COLUMNS});
 * rows loaded before it get them computed as they are read, until the
 * engine rewrites their parts.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'calls and loads',
    statements: [
      `CREATE TABLE IF NOT EXISTS {database:Identifier}.${CALLS_TABLE} (
  call_key String COMMENT 'call_id, or for a row without one a key unique to its load and line',
  call_id String,
  time_ms Int64 COMMENT 'the instant in ms since the epoch (exact beyond the years DateTime64 holds)',
  ts DateTime64(3, 'UTC') DEFAULT fromUnixTimestamp64Milli(time_ms, 'UTC') COMMENT 'the same instant, for people and time functions',
  timestamp String COMMENT 'the timestamp as the log wrote it',
  provider LowCardinality(String),
  model LowCardinality(String),
  input_tokens UInt64,
  output_tokens UInt64,
  cost_micros Int64 COMMENT 'integer micro-dollars',
  cost_source LowCardinality(String),
  latency_ms Nullable(UInt64),
  customer_id String,
  subscription_tier LowCardinality(String),
  organization_id String,
  product_id LowCardinality(String),
  feature_id LowCardinality(String),
  task_type LowCardinality(String),
  environment LowCardinality(String),
  request_id String,
  trace_id String,
  session_id String,
  user_agent String,
  cached_input_tokens UInt64,
  cache_write_input_tokens UInt64,
  reasoning_tokens UInt64,
  status LowCardinality(String),
  error_type LowCardinality(String),
  region LowCardinality(String),
  service_tier LowCardinality(String),
  time_to_first_token_ms Nullable(UInt64),
  api_key_id String,
  user_id String,
  team_id String,
  tags String,
  calls UInt64,
  extra Map(String, String),
  load_id LowCardinality(String),
  precedence UInt64 COMMENT '2^64-1 minus the load sequence: the first load of a call id wins'
) ENGINE = ReplacingMergeTree(precedence)
ORDER BY call_key`,
      `CREATE TABLE IF NOT EXISTS {database:Identifier}.${LOADS_TABLE} (
  load_id String,
  load_seq UInt64,
  fingerprint String,
  source String,
  loaded_at DateTime64(3, 'UTC'),
  rows UInt64,
  tally String,
  rejections String
) ENGINE = MergeTree ORDER BY load_seq`,
    ],
  },
  {
    version: 2,
    name: 'session and trace hashes',
    statements: [`ALTER TABLE {database:Identifier}.${CALLS_TABLE}\n  ${pairHashColumns()}`],
  },
];

/** The schema version this toolkit reads and writes. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

async function tablesOf(warehouse: CallWarehouse): Promise<Set<string>> {
  const rows = await warehouse.rows<{ name: string }>({
    sql: 'SELECT name FROM system.tables WHERE database = {database:String}',
    params: {},
  });
  return new Set(rows.map((row) => row.name));
}

/** The schema version of the database's tables; 0 when the toolkit made none there. */
export async function schemaVersion(warehouse: CallWarehouse): Promise<number> {
  const tables = await tablesOf(warehouse);
  if (!tables.has(MIGRATIONS_TABLE)) {
    if (tables.has(CALLS_TABLE))
      throw new ClickHouseError(
        'clickhouse_schema_version',
        `ClickHouse at ${warehouse.where}: ${warehouse.database}.${CALLS_TABLE} exists but has no ${MIGRATIONS_TABLE} table: it was not made by this toolkit (use another database)`,
      );
    return 0;
  }
  const rows = await warehouse.rows<{ version: string }>({
    sql: `SELECT max(version) AS version FROM {database:Identifier}.${MIGRATIONS_TABLE}`,
    params: {},
  });
  return Number(rows[0]?.version ?? 0);
}

/** Fails unless the tables exist at exactly {@link SCHEMA_VERSION} (what reading them needs). */
export async function checkSchema(warehouse: CallWarehouse): Promise<void> {
  const version = await schemaVersion(warehouse);
  if (version === 0)
    throw new ClickHouseError(
      'clickhouse_missing_table',
      `ClickHouse at ${warehouse.where} has no call table in database ${warehouse.database}: load calls first (finops load <log> --clickhouse …)`,
    );
  if (version !== SCHEMA_VERSION) throw versionError(warehouse, version);
}

function versionError(warehouse: CallWarehouse, version: number): ClickHouseError {
  return new ClickHouseError(
    'clickhouse_schema_version',
    version > SCHEMA_VERSION
      ? `ClickHouse at ${warehouse.where}: the tables in ${warehouse.database} are at schema version ${version}, newer than this toolkit's ${SCHEMA_VERSION}: upgrade the toolkit`
      : `ClickHouse at ${warehouse.where}: the tables in ${warehouse.database} are at schema version ${version}, older than this toolkit's ${SCHEMA_VERSION}: run finops load (it migrates them) before reading`,
  );
}

/**
 * Creates the database and takes its tables to {@link SCHEMA_VERSION},
 * applying each missing migration and recording it. Tables of a newer
 * version are an error: an older toolkit never writes into them.
 */
export async function migrate(warehouse: CallWarehouse): Promise<number[]> {
  await warehouse.command({ sql: 'CREATE DATABASE IF NOT EXISTS {database:Identifier}', params: {} });
  // Read the version before making anything: a foreign calls table must stop us here.
  const current = await schemaVersion(warehouse);
  if (current > SCHEMA_VERSION) throw versionError(warehouse, current);
  await warehouse.command({
    sql: `CREATE TABLE IF NOT EXISTS {database:Identifier}.${MIGRATIONS_TABLE} (version UInt32, name String, applied_at DateTime64(3, 'UTC')) ENGINE = MergeTree ORDER BY version`,
    params: {},
  });
  const applied: number[] = [];
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    for (const statement of migration.statements) await warehouse.command({ sql: statement, params: {} });
    await warehouse.command({
      sql: `INSERT INTO {database:Identifier}.${MIGRATIONS_TABLE} (version, name, applied_at) VALUES ({version:UInt32}, {name:String}, now64(3, 'UTC'))`,
      params: { version: migration.version, name: migration.name },
    });
    applied.push(migration.version);
  }
  return applied;
}
