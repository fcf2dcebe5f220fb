/**
 * Pulling a usage API into our call log: pages over a time range, each
 * normalised by the API's source importer, appended to the log a previous
 * pull left (repeats of a call id dropped), the whole log written atomically,
 * then a state file beside it saying where the next pull resumes. A pull that
 * stops part-way (the API stays unavailable, Ctrl-C) saves the pages it read
 * before saying so, and the next one continues from there.
 */
import { access } from 'node:fs/promises';
import { AtomicFileWriter, CallIdSet, formatCsvLine } from '@finops/schema';
import type { AttributionMap } from '../attribution';
import { IMPORT_COLUMNS, type ImportRow } from '../columns';
import { decimalToMicros } from '../decimal';
import { type Detection, type ImportBatch, importOutcomes, type LocatedOutcome } from '../import';
import { csvRows } from '../input/csv';
import { emptyImportTally, type ImportTally } from '../tally';
import { isoTimestamp } from '../values';
import { rowCells } from '../write';
import type { PageContext, PullApi, PullChoices, PullSettings } from './api';
import { pullApiNamed, PULL_APIS } from './apis';
import {
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_RETRY,
  displayApiUrl,
  getJson,
  PullError,
  redact,
  type RetryNotice,
  type RetryPolicy,
} from './http';
import { type PullState, pullStatePath, readPullState, writePullState } from './state';

/** Options of {@link pullToLog}. */
export interface PullOptions extends PullChoices {
  /** The call log to write (CSV); a previous pull's log there is extended. */
  out: string;
  /** The API key (an admin key for the providers' reports). Never printed. */
  key: string;
  /** The API's address (a LiteLLM proxy's URL; another host for the providers'). */
  baseUrl?: string;
  /** Start of the range (ISO 8601, UTC without an offset), used when there is nothing to resume. */
  since?: string;
  /** End of the range, exclusive; now by default. */
  until?: string;
  /** Ignore what a previous pull left and start again from `since`. */
  restart?: boolean;
  attribution?: AttributionMap;
  retry?: Partial<RetryPolicy>;
  /** Time allowed for one request; 60 s by default. */
  timeoutMs?: number;
  /** Stops the pull; the pages read so far are saved. */
  signal?: AbortSignal;
  onRetry?: (notice: RetryNotice) => void;
  /** Told after each batch of rows is written: pages read and new rows so far. */
  onProgress?: (progress: { pages: number; rows: number }) => void;
  /** The present moment (bucketed reports stop at the last bucket that has ended). */
  now?: Date;
}

/** Totals of a whole call log. */
export interface LogTotals {
  rows: number;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  reportedCostMicros: number;
}

/** What {@link pullToLog} did. */
export interface PullSummary {
  api: string;
  report: string;
  out: string;
  statePath: string;
  /** The range this pull asked for (after resuming and snapping to buckets). */
  since: string;
  until: string;
  /** Whether it continued a previous pull. */
  resumed: boolean;
  /** Pages read. */
  pages: number;
  /** The records of this pull: kept, skipped (repeats included), rejected. */
  tally: ImportTally;
  /** Rows the log held before. */
  rowsBefore: number;
  /** The whole log now. */
  log: LogTotals;
  /** Where the next pull starts. */
  resumeFrom: string;
  /** `false` when it stopped part-way (then {@link PullError} is thrown with this summary). */
  complete: boolean;
}

/** A pull that stopped part-way after saving what it read. */
export class PullStoppedError extends PullError {
  constructor(
    cause: PullError,
    /** What was saved. */
    readonly summary: PullSummary,
  ) {
    super(
      cause.code as ConstructorParameters<typeof PullError>[0],
      `${cause.message}; ${summary.tally.recordsKept} new rows from ${summary.pages} pages were saved to ${summary.out}, and the same command continues from ${summary.resumeFrom}`,
      cause.status,
    );
    this.name = 'PullStoppedError';
  }
}

function apiOf(name: string): PullApi {
  const api = pullApiNamed(name);
  if (!api)
    throw new PullError(
      'invalid_options',
      `no API "${name}"; APIs: ${PULL_APIS.map((candidate) => candidate.name).join(', ')}`,
    );
  return api;
}

function timeOption(value: string, what: string): Date {
  const iso = isoTimestamp(value);
  if (iso === undefined)
    throw new PullError(
      'invalid_options',
      `${what} "${value}" is not an ISO 8601 time (2026-05-01, 2026-05-01T12:00:00Z)`,
    );
  return new Date(iso);
}

