/* eslint-disable @typescript-eslint/no-non-null-assertion -- the simulated log has known shapes */
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ANALYSIS_REGISTRY,
  type AnalysisResults,
  CostAnalyzer,
  analyzeCosts,
  analyzeInto,
  datasetSummary,
  toReportDocuments,
} from '@finops/analyzers';
import { type RangeRunner, analyzeRange } from '@finops/analyzers/internal';
import { renderReports } from '@finops/report-renderer';
import {
  CSV_COLUMNS,
  type CallRecord,
  checkReportDocument,
  formatCsvLine,
  formatCsvRecord,
} from '@finops/schema';
import { simulate } from '@finops/simulator';
import { PEAK_HOURS, type PeakHoursResult } from './scratch-analysis';

const REGISTRY = [...ANALYSIS_REGISTRY, PEAK_HOURS];

let folder: string;
let log: string;
let lines: string[];
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'finops-integration-scratch-'));
  const records: CallRecord[] = [];
  for await (const batch of simulate({
    scenario: 'all',
    customers: 20,
    days: 6,
    start: '2025-10-01',
    seed: 5,
  }))
    records.push(...batch);
  lines = records.map((record) => formatCsvRecord(record, [], CSV_COLUMNS));
  log = join(folder, 'calls.csv');
  await writeFile(log, formatCsvLine(CSV_COLUMNS) + lines.join(''));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** The results without what depends on how they were read. */
function comparable(results: AnalysisResults): unknown {
  return JSON.parse(JSON.stringify({ ...results, meta: { ...results.meta, workers: 0, source: '' } }));
}

describe('an analysis added in a folder of its own, with one registry line', () => {
  it('is computed from its own grouping, and agrees with the built-in figures of the same hours', async () => {
    const results = await analyzeCosts(log, { registry: REGISTRY, config: { peakHours: { top: 2 } } });
    const peak = results['peakHours'] as PeakHoursResult;
    expect(results.meta.analyses).toEqual([...ANALYSIS_REGISTRY.map((entry) => entry.name), 'peakHours']);
    // The generic path and the fused loop count the same calls and cost per hour.
    expect(peak.hours.map(({ hour, calls, costMicros }) => ({ hour, calls, costMicros }))).toEqual(
      results.understanding?.byHour,
    );
    expect(peak.busiest).toHaveLength(2);
    expect(peak.busiest[0]!.costMicros).toBe(Math.max(...peak.hours.map((hour) => hour.costMicros)));
    expect(peak.hours.reduce((sum, hour) => sum + hour.costMicros, 0)).toBe(
      results.understanding?.totals.costMicros,
    );
    const fast = peak.hours.reduce((sum, hour) => sum + hour.fastCalls, 0);
    expect(fast).toBeGreaterThan(0);
    expect(fast).toBeLessThanOrEqual(results.meta.calls);
    // Its setting is checked like any other, with the same message.
    await expect(
      analyzeCosts(log, { registry: REGISTRY, config: { peakHours: { top: 0 } } }),
    ).rejects.toThrow('config.peakHours.top: must be a whole number ≥ 1, got 0');
  });

  it('runs alone, filling only its own grouping, to the same result', async () => {
    const all = await analyzeCosts(log, { registry: REGISTRY });
    const alone = await analyzeCosts(log, { registry: REGISTRY, analyses: ['peakHours'] });
    expect(alone['peakHours']).toEqual(all['peakHours']);
    expect(alone.understanding).toBeUndefined();
  });

  it('merges across parts read as worker tasks (its grouping travels as data) to the one-pass result', async () => {
    const single = await analyzeCosts(log, { registry: REGISTRY });
    // Each part's task goes through JSON, as it does to a worker thread: the analysis' code does not travel.
    const asData: RangeRunner = (task, onProgress) =>
      analyzeRange(JSON.parse(JSON.stringify(task)), onProgress);
    for (const workers of [2, 3]) {
      const analyzer = await analyzeInto(
        new CostAnalyzer({ registry: REGISTRY, source: log }),
        log,
        { workers },
        asData,
      );
      expect(comparable(analyzer.finish())).toEqual(comparable(single));
    }
  });

  it('follows a growing log: the appended lines give the result of the whole file', async () => {
    const growing = join(folder, 'growing.csv');
    const half = Math.floor(lines.length / 2);
    await writeFile(growing, formatCsvLine(CSV_COLUMNS) + lines.slice(0, half).join(''));
    const analyzer = new CostAnalyzer({ registry: REGISTRY, source: 'growing' });
    await analyzer.follow(growing);
    const early = analyzer.finish()['peakHours'] as PeakHoursResult;
    await appendFile(growing, lines.slice(half).join(''));
    await analyzer.follow(growing);
    const whole = await analyzeCosts(growing, { registry: REGISTRY, source: 'growing' });
    expect(analyzer.finish()['peakHours']).toEqual(whole['peakHours']);
    expect(early.hours.reduce((sum, hour) => sum + hour.calls, 0)).toBeLessThan(whole.meta.calls);
  });

  it('is rendered: its document is sound and becomes a page listed in the index', async () => {
    const results = await analyzeCosts(log, { registry: REGISTRY });
    const documents = toReportDocuments(results, {}, REGISTRY);
    expect(documents.map((document) => document.id)).toEqual(REGISTRY.map((entry) => entry.name));
    const page = documents.at(-1)!;
    expect(checkReportDocument(page)).toEqual([]);
    const outDir = join(folder, 'site');
    await renderReports(documents, {
      outDir,
      dataset: datasetSummary(results.meta),
      generatedAt: '2025-10-07T00:00:00Z',
    });
    const html = await readFile(join(outDir, 'peakHours.html'), 'utf8');
    expect(html).toContain('Peak Hours');
    expect(html).toContain('Busiest hours');
    expect(await readFile(join(outDir, 'index.html'), 'utf8')).toContain('peakHours.html');
  });
});
