import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { MAX_LISTED_REJECTIONS } from '@finops/analyzers';
import {
  type CallRecord,
  CallIdSet,
  type ColumnMapping,
  type LogFile,
  type PriceCatalog,
  type ReadTally,
  type Rejection,
  defaultCatalog,
  emptyTally,
  listCallLogFiles,
  streamCallLogFiles,
} from '@finops/schema';
import type { CallWarehouse } from './connection';
import { CALLS_TABLE, LOADS_TABLE, migrate } from './migrations';
import { syncProjections } from './projections';
import { FallbackToReader, fastLoad, sweepStaging } from './fast-load';

/** The columns of the calls table a load writes, in the order of each row (`ts` is computed from `time_ms`). */
export const CALL_COLUMNS = [
  'call_key',
  'call_id',
  'time_ms',
  'timestamp',
  'provider',
  'model',
  'input_tokens',
  'output_tokens',
  'cost_micros',
  'cost_source',
  'latency_ms',
  'customer_id',
  'subscription_tier',
  'organization_id',
  'product_id',
  'feature_id',
  'task_type',
  'environment',
  'request_id',
  'trace_id',
  'session_id',
  'user_agent',
  'cached_input_tokens',
  'cache_write_input_tokens',
  'reasoning_tokens',
  'status',
  'error_type',
  'region',
  'service_tier',
  'time_to_first_token_ms',
  'api_key_id',
  'user_id',
  'team_id',
  'tags',
  'calls',
  'extra',
  'load_id',
  'precedence',
] as const;

/** Progress of a load. */
export interface LoadProgress {
  /** Rows read so far (kept and rejected). */
  rowsRead: number;
  /** Rows written so far. */
  rowsWritten: number;
  bytesRead: number;
  totalBytes: number;
}

/** Options of {@link loadCalls}. */
export interface LoadOptions {
  /** Price catalog for rows without a cost; the built-in one by default. */
  catalog?: PriceCatalog;
  /** The log's own names of our columns. */
  mapping?: ColumnMapping;
  /** The first rejected row is an error (nothing is kept). */
  strict?: boolean;
  /** Rows per insert (100,000 by default). */
  batchRows?: number;
  /** Called after each insert. */
  progress?: (progress: LoadProgress) => void;
  /**
   * `auto` (the default): a plain CSV file of at least
   * {@link ENGINE_PATH_FROM_BYTES} on the embedded engine is read by the
   * engine itself, the rest by the toolkit's reader; `engine`: the engine
   * whenever the file allows it, whatever its size; `reader`: always the
   * reader (see docs/clickhouse.md, "Load paths").
   */
  path?: LoadPath;
}

/** Which path loads a log: the engine reading the file itself, or the toolkit's reader. */
export type LoadPath = 'auto' | 'engine' | 'reader';

/**
 * Size from which `auto` lets the engine read a file itself. The engine's
 * path counts the file's lines, sets up a price table and checks and
 * tallies the rows in several queries for each load, a fixed cost that
 * loads of a few hundred rows paid twice over in wall time
 * (the follower's tests, 150 to 1,200 rows a load); the reader's path has
 * none, and a file this small takes it well under a second.
 */
export const ENGINE_PATH_FROM_BYTES = 8 * 1024 * 1024;

/** Whether a load tries the engine's path first. */
function triesEnginePath(path: LoadPath | undefined, totalBytes: number): boolean {
  if (path === 'reader') return false;
  return path === 'engine' || totalBytes >= ENGINE_PATH_FROM_BYTES;
}

/** What a load did. */
export interface LoadSummary {
  /** The load's id (of the earlier load, when this data was loaded before). */
  loadId: string;
  /** The same bytes were loaded before: nothing was written. */
  alreadyLoaded: boolean;
  /** Rows written to the calls table. */
  rowsWritten: number;
  /** What the reader counted (as `finops validate` would on the same log). */
  tally: ReadTally;
  /** The first rejected rows (line, field, reason, message). */
  rejections: Omit<Rejection, 'raw' | 'value'>[];
  /** Which path read the log (`engine`: the engine read the file; `reader`: the toolkit's reader; absent when already loaded). */
  via?: 'engine' | 'reader';
}

const MAX_UINT64 = (1n << 64n) - 1n;

