import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { AnalysisResults } from '@finops/analyzers';
import { analyzeWarehouse, CallWarehouse, type ClickHouseSettings, loadCalls } from '@finops/clickhouse';
import { renderReports } from '@finops/report-renderer';
import { datasetSummary } from '@finops/analyzers';
import { csvHeaderLine, type ReportManifest } from '@finops/schema';
import { startViewer, type RunningViewer } from '../src/app';
import type { ViewerConfig } from '../src/config';
import type { LiveStatus, LiveUpdate } from '../src/live';
import { csvRows, documentBuilder, eventually, sample, tempDir } from './support/fixtures';

// The embedded engine binds one data folder per process: every test here uses it, each in a database of its own.
const ENGINE_FOLDER = join(tmpdir(), `finops-viewer-chdb-${process.pid}`);
// A process id is reused, and a folder a stopped run left behind holds its databases: the names add a token of this run.
const RUN = randomBytes(4).toString('hex');
mkdirSync(ENGINE_FOLDER, { recursive: true });

let dir: string;
let databases = 0;
let viewer: RunningViewer | undefined;
const open: CallWarehouse[] = [];

beforeEach(async () => {
  dir = await tempDir('finops-viewer-ch-');
});
afterEach(async () => {
  await viewer?.close();
  viewer = undefined;
  for (const connection of open.splice(0)) await connection.close();
  await rm(dir, { recursive: true, force: true });
});
afterAll(async () => {
  await rm(ENGINE_FOLDER, { recursive: true, force: true });
});

function settings(): ClickHouseSettings {
  return { target: `chdb:${ENGINE_FOLDER}`, database: `viewer_${process.pid}_${RUN}_${databases++}` };
}

async function connect(target: ClickHouseSettings): Promise<CallWarehouse> {
  const connection = await CallWarehouse.open(target);
  open.push(connection);
  return connection;
}

function config(clickhouse: ClickHouseSettings): ViewerConfig {
  return {
    host: '127.0.0.1',
    port: 0,
    dir: join(dir, 'reports'),
    debounceMs: 20,
    rateLimit: 0,
    rateBurst: 1,
    clickhouse,
    pollMs: 50,
  };
}

/** Loads calls `from` to `to` of the fixture log as one load. */
async function load(warehouse: CallWarehouse, name: string, from: number, to: number): Promise<void> {
  const path = join(dir, name);
  await writeFile(path, csvHeaderLine() + csvRows(from, to));
  await loadCalls(warehouse, path);
}

async function health(running: RunningViewer): Promise<{ status: string; live: LiveStatus }> {
  return (await (await fetch(new URL('/health', running.url))).json()) as {
    status: string;
    live: LiveStatus;
  };
}

function json(results: AnalysisResults | undefined): unknown {
  return JSON.parse(JSON.stringify(results));
}

/** The report pages a full analysis of the table renders, at the time the served manifest names. */
async function fullAnalysisPages(
  warehouse: CallWarehouse,
  served: ReportManifest,
  source: string,
): Promise<Map<string, string>> {
  const results = await analyzeWarehouse(warehouse);
  const outDir = join(dir, `expected-${served.generated_at.replace(/\W/g, '')}`);
  await renderReports(documentBuilder()(results), {
    outDir,
    dataset: datasetSummary(results.meta, source, 0),
    generatedAt: served.generated_at,
    summary: results.summary,
  });
  const pages = new Map<string, string>();
  for (const name of await readdir(outDir))
    if (name.endsWith('.html') || name === 'manifest.json')
      pages.set(name, await readFile(join(outDir, name), 'utf8'));
  return pages;
}

/** Expects the served folder to hold exactly the pages of a full analysis. */
async function expectFullAnalysisPages(warehouse: CallWarehouse, running: RunningViewer): Promise<void> {
  const reports = join(dir, 'reports');
  const served = JSON.parse(await readFile(join(reports, 'manifest.json'), 'utf8')) as ReportManifest;
  const source = running.live?.status().path ?? '';
  const expected = await fullAnalysisPages(warehouse, served, source);
  expect(expected.size).toBeGreaterThan(5);
  for (const [name, text] of expected) expect(await readFile(join(reports, name), 'utf8')).toBe(text);
}

