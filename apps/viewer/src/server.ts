import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { INDEX_FILENAME, MANIFEST_FILENAME } from '@finops/report-renderer';
import type { ReportManifest } from '@finops/schema';
import { EVENTS_PATH, LIVE_CSS, LIVE_JS, LIVE_SCRIPT_PATH, LIVE_STYLE_PATH, VIEWER_PREFIX } from './client';
import { type AllowedHost, allowedHostsFor, type HostPolicy, isHostAllowed } from './host-check';
import { injectViewer, placeholderPage } from './inject';
import type { LiveSource, LiveStatus } from './live';
import { createLogger, type Logger } from './logger';
import { PROMETHEUS_CONTENT_TYPE } from './metrics';
import { resolveRequestPath } from './safe-path';
import {
  type BasicCredentials,
  checkBasicAuth,
  RateLimiter,
  type RateLimitOptions,
  SECURITY_HEADERS,
} from './security';
import { routeOf, ViewerMetrics } from './viewer-metrics';

export { SECURITY_HEADERS } from './security';

/** Options of {@link createViewerServer}. */
export interface ViewerOptions {
  /** The report folder to serve. */
  dir: string;
  /** Live mode: the reports kept current from a growing log or a ClickHouse table. */
  live?: LiveSource;
  /** Ask for these credentials (basic authentication). */
  auth?: BasicCredentials;
  /** Per-client rate limit; 200 requests/s with bursts of 1,000 by default. */
  rateLimit?: RateLimitOptions;
  /** Longest time to receive a whole request; 30 s by default. */
  requestTimeoutMs?: number;
  /** Longest time to receive the request headers; 10 s by default. */
  headersTimeoutMs?: number;
  /** A connection silent this long is closed; 120 s by default. */
  idleTimeoutMs?: number;
  /** How often the event stream sends a keep-alive comment; 15 s by default. */
  heartbeatMs?: number;
  /** How often the manifest is looked at for changes made by others; 1 s by default. */
  manifestPollMs?: number;
  /** Event-stream clients at most; 256 by default. */
  maxEventClients?: number;
  /**
   * Names (and optionally ports) accepted in the `Host` header besides the
   * bound address and port and `localhost`; see {@link allowedHostsFor}.
   */
  allowedHosts?: readonly AllowedHost[];
  /** Where requests (at debug level) and refusals are logged; nothing by default. */
  logger?: Logger;
}

/** A running viewer: the HTTP server and what it needs to shut down cleanly. */
export interface ViewerServer {
  readonly server: Server;
  /** Starts listening; resolves with the address bound. */
  listen(port: number, host: string): Promise<AddressInfo>;
  /** Announces the current manifest to event-stream clients when it changed; resolves when sent. */
  announce(): Promise<void>;
  /** Clients of the event stream right now. */
  readonly eventClients: number;
  /** What the server measures (served at `/metrics`). */
  readonly metrics: ViewerMetrics;
  /** Stops accepting, ends event streams, waits for requests under way (closing them after a grace time). */
  close(graceMs?: number): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

const HTML_CACHE_ENTRIES = 64;

function send(
  response: ServerResponse,
  status: number,
  body: string,
  type = 'text/plain; charset=utf-8',
  extra: Record<string, string | number> = {},
): void {
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    ...extra,
  });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}

function strongTag(body: string | Buffer): string {
  return `"${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"`;
}