/** The SHA-256 of the log's bytes (and the mapping): the same data loaded twice has the same fingerprint. */
export async function fingerprintOf(files: readonly LogFile[], mapping?: ColumnMapping): Promise<string> {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(mapping ?? {}));
  for (const file of files) {
    hash.update(`\u0000${file.size}\u0000`);
    for await (const chunk of createReadStream(file.path)) hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}

const TSV_SPECIAL = /[\\\t\n\r\0]/;
const TSV_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
  '\0': '\\0',
};

/** A text field of a tab-separated row: backslash, tab, line breaks and NUL escaped as the engine reads them. */
export function tsvText(value: string): string {
  return TSV_SPECIAL.test(value)
    ? value.replace(/[\\\t\n\r\0]/g, (character) => TSV_ESCAPES[character] as string)
    : value;
}

/** A `Map(String, String)` field: `{'key':'value',…}` with each string quoted as the engine reads a literal. */
function tsvMap(map: Readonly<Record<string, string>> | undefined): string {
  if (map === undefined) return '{}';
  const quote = (text: string): string =>
    `'${text.replace(/[\\'\t\n\r\0]/g, (character) => (character === "'" ? "\\'" : (TSV_ESCAPES[character] as string)))}'`;
  return `{${Object.entries(map)
    .map(([key, value]) => `${quote(key)}:${quote(value)}`)
    .join(',')}}`;
}

/** An optional integer field: `\N` for none. */
function tsvNumber(value: number | null | undefined): string {
  return value === null || value === undefined ? '\\N' : String(value);
}

/**
 * A kept record as one tab-separated line of {@link CALL_COLUMNS}: the
 * engine parses this format with less work than JSON, and no row object is
 * built on the way.
 */
export function tsvLineOf(record: CallRecord, callKey: string, loadId: string, precedence: string): string {
  return `${tsvText(callKey)}\t${tsvText(record.callId)}\t${record.timeMs}\t${tsvText(record.timestamp)}\t${tsvText(record.provider)}\t${tsvText(record.model)}\t${record.inputTokens}\t${record.outputTokens}\t${record.costMicros}\t${tsvText(record.costSource ?? 'reported')}\t${tsvNumber(record.latencyMs)}\t${tsvText(record.customerId)}\t${tsvText(record.subscriptionTier)}\t${tsvText(record.organizationId)}\t${tsvText(record.productId)}\t${tsvText(record.featureId)}\t${tsvText(record.taskType)}\t${tsvText(record.environment)}\t${tsvText(record.requestId)}\t${tsvText(record.traceId)}\t${tsvText(record.sessionId)}\t${tsvText(record.userAgent)}\t${record.cachedInputTokens ?? 0}\t${record.cacheWriteInputTokens ?? 0}\t${record.reasoningTokens ?? 0}\t${tsvText(record.status ?? 'success')}\t${tsvText(record.errorType ?? '')}\t${tsvText(record.region ?? '')}\t${tsvText(record.serviceTier ?? '')}\t${tsvNumber(record.timeToFirstTokenMs)}\t${tsvText(record.apiKeyId ?? '')}\t${tsvText(record.userId ?? '')}\t${tsvText(record.teamId ?? '')}\t${tsvText(record.tags ?? '')}\t${record.calls ?? 1}\t${tsvMap(record.extra)}\t${loadId}\t${precedence}\n`;
}

/**
 * Lines of a batch written straight into bytes as they come: a string
 * grown line by line over a batch of 100,000 rows kept the garbage
 * collector busier than everything else a load does.
 */
export class ByteBatch {
  private bytes = Buffer.allocUnsafe(1 << 20);
  private length = 0;
  /** Lines in the batch. */
  count = 0;

  /** Appends one line. */
  add(line: string): void {
    // A character takes at most three bytes in UTF-8.
    const room = line.length * 3;
    if (this.length + room > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.length + room));
      this.bytes.copy(grown, 0, 0, this.length);
      this.bytes = grown;
    }
    this.length += this.bytes.write(line, this.length, 'utf8');
    this.count++;
  }

  /** The lines so far as one buffer (a copy), and an empty batch again. */
  take(): Buffer {
    const taken = Buffer.from(this.bytes.subarray(0, this.length));
    this.length = 0;
    this.count = 0;
    return taken;
  }
}

