import { Readable } from 'node:stream';
import { type ClickHouseClient, ClickHouseLogLevel, createClient } from '@clickhouse/client';
import { ClickHouseError, heldFolderError, isHeldFolder, toClickHouseError } from './errors';
import { type ClickHouseSettings, DEFAULT_TIMEOUT_SECONDS, describeTarget, parseTarget } from './settings';

/** Values bound to a query's `{name:Type}` placeholders. */
export type QueryParams = Record<string, unknown>;

/**
 * A query ready to send: its SQL text with `{name:Type}` placeholders, the
 * values bound to them and settings of its own.
 */
export interface BoundQuery {
  sql: string;
  params: QueryParams;
  /**
   * Settings of this query alone, sent as a `SETTINGS` clause after its
   * text (see {@link sqlOf}), not as the client's settings: the embedded
   * engine's connection applies those as `SET` statements, which would hold
   * for every later query of the session.
   */
  settings?: Readonly<Record<string, number>>;
}

/**
 * The text sent for a query: its SQL (less a final semicolon) and, on a
 * line of its own (after a comment the query may end with), a `SETTINGS`
 * clause of its {@link BoundQuery.settings} when it has any (names that
 * are words, finite numbers: else a `RangeError`). A text given settings
 * must not end with a `SETTINGS` clause of its own (a subquery's is its
 * own): two clauses do not parse, and telling one from the same words in a
 * comment or a string would take a parser.
 */
export function sqlOf(query: BoundQuery): string {
  const entries = Object.entries(query.settings ?? {});
  if (entries.length === 0) return query.sql;
  const clause = entries.map(([name, value]) => `${settingName(name)} = ${settingValue(value)}`).join(', ');
  return `${query.sql.replace(/[\s;]+$/, '')}\nSETTINGS ${clause}`;
}

function settingName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    throw new RangeError(`not a setting's name: ${JSON.stringify(name)}`);
  return name;
}

function settingValue(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`a setting's value is a finite number, got ${value}`);
  return String(value);
}

/**
 * The settings sent with every query. The session is UTC whatever the
 * process zone; 64-bit integers and decimals come back as JSON strings
 * (read exactly with `BigInt` or `Number` below 2⁵³), since a JSON number
 * would pass them through a double.
 */
export function querySettings(timeoutSeconds: number): Record<string, string | number> {
  return {
    session_timezone: 'UTC',
    output_format_json_quote_64bit_integers: 1,
    output_format_json_quote_decimals: 1,
    date_time_input_format: 'basic',
    // `sum(calls) AS calls` must not turn a later `calls` in the same query into the sum.
    prefer_column_name_to_alias: 1,
    // `latency_ms IS NULL` stays that expression instead of a read of the column's null map, as the
    // table's projections spell it: the engine matches a query to a projection by its expressions.
    optimize_functions_to_subcolumns: 0,
    // Inserts land as parts before they return, on a server whose profile turns asynchronous inserts on as on the
    // embedded engine, which does by default (see EMBEDDED_INSERT_SETTINGS for its own insert).
    async_insert: 0,
    max_execution_time: timeoutSeconds,
    // Long queries keep the HTTP connection alive through proxies with progress headers.
    send_progress_in_http_headers: 1,
    http_headers_progress_interval_ms: '10000',
  };
}

/** The embedded engine's own insert: the payload handed over as bytes, parsed by the engine's threads. */
type RawInsert = (params: {
  table: string;
  values: Buffer;
  format: 'JSONCompactEachRow' | 'TabSeparated';
  columns: readonly string[];
  settings?: Readonly<Record<string, number>>;
}) => Promise<unknown>;

/**
 * Settings of every insert through the embedded engine's own insert. The
 * engine turns asynchronous inserts on by default (`async_insert = 1`), a
 * server off: a load inserts synchronously on both, its rows written as
 * parts when the insert returns, never through the queue of asynchronous
 * inserts (whose check "both inlined and external data" was seen to refuse
 * a load's insert now and then on a busy machine).
 */
const EMBEDDED_INSERT_SETTINGS = { async_insert: 0 } as const;

/** How the package loads the optional embedded engine (replaced in tests of its absence). */
export type ChdbLoader = () => Promise<{ createChdbConnection: (options: { path?: string }) => unknown }>;

const loadChdb: ChdbLoader = async () => import('chdb/connection');

/**
 * Opens the embedded engine over a data folder. The engine locks its
 * folder: a folder another process holds (a viewer, another load) is a
 * database that cannot be used now, not a usage mistake.
 */
