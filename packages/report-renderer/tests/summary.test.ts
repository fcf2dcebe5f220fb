import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReportManifest } from '@finops/schema';
import { buildReportManifest, renderIndexPage, renderReports } from '../src';
import { dataset, executiveSummary, standardDocuments, summaryAction } from './fixtures';
import { byClass, byId, byTag, parseHtml, textOf } from './html';

const GENERATED_AT = '2025-02-01T08:30:00Z';

/** Candidates of three analyses; the top three by money a month are 900, 500 and 500 (the tie goes to the page listed first). */
function candidates() {
  return [
    summaryAction('profitability', 'Reprice the losing customers', 500, 'Actions'),
    summaryAction('optimization', 'Switch models', 900, 'Customers'),
    summaryAction('realtime', 'Contact the customers at risk', 500),
    summaryAction('optimization', 'Commit to a daily spend', 120, 'No such section'),
    summaryAction('realtime', 'Cap tokens per call', 0.5),
  ];
}

async function readManifest(folder: string): Promise<ReportManifest> {
  return JSON.parse(await readFile(join(folder, 'manifest.json'), 'utf8')) as ReportManifest;
}

describe('the executive summary on the index', () => {
  it('lists the ranked actions, each with its worth a month and a link to the section that shows it', () => {
    const documents = standardDocuments(false);
    const manifest = buildReportManifest(documents, dataset(), GENERATED_AT, executiveSummary(candidates()));
    const root = parseHtml(renderIndexPage(manifest));
    const section = byId(root, 'summary');
    const items = byClass(section, 'action');
    expect(items.map((item) => item.attributes['data-analysis'])).toEqual([
      'optimization',
      'realtime',
      'profitability',
    ]);
    expect(items.map((item) => textOf(byClass(item, 'action__worth')[0]!))).toEqual([
      '$900.00 a month',
      '$500.00 a month',
      '$500.00 a month',
    ]);
    // Sections are numbered on the page: Customers is section-1, Actions section-2; no section, the page.
    expect(items.map((item) => byTag(item, 'a')[0]?.attributes['href'])).toEqual([
      'optimization.html#section-1',
      'realtime.html',
      'profitability.html#section-2',
    ]);
    expect(textOf(byClass(items[0]!, 'action__source')[0]!)).toBe('Shown on Rate Optimization › Customers');
    expect(textOf(byClass(section, 'summary__note')[0]!)).toContain('5 candidate actions from 8 analyses');
    expect(
      manifest.summary?.candidates.find((action) => action.title === 'Commit to a daily spend')?.href,
    ).toBe('optimization.html');
  });

  it('says so when no analysis found anything worth acting on, and shows nothing without a summary', () => {
    const documents = standardDocuments(false);
    const clean = buildReportManifest(documents, dataset(), GENERATED_AT, executiveSummary([]));
    const root = parseHtml(renderIndexPage(clean));
    expect(byClass(byId(root, 'summary'), 'action')).toEqual([]);
    expect(textOf(byId(root, 'summary-empty'))).toBe(
      'No finding worth acting on: none of the 8 analyses run found anything worth $1.00 or more a month in this log.',
    );
    const none = parseHtml(renderIndexPage(buildReportManifest(documents, dataset(), GENERATED_AT)));
    expect(() => byId(none, 'summary')).toThrow('0 elements');
  });
});

describe('refreshing some reports of a folder (keepReports)', () => {
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'report-refresh-'));
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('keeps the other pages on the index and in the manifest, and ranks their actions with the new ones', async () => {
    const out = join(folder, 'same');
    const documents = standardDocuments(false);
    await renderReports(documents, {
      outDir: out,
      dataset: dataset(),
      generatedAt: GENERATED_AT,
      summary: executiveSummary(candidates()),
    });
    const before = await readManifest(out);
    // Optimization again, now proposing less than before.
    const refreshed = documents.filter((document) => document.id === 'optimization');
    const files = await renderReports(refreshed, {
      outDir: out,
      dataset: dataset(),
      generatedAt: '2025-02-02T08:30:00Z',
      summary: executiveSummary(
        [summaryAction('optimization', 'Switch models', 50, 'Customers')],
        ['optimization'],
      ),
      keepReports: true,
    });
    expect(files.filter((file) => file.endsWith('.html')).map((file) => file.slice(out.length + 1))).toEqual([
      'optimization.html',
      'index.html',
    ]);
    const after = await readManifest(out);
    expect(after.generated_at).toBe('2025-02-02T08:30:00Z');
    expect(after.reports.map((report) => report.id)).toEqual(before.reports.map((report) => report.id));
    expect(after.categories).toEqual(before.categories);
    expect(after.summary?.analyses).toEqual(before.summary?.analyses);
    expect(after.summary?.actions.map((action) => [action.analysis, action.monthlyUsd])).toEqual([
      ['realtime', 500],
      ['profitability', 500],
      ['optimization', 50],
    ]);
    expect(after.summary?.candidates.map((action) => action.title)).not.toContain('Commit to a daily spend');
    const index = parseHtml(await readFile(join(out, 'index.html'), 'utf8'));
    expect(byClass(index, 'report-card').map((card) => card.attributes['data-report-id'])).toEqual(
      before.reports.map((report) => report.id),
    );
    // The refreshed page's navigation lists the kept pages too.
    const page = await readFile(join(out, 'optimization.html'), 'utf8');
    for (const report of before.reports) expect(page).toContain(`href="${report.filename}"`);
  });

  it('drops a kept report whose page is gone, and keeps nothing of another data file or without the option', async () => {
    const out = join(folder, 'other');
    const documents = standardDocuments(false);
    await renderReports(documents, { outDir: out, dataset: dataset(), generatedAt: GENERATED_AT });
    await rm(join(out, 'features.html'));
    await renderReports(documents.slice(0, 1), {
      outDir: out,
      dataset: dataset(),
      generatedAt: GENERATED_AT,
      keepReports: true,
    });
    expect((await readManifest(out)).reports.map((report) => report.id)).not.toContain('features');
    expect((await readManifest(out)).reports).toHaveLength(7);
    await renderReports(documents.slice(0, 1), {
      outDir: out,
      dataset: dataset('data/other.csv'),
      generatedAt: GENERATED_AT,
      keepReports: true,
    });
    expect((await readManifest(out)).reports.map((report) => report.id)).toEqual(['understanding']);
    await renderReports(documents.slice(1, 2), { outDir: out, dataset: dataset('data/other.csv') });
    expect((await readManifest(out)).reports.map((report) => report.id)).toEqual(['performance']);
    await expect(access(join(out, 'manifest.json'))).resolves.toBeUndefined();
  });
});
