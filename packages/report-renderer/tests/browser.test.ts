/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { renderReports } from '../src';
import {
  dataset,
  executiveSummary,
  hostile,
  HOSTILE_ID,
  REPORTS,
  standardDocuments,
  summaryAction,
} from './fixtures';

/** Actions with hostile titles and a long unbroken name, the first linked to a section of its page. */
const SUMMARY = executiveSummary(
  [
    summaryAction('optimization', hostile('Switch models'), 1_234_567.89, hostile('Customers')),
    summaryAction('profitability', `Reprice ${'customer_with_a_very_long_unbroken_name_'.repeat(3)}`, 900),
    summaryAction('realtime', 'Contact the customers at risk', 450.5),
    summaryAction('tokens', 'Trim oversized prompts', 12),
  ],
  REPORTS.map((report) => report.id),
  3,
);

// Debian's Chromium; the tests never download a browser.
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

jest.setTimeout(120_000);

interface PageVisit {
  failedRequests: string[];
  blockedRequests: string[];
  consoleErrors: string[];
  dialogs: string[];
}

async function visit(page: Page, url: string): Promise<PageVisit> {
  const result: PageVisit = { failedRequests: [], blockedRequests: [], consoleErrors: [], dialogs: [] };
  page.on('requestfailed', (request) =>
    result.failedRequests.push(`${request.url()}: ${request.failure()?.errorText}`),
  );
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') result.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => result.consoleErrors.push(error.message));
  page.on('dialog', (dialog) => {
    result.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.route('**/*', (route) => {
    const requested = route.request().url();
    if (requested.startsWith('file://')) return route.continue();
    result.blockedRequests.push(requested);
    return route.abort();
  });
  await page.goto(url, { waitUntil: 'load' });
  return result;
}

/** For each canvas: its id and how many of its pixels are not transparent. */
function drawnPixels(page: Page): Promise<{ id: string; width: number; painted: number }[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('canvas')).map((canvas) => {
      const context = canvas.getContext('2d');
      const pixels = context
        ? context.getImageData(0, 0, canvas.width, canvas.height).data
        : new Uint8ClampedArray();
      let painted = 0;
      for (let alpha = 3; alpha < pixels.length; alpha += 4) if (pixels[alpha] !== 0) painted++;
      return { id: canvas.id, width: canvas.width, painted };
    }),
  );
}