/**
 * Removes the rows of loads that never committed (a load stopped half-way):
 * they were never visible to the analyses, and must not meet a later load's
 * rows of the same call ids in the engine's merges.
 */
export async function sweepUncommitted(warehouse: CallWarehouse): Promise<number> {
  const stale = await warehouse.rows<{ load_id: string }>({
    sql: `SELECT DISTINCT load_id FROM {database:Identifier}.${CALLS_TABLE} WHERE load_id NOT IN (SELECT load_id FROM {database:Identifier}.${LOADS_TABLE})`,
    params: {},
  });
  if (stale.length > 0)
    await deleteLoads(
      warehouse,
      stale.map((row) => row.load_id),
    );
  return stale.length;
}

async function deleteLoads(warehouse: CallWarehouse, loadIds: string[]): Promise<void> {
  await warehouse.command({
    sql: `ALTER TABLE {database:Identifier}.${CALLS_TABLE} DELETE WHERE load_id IN {load_ids:Array(String)} SETTINGS mutations_sync = 2`,
    params: { load_ids: loadIds },
  });
  await dropEmptyParts(warehouse);
}

/**
 * Drops the parts a delete left without rows. The engine keeps such a part
 * until a cleanup in some later process, and it has no projections: no
 * merge takes it beside parts that have them (`OPTIMIZE … FINAL` is refused
 * outright), so it would hold the table at one part more than it needs.
 */
async function dropEmptyParts(warehouse: CallWarehouse): Promise<void> {
  const empty = await warehouse.rows<{ name: string }>({
    sql: 'SELECT name FROM system.parts WHERE database = {database:String} AND table = {table:String} AND active AND rows = 0',
    params: { table: CALLS_TABLE },
  });
  // Best effort: the engine's own cleanup may remove such a part first, and then the drop finds none.
  for (const { name } of empty)
    await warehouse
      .command({
        sql: `ALTER TABLE {database:Identifier}.${CALLS_TABLE} DROP PART {part:String}`,
        params: { part: name },
      })
      .catch(() => undefined);
}

/** Rows in the calls table, of any load. */
async function storedRows(warehouse: CallWarehouse): Promise<number> {
  const [stored] = await warehouse.rows<{ rows: string }>({
    sql: `SELECT count() AS rows FROM {database:Identifier}.${CALLS_TABLE}`,
    params: {},
  });
  return Number(stored?.rows ?? 0);
}

/** Whether an earlier load read this many bytes (the same data always does). */
async function loadedBytesBefore(warehouse: CallWarehouse, bytes: number): Promise<boolean> {
  const [found] = await warehouse.rows<{ loads: string }>({
    sql: `SELECT count() AS loads FROM {database:Identifier}.${LOADS_TABLE} WHERE JSONExtractUInt(tally, 'bytesRead') = {bytes:UInt64}`,
    params: { bytes },
  });
  return Number(found?.loads ?? 0) > 0;
}

/** The summary of the earlier load of the data with this fingerprint, if any. */
async function earlierLoad(warehouse: CallWarehouse, fingerprint: string): Promise<LoadSummary | undefined> {
  const [earlier] = await warehouse.rows<{ load_id: string; tally: string; rejections: string }>({
    sql: `SELECT load_id, tally, rejections FROM {database:Identifier}.${LOADS_TABLE} WHERE fingerprint = {fingerprint:String} ORDER BY load_seq LIMIT 1`,
    params: { fingerprint },
  });
  if (earlier === undefined) return undefined;
  return {
    loadId: earlier.load_id,
    alreadyLoaded: true,
    rowsWritten: 0,
    tally: JSON.parse(earlier.tally) as ReadTally,
    rejections: JSON.parse(earlier.rejections) as LoadSummary['rejections'],
  };
}

/** The call ids of committed loads, as the set the reader checks duplicates against. */
async function committedCallIds(warehouse: CallWarehouse): Promise<CallIdSet> {
  const ids = new CallIdSet();
  await warehouse.each<{ call_id: string }>(
    {
      sql: `SELECT call_id FROM {database:Identifier}.${CALLS_TABLE} WHERE call_id != '' AND load_id IN (SELECT load_id FROM {database:Identifier}.${LOADS_TABLE})`,
      params: {},
    },
    (row) => void ids.add(row.call_id),
  );
  return ids;
}

