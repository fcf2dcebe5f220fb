import { mkdir, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { type ViewerConfig, isLoopback } from './config';
import { standardDocuments } from './documents';
import { type DocumentBuilder, LiveReports, type LiveSource, type LiveUpdate } from './live';
import { createLogger, type Logger } from './logger';
import { createViewerServer, type ViewerServer } from './server';
import { WarehouseReports } from './warehouse-live';

/** A started viewer. */
export interface RunningViewer {
  address: AddressInfo;
  /** `http://host:port/`. */
  url: string;
  server: ViewerServer;
  live?: LiveSource;
  /** The viewer's logger (level and format from the configuration). */
  logger: Logger;
  /** Stops serving and watching; resolves when everything under way has finished. */
  close(): Promise<void>;
}

/** Where the viewer's finished log lines go. */
export interface ViewerLog {
  (line: string): void;
}

function describeUpdate(update: LiveUpdate): string {
  const what = update.rendered ? 'reports written' : 'existing reports kept';
  const read =
    update.loads === undefined
      ? `${update.bytesRead.toLocaleString('en-US')} bytes`
      : `${update.newRows.toLocaleString('en-US')} rows of ${update.loads} new load${update.loads === 1 ? '' : 's'}`;
  return `${update.kind}: ${update.rowsRead.toLocaleString('en-US')} rows, read ${read}, ${what} in ${Math.round(update.durationMs)} ms`;
}

/** Live mode, from the configuration: a growing log, a ClickHouse table, or none. */
function liveSourceOf(config: ViewerConfig, buildDocuments: DocumentBuilder): LiveSource | undefined {
  if (config.clickhouse)
    return new WarehouseReports({
      settings: config.clickhouse,
      filter: config.filter,
      outDir: config.dir,
      buildDocuments,
      pollMs: config.pollMs,
    });
  if (config.watch)
    return new LiveReports({
      logPath: config.watch,
      displayPath: config.watchDisplay,
      outDir: config.dir,
      buildDocuments,
      debounceMs: config.debounceMs,
      targetBytes: config.targetBytes,
    });
  return undefined;
}

function urlOf(host: string, port: number): string {
  return `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}/`;
}

/**
 * Starts the viewer: serves the report folder and, with `watch`, keeps it
 * current from the log (the first analysis runs after the server listens,
 * so the index answers at once).
 */
export async function startViewer(
  config: ViewerConfig,
  log: ViewerLog = (line) => process.stderr.write(`${line}\n`),
  buildDocuments?: DocumentBuilder,
): Promise<RunningViewer> {
  const logger = createLogger({
    level: config.logLevel,
    format: config.logFormat,
    sink: log,
    secrets: [config.auth?.password, config.clickhouse?.password].filter(
      (secret): secret is string => secret !== undefined && secret !== '',
    ),
  });
  if (config.watch || config.clickhouse) {
    await mkdir(config.dir, { recursive: true });
  } else {
    const info = await stat(config.dir).catch(() => undefined);
    if (!info?.isDirectory()) {
      throw new Error(`no report folder at ${config.dir}: give --dir, or --watch a log to analyse into it`);
    }
  }
  const live = liveSourceOf(config, buildDocuments ?? standardDocuments());
  const server = createViewerServer({
    dir: config.dir,
    live,
    auth: config.auth,
    rateLimit: { perSecond: config.rateLimit, burst: config.rateBurst },
    allowedHosts: config.allowedHosts,
    logger,
  });
  const address = await server.listen(config.port, config.host);
  const url = urlOf(config.host, address.port);
  logger.info(`serving ${config.dir} at ${url}`, {
    dir: config.dir,
    url,
    host: config.host,
    port: address.port,
  });
  if (!isLoopback(config.host)) {
    logger.warn(
      `${config.host} is not a loopback address; other machines can reach this server${config.auth ? '' : ' and, with no password, read the reports: set FINOPS_VIEWER_USER and FINOPS_VIEWER_PASSWORD'}`,
      { host: config.host, authentication: config.auth !== undefined },
    );
  }
  if (config.auth) logger.info('basic authentication is on', { user: config.auth.user });
  if (config.allowedHosts?.length) {
    const names = config.allowedHosts.map((host) =>
      host.port === undefined ? host.name : `${host.name}:${host.port}`,
    );
    logger.info(`also serving the host names ${names.join(', ')}`, { allowed_hosts: names.join(',') });
  }
  if (live) {
    live.on('update', (update: LiveUpdate) => {
      logger.info(describeUpdate(update), {
        kind: update.kind,
        rows: update.rowsRead,
        new_rows: update.newRows,
        bytes_read: update.bytesRead,
        rendered: update.rendered,
        analysis_ms: update.analysisMs,
        render_ms: update.renderMs,
        duration_ms: update.durationMs,
      });
    });
    live.on('error', (error: unknown) => {
      logger.error(`update failed: ${error instanceof Error ? error.message : String(error)}`);
    });
    const followed = live.status().path;
    logger.info(`${config.clickhouse ? 'following' : 'watching'} ${followed}`, { log: followed });
    void live.start();
  }
  return {
    address,
    url,
    server,
    live,
    logger,
    async close() {
      await server.close();
      await live?.stop();
    },
  };
}
