import { EventEmitter } from 'node:events';
import { type FSWatcher, watch } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type AnalysisResults, type AnalyzeOptions, CostAnalyzer, datasetSummary } from '@finops/analyzers';
import { MANIFEST_FILENAME, renderReports } from '@finops/report-renderer';
import type { ReportDocument, ReportManifest } from '@finops/schema';

/** Turns analysis results into the report documents to render. */
export type DocumentBuilder = (results: AnalysisResults) => ReportDocument[];

/**
 * What an update did: `initial` analysed the whole log and rendered,
 * `reuse` analysed it but kept the reports already there (they were newer
 * and matched it), `append` read only what was appended, `reset` analysed
 * the log again from the start because it shrank or was replaced.
 */
export type UpdateKind = 'initial' | 'reuse' | 'append' | 'reset';

/** One update of the reports, with the instrumented read figures. */
export interface LiveUpdate {
  kind: UpdateKind;
  /** Bytes read from the log by this update (an unfinished last line is read again next time). */
  bytesRead: number;
  /** Bytes of complete lines taken in by this update. */
  newBytes: number;
  /** Size of the log the update saw. */
  fileBytes: number;
  /** Rows read from the log in total. */
  rowsRead: number;
  /** Whether pages and manifest were written. */
  rendered: boolean;
  /** `generated_at` of the manifest now served. */
  generatedAt: string | null;
  /** When the update finished (ISO 8601). */
  at: string;
  /** Time the update took. */
  durationMs: number;
  /** Part of it spent reading and analysing the log. */
  analysisMs: number;
  /** Part of it spent rendering and writing pages and manifest (0 when the reports were kept). */
  renderMs: number;
  /** Rows this update read (all of them for a full analysis, the appended ones otherwise). */
  newRows: number;
  /** From the last write to the log the update saw to the moment its reports were served, in milliseconds. */
  lagMs: number;
}

/** The state of live mode, as `/health` reports it. */
export interface LiveStatus {
  /** `starting` before the first analysis, `waiting` while the log does not exist, `error` after a failed update. */
  state: 'starting' | 'waiting' | 'ready' | 'error';
  /** The log as the user named it. */
  path: string;
  /** Size of the log when last looked at. */
  fileBytes: number;
  /** Bytes of complete lines analysed. */
  analysedBytes: number;
  rowsRead: number;
  rowsKept: number;
  rowsRejected: number;
  /** Size the log is expected to reach, when known. */
  targetBytes?: number;
  /** `fileBytes` as a percentage of `targetBytes` (0–100), when a target is known. */
  percent?: number;
  /** When the last analysis finished (ISO 8601), or `null`. */
  lastAnalysisAt: string | null;
  lastUpdate: LiveUpdate | null;
  /** Updates done (of any kind). */
  updates: number;
  /** Analyses of the whole log (the first one and every reset). */
  fullAnalyses: number;
  /** Bytes read from the log since start. */
  bytesReadTotal: number;
  error?: string;
}

/** Options of {@link LiveReports}. */
export interface LiveReportsOptions {
  /** The call log, absolute. */
  logPath: string;
  /** The log's name in reports and status; `logPath` by default. */
  displayPath?: string;
  /** The report folder. */
  outDir: string;
  /** Builds the documents from the results. */
  buildDocuments: DocumentBuilder;
  /** Options of the analyzer (analyses, settings, catalog). */
  analyze?: Omit<AnalyzeOptions, 'source' | 'workers' | 'quarantine' | 'progress'>;
  /** Quiet time after a write before reading; 200 ms by default. */
  debounceMs?: number;
  /** Longest wait under a steady stream of writes; 1 s by default. */
  maxWaitMs?: number;
  /** How often the log is looked at besides file-system events; 500 ms by default. */
  pollMs?: number;
  /** Size the log is expected to reach. */
  targetBytes?: number;
  /** The clock (tests). */
  now?: () => Date;
}