function openChdbFolder(
  module: Awaited<ReturnType<ChdbLoader>>,
  folder: string,
  target: string,
): { chdb?: { rawInsert?: RawInsert } } {
  try {
    return module.createChdbConnection({ path: folder }) as { chdb?: { rawInsert?: RawInsert } };
  } catch (error) {
    // The engine says why only on its own standard error; its exception is the same for any cause.
    const detail = error instanceof Error ? error.message : String(error);
    if (isHeldFolder(error) || /Failed to create connection/.test(detail))
      throw heldFolderError(target, error);
    throw new ClickHouseError(
      'clickhouse_unreachable',
      `cannot open the embedded ClickHouse folder of ${target}: ${detail.split('\n')[0] ?? detail}`,
      { cause: error },
    );
  }
}

/**
 * A connection to the database that holds the calls table: a ClickHouse
 * server over HTTP, or the embedded engine (chDB) over a data folder —
 * the same `@clickhouse/client` either way. Every query goes with
 * {@link querySettings} and bound parameters.
 */
export class CallWarehouse {
  private constructor(
    readonly client: ClickHouseClient,
    /** The database of the toolkit's tables. */
    readonly database: string,
    /** The target as it may be shown (no password). */
    readonly where: string,
    /** Whether this is the embedded engine. */
    readonly embedded: boolean,
    private readonly rawInsert?: RawInsert,
  ) {}

  /** Opens a connection (nothing is sent until the first query). */
  static async open(settings: ClickHouseSettings, chdbLoader: ChdbLoader = loadChdb): Promise<CallWarehouse> {
    const target = parseTarget(settings.target);
    const timeout = settings.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
    const database = settings.database ?? 'default';
    const common = {
      clickhouse_settings: querySettings(timeout) as never,
      request_timeout: timeout * 1000 + 5000,
      // Failures come back as our errors with their own messages: the client's console logging would repeat them.
      log: { level: ClickHouseLogLevel.OFF },
    };
    if (target.kind === 'chdb') {
      let module: Awaited<ReturnType<ChdbLoader>>;
      try {
        module = await chdbLoader();
      } catch (error) {
        throw new ClickHouseError(
          'chdb_missing',
          'the embedded ClickHouse engine is not installed: run npm install chdb@3.4.0 (about 550 MB; Linux and macOS), or give a server URL',
          { cause: error },
        );
      }
      const connection = openChdbFolder(module, target.folder, settings.target);
      const client = createClient({ ...common, connection } as never);
      // The client's insert inlines the rows into the SQL text, which the engine then parses as a query: the
      // engine's own insert takes the same bytes directly, several times faster.
      const rawInsert = connection.chdb?.rawInsert;
      return new CallWarehouse(client, database, settings.target, true, rawInsert);
    }
    const url = new URL(target.url.toString());
    const user = settings.user ?? (url.username ? decodeURIComponent(url.username) : undefined);
    const password = settings.password ?? (url.password ? decodeURIComponent(url.password) : undefined);
    url.username = '';
    url.password = '';
    const client = createClient({
      ...common,
      url: url.toString(),
      ...(user === undefined ? {} : { username: user }),
      ...(password === undefined ? {} : { password }),
    });
    return new CallWarehouse(client, database, describeTarget(settings.target), false);
  }

  /** Runs a query and returns its rows (JSON objects whose 64-bit numbers are strings). */
  async rows<Row = Record<string, string>>(query: BoundQuery): Promise<Row[]> {
    const rows: Row[] = [];
    await this.each<Row>(query, (row) => void rows.push(row));
    return rows;
  }

