import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReportManifest } from '@finops/schema';
import {
  REPORT_CSS,
  REPORT_JS,
  buildReportManifest,
  chartJsBundlePath,
  renderIndexPage,
  renderReports,
} from '../src';
import { dataset, fullDocument, HOSTILE_ID, REPORTS, standardDocuments } from './fixtures';
import { byClass, byId, byTag, parseHtml, textOf, type HtmlElement } from './html';

const GENERATED_AT = '2025-02-01T08:30:00Z';

async function listFiles(folder: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const names = await Promise.all(
    entries.map((entry) =>
      entry.isDirectory()
        ? listFiles(join(folder, entry.name), `${prefix}${entry.name}/`)
        : [`${prefix}${entry.name}`],
    ),
  );
  return names.flat().sort();
}

describe('renderReports', () => {
  let outDir: string;
  let written: string[];
  const documents = standardDocuments(true);

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'report-renderer-'));
    written = await renderReports(documents, {
      outDir: join(outDir, 'reports'),
      dataset: dataset(),
      generatedAt: GENERATED_AT,
    });
  });

  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it('writes every page, the assets, the index and the manifest, and returns exactly those files', async () => {
    const folder = join(outDir, 'reports');
    const expected = [
      'assets/chart.umd.js',
      'assets/report.css',
      'assets/report.js',
      'index.html',
      'manifest.json',
      ...REPORTS.map((report) => `${report.id}.html`),
    ].sort();
    expect(await listFiles(folder)).toEqual(expected);
    expect(written.map((path) => path.slice(folder.length + 1)).sort()).toEqual(expected);
    expect(written[written.length - 1]).toBe(join(folder, 'manifest.json'));
  });

  it('ships the installed Chart.js and the package assets byte for byte', async () => {
    const folder = join(outDir, 'reports', 'assets');
    expect(await readFile(join(folder, 'chart.umd.js'))).toEqual(await readFile(chartJsBundlePath()));
    expect(await readFile(join(folder, 'report.css'), 'utf8')).toBe(REPORT_CSS);
    expect(await readFile(join(folder, 'report.js'), 'utf8')).toBe(REPORT_JS);
  });

  it('writes a manifest whose reports match the pages on disk', async () => {
    const folder = join(outDir, 'reports');
    const manifest = JSON.parse(await readFile(join(folder, 'manifest.json'), 'utf8')) as ReportManifest;
    expect(manifest.generated_at).toBe(GENERATED_AT);
    expect(manifest.data_file).toEqual({
      path: 'data/calls.csv',
      bytes: 52_428_800,
      mb: 52.43,
      rows_read: 309_012,
      rows_kept: 309_000,
      rows_warned: 40,
      rows_rejected: 12,
      rejected_by_reason: { invalid_cost: 7, missing_field: 5 },
      warnings_by_kind: { unknown_model: 40 },
      window: { start: '2025-01-01', end: '2025-01-30', days: 30 },
    });
    expect(manifest.reports.map((report) => [report.id, report.title, report.category])).toEqual(
      REPORTS.map((report) => [report.id, report.title, report.category]),
    );
    for (const report of manifest.reports) {
      const page = parseHtml(await readFile(join(folder, report.filename), 'utf8'));
      expect(textOf(byTag(page, 'h1')[0] as HtmlElement)).toBe(report.title);
      expect(byClass(page, 'metric__value').map(textOf)).toEqual(
        report.headline_figures.map((figure) => figure.value),
      );
      expect(textOf(byClass(page, 'purpose')[0] as HtmlElement)).toBe(textOf({ text: report.description }));
    }
    expect(manifest.reports[0]?.headline_figures[0]).toEqual({
      label: documents[0]?.metrics[0]?.label,
      value: '$12,345.67',
      raw: 12_345.67,
    });
    expect(manifest.reports[0]?.headline_figures[2]).toEqual({ label: 'Customers', value: '4' });
    expect(manifest.categories).toEqual([
      {
        id: 'finops',
        title: 'FinOps Domain Analysis',
        reports: ['understanding', 'performance', 'realtime', 'optimization', 'alignment'],
      },
      { id: 'ubr', title: 'Usage-Based Revenue Analysis', reports: ['profitability', 'pricing', 'features'] },
    ]);
  });

  it('writes an index that links every report by category and shows the dataset figures', async () => {
    const index = parseHtml(await readFile(join(outDir, 'reports', 'index.html'), 'utf8'));
    const links = (category: string): string[] =>
      byTag(byId(index, `category-${category}`), 'a').map((link) => link.attributes['href'] ?? '');
    expect(links('finops')).toEqual([
      'understanding.html',
      'performance.html',
      'realtime.html',
      'optimization.html',
      'alignment.html',
    ]);
    expect(links('ubr')).toEqual(['profitability.html', 'pricing.html', 'features.html']);
    expect(textOf(byId(index, 'dataset-rows-read'))).toBe('309,012');
    expect(byId(index, 'dataset-rows-read').attributes['data-field']).toBe('rows_read');
    expect(byId(index, 'dataset-rows-read').attributes['data-value']).toBe('309012');
    expect(textOf(byId(index, 'dataset-rows-kept'))).toBe('309,000');
    expect(textOf(byId(index, 'dataset-rows-warned'))).toBe('40');
    expect(textOf(byId(index, 'dataset-rows-rejected'))).toBe('12');
    expect(textOf(byId(index, 'dataset-size'))).toBe('52.43 MB');
    expect(textOf(byId(index, 'dataset-days'))).toBe('30');
    expect(textOf(byId(index, 'dataset-window'))).toBe('2025-01-01 to 2025-01-30 (30 days)');
    expect(byId(index, 'generated-at').attributes['datetime']).toBe(GENERATED_AT);
    const reasons = byTag(byId(index, 'rejected-by-reason'), 'tbody')[0] as HtmlElement;
    expect(byTag(reasons, 'tr').map((row) => byTag(row, 'td').map(textOf))).toEqual([
      ['invalid cost', '7', '0.00%'],
      ['missing field', '5', '0.00%'],
    ]);
    const card = byClass(index, 'report-card')[0] as HtmlElement;
    expect(card.attributes['data-report-id']).toBe('understanding');
    expect(byTag(card, 'dt')).toHaveLength(4);
    expect(byTag(index, 'script')).toHaveLength(0);
    expect(textOf(byTag(byId(index, 'category-finops'), 'h3')[0] as HtmlElement)).toBe(
      'Understanding Usage & Cost',
    );
  });

  it('renders the same bytes from the same input, apart from the generation time', async () => {
    const again = join(outDir, 'again');
    const later = join(outDir, 'later');
    await renderReports(documents, { outDir: again, dataset: dataset(), generatedAt: GENERATED_AT });
    await renderReports(documents, {
      outDir: later,
      dataset: dataset(),
      generatedAt: '2025-03-01T00:00:00Z',
    });
    for (const file of await listFiles(again)) {
      const first = await readFile(join(outDir, 'reports', file), 'utf8');
      expect(await readFile(join(again, file), 'utf8')).toBe(first);
      const changed = (await readFile(join(later, file), 'utf8'))
        .replaceAll('2025-03-01T00:00:00Z', GENERATED_AT)
        .replaceAll('2025-03-01 00:00 UTC', '2025-02-01 08:30 UTC');
      expect(changed).toBe(first);
    }
  });

  it('leaves no temporary file behind and overwrites a previous run in place', async () => {
    const folder = join(outDir, 'reports');
    const before = (await stat(join(folder, 'index.html'))).size;
    const files = await renderReports(documents.slice(0, 2), {
      outDir: folder,
      dataset: dataset(),
      generatedAt: GENERATED_AT,
    });
    expect(files).toHaveLength(7);
    expect((await listFiles(folder)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect((await stat(join(folder, 'index.html'))).size).toBeLessThan(before);
    const manifest = JSON.parse(await readFile(join(folder, 'manifest.json'), 'utf8')) as ReportManifest;
    expect(manifest.reports.map((report) => report.id)).toEqual(['understanding', 'performance']);
  });

  it('refuses duplicate ids, the id "index" and unsound documents before writing anything', async () => {
    const folder = join(outDir, 'refused');
    const options = { outDir: folder, dataset: dataset(), generatedAt: GENERATED_AT };
    await expect(renderReports([fullDocument('a'), fullDocument('a')], options)).rejects.toThrow(
      /two reports/,
    );
    await expect(renderReports([fullDocument('index')], options)).rejects.toThrow(/index/);
    const broken = fullDocument('broken');
    broken.sections[0]?.blocks.push({
      kind: 'table',
      columns: [{ label: 'x', format: 'text' }],
      rows: [['a', 'b']],
    });
    await expect(renderReports([broken], options)).rejects.toThrow(/2 cells for 1 columns/);
    await expect(stat(folder)).rejects.toThrow();
  });
});

