import { once } from 'node:events';
import { readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { analyzeCosts } from '@finops/analyzers';
import { buildReportManifest } from '@finops/report-renderer';
import { csvHeaderLine, type ReportManifest } from '@finops/schema';
import { LiveReports, type LiveUpdate } from '../src/live';
import { append, csvRows, documentBuilder, tempDir, writeLog } from './support/fixtures';

let dir: string;
let logPath: string;
let outDir: string;
const running: LiveReports[] = [];

beforeEach(async () => {
  dir = await tempDir('finops-viewer-live-');
  logPath = join(dir, 'calls.csv');
  outDir = join(dir, 'reports');
});
afterEach(async () => {
  for (const live of running.splice(0)) await live.stop();
  await rm(dir, { recursive: true, force: true });
});

function liveReports(options: Partial<ConstructorParameters<typeof LiveReports>[0]> = {}): LiveReports {
  const live = new LiveReports({
    logPath,
    displayPath: 'calls.csv',
    outDir,
    buildDocuments: documentBuilder(),
    debounceMs: 20,
    pollMs: 50,
    ...options,
  });
  running.push(live);
  return live;
}

function nextUpdate(live: LiveReports): Promise<LiveUpdate> {
  return once(live, 'update').then(([update]) => update as LiveUpdate);
}

async function servedManifest(): Promise<ReportManifest> {
  return JSON.parse(await readFile(join(outDir, 'manifest.json'), 'utf8')) as ReportManifest;
}

/** The manifest a full analysis of the log as it stands would give. */
async function fullAnalysisManifest(): Promise<ReportManifest> {
  const results = await analyzeCosts(logPath, { source: 'calls.csv' });
  return buildReportManifest(documentBuilder()(results), {
    path: 'calls.csv',
    bytes: 0,
    window: null,
    rowsRead: results.meta.rowsRead,
    rowsKept: results.meta.rowsKept,
    rowsWarned: results.meta.rowsWarned,
    rowsRejected: results.meta.rowsRejected,
    rejectedByReason: {},
    warningsByKind: {},
  });
}

/** Manifest and pages show exactly what a full analysis of the log shows. */
async function expectCurrent(rows: number): Promise<void> {
  const manifest = await servedManifest();
  const expected = await fullAnalysisManifest();
  expect(manifest.data_file.rows_read).toBe(rows);
  expect(manifest.data_file.rows_kept).toBe(rows);
  expect(manifest.data_file.bytes).toBe((await stat(logPath)).size);
  expect(manifest.reports.map((report) => report.headline_figures)).toEqual(
    expected.reports.map((report) => report.headline_figures),
  );
  for (const report of expected.reports) {
    const page = await readFile(join(outDir, report.filename), 'utf8');
    expect(page).toContain(`datetime="${manifest.generated_at}"`);
    for (const figure of report.headline_figures) expect(page).toContain(figure.value.replace(/&/g, '&amp;'));
  }
}

describe('live mode', () => {
  it('analyses at start, then reads only the appended complete lines', async () => {
    const initialText = await writeLog(logPath, 40);
    const live = liveReports();
    const first = await live.start();
    expect(first).toMatchObject({ kind: 'initial', rendered: true, rowsRead: 40 });
    expect(first?.bytesRead).toBe(Buffer.byteLength(initialText));
    await expectCurrent(40);

    // Ten rows in one write.
    let updated = nextUpdate(live);
    const tenRows = await append(logPath, csvRows(40, 50));
    let update = await updated;
    expect(update).toMatchObject({ kind: 'append', rendered: true, rowsRead: 50 });
    expect(update.bytesRead).toBe(tenRows);
    expect(update.newBytes).toBe(tenRows);
    await expectCurrent(50);

    // Five rows and half of a sixth: only the five count.
    const next = csvRows(50, 60);
    const lines = next.split('\n');
    const fiveRows = lines.slice(0, 5).join('\n') + '\n';
    const half = (lines[5] ?? '').slice(0, 40);
    updated = nextUpdate(live);
    const written = await append(logPath, fiveRows + half);
    update = await updated;
    expect(update).toMatchObject({ kind: 'append', rowsRead: 55 });
    expect(update.bytesRead).toBe(written);
    expect(update.newBytes).toBe(Buffer.byteLength(fiveRows));
    await expectCurrent(55);

    // The rest of the half line and the other rows, in two writes.
    updated = nextUpdate(live);
    const rest = next.slice(fiveRows.length + half.length);
    const cut = rest.indexOf('\n') + 1;
    await append(logPath, rest.slice(0, cut));
    update = await updated;
    expect(update.rowsRead).toBe(56);
    // The unfinished line is read again once: that is all the re-reading there is.
    expect(update.bytesRead).toBe(Buffer.byteLength(half) + cut);
    updated = nextUpdate(live);
    await append(logPath, rest.slice(cut));
    update = await updated;
    expect(update.rowsRead).toBe(60);
    await expectCurrent(60);

    const status = live.status();
    const size = (await stat(logPath)).size;
    expect(status.bytesReadTotal).toBe(size + Buffer.byteLength(half));
    expect(status.fullAnalyses).toBe(1);
    expect(status).toMatchObject({ state: 'ready', path: 'calls.csv', fileBytes: size, analysedBytes: size });
  });

  it('analyses the whole log again when it is truncated or replaced', async () => {
    await writeLog(logPath, 60);
    const live = liveReports();
    await live.start();
    await expectCurrent(60);

    let updated = nextUpdate(live);
    await writeFile(logPath, csvHeaderLine() + csvRows(0, 20));
    let update = await updated;
    expect(update).toMatchObject({ kind: 'reset', rendered: true, rowsRead: 20 });
    await expectCurrent(20);

    // A new file moved into place (another inode), larger than the old one.
    updated = nextUpdate(live);
    const replacement = join(dir, 'calls.next.csv');
    await writeFile(replacement, csvHeaderLine() + csvRows(100, 180));
    await rename(replacement, logPath);
    update = await updated;
    expect(update).toMatchObject({ kind: 'reset', rowsRead: 80 });
    await expectCurrent(80);
    expect(live.status().fullAnalyses).toBe(3);
  });

  it('keeps reports that are newer than the log and match it', async () => {
    await writeLog(logPath, 30);
    const first = liveReports({ now: () => new Date('2025-11-01T10:00:00Z') });
    await first.start();
    await first.stop();
    const second = liveReports({ now: () => new Date('2025-11-05T10:00:00Z') });
    const update = await second.start();
    expect(update).toMatchObject({ kind: 'reuse', rendered: false, generatedAt: '2025-11-01T10:00:00Z' });
    expect((await servedManifest()).generated_at).toBe('2025-11-01T10:00:00Z');
    // The reports still follow the log from there, incrementally.
    const updated = nextUpdate(second);
    const bytes = await append(logPath, csvRows(30, 35));
    expect(await updated).toMatchObject({ kind: 'append', bytesRead: bytes, rowsRead: 35 });
    expect((await servedManifest()).generated_at).toBe('2025-11-05T10:00:00Z');
  });

  it('analyses again at start when the log changed after the reports', async () => {
    await writeLog(logPath, 30);
    const first = liveReports({ now: () => new Date('2025-11-01T10:00:00Z') });
    await first.start();
    await first.stop();
    await append(logPath, csvRows(30, 31));
    const later = new Date(Date.now() + 5000);
    await utimes(logPath, later, later);
    const update = await liveReports().start();
    expect(update).toMatchObject({ kind: 'initial', rendered: true, rowsRead: 31 });
  });

  it('waits for a log that does not exist yet', async () => {
    const live = liveReports();
    expect(await live.start()).toBeUndefined();
    expect(live.status()).toMatchObject({ state: 'waiting', rowsRead: 0, lastAnalysisAt: null });
    const updated = nextUpdate(live);
    await writeLog(logPath, 10);
    expect(await updated).toMatchObject({ kind: 'initial', rowsRead: 10 });
    await expectCurrent(10);
  });

  it('debounces a burst of writes into one update', async () => {
    await writeLog(logPath, 10);
    const live = liveReports({ debounceMs: 300, maxWaitMs: 5000, pollMs: 60_000 });
    await live.start();
    const updates: LiveUpdate[] = [];
    live.on('update', (update: LiveUpdate) => updates.push(update));
    const updated = nextUpdate(live);
    for (let batch = 0; batch < 5; batch++) {
      await append(logPath, csvRows(10 + batch * 4, 14 + batch * 4));
      live.schedule();
    }
    expect(await updated).toMatchObject({ kind: 'append', rowsRead: 30 });
    expect(updates).toHaveLength(1);
  });

  it('reports a failed update and recovers when the log is fixed', async () => {
    await writeFile(logPath, 'not,a,call,log\n1,2,3,4\n');
    const live = liveReports();
    const errors: unknown[] = [];
    live.on('error', (error: unknown) => errors.push(error));
    expect(await live.start()).toBeUndefined();
    expect(live.status().state).toBe('error');
    expect(live.status().error).toMatch(/column|header/i);
    expect(errors).toHaveLength(1);
    const updated = nextUpdate(live);
    await writeLog(join(dir, 'fixed.csv'), 12);
    await rename(join(dir, 'fixed.csv'), logPath);
    expect(await updated).toMatchObject({ kind: 'initial', rowsRead: 12 });
    expect(live.status().state).toBe('ready');
    expect(live.status().error).toBeUndefined();
  });

  it('shows progress toward a target size', async () => {
    await writeLog(logPath, 10);
    const size = (await stat(logPath)).size;
    const live = liveReports({ targetBytes: size * 4 });
    await live.start();
    expect(live.status()).toMatchObject({
      targetBytes: size * 4,
      percent: 25,
      fileBytes: size,
      rowsRead: 10,
    });
    await writeLog(logPath, 100);
    await live.update();
    expect(live.status().percent).toBe(100);
  });
});
