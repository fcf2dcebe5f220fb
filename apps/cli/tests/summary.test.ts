import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANALYSES, type AnalysisResults } from '@finops/analyzers';
import type { ReportManifest } from '@finops/schema';
import { runCli } from '../src/cli';
import { captureOutput } from './helpers';

jest.setTimeout(120_000);

let folder: string;
let log: string;
let reports: string;

async function manifestOf(dir: string): Promise<ReportManifest> {
  return JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as ReportManifest;
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'finops-cli-summary-'));
  log = join(folder, 'calls.csv');
  reports = join(folder, 'reports');
  const simulate = ['simulate', '--customers', '12', '--days', '10', '--start', '2025-10-01', '--seed', '5'];
  expect(await runCli([...simulate, '--out', log, '-q'], captureOutput())).toBe(0);
  expect(await runCli(['run', log, '--reports', reports, '-q'], captureOutput())).toBe(0);
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('the executive summary through the CLI', () => {
  it('is in the results JSON at summary.actions, by monthlyUsd descending, each naming its page', async () => {
    const out = join(folder, 'results.json');
    expect(await runCli(['analyze', log, '--out', out, '-q'], captureOutput())).toBe(0);
    const results = JSON.parse(await readFile(out, 'utf8')) as AnalysisResults;
    const actions = results.summary?.actions ?? [];
    expect(actions.length).toBeGreaterThanOrEqual(1);
    expect(actions.length).toBeLessThanOrEqual(5);
    for (const action of actions) {
      expect(Object.keys(action)).toEqual(
        expect.arrayContaining(['title', 'text', 'monthlyUsd', 'analysis', 'figures']),
      );
      expect(ANALYSES).toContain(action.analysis);
      expect(action.monthlyUsd).toBe(action.monthlyMicros / 1e6);
    }
    const worth = actions.map((action) => action.monthlyUsd);
    expect(worth).toEqual(worth.slice().sort((a, b) => b - a));
    // The index shows the same actions in the same order, linked to their pages.
    const index = await readFile(join(reports, 'index.html'), 'utf8');
    const listed = [...index.matchAll(/<li class="action" data-analysis="([a-z]+)">/g)].map(
      (match) => match[1],
    );
    expect(listed).toEqual(actions.map((action) => action.analysis));
    // Each action links the section of its page that shows the figures (or the page, when it has none).
    const manifest = await manifestOf(reports);
    for (const action of manifest.summary?.actions ?? []) {
      const [file = '', anchor] = (action.href ?? '').split('#');
      expect(file).toBe(`${action.analysis}.html`);
      if (anchor === undefined) continue;
      const page = await readFile(join(reports, file), 'utf8');
      expect(page).toContain(`<h2 id="${anchor}-title">${action.section}</h2>`);
    }
  });

  it('refreshes one page with --only and keeps the others on the index and in the manifest', async () => {
    const before = await manifestOf(reports);
    expect(before.reports.map((report) => report.id).sort()).toEqual([...ANALYSES].sort());
    const overviewBefore = (await stat(join(reports, 'overview.html'))).mtimeMs;
    const output = captureOutput();
    expect(await runCli(['run', log, '--reports', reports, '--only', 'tokens', '-q'], output)).toBe(0);
    const after = await manifestOf(reports);
    expect(after.reports.map((report) => report.id)).toEqual(before.reports.map((report) => report.id));
    expect(after.categories).toEqual(before.categories);
    // The other pages were left as they were; their actions still rank in the summary.
    expect((await stat(join(reports, 'overview.html'))).mtimeMs).toBe(overviewBefore);
    expect(after.summary?.analyses).toEqual(before.summary?.analyses);
    expect(after.summary?.actions.map((action) => action.title)).toEqual(
      before.summary?.actions.map((action) => action.title),
    );
    const index = await readFile(join(reports, 'index.html'), 'utf8');
    for (const name of ANALYSES) expect(index).toContain(`data-report-id="${name}"`);
    const tokensPage = await readFile(join(reports, 'tokens.html'), 'utf8');
    for (const name of ANALYSES) expect(tokensPage).toContain(`href="${name}.html"`);
  });
});