/** Whether a conditional GET may be answered with 304. */
function notModified(request: IncomingMessage, etag: string, modifiedMs: number): boolean {
  const match = request.headers['if-none-match'];
  if (match !== undefined) {
    return match
      .split(',')
      .map((tag) => tag.trim().replace(/^W\//, ''))
      .some((tag) => tag === etag || tag === '*');
  }
  const since = request.headers['if-modified-since'];
  if (since === undefined) return false;
  const sinceMs = Date.parse(since);
  return !Number.isNaN(sinceMs) && Math.floor(modifiedMs / 1000) <= Math.floor(sinceMs / 1000);
}

interface CachedHtml {
  fileKey: string;
  version: number;
  body: Buffer;
  etag: string;
  modifiedMs: number;
}

interface ManifestSnapshot {
  fileKey: string;
  manifest: ReportManifest;
  key: string;
}

/** The key by which the browser tells manifests apart (the same in `live.js`). */
export function manifestKey(manifest: ReportManifest): string {
  return `${manifest.generated_at}:${manifest.data_file?.bytes}:${manifest.data_file?.rows_read}`;
}

/** The `/health` answer's body: the reports, the data file and the live state, from the manifest and the live run. */
function healthBody(
  manifest: ReportManifest | undefined,
  status: LiveStatus | undefined,
  startedAt: number,
): Record<string, unknown> {
  const file = manifest?.data_file;
  const dataFile = status
    ? {
        path: status.path,
        bytes: status.fileBytes,
        mb: Math.round(status.fileBytes / 10_000) / 100,
        rows: status.rowsRead,
        rows_kept: status.rowsKept,
        rows_rejected: status.rowsRejected,
      }
    : file
      ? {
          path: file.path,
          bytes: file.bytes,
          mb: file.mb,
          rows: file.rows_read,
          rows_kept: file.rows_kept,
          rows_rejected: file.rows_rejected,
        }
      : null;
  const state = !manifest
    ? status && status.state !== 'error'
      ? 'starting'
      : 'no-reports'
    : status?.state === 'error'
      ? 'degraded'
      : 'ok';
  return {
    status: state,
    reports: manifest?.reports.length ?? 0,
    generated_at: manifest?.generated_at ?? null,
    data_file: dataFile,
    last_analysis: status ? status.lastAnalysisAt : (manifest?.generated_at ?? null),
    live_mode: status !== undefined,
    live: status ?? null,
    uptime_s: Math.round((Date.now() - startedAt) / 1000),
  };
}

/** One of the viewer's own files (its script and style), tagged by content and dated from the start. */
function sendOwnFile(
  request: IncomingMessage,
  response: ServerResponse,
  body: string,
  etag: string,
  type: string,
  startedAt: number,
): void {
  const headers = {
    ...SECURITY_HEADERS,
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    ETag: etag,
    'Last-Modified': new Date(startedAt).toUTCString(),
    'Cache-Control': 'no-cache',
  };
  if (notModified(request, etag, startedAt)) {
    response.writeHead(304, { ...SECURITY_HEADERS, ETag: etag, 'Last-Modified': headers['Last-Modified'] });
    response.end();
    return;
  }
  response.writeHead(200, headers);
  response.end(request.method === 'HEAD' ? undefined : body);
}

/** A report page (with the viewer added), or 304 when the browser holds this version. */
function sendPage(request: IncomingMessage, response: ServerResponse, page: CachedHtml, type: string): void {
  const lastModified = new Date(page.modifiedMs).toUTCString();
  if (notModified(request, page.etag, page.modifiedMs)) {
    response.writeHead(304, { ...SECURITY_HEADERS, ETag: page.etag, 'Last-Modified': lastModified });
    response.end();
    return;
  }
  response.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': type,
    'Content-Length': page.body.length,
    'Last-Modified': lastModified,
    ETag: page.etag,
    'Cache-Control': 'no-cache',
  });
  response.end(request.method === 'HEAD' ? undefined : page.body);
}

/**
 * Any other file of the folder, streamed, or 304 when the browser holds this version. Length, tag and
 * bytes all come from one open file: the manifest is replaced (renamed over) while the log grows, and
 * a length taken from the path's previous file would cut the new one short.
 */
