import { mkdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import type { ReportManifest } from '@finops/schema';
import { createViewerServer, manifestKey, type ViewerServer } from '../src/server';
import { eventually, renderFolder, tempDir, writeLog } from './support/fixtures';
import { ANALYSES } from '@finops/analyzers';

let base: string;
let root: string;
let logPath: string;
let viewer: ViewerServer;
let origin: string;

async function start(options: Partial<Parameters<typeof createViewerServer>[0]> = {}) {
  const server = createViewerServer({ dir: root, ...options });
  const address = await server.listen(0, '127.0.0.1');
  return { server, origin: `http://127.0.0.1:${address.port}` };
}

beforeAll(async () => {
  base = await tempDir('finops-viewer-server-');
  root = join(base, 'reports');
  logPath = join(base, 'calls.csv');
  await writeLog(logPath, 120);
  await renderFolder(logPath, root);
  await writeFile(join(base, 'secret.txt'), 'secret');
  await symlink(join(base, 'secret.txt'), join(root, 'leak.txt'));
  ({ server: viewer, origin } = await start({ manifestPollMs: 50 }));
});
afterAll(async () => {
  await viewer.close();
  await rm(base, { recursive: true, force: true });
});

/** A GET whose path goes on the wire exactly as given. */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: url.hostname, port: url.port, path, method: 'GET' }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

function expectSecurityHeaders(response: Response): void {
  const csp = response.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain('unsafe-inline');
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(response.headers.get('x-frame-options')).toBe('DENY');
  expect(response.headers.get('referrer-policy')).toBe('no-referrer');
}