/**
 * Loads a call log (any container, folder or pattern the toolkit reads) into
 * the calls table, creating or migrating the tables first.
 *
 * - Rows are validated by the toolkit's reader; rejected rows are counted
 *   and listed with the load, exactly as reading the file counts them.
 * - Dedupe policy, the in-process one: the first kept row of a call id
 *   counts. Ids kept by earlier loads seed the reader's id set, so a later
 *   row of such an id is rejected as `duplicate_call_id`. Rows without a
 *   call id are never deduped.
 * - The same bytes loaded again (same SHA-256 and mapping) write nothing.
 * - Rows are written in batches tagged with the load's id; the load becomes
 *   visible when its row in the loads table is written, last. A failed load
 *   deletes its rows, and any load first sweeps rows of loads that never
 *   committed, so no partial write is ever read.
 *
 * @example
 * ```ts
 * const warehouse = await CallWarehouse.open({ target: 'chdb:finops-db' });
 * const summary = await loadCalls(warehouse, 'calls.csv');
 * console.log(summary.rowsWritten, summary.tally.rowsRejected);
 * ```
 */
export async function loadCalls(
  warehouse: CallWarehouse,
  input: string,
  options: LoadOptions = {},
): Promise<LoadSummary> {
  const files = await listCallLogFiles(input);
  await migrate(warehouse);
  await sweepUncommitted(warehouse);
  await sweepStaging(warehouse);
  const totalBytes = files.reduce((sum, file) => sum + file.size, 0);
  // The fingerprint is read beside the load unless an earlier load read as many bytes: then the
  // same data is likely, and checked first so that loading it again costs only the hash.
  const hashing = fingerprintOf(files, options.mapping);
  hashing.catch(() => undefined);
  if (await loadedBytesBefore(warehouse, totalBytes)) {
    const before = await earlierLoad(warehouse, await hashing);
    if (before !== undefined) return before;
  }
  const [last] = await warehouse.rows<{ seq: string }>({
    sql: `SELECT max(load_seq) AS seq FROM {database:Identifier}.${LOADS_TABLE}`,
    params: {},
  });
  const loadSeq = BigInt(last?.seq ?? '0') + 1n;
  const precedence = (MAX_UINT64 - loadSeq).toString();
  const loadId = randomUUID();
  let loaded: Omit<LoadSummary, 'loadId' | 'alreadyLoaded'>;
  try {
    loaded =
      (!triesEnginePath(options.path, totalBytes)
        ? undefined
        : await engineLoad(warehouse, files, options, loadId, precedence, totalBytes)) ??
      (await readerLoad(warehouse, files, options, loadId, precedence, totalBytes));
    // After the rows: a first load by the reader writes its batches without projections and builds them
    // once over the whole load (cheaper than with every batch and again in the engine's merges); the
    // engine's path and later loads find them there and the engine fills them as it writes. A failure
    // here fails the load.
    await syncProjections(warehouse);
    const fingerprint = await hashing;
    // The same data loaded before with its bytes counted otherwise (the size check above missed it):
    // this load's rows go, and the earlier load answers.
    const before = await earlierLoad(warehouse, fingerprint);
    if (before !== undefined) {
      await deleteLoads(warehouse, [loadId]);
      return before;
    }
    await warehouse.command({
      sql: `INSERT INTO {database:Identifier}.${LOADS_TABLE} (load_id, load_seq, fingerprint, source, loaded_at, rows, tally, rejections) VALUES ({load_id:String}, {load_seq:UInt64}, {fingerprint:String}, {source:String}, now64(3, 'UTC'), {rows:UInt64}, {tally:String}, {rejections:String})`,
      params: {
        load_id: loadId,
        load_seq: loadSeq.toString(),
        fingerprint,
        source: input,
        rows: loaded.rowsWritten,
        tally: JSON.stringify(loaded.tally),
        rejections: JSON.stringify(loaded.rejections),
      },
    });
  } catch (error) {
    // Nothing of a failed load may stay: its rows are deleted now (or swept by the next load).
    await deleteLoads(warehouse, [loadId]).catch(() => undefined);
    throw error;
  }
  return { loadId, alreadyLoaded: false, ...loaded };
}

/**
 * The engine's path ({@link fastLoad}) for a plain CSV file on the embedded
 * engine; `undefined` (its rows removed) when the file needs the reader's path.
 */