describe('report pages in headless Chromium, from file:// with the network blocked', () => {
  let browser: Browser;
  let outDir: string;

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'report-browser-'));
    await renderReports(standardDocuments(true), {
      outDir,
      dataset: dataset(HOSTILE_ID),
      generatedAt: '2025-02-01T08:30:00Z',
      summary: SUMMARY,
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    await rm(outDir, { recursive: true, force: true });
  });

  it.each(REPORTS.map((report) => report.id))(
    '%s.html loads cleanly, draws every chart and shows hostile values as text only',
    async (id) => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      try {
        const result = await visit(page, pathToFileURL(join(outDir, `${id}.html`)).href);
        expect(result.failedRequests).toEqual([]);
        expect(result.blockedRequests).toEqual([]);
        expect(result.consoleErrors).toEqual([]);
        expect(result.dialogs).toEqual([]);
        const canvases = await drawnPixels(page);
        expect(canvases).toHaveLength(6);
        for (const canvas of canvases) {
          expect(canvas.width).toBeGreaterThan(0);
          expect(canvas.painted).toBeGreaterThan(100);
        }
        const state = await page.evaluate(
          (hostileId) => ({
            scripts: Array.from(document.scripts).map((script) => script.type || script.src),
            heading: document.querySelector('.purpose')?.textContent ?? '',
            cellsWithHostileId: Array.from(document.querySelectorAll('td')).filter(
              (cell) => cell.textContent === hostileId,
            ).length,
            boldElements: document.querySelectorAll('b').length,
            chartClassOnRoot: document.documentElement.classList.contains('js'),
          }),
          HOSTILE_ID,
        );
        expect(state.scripts.filter((type) => type !== 'application/json')).toEqual([
          expect.stringMatching(/\/assets\/chart\.umd\.js$/),
          expect.stringMatching(/\/assets\/report\.js$/),
        ]);
        expect(state.heading).toContain(HOSTILE_ID);
        expect(state.cellsWithHostileId).toBeGreaterThanOrEqual(2);
        expect(state.boldElements).toBe(0);
        expect(state.chartClassOnRoot).toBe(true);
      } finally {
        await page.close();
      }
    },
  );

  it('index.html loads cleanly and shows the hostile path as text', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      const result = await visit(page, pathToFileURL(join(outDir, 'index.html')).href);
      expect(result.failedRequests).toEqual([]);
      expect(result.consoleErrors).toEqual([]);
      expect(result.dialogs).toEqual([]);
      const state = await page.evaluate(() => ({
        path: document.getElementById('dataset-path')?.textContent,
        links: Array.from(document.querySelectorAll('.report-card a')).map((link) =>
          link.getAttribute('href'),
        ),
        overflow: document.documentElement.scrollWidth - window.innerWidth,
      }));
      expect(state.path).toBe(HOSTILE_ID);
      expect(state.links).toEqual(REPORTS.map((report) => `${report.id}.html`));
      expect(state.overflow).toBeLessThanOrEqual(0);
    } finally {
      await page.close();
    }
  });

  it('draws the charts in dark mode too, and a phone-width page does not scroll sideways', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
    try {
      const result = await visit(page, pathToFileURL(join(outDir, 'understanding.html')).href);
      expect(result.consoleErrors).toEqual([]);
      const canvases = await drawnPixels(page);
      expect(canvases.every((canvas) => canvas.painted > 100)).toBe(true);
      const state = await page.evaluate(() => ({
        background: getComputedStyle(document.body).backgroundColor,
        overflow: document.documentElement.scrollWidth - window.innerWidth,
      }));
      expect(state.background).toBe('rgb(15, 18, 22)');
      expect(state.overflow).toBeLessThanOrEqual(0);
    } finally {
      await page.close();
    }
  });

  it('shows the chart tables and hides empty chart boxes when JavaScript is off', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      await visit(page, pathToFileURL(join(outDir, 'pricing.html')).href);
      const summaries = await page.locator('details.chart-data summary').count();
      expect(summaries).toBe(6);
      const hiddenBoxes = await page
        .locator('.chart-box')
        .evaluateAll((boxes) => boxes.every((box) => getComputedStyle(box).display === 'none'));
      expect(hiddenBoxes).toBe(true);
    } finally {
      await context.close();
    }
  });

  it('shows the executive summary on the index in both themes, wide and phone-width, with no sideways scroll', async () => {
    for (const [width, colorScheme] of [
      [1280, 'light'],
      [390, 'light'],
      [390, 'dark'],
      [1280, 'dark'],
    ] as const) {
      const page = await browser.newPage({ viewport: { width, height: 844 }, colorScheme });
      try {
        const result = await visit(page, pathToFileURL(join(outDir, 'index.html')).href);
        expect(result.failedRequests).toEqual([]);
        expect(result.blockedRequests).toEqual([]);
        expect(result.consoleErrors).toEqual([]);
        expect(result.dialogs).toEqual([]);
        const state = await page.evaluate(() => {
          const section = document.getElementById('summary');
          const box = section?.getBoundingClientRect();
          return {
            titles: Array.from(document.querySelectorAll('.action__title')).map((link) => link.textContent),
            links: Array.from(document.querySelectorAll('.action__title')).map((link) =>
              link.getAttribute('href'),
            ),
            worth: Array.from(document.querySelectorAll('.action__worth')).map((worth) => worth.textContent),
            visible: box !== undefined && box.width > 0 && box.height > 0,
            firstOnPage: section === document.querySelector('main section'),
            // The index draws no chart; every chart a page has comes with its table.
            canvases: document.querySelectorAll('canvas').length,
            chartTables: document.querySelectorAll('details.chart-data table').length,
            overflow: document.documentElement.scrollWidth - window.innerWidth,
            background: getComputedStyle(document.body).backgroundColor,
            boldElements: document.querySelectorAll('b').length,
          };
        });
        expect(state.titles).toEqual(SUMMARY.actions.map((action) => action.title));
        expect(state.titles[0]).toContain(HOSTILE_ID);
        expect(state.boldElements).toBe(0);
        expect(state.links).toEqual(['optimization.html#section-1', 'profitability.html', 'realtime.html']);
        expect(state.worth).toEqual(['$1,234,567.89 a month', '$900.00 a month', '$450.50 a month']);
        expect(state.visible).toBe(true);
        expect(state.firstOnPage).toBe(true);
        expect(state.canvases).toBe(state.chartTables);
        expect(state.overflow).toBeLessThanOrEqual(0);
        expect(state.background).toBe(colorScheme === 'dark' ? 'rgb(15, 18, 22)' : 'rgb(245, 246, 248)');
      } finally {
        await page.close();
      }
    }
  });
});