describe('routes', () => {
  it('serves the index with the live script and stylesheet added, and security headers', async () => {
    for (const path of ['/', '/index.html']) {
      const response = await fetch(`${origin}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expectSecurityHeaders(response);
      const html = await response.text();
      expect(html).toContain('<script src="/_viewer/live.js" defer></script>');
      expect(html).toContain('<link rel="stylesheet" href="/_viewer/live.css">');
      expect(html).toContain('id="viewer-updated-ago"');
      expect(html.match(/data-report-id="/g)).toHaveLength(ANALYSES.length);
      expect(Number(response.headers.get('content-length'))).toBe(Buffer.byteLength(html));
    }
  });

  it('serves every report page, the assets and the manifest', async () => {
    const manifest = (await (await fetch(`${origin}/manifest.json`)).json()) as ReportManifest;
    expect(manifest.reports).toHaveLength(ANALYSES.length);
    for (const report of manifest.reports) {
      const response = await fetch(`${origin}/${report.filename}`);
      expect(response.status).toBe(200);
      expectSecurityHeaders(response);
      const html = await response.text();
      expect(html).toContain(`data-report-id="${report.id}"`);
      expect(html).toContain('/_viewer/live.js');
    }
    for (const [asset, type] of [
      ['assets/report.css', 'text/css; charset=utf-8'],
      ['assets/report.js', 'text/javascript; charset=utf-8'],
      ['assets/chart.umd.js', 'text/javascript; charset=utf-8'],
    ] as const) {
      const response = await fetch(`${origin}/${asset}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(type);
      expectSecurityHeaders(response);
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(100);
    }
    const response = await fetch(`${origin}/manifest.json`);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });

  it('serves its own script and stylesheet, and nothing else under /_viewer/', async () => {
    const script = await fetch(`${origin}/_viewer/live.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toContain("new EventSource('/_viewer/events')");
    const style = await fetch(`${origin}/_viewer/live.css`);
    expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await fetch(`${origin}/_viewer/other.js`)).status).toBe(404);
  });

  it('reports health: status, reports, data file, last analysis, live mode', async () => {
    const response = await fetch(`${origin}/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expectSecurityHeaders(response);
    const health = (await response.json()) as Record<string, unknown>;
    expect(health).toMatchObject({
      status: 'ok',
      reports: ANALYSES.length,
      generated_at: '2025-11-01T10:00:00Z',
      last_analysis: '2025-11-01T10:00:00Z',
      live_mode: false,
      live: null,
      data_file: { path: logPath, rows: 120, rows_kept: 120, rows_rejected: 0 },
    });
    expect((health['data_file'] as { bytes: number }).bytes).toBeGreaterThan(1000);
  });

  it('answers HEAD without a body and conditional GETs with 304', async () => {
    for (const path of ['/manifest.json', '/', '/_viewer/live.js', '/assets/report.css']) {
      const full = await fetch(`${origin}${path}`);
      const length = (await full.arrayBuffer()).byteLength;
      const head = await fetch(`${origin}${path}`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(Number(head.headers.get('content-length'))).toBe(length);
      expect((await head.arrayBuffer()).byteLength).toBe(0);
      const etag = head.headers.get('etag') ?? '';
      expect(etag).toMatch(/^".+"$/);
      const byTag = await fetch(`${origin}${path}`, { headers: { 'If-None-Match': etag } });
      expect(byTag.status).toBe(304);
      expect(byTag.headers.get('x-content-type-options')).toBe('nosniff');
      const lastModified = head.headers.get('last-modified') ?? '';
      const byDate = await fetch(`${origin}${path}`, { headers: { 'If-Modified-Since': lastModified } });
      expect(byDate.status).toBe(304);
      const stale = await fetch(`${origin}${path}`, { headers: { 'If-None-Match': '"other"' } });
      expect(stale.status).toBe(200);
    }
  });

  it("answers the browser's icon request with no content", async () => {
    const response = await fetch(`${origin}/favicon.ico`);
    expect(response.status).toBe(204);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
  });

  it('refuses other methods', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const response = await fetch(`${origin}/`, { method });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD');
    }
  });
});

describe('path safety', () => {
  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E%2Fsecret.txt',
    '/%252e%252e/secret.txt',
    '/%252e%252e%252fsecret.txt',
    '/..%5csecret.txt',
    '/..%255csecret.txt',
    '/assets\\..\\..\\secret.txt',
    '/index.html%00.png',
    '/leak.txt',
    '/%E0%A4%A',
  ])('never serves a file outside the folder for %s', async (attempt) => {
    const response = await fetch(`${origin}${attempt}`);
    expect([400, 404]).toContain(response.status);
    expect(await response.text()).not.toContain('secret');
    expectSecurityHeaders(response);
  });

  it.each(['/../secret.txt', '/assets/../../secret.txt', '/./../secret.txt', '//../secret.txt'])(
    'refuses %s sent verbatim (no client-side normalising)',
    async (attempt) => {
      const { status, body } = await rawGet(attempt);
      expect([400, 404]).toContain(status);
      expect(body).not.toContain('secret');
    },
  );

  it('lists no folder', async () => {
    for (const path of ['/assets', '/assets/', '/nothing.html', '/nothing/']) {
      const response = await fetch(`${origin}${path}`);
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain('report.css');
    }
  });
});