describe('the viewer over ClickHouse', () => {
  it('serves a loaded table, then shows a later load from its rows alone, as a full analysis would', async () => {
    const target = settings();
    const warehouse = await connect(target);
    await load(warehouse, 'first.csv', 0, 300);
    viewer = await startViewer(config(target), () => undefined);
    const running = viewer;
    const updates: LiveUpdate[] = [];
    running.live?.on('update', (update: LiveUpdate) => updates.push(update));

    await eventually(async () => ((await health(running)).status === 'ok' ? true : undefined));
    const index = await (await fetch(running.url)).text();
    expect(index).toContain('Live table');
    expect(index).toContain(`clickhouse chdb:${ENGINE_FOLDER} (${target.database})`);
    expect(json(running.live?.lastResults)).toEqual(json(await analyzeWarehouse(warehouse)));
    await expectFullAnalysisPages(warehouse, running);

    // A second load: the next look reads its 200 rows, not the 300 already held.
    await load(warehouse, 'second.csv', 300, 500);
    const appended = await eventually(() => updates.find((update) => update.kind === 'append'));
    expect(appended).toMatchObject({ newRows: 200, loads: 1, rowsRead: 500, rendered: true });
    expect(updates.filter((update) => update.kind !== 'append')).toHaveLength(1);
    expect(json(running.live?.lastResults)).toEqual(json(await analyzeWarehouse(warehouse)));
    await expectFullAnalysisPages(warehouse, running);
    const status = (await health(running)).live;
    expect(status).toMatchObject({ state: 'ready', source: 'clickhouse', loads: 2, rowsKept: 500 });
    expect(status.fullAnalyses).toBe(1);

    const metrics = await (await fetch(new URL('/metrics', running.url))).text();
    expect(sample(metrics, 'finops_viewer_live_lag_loads')).toBe(0);
    expect(sample(metrics, 'finops_viewer_live_lag_rows')).toBe(0);
    expect(sample(metrics, 'finops_viewer_live_pending_seconds')).toBe(0);
    expect(sample(metrics, 'finops_viewer_live_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(metrics, 'finops_viewer_live_updates_total{kind="append"}')).toBe(1);
    expect(sample(metrics, 'finops_viewer_rows_read_total')).toBe(500);
  });

  it('waits for the first load, and shows the loads not yet read in /metrics', async () => {
    const target = settings();
    viewer = await startViewer({ ...config(target), pollMs: 3_600_000 }, () => undefined);
    const running = viewer;
    await eventually(async () => ((await health(running)).live.state === 'waiting' ? true : undefined));
    expect((await fetch(running.url)).status).toBe(200);

    const warehouse = await connect(target);
    await load(warehouse, 'only.csv', 0, 120);
    // No look for an hour: the load waits, and /metrics says so.
    const metrics = await (await fetch(new URL('/metrics', running.url))).text();
    expect(sample(metrics, 'finops_viewer_live_lag_loads')).toBe(1);
    expect(sample(metrics, 'finops_viewer_live_lag_rows')).toBe(120);
    expect(sample(metrics, 'finops_viewer_live_pending_seconds')).toBeGreaterThanOrEqual(0);

    const update = await running.live?.update();
    expect(update).toMatchObject({ kind: 'initial', newRows: 120, loads: 1 });
    expect(json(running.live?.lastResults)).toEqual(json(await analyzeWarehouse(warehouse)));
  });

  it('lets another process load into the embedded folder between looks, and shows that load', async () => {
    const target = settings();
    const warehouse = await connect(target);
    await load(warehouse, 'before.csv', 0, 150);
    // The viewer opens the folder only for its looks: close ours, as a separate `finops load` process would hold none.
    await open.pop()?.close();
    viewer = await startViewer({ ...config(target), pollMs: 100 }, () => undefined);
    const running = viewer;
    await eventually(async () => ((await health(running)).live.loads === 1 ? true : undefined), 30_000);

    const path = join(dir, 'elsewhere.csv');
    await writeFile(path, csvHeaderLine() + csvRows(150, 230));
    // The built library, in a process of its own; it retries while a look holds the folder.
    const library = resolve(__dirname, '../../../packages/clickhouse/dist/index.js');
    const script = `
      import { CallWarehouse, loadCalls } from ${JSON.stringify(library)};
      for (let attempt = 0; ; attempt++) {
        try {
          const warehouse = await CallWarehouse.open(${JSON.stringify(target)});
          try { await loadCalls(warehouse, ${JSON.stringify(path)}); } finally { await warehouse.close(); }
          break;
        } catch (error) {
          if (attempt > 100) throw error;
          await new Promise((done) => setTimeout(done, 100));
        }
      }`;
    await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script]);

    await eventually(async () => ((await health(running)).live.loads === 2 ? true : undefined), 30_000);
    expect(running.live?.status()).toMatchObject({ state: 'ready', rowsKept: 230 });
    expect(running.live?.status().lastUpdate).toMatchObject({ kind: 'append', newRows: 80 });
    await viewer.close();
    viewer = undefined;
    expect(json(running.live?.lastResults)).toEqual(json(await analyzeWarehouse(await connect(target))));
  });
});
