import { checkReportDocument } from '@finops/schema';
import { ANALYSES, ANALYSIS_REGISTRY, analyzeCosts, toReportDocument } from '../src';
import { randomLogV2 } from './fixtures';

/** The text of a page: its sections' paragraphs, tables and lists, as one string. */
function pageText(name: string, results: Awaited<ReturnType<typeof analyzeCosts>>): string {
  return JSON.stringify(toReportDocument(name, results));
}

describe('every analysis over bucketed rows (usage-report rows with a calls weight)', () => {
  it('runs without error, builds a sound page, and states on it what it cannot compute from such rows', async () => {
    // Every row stands for 1 to 40 calls, as hourly or daily usage buckets do.
    const bucketed = randomLogV2(2000, 14, 3).map((record, index) => ({
      ...record,
      calls: 1 + (index % 40),
    }));
    const results = await analyzeCosts(bucketed);
    expect(results.meta.calls).toBeGreaterThan(results.meta.rowsKept);
    expect(results.meta.analyses).toEqual([...ANALYSES]);
    for (const definition of ANALYSIS_REGISTRY) {
      const limits = definition.bucketedLimits ?? [];
      expect([definition.name, limits.length > 0]).toEqual([definition.name, true]);
      const page = toReportDocument(definition.name, results);
      expect([definition.name, checkReportDocument(page)]).toEqual([definition.name, []]);
      const text = pageText(definition.name, results);
      expect([
        definition.name,
        text.includes(`stand for ${results.meta.calls.toLocaleString('en-US')} calls`),
      ]).toEqual([definition.name, true]);
      for (const limit of limits)
        expect([definition.name, text.includes(limit)]).toEqual([definition.name, true]);
    }
  });

  it('says nothing of buckets on the pages of a log of single calls', async () => {
    const results = await analyzeCosts(randomLogV2(500, 7, 4).map((record) => ({ ...record, calls: 1 })));
    for (const definition of ANALYSIS_REGISTRY) {
      const text = pageText(definition.name, results);
      expect([definition.name, text.includes('some rows are buckets')]).toEqual([definition.name, false]);
    }
  });
});