async function engineLoad(
  warehouse: CallWarehouse,
  files: readonly LogFile[],
  options: LoadOptions,
  loadId: string,
  precedence: string,
  totalBytes: number,
): Promise<Omit<LoadSummary, 'loadId' | 'alreadyLoaded'> | undefined> {
  let projectionsAdded = false;
  try {
    const result = await fastLoad(
      warehouse,
      files,
      {
        // The projections in place before the engine writes: it fills them from the blocks it has in
        // memory as it writes each part, instead of reading every part back to build them afterwards.
        beforeScan: async () => {
          projectionsAdded = (await syncProjections(warehouse)).added.length > 0;
        },
        catalog: options.catalog ?? defaultCatalog(),
        strict: options.strict === true,
        loadId,
        precedence,
        columns: CALL_COLUMNS,
        tsvLine: (record, key) => tsvLineOf(record, key, loadId, precedence),
        insertTsv: async (lines) => warehouse.insertTsv(CALLS_TABLE, CALL_COLUMNS, lines),
        progress: (rowsRead, rowsWritten) =>
          options.progress?.({ rowsRead, rowsWritten, bytesRead: totalBytes, totalBytes }),
      },
      options.mapping,
    );
    return {
      rowsWritten: result.rowsWritten,
      tally: result.tally,
      rejections: result.rejections.slice(0, MAX_LISTED_REJECTIONS),
      via: 'engine',
    };
  } catch (error) {
    if (!(error instanceof FallbackToReader)) throw error;
    await deleteLoads(warehouse, [loadId]);
    // The reader writes many small batches: on a table this load gave its projections, they are
    // built once after its rows again rather than with every batch and in every merge.
    if (projectionsAdded && (await storedRows(warehouse)) === 0) await syncProjections(warehouse, []);
    return undefined;
  }
}

/** The reader's path: every row through the toolkit's reader, written as tab-separated batches. */
async function readerLoad(
  warehouse: CallWarehouse,
  files: readonly LogFile[],
  options: LoadOptions,
  loadId: string,
  precedence: string,
  totalBytes: number,
): Promise<Omit<LoadSummary, 'loadId' | 'alreadyLoaded'>> {
  const callIds = await committedCallIds(warehouse);
  const batchRows = Math.max(1, options.batchRows ?? 100_000);
  const rejections: LoadSummary['rejections'] = [];
  let tally = emptyTally();
  let rowsWritten = 0;
  let bytesRead = 0;
  let withoutId = 0;
  const batch = new ByteBatch();
  // One insert stays in flight while the next batch is read: the engine parses on its own threads.
  let inFlight: Promise<void> = Promise.resolve();
  const flush = async (): Promise<void> => {
    await inFlight;
    if (batch.count === 0) return;
    const count = batch.count;
    const bytes = batch.take();
    inFlight = warehouse.insertTsv(CALLS_TABLE, CALL_COLUMNS, bytes).then(() => {
      rowsWritten += count;
      options.progress?.({ rowsRead: tally.rowsRead, rowsWritten, bytesRead, totalBytes });
    });
    // A failure surfaces at the next flush; keep it from being reported as unhandled meanwhile.
    inFlight.catch(() => undefined);
  };
  try {
    for await (const slice of streamCallLogFiles(files, {
      catalog: options.catalog,
      mapping: options.mapping,
      strict: options.strict,
      callIds,
      batchSize: 16_384,
    })) {
      tally = slice.tally;
      bytesRead += slice.bytes;
      for (const rejection of slice.rejections) {
        if (rejections.length >= MAX_LISTED_REJECTIONS) break;
        rejections.push({
          line: rejection.line,
          field: rejection.field,
          reason: rejection.reason,
          message: rejection.message,
        });
      }
      for (const record of slice.records) {
        // A row without an id gets a key of its own: such rows are never deduped.
        const key = record.callId === '' ? `\u0000${loadId}:${withoutId++}` : record.callId;
        batch.add(tsvLineOf(record, key, loadId, precedence));
        if (batch.count >= batchRows) await flush();
      }
    }
    await flush();
    await inFlight;
  } catch (error) {
    await inFlight.catch(() => undefined);
    throw error;
  }
  return { rowsWritten, tally, rejections, via: 'reader' };
}
