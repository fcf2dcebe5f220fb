import { mkdir, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { type ViewerConfig, isLoopback } from './config';
import { standardDocuments } from './documents';
import { type DocumentBuilder, LiveReports } from './live';
import { createViewerServer, type ViewerServer } from './server';

/** A started viewer. */
export interface RunningViewer {
  address: AddressInfo;
  /** `http://host:port/`. */
  url: string;
  server: ViewerServer;
  live?: LiveReports;
  /** Stops serving and watching; resolves when everything under way has finished. */
  close(): Promise<void>;
}

/** Where the viewer's messages go. */
export interface ViewerLog {
  (line: string): void;
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
  if (config.watch) {
    await mkdir(config.dir, { recursive: true });
  } else {
    const info = await stat(config.dir).catch(() => undefined);
    if (!info?.isDirectory()) {
      throw new Error(`no report folder at ${config.dir}: give --dir, or --watch a log to analyse into it`);
    }
  }
  const live = config.watch
    ? new LiveReports({
        logPath: config.watch,
        displayPath: config.watchDisplay,
        outDir: config.dir,
        buildDocuments: buildDocuments ?? standardDocuments(),
        debounceMs: config.debounceMs,
        targetBytes: config.targetBytes,
      })
    : undefined;
  const server = createViewerServer({
    dir: config.dir,
    live,
    auth: config.auth,
    rateLimit: { perSecond: config.rateLimit, burst: config.rateBurst },
  });
  const address = await server.listen(config.port, config.host);
  const url = urlOf(config.host, address.port);
  log(`viewer: serving ${config.dir} at ${url}`);
  if (!isLoopback(config.host)) {
    log(
      `viewer: warning: ${config.host} is not a loopback address; other machines can reach this server${config.auth ? '' : ' (set FINOPS_VIEWER_USER and FINOPS_VIEWER_PASSWORD to ask for a password)'}`,
    );
  }
  if (config.auth) log('viewer: basic authentication is on');
  if (live) {
    live.on('update', (update) => {
      const what = update.rendered ? 'reports written' : 'existing reports kept';
      log(
        `viewer: ${update.kind}: ${update.rowsRead.toLocaleString('en-US')} rows, read ${update.bytesRead.toLocaleString('en-US')} bytes, ${what} in ${Math.round(update.durationMs)} ms`,
      );
    });
    live.on('error', (error: unknown) => {
      log(`viewer: update failed: ${error instanceof Error ? error.message : String(error)}`);
    });
    log(`viewer: watching ${config.watchDisplay ?? config.watch}`);
    void live.start();
  }
  return {
    address,
    url,
    server,
    live,
    async close() {
      await server.close();
      await live?.stop();
    },
  };
}
