import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { type AnalysisResults, CostAnalyzer, analyzeCosts, analyzeInto } from '@finops/analyzers';
import { type RangeRunner, analyzeRange } from '@finops/analyzers/internal';
import { LEGACY_CATALOG, parseCatalog } from '@finops/schema';

const FIXTURES = join(__dirname, '..', 'fixtures', 'version-1');
const logText = gunzipSync(readFileSync(join(FIXTURES, 'calls.csv.gz')));
const before = JSON.parse(
  gunzipSync(readFileSync(join(FIXTURES, 'results.json.gz'))).toString('utf8'),
) as AnalysisResults;
const legacy = parseCatalog(LEGACY_CATALOG, 'legacy catalog');

let folder: string;
let log: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'finops-integration-v1-'));
  log = join(folder, 'calls.csv');
  await writeFile(log, logText);
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** The results as plain JSON, named like the fixture. */
function plain(results: AnalysisResults): AnalysisResults {
  return JSON.parse(
    JSON.stringify({ ...results, meta: { ...results.meta, source: 'calls.csv' } }),
  ) as AnalysisResults;
}

describe('a version-1 log', () => {
  it('analyses to every figure version 0.1.0 gave, in one part and in two', async () => {
    // The parts are read in this thread: the same code a worker thread runs.
    const inProcess: RangeRunner = (task, onProgress) => analyzeRange(task, onProgress);
    // The analyses version 0.1.0 had; those added since are checked by tests of their own.
    const analyses = before.meta.analyses;
    for (const workers of [1, 2]) {
      const analyzer = await analyzeInto(
        new CostAnalyzer({ catalog: legacy, source: log, analyses }),
        log,
        { workers },
        inProcess,
      );
      const now = plain(analyzer.finish());
      // Every figure of before is still there with the same value; the results only gained fields.
      expect(now).toMatchObject({ ...before, meta: { ...before.meta, workers } });
      expect(now.meta.resultsVersion).toBe(2);
      expect(now.meta.coverage).toMatchObject({
        rowsReported: now.meta.rowsKept,
        rowsPriced: 0,
        rowsUnpriced: 0,
      });
    }
  }, 60_000);

  it('keeps rows that version 1 rejected only for an empty optional value or an open plan name', async () => {
    const lines = logText.toString('utf8').split('\n');
    const header = (lines[0] as string).split(',');
    const cell = (line: string, column: string, value: string): string => {
      const fields = line.split(',');
      fields[header.indexOf(column)] = value;
      return fields.join(',');
    };
    // Three new rows, with ids of their own: an empty customer, a plan outside the three, an empty latency.
    const extra = [
      cell(cell(lines[1] as string, 'call_id', 'v2_no_customer'), 'customer_id', ''),
      cell(cell(lines[2] as string, 'call_id', 'v2_gold'), 'subscription_tier', 'gold'),
      cell(cell(lines[3] as string, 'call_id', 'v2_no_latency'), 'latency_ms', ''),
    ];
    const path = join(folder, 'more.csv');
    await writeFile(path, [...lines.slice(0, -1), ...extra].join('\n') + '\n');
    const now = await analyzeCosts(path, { catalog: legacy });
    expect(now.meta.rowsKept).toBe(before.meta.rowsKept + 3);
    expect(now.meta.rejectedByReason).toEqual(before.meta.rejectedByReason);
    expect(now.meta.warningsByKind).toEqual({ ...before.meta.warningsByKind, unpriced_plan: 1 });
    expect(now.meta.coverage.rowsWithoutLatency).toBe(1);
    expect(now.understanding?.breakdowns.customer.some((row) => row.key === '(unattributed)')).toBe(true);
    expect(now.understanding?.breakdowns.tier.map((row) => row.key)).toContain('gold');
  });
});
