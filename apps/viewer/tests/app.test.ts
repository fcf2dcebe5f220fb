import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReportManifest } from '@finops/schema';
import { startViewer, type RunningViewer } from '../src/app';
import type { ViewerConfig } from '../src/config';
import { append, csvRows, documentBuilder, eventually, tempDir, writeLog } from './support/fixtures';
import { ANALYSES } from '@finops/analyzers';

let dir: string;
let viewer: RunningViewer | undefined;
const lines: string[] = [];

beforeEach(async () => {
  dir = await tempDir('finops-viewer-app-');
  lines.length = 0;
});
afterEach(async () => {
  await viewer?.close();
  viewer = undefined;
  await rm(dir, { recursive: true, force: true });
});

function config(overrides: Partial<ViewerConfig> = {}): ViewerConfig {
  return {
    host: '127.0.0.1',
    port: 0,
    dir: join(dir, 'reports'),
    debounceMs: 20,
    rateLimit: 0,
    rateBurst: 1,
    ...overrides,
  };
}

async function readEvents(url: string, onEvent: (data: { manifest: ReportManifest | null }) => boolean) {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let match: RegExpExecArray | null;
      while ((match = /event: manifest\ndata: (.*)\n\n/.exec(buffer))) {
        buffer = buffer.slice(match.index + match[0].length);
        if (onEvent(JSON.parse(match[1] ?? 'null') as { manifest: ReportManifest | null })) return;
      }
    }
  } finally {
    controller.abort();
  }
}

describe('startViewer', () => {
  it('serves live reports, with progress toward the target and an announcement per update', async () => {
    const logPath = join(dir, 'calls.csv');
    await writeLog(logPath, 40);
    const size = (await stat(logPath)).size;
    viewer = await startViewer(
      config({ watch: logPath, watchDisplay: 'calls.csv', targetBytes: size * 2 }),
      (line) => lines.push(line),
      documentBuilder(),
    );
    const origin = viewer.url.replace(/\/$/, '');
    expect(lines[0]).toBe(`viewer: serving ${join(dir, 'reports')} at ${viewer.url}`);
    expect(lines).toContain('viewer: watching calls.csv');
    const health = await eventually(
      async () => {
        const response = await fetch(`${origin}/health`);
        const body = (await response.json()) as { status: string; live: { rowsRead: number } };
        return body.status === 'ok' ? body : undefined;
      },
      10_000,
      'the first reports',
    );
    expect(health).toMatchObject({
      status: 'ok',
      reports: ANALYSES.length,
      live_mode: true,
      data_file: { path: 'calls.csv', bytes: size, rows: 40 },
      live: { state: 'ready', targetBytes: size * 2, percent: 50, fullAnalyses: 1 },
    });
    expect((health as unknown as { last_analysis: string }).last_analysis).toMatch(/^\d{4}-\d\d-\d\dT/);
    const index = await (await fetch(`${origin}/`)).text();
    expect(index).toContain('<strong id="viewer-progress-percent">50.0%</strong>');
    expect(index).toContain('<strong id="viewer-progress-calls">40</strong>');

    const seen: number[] = [];
    const streamed = readEvents(`${origin}/_viewer/events`, (event) => {
      seen.push(event.manifest?.data_file.rows_read ?? -1);
      return seen.includes(60);
    });
    await eventually(() => (viewer?.server.eventClients === 1 ? true : undefined), 5000, 'the client');
    await append(logPath, csvRows(40, 60));
    await streamed;
    expect(seen).toEqual([40, 60]);
    const manifest = (await (await fetch(`${origin}/manifest.json`)).json()) as ReportManifest;
    expect(manifest.data_file.rows_read).toBe(60);
    const after = await (await fetch(`${origin}/`)).text();
    expect(after).toContain('<strong id="viewer-progress-calls">60</strong>');
    expect(
      lines.some((line) => /^viewer: append: 60 rows, read [\d,]+ bytes, reports written/.test(line)),
    ).toBe(true);
  });

  it('shows a placeholder until the log exists', async () => {
    const logPath = join(dir, 'later.csv');
    viewer = await startViewer(config({ watch: logPath }), (line) => lines.push(line), documentBuilder());
    const origin = viewer.url.replace(/\/$/, '');
    const html = await (await fetch(`${origin}/`)).text();
    expect(html).toContain('Preparing the reports');
    const health = await fetch(`${origin}/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'starting', live_mode: true });
    await writeLog(logPath, 5);
    await eventually(
      async () => ((await fetch(`${origin}/manifest.json`)).ok ? true : undefined),
      10_000,
      'reports',
    );
  });

  it('refuses a report folder that does not exist, without --watch', async () => {
    await expect(startViewer(config({ dir: join(dir, 'missing') }), () => undefined)).rejects.toThrow(
      /no report folder/,
    );
  });

  it('warns when bound beyond loopback', async () => {
    await writeLog(join(dir, 'x.csv'), 1);
    viewer = await startViewer(config({ host: '0.0.0.0', dir, auth: { user: 'a', password: 'b' } }), (line) =>
      lines.push(line),
    );
    expect(lines.some((line) => line.includes('is not a loopback address'))).toBe(true);
    expect(lines).toContain('viewer: basic authentication is on');
  });
});