async function streamFile(
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  type: string,
): Promise<void> {
  const handle = await open(path, 'r').catch(() => undefined);
  const opened = await handle?.stat().catch(() => undefined);
  if (!handle || !opened?.isFile()) {
    await handle?.close();
    send(response, 404, 'not found\n');
    return;
  }
  const etag = `"${opened.size.toString(16)}-${Math.floor(opened.mtimeMs).toString(16)}"`;
  const lastModified = opened.mtime.toUTCString();
  if (notModified(request, etag, opened.mtimeMs)) {
    await handle.close();
    response.writeHead(304, { ...SECURITY_HEADERS, ETag: etag, 'Last-Modified': lastModified });
    response.end();
    return;
  }
  response.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': type,
    'Content-Length': opened.size,
    'Last-Modified': lastModified,
    ETag: etag,
    'Cache-Control': 'no-cache',
  });
  if (request.method === 'HEAD' || opened.size === 0) {
    await handle.close();
    response.end();
    return;
  }
  handle
    .createReadStream({ end: opened.size - 1 })
    .on('error', () => response.destroy())
    .pipe(response);
}

/** Counts each answer in the metrics by route and status, and logs it at debug level. */
function observeRequest(
  request: IncomingMessage,
  response: ServerResponse,
  metrics: ViewerMetrics,
  logger: Logger,
): void {
  const started = performance.now();
  let pathname = '/';
  try {
    pathname = new URL(request.url ?? '/', 'http://viewer.invalid').pathname;
  } catch {
    pathname = '';
  }
  const route = routeOf(pathname);
  response.once('close', () => {
    const seconds = (performance.now() - started) / 1000;
    const status = response.headersSent ? response.statusCode : 0;
    metrics.recordRequest(
      route,
      request.method ?? 'GET',
      status,
      route === EVENTS_PATH ? undefined : seconds,
    );
    if (logger.enabled('debug')) {
      logger.debug(`${request.method} ${pathname} ${status} ${Math.round(seconds * 10_000) / 10} ms`, {
        method: request.method,
        path: pathname,
        route,
        status,
        ms: Math.round(seconds * 10_000) / 10,
        client: request.socket.remoteAddress,
      });
    }
  });
}

/** 403 for a host name this viewer does not serve; each refused name is remembered (up to 100) so it is warned about once. */
function refuseHost(
  request: IncomingMessage,
  response: ServerResponse,
  refusedHosts: Set<string>,
  logger: Logger,
): void {
  const host = request.headers.host ?? '(none)';
  // Each refused name is logged once as a warning, later ones only at debug level.
  const first = !refusedHosts.has(host) && refusedHosts.size < 100;
  if (first) refusedHosts.add(host);
  const message = `refused a request for host "${host}": not a name this viewer serves (add it with --allowed-host)`;
  if (first) logger.warn(message, { host, client: request.socket.remoteAddress });
  else logger.debug(message, { host, client: request.socket.remoteAddress });
  send(
    response,
    403,
    `this viewer does not serve the host "${host}"; open it by its own address, or start it with --allowed-host\n`,
  );
}

/**
 * A report page with the viewer added, from the cache while neither the file
 * nor the live version changed; the cache keeps the most recently used pages.
 */
async function cachedPage(
  cache: Map<string, CachedHtml>,
  path: string,
  info: Stats,
  version: number,
  status: LiveStatus | undefined,
  changedMs: number,
): Promise<CachedHtml> {
  const fileKey = `${info.ino}-${info.size}-${info.mtimeMs}`;
  const cached = cache.get(path);
  if (cached && cached.fileKey === fileKey && cached.version === version) return cached;
  const html = await readFile(path, 'utf8');
  const body = Buffer.from(injectViewer(html, { live: status }));
  const entry: CachedHtml = {
    fileKey,
    version: version,
    body,
    etag: strongTag(body),
    modifiedMs: Math.max(info.mtimeMs, changedMs),
  };
  cache.delete(path);
  cache.set(path, entry);
  if (cache.size > HTML_CACHE_ENTRIES) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  return entry;
}

