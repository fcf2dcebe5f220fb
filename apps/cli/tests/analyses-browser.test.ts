/// <reference lib="dom" />
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, type Page, chromium } from 'playwright-core';
import { runCli } from '../src/cli';
import { captureOutput } from './helpers';

jest.setTimeout(120_000);

/**
 * The pages of the overview, geography, tokens, churn and abuse analyses, and those with the sections on periods
 * (understanding), the model mix (optimization) and sessions (features), checked as the renderer's own pages are.
 */
const PAGES = [
  'overview',
  'geography',
  'tokens',
  'churn',
  'abuse',
  'understanding',
  'optimization',
  'features',
];
/** Periods the ten-day log covers, so that the churn page compares two of them. */
const CHURN_PERIODS = ['--set', 'churn.recentDays=5', '--set', 'churn.priorDays=5'];

let folder: string;
let browser: Browser;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'finops-cli-analyses-browser-'));
  const log = join(folder, 'calls.csv');
  const simulate = ['simulate', '--customers', '12', '--days', '10', '--start', '2025-10-01', '--seed', '9'];
  expect(await runCli([...simulate, '--out', log, '-q'], captureOutput())).toBe(0);
  expect(
    await runCli(['run', log, '--reports', join(folder, 'reports'), ...CHURN_PERIODS, '-q'], captureOutput()),
  ).toBe(0);
  // The same log with every region blanked (the region is the last column).
  const lines = (await readFile(log, 'utf8')).split('\n');
  const blanked = lines.map((line, index) =>
    index === 0 || line === '' ? line : line.replace(/,[^,"]*$/, ','),
  );
  expect(lines[0]?.endsWith(',region')).toBe(true);
  await writeFile(join(folder, 'no-region.csv'), blanked.join('\n'));
  expect(
    await runCli(
      ['run', join(folder, 'no-region.csv'), '--reports', join(folder, 'no-region'), '-q'],
      captureOutput(),
    ),
  ).toBe(0);
  // Every scenario in cohorts: floods, nightly jobs, hopping and batches raise abuse flags.
  const marked = join(folder, 'marked.csv');
  expect(
    await runCli(
      [...simulate, '--scenario', 'all', '--customers', '40', '--out', marked, '-q'],
      captureOutput(),
    ),
  ).toBe(0);
  expect(
    await runCli(
      ['run', marked, '--only', 'abuse', '--reports', join(folder, 'marked'), '-q'],
      captureOutput(),
    ),
  ).toBe(0);
  // Two complete months: the understanding page compares them and names what drove the change.
  const long = join(folder, 'long.csv');
  const longSimulation = [
    'simulate',
    '--customers',
    '4',
    '--days',
    '63',
    '--start',
    '2025-09-01',
    '--seed',
    '3',
  ];
  expect(await runCli([...longSimulation, '--out', long, '-q'], captureOutput())).toBe(0);
  expect(
    await runCli(
      ['run', long, '--only', 'understanding', '--reports', join(folder, 'long'), '-q'],
      captureOutput(),
    ),
  ).toBe(0);
  browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
});

afterAll(async () => {
  await browser?.close();
  await rm(folder, { recursive: true, force: true });
});

/** Opens a page, collecting console errors; returns them with the page. */
async function open(page: Page, file: string): Promise<string[]> {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return errors;
}

/** Each canvas's painted pixels, the chart tables, the sideways overflow and the background. */
function pageState(page: Page) {
  return page.evaluate(() => ({
    painted: Array.from(document.querySelectorAll('canvas')).map((canvas) => {
      const pixels = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data;
      let count = 0;
      for (let alpha = 3; alpha < (pixels?.length ?? 0); alpha += 4) if (pixels?.[alpha] !== 0) count++;
      return count;
    }),
    chartTables: document.querySelectorAll('details.chart-data table').length,
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    background: getComputedStyle(document.body).backgroundColor,
    text: document.body.textContent ?? '',
  }));
}

