import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname } from 'node:path';
import { resolveRequestPath } from './safe-path';

/** Options of {@link createViewerServer}. */
export interface ViewerOptions {
  /** The report folder to serve. */
  dir: string;
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

/** Headers sent with every answer: pages may use only their own scripts and styles, and no frame may hold them. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

function send(
  response: ServerResponse,
  status: number,
  body: string,
  type = 'text/plain; charset=utf-8',
): void {
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
  });
  response.end(body);
}

async function handle(
  options: ViewerOptions,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    send(response, 405, 'method not allowed\n');
    return;
  }
  const url = new URL(request.url ?? '/', 'http://viewer.invalid');
  const resolved = await resolveRequestPath(options.dir, url.pathname);
  if (!resolved.ok) {
    send(
      response,
      resolved.refusal === 'bad-request' ? 400 : 404,
      resolved.refusal === 'bad-request' ? 'bad request\n' : 'not found\n',
    );
    return;
  }
  const info = await stat(resolved.path).catch(() => undefined);
  if (!info?.isFile()) {
    send(response, 404, 'not found\n');
    return;
  }
  const etag = `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
  const headers = {
    ...SECURITY_HEADERS,
    'Content-Type': CONTENT_TYPES[extname(resolved.path).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': info.size,
    'Last-Modified': info.mtime.toUTCString(),
    ETag: etag,
    'Cache-Control': 'no-cache',
  };
  const modifiedSince = request.headers['if-modified-since'];
  if (
    request.headers['if-none-match'] === etag ||
    (request.headers['if-none-match'] === undefined &&
      modifiedSince !== undefined &&
      Math.floor(info.mtimeMs / 1000) <= Math.floor(Date.parse(modifiedSince) / 1000))
  ) {
    response.writeHead(304, { ...SECURITY_HEADERS, ETag: etag, 'Last-Modified': headers['Last-Modified'] });
    response.end();
    return;
  }
  response.writeHead(200, headers);
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  createReadStream(resolved.path)
    .on('error', () => response.destroy())
    .pipe(response);
}

/** An HTTP server for a report folder: files inside it only, with security headers and conditional GET. */
export function createViewerServer(options: ViewerOptions): Server {
  return createServer((request, response) => {
    handle(options, request, response).catch(() => {
      if (!response.headersSent) send(response, 500, 'internal error\n');
      else response.destroy();
    });
  });
}