/** Milliseconds rounded to a tenth. */
function tenths(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

/**
 * Live mode: keeps a report folder current while a call log grows. The log
 * is analysed once; after that, each update reads only the complete lines
 * appended since the last one into the same {@link CostAnalyzer}, finishes
 * it (work in proportion to the groups, not the rows), renders and writes
 * pages and manifest (each file atomically, the manifest last). A log that
 * shrinks or is replaced is analysed again from the start. Writes are
 * noticed by file-system events and by polling, and bursts are debounced.
 *
 * Emits `update` with a {@link LiveUpdate} after each update that wrote
 * reports, and `error` with an `Error` when an update fails (the reports
 * already written stay).
 */
export class LiveReports extends EventEmitter {
  private analyzer: CostAnalyzer | undefined;
  private inode = -1;
  private seenSize = -1;
  private seenMtimeMs = -1;
  private analysed = 0;
  private results: AnalysisResults | undefined;
  private state: LiveStatus['state'] = 'starting';
  private error: string | undefined;
  private lastUpdate: LiveUpdate | null = null;
  private lastAnalysisAt: string | null = null;
  private updates = 0;
  private fullAnalyses = 0;
  private bytesReadTotal = 0;
  private generatedAt: string | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private queued: Promise<LiveUpdate | undefined> | undefined;
  private debounceTimer: NodeJS.Timeout | undefined;
  private firstPendingAt: number | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private watcher: FSWatcher | undefined;
  private watchedInode = -1;
  private stopped = false;
  private readonly debounceMs: number;
  private readonly maxWaitMs: number;
  private readonly pollMs: number;
  private readonly now: () => Date;

  constructor(readonly options: LiveReportsOptions) {
    super();
    this.debounceMs = options.debounceMs ?? 200;
    this.maxWaitMs = Math.max(this.debounceMs, options.maxWaitMs ?? 1000);
    this.pollMs = options.pollMs ?? 500;
    this.now = options.now ?? (() => new Date());
  }

  /** The log's name in reports and status. */
  get displayPath(): string {
    return this.options.displayPath ?? this.options.logPath;
  }

  /** Analyses the log (or adopts the reports already there), then starts watching it. */
  async start(): Promise<LiveUpdate | undefined> {
    const first = await this.update();
    if (!this.stopped) {
      this.pollTimer = setInterval(() => void this.poll(), this.pollMs);
      this.pollTimer.unref();
      this.rewatch();
    }
    return first;
  }

  /** Stops watching and waits for an update under way to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.pollTimer);
    clearTimeout(this.debounceTimer);
    this.watcher?.close();
    this.watcher = undefined;
    await this.chain;
  }

  /** Runs an update now (after the one under way, if any); several calls while one waits share it. */
  update(): Promise<LiveUpdate | undefined> {
    if (this.queued) return this.queued;
    const next = this.chain.then(() => {
      this.queued = undefined;
      return this.cycle();
    });
    this.queued = next;
    this.chain = next.catch(() => undefined);
    return next;
  }

  /**
   * Asks for an update after the log has been quiet for the debounce time,
   * or at the latest `maxWaitMs` after the first request of a burst.
   */
  schedule(): void {
    if (this.stopped) return;
    const now = Date.now();
    this.firstPendingAt ??= now;
    clearTimeout(this.debounceTimer);
    const delay = Math.max(0, Math.min(this.debounceMs, this.firstPendingAt + this.maxWaitMs - now));
    this.debounceTimer = setTimeout(() => {
      this.firstPendingAt = undefined;
      this.update().catch((error: unknown) => this.fail(error));
    }, delay);
    this.debounceTimer.unref();
  }

  /** The results of the last analysis. */
  get lastResults(): AnalysisResults | undefined {
    return this.results;
  }

  /** Where live mode stands. */
  status(): LiveStatus {
    const meta = this.results?.meta;
    const fileBytes = Math.max(0, this.seenSize);
    const status: LiveStatus = {
      state: this.state,
      path: this.displayPath,
      fileBytes,
      analysedBytes: this.analysed,
      rowsRead: meta?.rowsRead ?? 0,
      rowsKept: meta?.rowsKept ?? 0,
      rowsRejected: meta?.rowsRejected ?? 0,
      lastAnalysisAt: this.lastAnalysisAt,
      lastUpdate: this.lastUpdate,
      updates: this.updates,
      fullAnalyses: this.fullAnalyses,
      bytesReadTotal: this.bytesReadTotal,
    };
    const target = this.options.targetBytes;
    if (target !== undefined) {
      status.targetBytes = target;
      status.percent = Math.min(100, Math.round((fileBytes / target) * 1000) / 10);
    }
    if (this.error !== undefined) status.error = this.error;
    return status;
  }

  private fail(error: unknown): void {
    this.state = 'error';
    this.error = error instanceof Error ? error.message : String(error);
    if (this.listenerCount('error') > 0) this.emit('error', error);
  }

  private rewatch(): void {
    if (this.stopped || this.watchedInode === this.inode) return;
    this.watcher?.close();
    this.watcher = undefined;
    try {
      this.watcher = watch(this.options.logPath, { persistent: false }, () => this.schedule());
      this.watcher.on('error', () => {
        // The polling timer keeps watching; a new watcher is made when the file comes back.
        this.watcher?.close();
        this.watcher = undefined;
        this.watchedInode = -1;
      });
      this.watchedInode = this.inode;
    } catch {
      this.watchedInode = -1;
    }
  }

  private async poll(): Promise<void> {
    const info = await stat(this.options.logPath).catch(() => undefined);
    if (!info) return;
    if (info.ino !== this.inode || info.size !== this.seenSize || info.mtimeMs !== this.seenMtimeMs) {
      this.schedule();
    }
  }

  private async existingManifest(): Promise<{ manifest: ReportManifest; mtimeMs: number } | undefined> {
    const path = join(this.options.outDir, MANIFEST_FILENAME);
    try {
      const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
      return { manifest: JSON.parse(text) as ReportManifest, mtimeMs: info.mtimeMs };
    } catch {
      return undefined;
    }
  }

  private async cycle(): Promise<LiveUpdate | undefined> {
    if (this.stopped) return undefined;
    const started = performance.now();
    let info;
    try {
      info = await stat(this.options.logPath);
    } catch (error) {
      if (!isMissing(error)) throw error;
      if (this.state === 'starting' || this.state === 'ready') this.state = 'waiting';
      return undefined;
    }
    let kind: UpdateKind;
    if (!this.analyzer) kind = 'initial';
    else if (info.ino !== this.inode || info.size < this.analysed) kind = 'reset';
    else if (info.size === this.seenSize && info.mtimeMs === this.seenMtimeMs) return undefined;
    else kind = 'append';

    let analyzer = this.analyzer;
    const rowsBefore = kind === 'append' ? (this.results?.meta.rowsRead ?? 0) : 0;
    try {
      if (kind !== 'append' || !analyzer) {
        analyzer = new CostAnalyzer({ ...this.options.analyze, source: this.displayPath });
        this.analyzer = analyzer;
        this.analysed = 0;
      }
      const bytesRead = await analyzer.follow(this.options.logPath);
      this.bytesReadTotal += bytesRead;
      this.inode = info.ino;
      this.seenSize = info.size;
      this.seenMtimeMs = info.mtimeMs;
      this.rewatch();
      const before = this.analysed;
      const results = analyzer.finish();
      this.analysed = results.meta.bytesRead;
      // The file was replaced between the look and the read: the analyzer started over on its own.
      if (this.analysed < before) kind = 'reset';
      const newBytes = kind === 'append' ? this.analysed - before : this.analysed;
      // Only a half-written line arrived: nothing to show yet.
      if (kind === 'append' && newBytes === 0) return undefined;
      this.results = results;
      if (kind !== 'append') this.fullAnalyses++;
      const fileBytes = Math.max(info.size, this.analysed);
      const analysed = performance.now();
      let rendered = false;
      if (kind === 'initial' && (await this.matchesExisting(results, fileBytes, info.mtimeMs))) {
        kind = 'reuse';
      } else {
        await this.publish(results, fileBytes);
        rendered = true;
      }
      const finished = performance.now();
      const at = this.now().toISOString();
      const update: LiveUpdate = {
        kind,
        bytesRead,
        newBytes,
        fileBytes,
        rowsRead: results.meta.rowsRead,
        rendered,
        generatedAt: this.generatedAt,
        at,
        durationMs: tenths(finished - started),
        analysisMs: tenths(analysed - started),
        renderMs: rendered ? tenths(finished - analysed) : 0,
        newRows: results.meta.rowsRead - (kind === 'append' ? rowsBefore : 0),
        lagMs: Math.max(0, Date.now() - info.mtimeMs),
      };
      this.state = 'ready';
      this.error = undefined;
      this.lastUpdate = update;
      this.lastAnalysisAt = at;
      this.updates++;
      this.emit('update', update);
      return update;
    } catch (error) {
      // Start again from scratch next time: the analyzer may hold a partial read.
      this.analyzer = undefined;
      this.fail(error);
      return undefined;
    }
  }

  /** Whether the reports already in the folder are newer than the log and show exactly what it holds. */
  private async matchesExisting(
    results: AnalysisResults,
    fileBytes: number,
    logMtimeMs: number,
  ): Promise<boolean> {
    const existing = await this.existingManifest();
    if (!existing) return false;
    const file = existing.manifest.data_file;
    const same =
      existing.mtimeMs >= logMtimeMs &&
      file?.bytes === fileBytes &&
      file.rows_read === results.meta.rowsRead &&
      file.rows_kept === results.meta.rowsKept;
    if (same) this.generatedAt = existing.manifest.generated_at;
    return same;
  }

  private async publish(results: AnalysisResults, fileBytes: number): Promise<void> {
    const dataset = datasetSummary(results.meta, this.displayPath, fileBytes);
    const generatedAt = this.now();
    await renderReports(this.options.buildDocuments(results), {
      outDir: this.options.outDir,
      dataset,
      generatedAt,
      summary: results.summary,
    });
    this.generatedAt = generatedAt.toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
}
