/// <reference lib="dom" />
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { runCli } from '../src/cli';
import { captureOutput } from './helpers';
import { ANALYSES } from '@finops/analyzers';

jest.setTimeout(60_000);

const SUB_PATH = '/finops-reports-site/';
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

let folder: string;
let server: Server;
let origin: string;
let browser: Browser;

/**
 * A plain static host, as GitHub Pages serves a project site: files under a
 * sub-path, nothing else, and the strict policy the pages are meant to meet.
 */
function staticHost(root: string): Server {
  return createServer((request, response) => {
    const path = decodeURIComponent((request.url ?? '/').split('?')[0] ?? '/');
    // The browser asks the origin for an icon on its own; that is the host's, not the site's.
    if (path === '/favicon.ico') {
      response.writeHead(204).end();
      return;
    }
    if (!path.startsWith(SUB_PATH)) {
      response.writeHead(404).end();
      return;
    }
    const relative = normalize(path.slice(SUB_PATH.length) || 'index.html').replace(/^(\.\.[/\\])+/, '');
    const file = join(root, relative.endsWith('/') ? `${relative}index.html` : relative);
    stat(file).then(
      (info) => {
        if (!info.isFile()) throw new Error('not a file');
        response.writeHead(200, {
          'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
          'Content-Security-Policy':
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:",
        });
        createReadStream(file).pipe(response);
      },
      () => response.writeHead(404).end(),
    );
  });
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'finops-cli-publish-browser-'));
  const log = join(folder, 'calls.csv');
  const simulate = ['simulate', '--customers', '8', '--days', '5', '--start', '2025-10-01', '--seed', '4'];
  expect(await runCli([...simulate, '--out', log, '-q'], captureOutput())).toBe(0);
  expect(await runCli(['publish', log, '--out', join(folder, 'site'), '-q'], captureOutput())).toBe(0);
  server = staticHost(join(folder, 'site'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
});
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await rm(folder, { recursive: true, force: true });
});

// The published site on a static host under a sub-path: every page and file loads from it, charts draw, nothing else is asked for.
describe('a published site on a static host', () => {
  it('works under a sub-path: every link resolves there, charts draw, no request leaves the site', async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));

    await page.goto(`${origin}${SUB_PATH}`);
    const reports = await page.$$eval('a', (links) =>
      links.map((link) => link.getAttribute('href') ?? '').filter((href) => /^[\w-]+\.html$/.test(href)),
    );
    expect(new Set(reports).size).toBe(ANALYSES.length);
    const manifest = await page.evaluate(
      async () => (await (await fetch('manifest.json')).json()) as unknown,
    );
    expect((manifest as { reports: unknown[] }).reports).toHaveLength(ANALYSES.length);

    await page.click('a[href="understanding.html"]');
    await page.waitForLoadState('load');
    expect(page.url()).toBe(`${origin}${SUB_PATH}understanding.html`);
    const charts = await page.$$eval('canvas', (canvases) =>
      canvases.map((canvas) => (canvas as HTMLCanvasElement).width > 0),
    );
    expect(charts.length).toBeGreaterThan(0);
    expect(charts.every(Boolean)).toBe(true);
    await page.click('a.site-nav__home');
    await page.waitForLoadState('load');
    expect(page.url()).toBe(`${origin}${SUB_PATH}index.html`);

    expect(problems).toEqual([]);
    expect(requests.length).toBeGreaterThan(3);
    for (const url of requests) expect(url.startsWith(`${origin}${SUB_PATH}`)).toBe(true);
    expect(requests.some((url) => url.includes('_viewer'))).toBe(false);
    await page.close();
  });
});
