import type { AnalysisResults } from '@finops/analyzers';
import {
  type CallFilter,
  CallWarehouse,
  ClickHouseError,
  type ClickHouseSettings,
  type ConnectionSource,
  describeTarget,
  type FollowLook,
  parseTarget,
  WarehouseFollower,
} from '@finops/clickhouse';
import type { DocumentBuilder, LiveLag, LiveSource, LiveStatus, LiveUpdate } from './live';
import { LiveBase, publishReports } from './updates';

/** Options of {@link WarehouseReports}. */
export interface WarehouseReportsOptions {
  /** Where the calls table is and how to log in. */
  settings: ClickHouseSettings;
  /** Which calls the reports show (all by default). */
  filter?: CallFilter;
  /** The report folder. */
  outDir: string;
  /** Builds the documents from the results. */
  buildDocuments: DocumentBuilder;
  /** How often the loads table is looked at; 1 s by default. */
  pollMs?: number;
  /** The clock (tests). */
  now?: () => Date;
}

/** What the embedded engine says when another process holds its folder (a load under way). */
const FOLDER_BUSY = /Cannot lock file|Failed to create connection/;

/** Milliseconds rounded to a tenth. */
function tenths(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/**
 * Live mode over a ClickHouse calls table: the table is analysed once, then
 * each look asks only for the loads committed since the last one
 * ({@link WarehouseFollower}), folds their partial state into the state
 * held, finishes and renders (each file atomically, the manifest last).
 * Emits `update` and `error` as {@link LiveReports} does; a table that does
 * not exist yet is waited for.
 *
 * A server connection stays open. The embedded engine (`chdb:`) locks its
 * folder for the process holding it open, so the viewer opens it for each
 * look and closes it after: `finops load` in another process can write
 * between looks, and a look that finds the folder busy waits for the next.
 */
export class WarehouseReports extends LiveBase implements LiveSource {
  private readonly follower: WarehouseFollower;
  private readonly pollMs: number;
  private readonly now: () => Date;
  private loadsHeld = 0;
  /** A look whose reports could not be written: written at the next look, new loads or not. */
  private unpublished: FollowLook | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly embedded: boolean;
  /** The connection kept open to a server (none for the embedded engine). */
  private kept: Promise<CallWarehouse> | undefined;

  constructor(readonly options: WarehouseReportsOptions) {
    super();
    this.embedded = parseTarget(options.settings.target).kind === 'chdb';
    this.follower = new WarehouseFollower(this.connections(), { filter: options.filter });
    this.pollMs = options.pollMs ?? 1000;
    this.now = options.now ?? (() => new Date());
  }

  /** The table as reports and status name it (never with a password), as the analyses name their source. */
  get displayPath(): string {
    return `clickhouse ${describeTarget(this.options.settings.target)} (${this.options.settings.database ?? 'default'})`;
  }

  /** Connections for the follower: one kept for a server, one per look for the embedded engine. */
  private connections(): ConnectionSource {
    const settings = this.options.settings;
    if (this.embedded)
      return async () => {
        const warehouse = await CallWarehouse.open(settings);
        return { warehouse, release: () => warehouse.close() };
      };
    return async () => {
      this.kept ??= CallWarehouse.open(settings);
      return { warehouse: await this.kept, release: async () => undefined };
    };
  }

  /** Analyses the table, then looks at it every `pollMs`. */
  async start(): Promise<LiveUpdate | undefined> {
    const first = await this.update();
    if (!this.stopped) {
      this.pollTimer = setInterval(() => void this.update(), this.pollMs);
      this.pollTimer.unref();
    }
    return first;
  }

  /** Stops looking, waits for a look under way, and closes the connection. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.pollTimer);
    await this.serial.settled();
    const kept = await this.kept?.catch(() => undefined);
    await kept?.close();
  }

  /** Where live mode stands. */
  status(): LiveStatus {
    return {
      ...this.figures(),
      path: this.displayPath,
      fileBytes: 0,
      analysedBytes: 0,
      bytesReadTotal: 0,
      source: 'clickhouse',
      loads: this.loadsHeld,
    };
  }

  /** The loads committed since the last update, and how long the oldest has waited. */
  async lag(): Promise<LiveLag> {
    const backlog = await this.follower.backlog();
    const waited = backlog.oldestLoadMs === null ? 0 : Math.max(0, Date.now() - backlog.oldestLoadMs);
    return { loads: backlog.loads, rows: backlog.rows, pendingSeconds: waited / 1000 };
  }

  protected async cycle(): Promise<LiveUpdate | undefined> {
    if (this.stopped) return undefined;
    const started = performance.now();
    try {
      const look = (await this.follower.look()) ?? this.unpublished;
      if (look === undefined) {
        if (this.state === 'starting') this.state = 'waiting';
        return undefined;
      }
      const results = this.follower.finish();
      const analysed = performance.now();
      this.unpublished = look;
      const update = await this.publish(look, results, started, analysed);
      this.unpublished = undefined;
      return update;
    } catch (error) {
      // Nothing loaded yet: wait for the first load as the file mode waits for the log.
      if (error instanceof ClickHouseError && error.code === 'clickhouse_missing_table') {
        if (this.state !== 'error') this.state = 'waiting';
        return undefined;
      }
      // Another process holds the embedded engine's folder (a load): look again next time.
      if (this.embedded && error instanceof Error && FOLDER_BUSY.test(error.message)) {
        if (this.state === 'starting') this.state = 'waiting';
        return undefined;
      }
      this.fail(error);
      return undefined;
    }
  }

  private async publish(
    look: FollowLook,
    results: AnalysisResults,
    started: number,
    analysed: number,
  ): Promise<LiveUpdate> {
    const generatedAt = await publishReports(results, {
      outDir: this.options.outDir,
      buildDocuments: this.options.buildDocuments,
      displayPath: this.displayPath,
      bytes: 0,
      generatedAt: this.now(),
    });
    const finished = performance.now();
    const at = this.now().toISOString();
    const update: LiveUpdate = {
      kind: look.kind,
      bytesRead: 0,
      newBytes: 0,
      fileBytes: 0,
      rowsRead: results.meta.rowsRead,
      rendered: true,
      generatedAt,
      at,
      durationMs: tenths(finished - started),
      analysisMs: tenths(analysed - started),
      renderMs: tenths(finished - analysed),
      newRows: look.rowsRead,
      lagMs: look.newestLoadMs === null ? 0 : Math.max(0, Date.now() - look.newestLoadMs),
      loads: look.loadIds.length,
    };
    this.results = results;
    this.loadsHeld = look.loadsHeld;
    this.announce(update);
    return update;
  }
}