function baseUrlOf(api: PullApi, given: string | undefined): URL {
  const text = given ?? api.defaultBaseUrl;
  if (text === undefined)
    throw new PullError(
      'invalid_options',
      `say where the ${api.name} API is: its URL (--url https://litellm.example.com)`,
    );
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new PullError('invalid_options', `"${text}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new PullError('invalid_options', `${displayApiUrl(url)}: only http and https URLs are read`);
  if (url.username !== '' || url.password !== '')
    throw new PullError(
      'invalid_options',
      `${displayApiUrl(url)}: give the key with --key, not inside the URL (a URL is shown in messages)`,
    );
  // Paths resolve under the base: a proxy mounted at /litellm keeps its prefix.
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  url.search = '';
  return url;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

function emptyTotals(): LogTotals {
  return { rows: 0, calls: 0, inputTokens: 0, outputTokens: 0, reportedCostMicros: 0 };
}

function addRow(totals: LogTotals, row: Readonly<Record<string, unknown>>): void {
  totals.rows++;
  totals.calls += Number(row['calls'] || 1);
  totals.inputTokens += Number(row['input_tokens'] || 0);
  totals.outputTokens += Number(row['output_tokens'] || 0);
  const cost = row['cost_usd'];
  if (cost !== undefined && cost !== '') totals.reportedCostMicros += decimalToMicros(String(cost));
}

/** Copies the rows of the log a previous pull wrote into `writer`, noting their call ids and totals. */
async function copyPreviousLog(
  out: string,
  writer: AtomicFileWriter,
  seen: CallIdSet,
  totals: LogTotals,
): Promise<void> {
  let checked = false;
  for await (const item of csvRows(out)) {
    if ('problem' in item)
      throw new PullError(
        'state_mismatch',
        `${out}:${item.line}: not a CSV row (${item.problem}); pull with --restart to write it again`,
      );
    if (!checked) {
      const missing = IMPORT_COLUMNS.filter((column) => !(column in item.row));
      if (missing.length > 0)
        throw new PullError(
          'state_mismatch',
          `${out} is not a log a pull wrote (no ${missing.slice(0, 3).join(', ')}); use another --out, or --restart`,
        );
      checked = true;
    }
    const callId = item.row['call_id'];
    if (callId) seen.add(callId);
    addRow(totals, item.row);
    await writer.write(formatCsvLine(IMPORT_COLUMNS.map((column) => item.row[column] ?? '')));
  }
}

function sameSettings(
  state: PullState,
  api: PullApi,
  settings: PullSettings,
  baseUrl: string,
): string | undefined {
  if (state.api !== api.name) return `it was pulled from ${state.api}`;
  if (state.baseUrl !== baseUrl) return `it was pulled from ${state.baseUrl}`;
  if (state.report !== settings.report) return `it holds the ${state.report} report`;
  if ((state.bucketWidth ?? '') !== (settings.bucketWidth ?? ''))
    return `its buckets are ${state.bucketWidth}`;
  if (state.groupBy.join(',') !== settings.groupBy.join(','))
    return `it is grouped by ${state.groupBy.join(', ') || 'nothing'}`;
  return undefined;
}

/** The pages of a pull as located outcomes; a failure ends the stream and is kept for the caller. */
async function* pageOutcomes(
  api: PullApi,
  context: PageContext,
  progress: { pages: number; resumeFrom?: Date; failure?: PullError },
): AsyncGenerator<LocatedOutcome> {
  const read = api.source.readJson;
  if (!read) return;
  try {
    for await (const page of api.pages(context)) {
      progress.pages++;
      for (const outcome of read(page.body)) {
        const at = `page ${progress.pages}${outcome.at === undefined ? '' : ` ${outcome.at}`}`;
        yield { outcome: { ...outcome, at } };
      }
      if (page.resumeFrom !== undefined) progress.resumeFrom = page.resumeFrom;
    }
  } catch (error) {
    if (!(error instanceof PullError)) throw error;
    progress.failure = error;
  }
}

/**
 * Pulls one API's records over a time range into the call log `options.out`
 * (CSV, written atomically), continuing a previous pull of the same API and
 * report from where it stopped. Returns what it did; throws a
 * {@link PullStoppedError} after saving the pages read when the API stays
 * unavailable or the pull is stopped, and a {@link PullError} when it
 * refuses the request (a wrong key) before anything was read.
 */
export async function pullToLog(apiName: string, options: PullOptions): Promise<PullSummary> {
  const api = apiOf(apiName);
  const settings = api.settings(options);
  const baseUrl = baseUrlOf(api, options.baseUrl);
  const shownBase = displayApiUrl(baseUrl);
  const statePath = pullStatePath(options.out);
  const now = options.now ?? new Date();
  const previous =
    options.restart || !(await exists(options.out)) ? undefined : await readPullState(statePath);
  if (previous) {
    const difference = sameSettings(previous, api, settings, shownBase);
    if (difference !== undefined)
      throw new PullError(
        'state_mismatch',
        `${options.out} cannot be extended by this pull: ${difference}; use another --out, or --restart`,
      );
  }
  if (!previous && options.since === undefined)
    throw new PullError(
      'invalid_options',
      `say where to start: --since 2026-05-01 (nothing to resume beside ${options.out})`,
    );
  const start = previous ? new Date(previous.resumeFrom) : timeOption(options.since as string, '--since');
  const end = options.until === undefined ? now : timeOption(options.until, '--until');
  const range = api.snapRange(start, end, settings, now);
  const secrets = [options.key];
  const headers = api.headers(options.key);
  const context: PageContext = {
    baseUrl,
    since: range.since,
    until: range.until,
    settings,
    get: (url) =>
      getJson(url, {
        headers,
        timeoutMs: options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
        retry: { ...DEFAULT_RETRY, ...options.retry },
        secrets,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onRetry ? { onRetry: options.onRetry } : {}),
      }),
  };
  const detection: Detection = { source: api.source, format: 'api', forced: true };
  const seen = new CallIdSet();
  const totals = emptyTotals();
  const progress: { pages: number; resumeFrom?: Date; failure?: PullError } = { pages: 0 };
  const writer = await AtomicFileWriter.open(options.out);
  let last: ImportBatch | undefined;
  try {
    await writer.write(formatCsvLine(IMPORT_COLUMNS));
    if (previous) await copyPreviousLog(options.out, writer, seen, totals);
    const rowsBefore = totals.rows;
    if (range.since < range.until) {
      const batches = importOutcomes(
        `${api.name} ${shownBase}`,
        detection,
        pageOutcomes(api, context, progress),
        {
          ...(options.attribution ? { attribution: options.attribution } : {}),
          seenCallIds: seen,
        },
      );
      for await (const batch of batches) {
        let text = '';
        for (const row of batch.rows) {
          addRow(totals, row as Readonly<Record<string, unknown>>);
          text += formatCsvLine(rowCells(row as ImportRow));
        }
        if (text !== '') await writer.write(text);
        last = batch;
        options.onProgress?.({ pages: progress.pages, rows: batch.tally.recordsKept });
      }
    }
    const failure = progress.failure;
    // Nothing read and the API refused outright (a wrong key): leave the previous log as it was.
    if (failure && progress.pages === 0 && failure.code !== 'interrupted' && failure.code !== 'unavailable')
      throw failure;
    await writer.commit();
    const complete = failure === undefined;
    const resumeFrom = complete
      ? api.resumeAfter(range, progress.resumeFrom)
      : (progress.resumeFrom ?? range.since);
    const summary: PullSummary = {
      api: api.name,
      report: settings.report,
      out: options.out,
      statePath,
      since: range.since.toISOString(),
      until: range.until.toISOString(),
      resumed: previous !== undefined,
      pages: progress.pages,
      tally: last?.tally ?? emptyImportTally(`${api.name} ${shownBase}`, api.source.name, 'api'),
      rowsBefore,
      log: totals,
      resumeFrom: resumeFrom.toISOString(),
      complete,
    };
    await writePullState(statePath, {
      version: 1,
      api: api.name,
      baseUrl: shownBase,
      report: settings.report,
      ...(settings.bucketWidth === undefined ? {} : { bucketWidth: settings.bucketWidth }),
      groupBy: [...settings.groupBy],
      since: previous?.since ?? range.since.toISOString(),
      resumeFrom: summary.resumeFrom,
      complete,
      rows: totals.rows,
      updatedAt: now.toISOString(),
    });
    if (failure) throw new PullStoppedError(failure, summary);
    return summary;
  } catch (error) {
    await writer.abort().catch(() => undefined);
    if (error instanceof PullError) throw error;
    throw new Error(redact((error as Error).message, secrets), { cause: error });
  }
}