/** The answer for a path that names no file of the folder: an empty icon, the placeholder index page, 400 or 404. */
function answerUnresolved(
  response: ServerResponse,
  urlPath: string,
  refusal: string,
  status: LiveStatus | undefined,
): void {
  const bad = refusal === 'bad-request';
  // Browsers ask for an icon on their own; an empty answer keeps their consoles clean.
  if (!bad && urlPath === '/favicon.ico') {
    response.writeHead(204, { ...SECURITY_HEADERS, 'Cache-Control': 'max-age=86400' });
    response.end();
    return;
  }
  if (!bad && (urlPath === '/' || urlPath === `/${INDEX_FILENAME}`)) {
    send(response, 200, placeholderPage(status), CONTENT_TYPES['.html']);
    return;
  }
  send(response, bad ? 400 : 404, bad ? 'bad request\n' : 'not found\n');
}

/** What a new event-stream client is attached to. */
interface EventStream {
  readonly clients: Set<ServerResponse>;
  readonly maxClients: number;
  readonly heartbeatMs: number;
  /** Whether the server is closing (no new clients then). */
  readonly closing: boolean;
  /** The manifest event a new client gets first. */
  firstPayload(): Promise<string>;
  write(response: ServerResponse, payload: string): void;
}

/**
 * Attaches a client to the server-sent-events stream: 503 when full or
 * closing, then a heartbeat, and the current manifest as its first event.
 */
function openEventStream(request: IncomingMessage, response: ServerResponse, stream: EventStream): void {
  if (stream.clients.size >= stream.maxClients || stream.closing) {
    send(response, 503, 'too many event-stream clients\n', undefined, { 'Retry-After': 30 });
    return;
  }
  response.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  response.write('retry: 5000\n\n');
  stream.clients.add(response);
  const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), stream.heartbeatMs);
  heartbeat.unref();
  const forget = (): void => {
    clearInterval(heartbeat);
    stream.clients.delete(response);
  };
  request.on('close', forget);
  response.on('error', forget);
  void stream.firstPayload().then((payload) => {
    if (stream.clients.has(response)) stream.write(response, payload);
  });
}

/** Stops the server: idle connections at once, the others after `graceMs`. */
async function closeServer(server: Server, graceMs: number): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const force = setTimeout(() => server.closeAllConnections(), graceMs);
  force.unref();
  await closed;
  clearTimeout(force);
}

/** What a request passes before it is answered. */
interface RequestGate {
  readonly limiter: RateLimiter;
  /** Unset until the server listens. */
  readonly hostPolicy: HostPolicy | undefined;
  readonly auth: ViewerOptions['auth'];
  readonly refusedHosts: Set<string>;
  readonly logger: Logger;
}

/**
 * The path a request asks for once it passed the rate limit, the host check,
 * authentication and the method check; undefined when it was answered
 * (429, 403, 401, 405 or 400) instead.
 */
function admittedPath(
  request: IncomingMessage,
  response: ServerResponse,
  gate: RequestGate,
): string | undefined {
  const wait = gate.limiter.take(request.socket.remoteAddress ?? 'unknown');
  if (wait > 0) {
    send(response, 429, 'too many requests\n', undefined, { 'Retry-After': wait });
    return undefined;
  }
  if (gate.hostPolicy && !isHostAllowed(request.headers.host, gate.hostPolicy)) {
    refuseHost(request, response, gate.refusedHosts, gate.logger);
    return undefined;
  }
  if (gate.auth && !checkBasicAuth(request.headers.authorization, gate.auth)) {
    send(response, 401, 'authentication required\n', undefined, {
      'WWW-Authenticate': 'Basic realm="FinOps viewer", charset="UTF-8"',
    });
    return undefined;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    send(response, 405, 'method not allowed\n', undefined, { Allow: 'GET, HEAD' });
    return undefined;
  }
  try {
    return new URL(request.url ?? '/', 'http://viewer.invalid').pathname;
  } catch {
    send(response, 400, 'bad request\n');
    return undefined;
  }
}