  /**
   * Runs a query and hands over its rows one at a time. Rows travel as
   * JSON arrays after one line of column names (`JSONCompactEachRowWithNames`):
   * half the bytes and parsing of objects, which matters for the larger
   * aggregates.
   */
  async each<Row = Record<string, string>>(query: BoundQuery, onRow: (row: Row) => void): Promise<void> {
    const text = await this.text(query, 'JSONCompactEachRowWithNames');
    let names: string[] | undefined;
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      if (end > start) {
        const values = JSON.parse(text.slice(start, end)) as unknown[];
        if (names === undefined) names = values as string[];
        else {
          const row: Record<string, unknown> = {};
          for (let index = 0; index < names.length; index++) row[names[index] as string] = values[index];
          onRow(row as Row);
        }
      }
      start = end + 1;
    }
  }

  /**
   * Runs a query whose columns are all scalars (no arrays or tuples) and
   * hands over its rows one at a time, read from `TabSeparatedWithNames`:
   * no JSON to parse and no object per row, which is what a grouping of
   * nearly a row per call (per session, per trace, per minute) costs most.
   * The row handed over is one object reused for every row: read it in
   * `onRow`, never keep it. Values are the engine's text (64-bit numbers
   * exact as strings, as in {@link each}); a null is `null`.
   */
  async eachFlat<Row = Record<string, string>>(query: BoundQuery, onRow: (row: Row) => void): Promise<void> {
    const text = await this.text(query, 'TabSeparatedWithNames');
    readTabSeparated(text, (row) => onRow(row as Row));
  }

  /** The whole answer of a query in `format`. */
  private async text(
    query: BoundQuery,
    format: 'JSONCompactEachRowWithNames' | 'TabSeparatedWithNames',
  ): Promise<string> {
    try {
      const result = await this.client.query({
        query: sqlOf(query),
        query_params: { database: this.database, ...query.params },
        format,
      });
      return await result.text();
    } catch (error) {
      throw toClickHouseError(error, this.where);
    }
  }

  /** Runs a statement that returns no rows. */
  async command(query: BoundQuery): Promise<void> {
    try {
      await this.client.command({
        query: sqlOf(query),
        query_params: { database: this.database, ...query.params },
      });
    } catch (error) {
      throw toClickHouseError(error, this.where);
    }
  }

  /** Inserts rows given as arrays in the order of `columns`, sent as JSONCompactEachRow bytes. */
  async insert(table: string, columns: readonly string[], rows: readonly unknown[][]): Promise<void> {
    let text = '';
    for (const row of rows) text += `${JSON.stringify(row)}\n`;
    await this.insertBytes(table, columns, Buffer.from(text), 'JSONCompactEachRow');
  }

  /**
   * Inserts rows given as tab-separated lines in the order of `columns`
   * (text fields escaped as `TabSeparated` reads them, `\N` for null): the
   * cheapest text for the engine to parse.
   */
  async insertTsv(table: string, columns: readonly string[], lines: Buffer): Promise<void> {
    await this.insertBytes(table, columns, lines, 'TabSeparated');
  }

  private async insertBytes(
    table: string,
    columns: readonly string[],
    bytes: Buffer,
    format: 'JSONCompactEachRow' | 'TabSeparated',
  ): Promise<void> {
    const qualified = `${this.database}.${table}`;
    try {
      if (this.rawInsert) {
        await this.rawInsert({
          table: qualified,
          values: bytes,
          format,
          columns,
          settings: EMBEDDED_INSERT_SETTINGS,
        });
        return;
      }
      await this.client.insert({
        table: qualified,
        columns: columns as [string, ...string[]],
        values: Readable.from([bytes]),
        format,
      });
    } catch (error) {
      throw toClickHouseError(error, this.where);
    }
  }

  /** Checks that the server answers and accepts the credentials. */
  async ping(): Promise<void> {
    await this.rows({ sql: 'SELECT 1 AS ok', params: {} });
  }

  /** Closes the connection. */
  async close(): Promise<void> {
    await this.client.close();
  }
}

/** What each escape of the engine's `TabSeparated` text stands for; any other escaped character is itself. */
const TAB_SEPARATED_ESCAPES: Readonly<Record<string, string>> = {
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  '0': '\0',
  a: '\x07',
  v: '\v',
};

/** A `TabSeparated` field's value: `\N` is null; escapes are undone only where there are some. */
function tabSeparatedValue(field: string): string | null {
  if (field === '\\N') return null;
  if (!field.includes('\\')) return field;
  return field.replace(/\\(.)/gs, (_, escaped: string) => TAB_SEPARATED_ESCAPES[escaped] ?? escaped);
}

/**
 * Reads `TabSeparatedWithNames` text: its first line names the columns,
 * each later line is a row (every row ends with a newline, so an empty line
 * is a row of one empty field). One row object, keyed by the names, is
 * refilled for every line.
 */
export function readTabSeparated(text: string, onRow: (row: Record<string, string | null>) => void): void {
  let end = text.indexOf('\n');
  if (end < 0) end = text.length;
  const names = text
    .slice(0, end)
    .split('\t')
    .map((name) => tabSeparatedValue(name) ?? '');
  const last = names.length - 1;
  const row: Record<string, string | null> = {};
  for (const name of names) row[name] = null;
  for (let start = end + 1; start < text.length; start = end + 1) {
    end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    // Every column but the last ends at a tab; the last at the line's end (a tab inside a value is escaped).
    let from = start;
    for (let index = 0; index < last; index++) {
      let tab = text.indexOf('\t', from);
      if (tab < 0 || tab > end) tab = end;
      row[names[index] as string] = tabSeparatedValue(text.slice(from, tab));
      from = Math.min(tab + 1, end);
    }
    row[names[last] as string] = tabSeparatedValue(text.slice(from, end));
    onRow(row);
  }
}