describe('buildReportManifest and renderIndexPage', () => {
  it('orders reports by category and keeps their order within it', () => {
    const manifest = buildReportManifest(
      [
        fullDocument('b-ubr', undefined, 'ubr'),
        fullDocument('a-finops'),
        fullDocument('c-ubr', undefined, 'ubr'),
      ],
      dataset(),
      new Date(Date.UTC(2025, 1, 1, 8, 30, 0, 123)),
    );
    expect(manifest.generated_at).toBe('2025-02-01T08:30:00Z');
    expect(manifest.reports.map((report) => report.id)).toEqual(['a-finops', 'b-ubr', 'c-ubr']);
    expect(manifest.categories.map((category) => category.reports)).toEqual([
      ['a-finops'],
      ['b-ubr', 'c-ubr'],
    ]);
  });

  it('rejects a generation time that is not a time', () => {
    expect(() => buildReportManifest([], dataset(), 'yesterday')).toThrow(/generation time/);
  });

  it('shows empty categories, an empty log and a clean log', () => {
    const clean = {
      ...dataset(HOSTILE_ID),
      window: null,
      rowsRead: 0,
      rowsKept: 0,
      rowsWarned: 0,
      rowsRejected: 0,
      rejectedByReason: {},
      warningsByKind: {},
      bytes: 812,
    };
    const index = parseHtml(
      renderIndexPage(buildReportManifest([], clean, GENERATED_AT), { title: 'Reports & more' }),
    );
    expect(textOf(byTag(index, 'h1')[0] as HtmlElement)).toBe('Reports & more');
    expect(byClass(index, 'empty').map(textOf)).toEqual([
      'No report in this category.',
      'No report in this category.',
      'No row was rejected.',
      'No kept row carries a warning.',
    ]);
    expect(textOf(byId(index, 'dataset-path'))).toBe(HOSTILE_ID);
    expect(textOf(byId(index, 'dataset-size'))).toBe('812 bytes');
    expect(textOf(byId(index, 'dataset-days'))).toBe('—');
    expect(textOf(byId(index, 'dataset-window'))).toBe('no calls in the log');
    expect(byTag(index, 'script')).toHaveLength(0);
  });
});