/** A file of the report folder: report pages through \`pageOf\` (which adds the viewer), any other file streamed. */
async function serveFolderFile(
  request: IncomingMessage,
  response: ServerResponse,
  dir: string,
  urlPath: string,
  statusOf: () => LiveStatus | undefined,
  pageOf: (path: string, info: Stats) => Promise<CachedHtml>,
): Promise<void> {
  const resolved = await resolveRequestPath(dir, urlPath);
  if (!resolved.ok) {
    answerUnresolved(response, urlPath, resolved.refusal, statusOf());
    return;
  }
  const info = await stat(resolved.path).catch(() => undefined);
  if (!info?.isFile()) {
    send(response, 404, 'not found\n');
    return;
  }
  const type = CONTENT_TYPES[extname(resolved.path).toLowerCase()] ?? 'application/octet-stream';
  if (type === CONTENT_TYPES['.html']) {
    sendPage(request, response, await pageOf(resolved.path, info), type);
    return;
  }
  await streamFile(request, response, resolved.path, type);
}

/** The HTTP server: every request observed, answered by \`handle\`, a failure logged and answered 500; with the timeouts of the options. */
function httpServerOf(
  options: ViewerOptions,
  metrics: ViewerMetrics,
  logger: Logger,
  handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>,
): Server {
  const server = createServer((request, response) => {
    observeRequest(request, response, metrics, logger);
    handle(request, response).catch((error: unknown) => {
      logger.error(`request failed: ${error instanceof Error ? error.message : String(error)}`, {
        path: request.url?.split('?')[0],
      });
      if (!response.headersSent) send(response, 500, 'internal error\n');
      else response.destroy();
    });
  });
  server.requestTimeout = options.requestTimeoutMs ?? 30_000;
  server.headersTimeout = Math.min(options.headersTimeoutMs ?? 10_000, server.requestTimeout);
  server.keepAliveTimeout = 5_000;
  server.setTimeout(options.idleTimeoutMs ?? 120_000, (socket) => socket.destroy());
  return server;
}

/** Starts listening and resolves with the address once it is bound. */
async function listenOn(server: Server, port: number, host: string): Promise<AddressInfo> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server.address() as AddressInfo;
}

/** The folder's manifest, \`cached\` while its file is unchanged; undefined when there is none or it is not JSON. */
async function readManifest(
  dir: string,
  cached: ManifestSnapshot | undefined,
): Promise<ManifestSnapshot | undefined> {
  const path = join(dir, MANIFEST_FILENAME);
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  const fileKey = `${info.ino}-${info.size}-${info.mtimeMs}`;
  if (cached?.fileKey === fileKey) return cached;
  try {
    const manifest = JSON.parse(await readFile(path, 'utf8')) as ReportManifest;
    return { fileKey, manifest, key: manifestKey(manifest) };
  } catch {
    // A manifest that is not JSON is as good as none (files are written atomically, so it is not half-written).
    return undefined;
  }
}

/**
 * The viewer's HTTP server over a report folder: the index and report
 * pages (with the live script added), the shared assets,
 * `manifest.json`, `/health`, and a server-sent-events stream at
 * `/_viewer/events` announcing each new manifest. Only files inside the
 * folder are served, never a directory listing; every answer carries
 * security headers; optional basic authentication and a per-client rate
 * limit come before anything else.
 */
