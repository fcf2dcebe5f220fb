import { EventEmitter } from 'node:events';
import { type AnalysisResults, datasetSummary } from '@finops/analyzers';
import { renderReports } from '@finops/report-renderer';
import type { DocumentBuilder, LiveStatus, LiveUpdate } from './live';

/**
 * Runs updates one after the other: a request made while one runs waits for
 * it, and requests made while one waits share that one.
 */
export class SerialUpdates<T> {
  private chain: Promise<unknown> = Promise.resolve();
  private queued: Promise<T> | undefined;

  /** Runs `cycle` after the update under way (or joins the one already waiting). */
  run(cycle: () => Promise<T>): Promise<T> {
    if (this.queued) return this.queued;
    const next = this.chain.then(() => {
      this.queued = undefined;
      return cycle();
    });
    this.queued = next;
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Resolves when the update under way (if any) has finished, whatever its outcome. */
  settled(): Promise<unknown> {
    return this.chain;
  }
}

/** What {@link publishReports} writes the reports of. */
export interface PublishOptions {
  outDir: string;
  buildDocuments: DocumentBuilder;
  /** The data's name on the index and in the manifest. */
  displayPath: string;
  /** The data's size in bytes (0 when it is a table, not a file). */
  bytes: number;
  generatedAt: Date;
}

/**
 * Renders and writes the pages and the manifest of `results` (each file
 * atomically, the manifest last); resolves with the manifest's
 * `generated_at` (to the second).
 */
export async function publishReports(results: AnalysisResults, options: PublishOptions): Promise<string> {
  await renderReports(options.buildDocuments(results), {
    outDir: options.outDir,
    dataset: datasetSummary(results.meta, options.displayPath, options.bytes),
    generatedAt: options.generatedAt,
    summary: results.summary,
  });
  return options.generatedAt.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The figures of `/health` that every live mode keeps the same way. */
export type LiveFigures = Pick<
  LiveStatus,
  | 'state'
  | 'rowsRead'
  | 'rowsKept'
  | 'rowsRejected'
  | 'lastAnalysisAt'
  | 'lastUpdate'
  | 'updates'
  | 'fullAnalyses'
  | 'error'
>;

/**
 * What every live mode keeps: its state, the last results and update, the
 * counts of updates, and one update at a time. Emits `update` after each
 * update that wrote reports and `error` when one fails.
 */
export abstract class LiveBase extends EventEmitter {
  protected results: AnalysisResults | undefined;
  protected state: LiveStatus['state'] = 'starting';
  protected error: string | undefined;
  private lastUpdate: LiveUpdate | null = null;
  private lastAnalysisAt: string | null = null;
  private updates = 0;
  private fullAnalyses = 0;
  protected readonly serial = new SerialUpdates<LiveUpdate | undefined>();

  /** The results of the last analysis. */
  get lastResults(): AnalysisResults | undefined {
    return this.results;
  }

  /** Runs an update now (after the one under way, if any); several calls while one waits share it. */
  update(): Promise<LiveUpdate | undefined> {
    return this.serial.run(() => this.cycle());
  }

  /** One update: looks at the data and, when there is news, analyses, renders and {@link announce}s. */
  protected abstract cycle(): Promise<LiveUpdate | undefined>;

  /** The shared part of the status. */
  protected figures(): LiveFigures {
    const meta = this.results?.meta;
    const figures: LiveFigures = {
      state: this.state,
      rowsRead: meta?.rowsRead ?? 0,
      rowsKept: meta?.rowsKept ?? 0,
      rowsRejected: meta?.rowsRejected ?? 0,
      lastAnalysisAt: this.lastAnalysisAt,
      lastUpdate: this.lastUpdate,
      updates: this.updates,
      fullAnalyses: this.fullAnalyses,
    };
    if (this.error !== undefined) figures.error = this.error;
    return figures;
  }

  /** Records a finished update (ready again, counted) and emits it. */
  protected announce(update: LiveUpdate): void {
    if (update.kind !== 'append') this.fullAnalyses++;
    this.state = 'ready';
    this.error = undefined;
    this.lastUpdate = update;
    this.lastAnalysisAt = update.at;
    this.updates++;
    this.emit('update', update);
  }

  /** Records a failed update (the reports already written stay) and emits it. */
  protected fail(error: unknown): void {
    this.state = 'error';
    this.error = error instanceof Error ? error.message : String(error);
    if (this.listenerCount('error') > 0) this.emit('error', error);
  }
}
