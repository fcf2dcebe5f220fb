import { DuckDBInstance } from '@duckdb/node-api';

/** A string as an SQL literal: single quotes, inner quotes doubled. */
export function sqlString(text: string): string {
  if (text.includes('\0')) throw new Error('an SQL string cannot hold a NUL character');
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * The one query DuckDB runs over a call log: per provider and model, the
 * calls, their total cost and three latency quantiles. `cost_usd` is read
 * as an exact decimal (so the total is exact to the micro-dollar, like the
 * toolkit's integer micro-dollars) and `latency_ms` as a double; the other
 * columns are typed by DuckDB's own CSV sniffer. `read_csv` is built in:
 * no extension is loaded.
 */
export function groupByQuery(csvPath: string): string {
  return (
    'SELECT provider, model, count(*) AS calls, sum(cost_usd) AS cost_usd, ' +
    'quantile_cont(latency_ms, 0.5) AS latency_p50_ms, ' +
    'quantile_cont(latency_ms, 0.95) AS latency_p95_ms, ' +
    'quantile_cont(latency_ms, 0.99) AS latency_p99_ms ' +
    `FROM read_csv(${sqlString(csvPath)}, header = true, ` +
    "types = {'cost_usd': 'DECIMAL(18,6)', 'latency_ms': 'DOUBLE'}) " +
    'GROUP BY ALL ORDER BY ALL'
  );
}

/** Settings of the in-memory database: nothing is installed or loaded from elsewhere. */
export const DUCKDB_SETTINGS: Readonly<Record<string, string>> = {
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
};

/** One group of {@link groupByQuery}'s answer. */
export interface ModelGroup {
  provider: string;
  model: string;
  calls: number;
  /** Integer micro-dollars. */
  costMicros: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
  latencyP99Ms: number;
}

/** What one run of the query found, for checking it against the toolkit's reading of the same file. */
export interface GroupByResult {
  groups: ModelGroup[];
  /** Calls over all groups. */
  calls: number;
  /** Cost over all groups, integer micro-dollars. */
  costMicros: number;
  /** Threads DuckDB ran with (its default: every core). */
  threads: number;
}

/** `"13.186607"` (a DECIMAL with up to six decimals) as integer micro-dollars. */
export function decimalToMicros(text: string): number {
  const match = /^(-?)(\d+)(?:\.(\d{1,6}))?$/.exec(text);
  if (!match) throw new Error(`"${text}" is not a decimal with at most six decimals`);
  const [, sign, whole, fraction = ''] = match;
  const micros = Number(whole) * 1_000_000 + Number(fraction.padEnd(6, '0'));
  return sign === '-' ? -micros : micros;
}

function numberField(row: Record<string, unknown>, name: string): number {
  const value = row[name];
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number !== 'number' || Number.isNaN(number))
    throw new Error(`DuckDB answered a row without a number in ${name}`);
  return number;
}

/** Opens an in-memory DuckDB, runs {@link groupByQuery} over `csvPath` and closes it. */
export async function runGroupBy(csvPath: string): Promise<GroupByResult> {
  const instance = await DuckDBInstance.create(':memory:', DUCKDB_SETTINGS);
  try {
    const connection = await instance.connect();
    try {
      const reader = await connection.runAndReadAll(groupByQuery(csvPath));
      const groups = reader.getRowObjectsJson().map((row): ModelGroup => {
        const record = row as Record<string, unknown>;
        return {
          provider: String(record['provider']),
          model: String(record['model']),
          calls: numberField(record, 'calls'),
          costMicros: decimalToMicros(String(record['cost_usd'])),
          latencyP50Ms: numberField(record, 'latency_p50_ms'),
          latencyP95Ms: numberField(record, 'latency_p95_ms'),
          latencyP99Ms: numberField(record, 'latency_p99_ms'),
        };
      });
      const settings = await connection.runAndReadAll("SELECT current_setting('threads') AS threads");
      const threads = Number((settings.getRowObjectsJson()[0] as Record<string, unknown>)['threads']);
      return {
        groups,
        calls: groups.reduce((sum, group) => sum + group.calls, 0),
        costMicros: groups.reduce((sum, group) => sum + group.costMicros, 0),
        threads,
      };
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}