/**
 * Opens a page wide in light and phone-width in dark and checks it as the
 * renderer's pages are checked: no console error, every chart drawn with its
 * table, nothing wider than the screen, the dark background; returns its text.
 */
async function expectSoundPage(file: string): Promise<{ charts: number; text: string }> {
  let shown = { charts: 0, text: '' };
  for (const [width, colorScheme] of [
    [1280, 'light'],
    [390, 'dark'],
  ] as const) {
    const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme });
    try {
      const errors = await open(page, file);
      const state = await pageState(page);
      expect(errors).toEqual([]);
      expect(state.painted.length).toBeGreaterThan(0);
      for (const painted of state.painted) expect(painted).toBeGreaterThan(100);
      expect(state.chartTables).toBe(state.painted.length);
      expect(state.overflow).toBeLessThanOrEqual(0);
      if (colorScheme === 'dark') expect(state.background).toBe('rgb(15, 18, 22)');
      shown = { charts: state.painted.length, text: state.text };
    } finally {
      await page.close();
    }
  }
  return shown;
}

describe('the analysis pages in headless Chromium', () => {
  it.each(PAGES)(
    '%s.html draws every chart with its table, in light and dark, wide and phone-width',
    async (id) => {
      await expectSoundPage(join(folder, 'reports', `${id}.html`));
    },
  );

  it('abuse.html of a log with flags draws its risk and kind charts with their tables, on a phone too', async () => {
    const shown = await expectSoundPage(join(folder, 'marked', 'abuse.html'));
    expect(shown.charts).toBe(2);
    expect(shown.text).toContain('Minute burst');
    expect(shown.text).toContain('rate-limit');
  });

  it('understanding.html of two complete months shows what drove the change, at phone width', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
    try {
      const errors = await open(page, join(folder, 'long', 'understanding.html'));
      const state = await pageState(page);
      expect(errors).toEqual([]);
      expect(state.text).toContain('What drove the change from 2025-09 to 2025-10');
      for (const painted of state.painted) expect(painted).toBeGreaterThan(100);
      expect(state.chartTables).toBe(state.painted.length);
      expect(state.overflow).toBeLessThanOrEqual(0);
    } finally {
      await page.close();
    }
  });

  it('geography.html of a log without a region says so and what to log', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      const errors = await open(page, join(folder, 'no-region', 'geography.html'));
      const state = await pageState(page);
      expect(errors).toEqual([]);
      expect(state.text).toContain('No region in the log');
      expect(state.text).toContain('region');
      expect(state.overflow).toBeLessThanOrEqual(0);
    } finally {
      await page.close();
    }
  });

  it('index.html leads with the executive summary of the run, in light and dark, wide and phone-width', async () => {
    const manifest = JSON.parse(await readFile(join(folder, 'reports', 'manifest.json'), 'utf8')) as {
      summary: { actions: { title: string; href: string }[] };
    };
    expect(manifest.summary.actions.length).toBeGreaterThanOrEqual(3);
    for (const [width, colorScheme] of [
      [1280, 'light'],
      [390, 'light'],
      [390, 'dark'],
    ] as const) {
      const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme });
      try {
        const errors = await open(page, join(folder, 'reports', 'index.html'));
        const state = await pageState(page);
        const actions = await page.evaluate(() =>
          Array.from(document.querySelectorAll('#summary .action__title')).map((link) => ({
            title: link.textContent ?? '',
            href: link.getAttribute('href') ?? '',
          })),
        );
        expect(errors).toEqual([]);
        expect(actions).toEqual(manifest.summary.actions.map(({ title, href }) => ({ title, href })));
        expect(state.chartTables).toBe(state.painted.length);
        expect(state.overflow).toBeLessThanOrEqual(0);
        if (colorScheme === 'dark') expect(state.background).toBe('rgb(15, 18, 22)');
      } finally {
        await page.close();
      }
    }
  });
});
