/// <reference lib="dom" />
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { startViewer, type RunningViewer } from '../src/app';
import { append, csvRows, documentBuilder, tempDir, writeLog } from './support/fixtures';
import { ANALYSES } from '@finops/analyzers';

jest.setTimeout(60_000);

let dir: string;
let viewer: RunningViewer;
let browser: Browser;
let origin: string;
let logPath: string;

beforeAll(async () => {
  dir = await tempDir('finops-viewer-browser-');
  logPath = join(dir, 'calls.csv');
  await writeLog(logPath, 200);
  viewer = await startViewer(
    {
      host: '127.0.0.1',
      port: 0,
      dir: join(dir, 'reports'),
      watch: logPath,
      watchDisplay: 'calls.csv',
      targetBytes: 200_000,
      debounceMs: 20,
      rateLimit: 200,
      rateBurst: 1000,
    },
    () => undefined,
    documentBuilder(),
  );
  origin = viewer.url.replace(/\/$/, '');
  await viewer.live?.start();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
});
afterAll(async () => {
  await browser?.close();
  await viewer?.close();
  await rm(dir, { recursive: true, force: true });
});

interface Watched {
  page: Page;
  problems: string[];
}

/** A page that records console errors, page errors, CSP violations and requests leaving the server. */
async function openPage(): Promise<Watched> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('request', (request) => {
    if (!request.url().startsWith(origin)) problems.push(`outside request: ${request.url()}`);
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return { page, problems };
}

describe('in a browser', () => {
  it('lists every report and updates the index live', async () => {
    const { page, problems } = await openPage();
    const response = await page.goto(`${origin}/`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(await page.locator('li.report-card[data-report-id]').count()).toBe(ANALYSES.length);
    expect(await page.locator('#viewer-updated-ago').textContent()).toBe('less than a minute ago');
    expect(await page.locator('#viewer-progress-calls').textContent()).toBe('200');
    // The stream is open before the update, so it is the push that brings it.
    await page.waitForFunction(
      () => (window as unknown as { __finopsViewerLive?: boolean }).__finopsViewerLive,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    await append(logPath, csvRows(200, 450));
    await page.waitForFunction(
      () => document.getElementById('update-notice')?.textContent?.includes('Reports updated') ?? false,
      undefined,
      { timeout: 15_000 },
    );
    expect(await page.locator('#update-notice').textContent()).toBe('Reports updated: 450 rows (+250 new).');
    expect(await page.locator('#dataset-rows-read').textContent()).toBe('450');
    expect(await page.locator('#viewer-progress-calls').textContent()).toBe('450');
    expect(await page.locator('li.report-card[data-report-id]').count()).toBe(ANALYSES.length);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("draws a report page's charts under the policy and offers a reload when a newer version exists", async () => {
    const { page, problems } = await openPage();
    await page.goto(`${origin}/understanding.html`);
    const canvases = page.locator('canvas[role="img"]');
    const count = await canvases.count();
    expect(count).toBeGreaterThan(0);
    await page.waitForFunction(
      (expected) => {
        const chart = (window as unknown as { Chart?: { getChart(canvas: HTMLCanvasElement): unknown } })
          .Chart;
        const all = Array.from(document.querySelectorAll('canvas[role="img"]')) as HTMLCanvasElement[];
        return (
          chart !== undefined && all.length === expected && all.every((canvas) => chart.getChart(canvas))
        );
      },
      count,
      { timeout: 15_000 },
    );
    expect(await page.locator('.chart-failed').count()).toBe(0);
    // Something was drawn: the first canvas is not blank.
    const painted = await page.evaluate(() => {
      const canvas = document.querySelector('canvas[role="img"]') as HTMLCanvasElement;
      const pixels = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
      return Array.prototype.some.call(pixels, (value: number) => value !== 0);
    });
    expect(painted).toBe(true);
    await page.waitForFunction(
      () => (window as unknown as { __finopsViewerLive?: boolean }).__finopsViewerLive,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    await append(logPath, csvRows(450, 500));
    await page.waitForSelector('#viewer-reload', { timeout: 15_000 });
    expect(await page.locator('#viewer-reload').textContent()).toContain(
      'A newer version of this report is available',
    );
    await Promise.all([page.waitForEvent('load'), page.click('#viewer-reload button')]);
    expect(await page.locator('#viewer-reload').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });
});