describe('event stream', () => {
  it('announces the current manifest, then each new one', async () => {
    const controller = new AbortController();
    const response = await fetch(`${origin}/_viewer/events`, { signal: controller.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expectSecurityHeaders(response);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    const nextEvent = async (): Promise<{ key: string; manifest: ReportManifest }> => {
      for (;;) {
        const match = /event: manifest\ndata: (.*)\n\n/.exec(buffer);
        if (match?.[1]) {
          buffer = buffer.slice((match.index ?? 0) + match[0].length);
          return JSON.parse(match[1]) as { key: string; manifest: ReportManifest };
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buffer += decoder.decode(value, { stream: true });
      }
    };
    const first = await nextEvent();
    expect(first.manifest.generated_at).toBe('2025-11-01T10:00:00Z');
    expect(first.key).toBe(manifestKey(first.manifest));
    await eventually(() => (viewer.eventClients === 1 ? true : undefined), 5000, 'the client');
    // Someone else (the CLI) writes new reports into the folder: the manifest watcher notices.
    await renderFolder(logPath, root, '2025-11-02T08:30:00Z');
    const second = await nextEvent();
    expect(second.manifest.generated_at).toBe('2025-11-02T08:30:00Z');
    controller.abort();
    await eventually(() => (viewer.eventClients === 0 ? true : undefined), 5000, 'the client to leave');
    await renderFolder(logPath, root, '2025-11-01T10:00:00Z');
  });

  it('answers HEAD on the stream without keeping it open', async () => {
    const response = await fetch(`${origin}/_viewer/events`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
  });

  it('turns clients away beyond its limit', async () => {
    const { server, origin: limited } = await start({ maxEventClients: 0 });
    try {
      const response = await fetch(`${limited}/_viewer/events`);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('30');
    } finally {
      await server.close();
    }
  });
});

describe('authentication', () => {
  it('is off unless credentials are given', async () => {
    expect((await fetch(`${origin}/`)).status).toBe(200);
  });

  it('asks for the credentials on every route when on', async () => {
    const { server, origin: guarded } = await start({ auth: { user: 'ana', password: 's3cret:x' } });
    const basic = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;
    try {
      for (const path of ['/', '/manifest.json', '/health', '/_viewer/live.js', '/_viewer/events']) {
        const response = await fetch(`${guarded}${path}`, { method: 'HEAD' });
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toBe('Basic realm="FinOps viewer", charset="UTF-8"');
        expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
      }
      for (const wrong of ['ana:s3cret', 'ANA:s3cret:x', 'ana', ':', 'bob:s3cret:x']) {
        const response = await fetch(`${guarded}/`, { headers: { Authorization: basic(wrong) } });
        expect(response.status).toBe(401);
      }
      expect((await fetch(`${guarded}/`, { headers: { Authorization: 'Bearer x' } })).status).toBe(401);
      const ok = await fetch(`${guarded}/`, { headers: { Authorization: basic('ana:s3cret:x') } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('data-report-id');
    } finally {
      await server.close();
    }
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After once a client has used its burst', async () => {
    const { server, origin: limited } = await start({ rateLimit: { perSecond: 1, burst: 3 } });
    try {
      const statuses: number[] = [];
      for (let index = 0; index < 5; index++) {
        const response = await fetch(`${limited}/manifest.json`);
        await response.arrayBuffer();
        statuses.push(response.status);
        if (response.status === 429) {
          expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
          expect(response.headers.get('x-frame-options')).toBe('DENY');
        }
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
    } finally {
      await server.close();
    }
  });
});

describe('an empty folder', () => {
  it('shows a placeholder index and reports that there is nothing to serve', async () => {
    const empty = join(base, 'empty');
    await mkdir(empty);
    const { server, origin: bare } = await start({ dir: empty });
    try {
      const index = await fetch(`${bare}/`);
      expect(index.status).toBe(200);
      const html = await index.text();
      expect(html).toContain('There are no reports in this folder yet.');
      expect(html).toContain('/_viewer/live.js');
      const health = await fetch(`${bare}/health`);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ status: 'no-reports', reports: 0, data_file: null });
      expect((await fetch(`${bare}/manifest.json`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});

describe('timeouts and shutdown', () => {
  it('bounds request and idle times', () => {
    expect(viewer.server.requestTimeout).toBe(30_000);
    expect(viewer.server.headersTimeout).toBe(10_000);
    expect(viewer.server.timeout).toBe(120_000);
  });

  it('closes with an event stream open', async () => {
    const { server, origin: closing } = await start();
    const response = await fetch(`${closing}/_viewer/events`);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    await server.close(500);
    expect(server.server.listening).toBe(false);
    for (;;) if ((await reader.read()).done) break;
  });
});

describe('a file replaced while it is served', () => {
  // Live updates rename a new manifest over the old one while clients read it.
  it('is served whole: its length, tag and bytes come from one version', async () => {
    const path = join(root, 'swapped.json');
    const versions = [JSON.stringify({ rows: 1 }), JSON.stringify({ rows: 2, padding: 'x'.repeat(20_000) })];
    await writeFile(path, versions[0] ?? '');
    let writing = true;
    const writer = (async () => {
      for (let index = 0; writing; index++) {
        await writeFile(`${path}.tmp`, versions[index % 2] ?? '');
        await rename(`${path}.tmp`, path);
      }
    })();
    try {
      for (let index = 0; index < 300; index++) {
        const response = await fetch(`${origin}/swapped.json`);
        const text = await response.text();
        expect(versions).toContain(text);
        expect(Number(response.headers.get('content-length'))).toBe(Buffer.byteLength(text));
      }
    } finally {
      writing = false;
      await writer;
      await rm(path, { force: true });
    }
  });
});