export function createViewerServer(options: ViewerOptions): ViewerServer {
  const live = options.live;
  const limiter = new RateLimiter(options.rateLimit ?? { perSecond: 200, burst: 1000 });
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const maxEventClients = options.maxEventClients ?? 256;
  const startedAt = Date.now();
  const htmlCache = new Map<string, CachedHtml>();
  const eventClients = new Set<ServerResponse>();
  let liveVersion = 0;
  let liveChangedMs = Date.now();
  let manifestSnapshot: ManifestSnapshot | undefined;
  let announcedKey: string | undefined;
  let eventId = 0;
  let closing = false;
  let hostPolicy: HostPolicy | undefined;
  const refusedHosts = new Set<string>();
  const logger = options.logger ?? createLogger({ level: 'error', sink: () => undefined });
  const metrics = new ViewerMetrics(live, () => eventClients.size);

  const scriptTag = strongTag(LIVE_JS);
  const styleTag = strongTag(LIVE_CSS);

  async function currentManifest(): Promise<ManifestSnapshot | undefined> {
    const snapshot = await readManifest(options.dir, manifestSnapshot);
    if (snapshot) manifestSnapshot = snapshot;
    return snapshot;
  }

  function liveStatus(): LiveStatus | undefined {
    return live?.status();
  }

  function writeEvent(response: ServerResponse, payload: string): void {
    eventId++;
    response.write(`id: ${eventId}\nevent: manifest\ndata: ${payload}\n\n`);
  }

  function payloadOf(snapshot: ManifestSnapshot | undefined): string {
    return JSON.stringify({
      key: snapshot?.key ?? null,
      manifest: snapshot?.manifest ?? null,
      live: liveStatus() ?? null,
    });
  }

  async function announce(): Promise<void> {
    const snapshot = await currentManifest();
    const key = snapshot?.key;
    if (key === announcedKey) return;
    announcedKey = key;
    const payload = payloadOf(snapshot);
    for (const client of eventClients) writeEvent(client, payload);
  }

  async function health(response: ServerResponse): Promise<void> {
    const manifest = (await currentManifest())?.manifest;
    send(
      response,
      manifest ? 200 : 503,
      `${JSON.stringify(healthBody(manifest, liveStatus(), startedAt), null, 2)}\n`,
      'application/json; charset=utf-8',
    );
  }

  function events(request: IncomingMessage, response: ServerResponse): void {
    openEventStream(request, response, {
      clients: eventClients,
      maxClients: maxEventClients,
      heartbeatMs,
      closing,
      firstPayload: async () => payloadOf(await currentManifest()),
      write: writeEvent,
    });
  }

  function htmlBody(path: string, info: Stats): Promise<CachedHtml> {
    return cachedPage(htmlCache, path, info, liveVersion, liveStatus(), live ? liveChangedMs : 0);
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const pathname = admittedPath(request, response, {
      limiter,
      hostPolicy,
      auth: options.auth,
      refusedHosts,
      logger,
    });
    if (pathname === undefined) return;
    if (pathname === '/health') return health(response);
    if (pathname === '/metrics') {
      send(response, 200, await metrics.text(), PROMETHEUS_CONTENT_TYPE);
      return;
    }
    if (pathname.startsWith(VIEWER_PREFIX)) {
      if (pathname === LIVE_SCRIPT_PATH)
        return sendOwnFile(request, response, LIVE_JS, scriptTag, CONTENT_TYPES['.js'] as string, startedAt);
      if (pathname === LIVE_STYLE_PATH)
        return sendOwnFile(request, response, LIVE_CSS, styleTag, CONTENT_TYPES['.css'] as string, startedAt);
      if (pathname === EVENTS_PATH) return events(request, response);
      send(response, 404, 'not found\n');
      return;
    }
    return serveFolderFile(
      request,
      response,
      options.dir,
      request.url?.split('?')[0] ?? '/',
      liveStatus,
      htmlBody,
    );
  }

  const server = httpServerOf(options, metrics, logger, handle);

  const onUpdate = (): void => {
    liveVersion++;
    liveChangedMs = Date.now();
    void announce();
  };
  live?.on('update', onUpdate);
  const manifestTimer = setInterval(() => void announce(), options.manifestPollMs ?? 1000);
  manifestTimer.unref();

  return {
    server,
    get eventClients() {
      return eventClients.size;
    },
    metrics,
    announce,
    async listen(port: number, host: string): Promise<AddressInfo> {
      announcedKey = (await currentManifest())?.key;
      const address = await listenOn(server, port, host);
      hostPolicy = allowedHostsFor(host, address.port, options.allowedHosts);
      return address;
    },
    async close(graceMs = 3000): Promise<void> {
      closing = true;
      clearInterval(manifestTimer);
      live?.off('update', onUpdate);
      metrics.detach();
      for (const client of eventClients) client.end();
      eventClients.clear();
      await closeServer(server, graceMs);
    },
  };
}
