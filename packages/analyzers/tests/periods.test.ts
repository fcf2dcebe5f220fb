/* eslint-disable @typescript-eslint/no-non-null-assertion -- fixtures have known shapes */
import fc from 'fast-check';
import { type CallRecord, checkReportDocument } from '@finops/schema';
import { analyzeCosts } from '../src';
import { optimizationDocument, toReportDocument, understandingDocument } from '../src/documents';
import { periodOf } from '../src/shared/periods';
import { call, randomLogV2 } from './fixtures';
import { assertMergeLaws } from './merge-laws';

/** A call at noon UTC of a calendar date. */
function on(date: string, fields: Partial<CallRecord>): CallRecord {
  return call({ timeMs: Date.parse(`${date}T12:00:00Z`), ...fields });
}

const ANTHROPIC = { provider: 'anthropic', model: 'claude-3-5-haiku' };

/** Four months touched; October and November complete; costs chosen so the changes are easy to follow. */
function monthsLog(): CallRecord[] {
  return [
    on('2025-09-30', { customerId: 'cust_a', featureId: 'chat', costMicros: 100 }),
    on('2025-10-05', { customerId: 'cust_a', featureId: 'chat', costMicros: 1_000 }),
    on('2025-10-20', { customerId: 'cust_b', featureId: 'search', costMicros: 500, ...ANTHROPIC }),
    on('2025-11-10', { customerId: 'cust_a', featureId: 'chat', costMicros: 3_000 }),
    on('2025-11-12', { customerId: 'cust_c', featureId: 'search', costMicros: 200, ...ANTHROPIC }),
    on('2025-12-01', { customerId: 'cust_b', featureId: 'chat', costMicros: 50 }),
  ];
}

describe('calendar periods', () => {
  it('label months and ISO weeks of their ISO week-year', () => {
    const day = (date: string): number => Date.parse(`${date}T00:00:00Z`) / 86_400_000;
    expect(periodOf('month', day('2025-02-14'))).toEqual({
      label: '2025-02',
      first: day('2025-02-01'),
      last: day('2025-02-28'),
    });
    expect(periodOf('week', day('2025-09-30')).label).toBe('2025-W40');
    expect(periodOf('week', day('2024-12-30')).label).toBe('2025-W01');
    expect(periodOf('week', day('2027-01-01')).label).toBe('2026-W53');
    expect(periodOf('week', day('2026-01-01'))).toEqual({
      label: '2026-W01',
      first: day('2025-12-29'),
      last: day('2026-01-04'),
    });
  });
});

describe('period over period (understanding.periods)', () => {
  it('gives month totals, changes and drivers that add up, by hand', async () => {
    const results = await analyzeCosts(monthsLog(), {
      analyses: ['understanding'],
      config: { understanding: { periodDrivers: 1 } },
    });
    const { months, weeks } = results.understanding!.periods;
    expect(
      months.periods.map((row) => [row.period, row.days, row.complete, row.costMicros, row.changeMicros]),
    ).toEqual([
      ['2025-09', 1, false, 100, null],
      ['2025-10', 31, true, 1_500, 1_400],
      ['2025-11', 30, true, 3_200, 1_700],
      ['2025-12', 1, false, 50, -3_150],
    ]);
    expect(months.periods[1]!.changePct).toBe(1400);
    expect(months.note).toBeNull();
    const comparison = months.comparison!;
    expect(comparison).toMatchObject({
      previous: '2025-10',
      current: '2025-11',
      previousMicros: 1_500,
      currentMicros: 3_200,
      changeMicros: 1_700,
      changePct: 113.33,
    });
    const drivers = Object.fromEntries(comparison.drivers.map((entry) => [entry.dimension, entry]));
    expect(drivers['provider']).toEqual({
      dimension: 'provider',
      top: [{ key: 'openai', previousMicros: 1_000, currentMicros: 3_000, changeMicros: 2_000 }],
      others: { keys: 1, previousMicros: 500, currentMicros: 200, changeMicros: -300 },
    });
    expect(drivers['model']!.top[0]!.key).toBe('openai/gpt-4o');
    expect(drivers['customer']).toEqual({
      dimension: 'customer',
      top: [{ key: 'cust_a', previousMicros: 1_000, currentMicros: 3_000, changeMicros: 2_000 }],
      others: { keys: 2, previousMicros: 500, currentMicros: 200, changeMicros: -300 },
    });
    expect(drivers['feature']!.top).toEqual([
      { key: 'chat', previousMicros: 1_000, currentMicros: 3_000, changeMicros: 2_000 },
    ]);
    // Weeks: 2025-W40 (from Tuesday) to 2025-W49 (its Monday only); the last two complete weeks had no calls.
    expect(weeks.periods[0]).toMatchObject({
      period: '2025-W40',
      from: '2025-09-29',
      days: 6,
      complete: false,
    });
    expect(weeks.periods.at(-1)).toMatchObject({ period: '2025-W49', days: 1, complete: false });
    expect(weeks.comparison).toMatchObject({ previous: '2025-W47', current: '2025-W48', changeMicros: 0 });
  });

  it('says so when the log covers fewer than two complete periods', async () => {
    const log = [on('2025-11-03', {}), on('2025-11-12', {})];
    const { months, weeks } = (await analyzeCosts(log, { analyses: ['understanding'] })).understanding!
      .periods;
    expect(months.comparison).toBeNull();
    expect(months.note).toBe(
      'The log covers 0 complete calendar months of the 1 it touches: comparing periods needs two complete ones.',
    );
    expect(weeks.periods.map((row) => row.period)).toEqual(['2025-W45', '2025-W46']);
    expect(weeks.comparison).toBeNull();
    expect(weeks.note).toContain('1 complete ISO week of the 2');
    const results = await analyzeCosts(log, { analyses: ['understanding'] });
    const document = understandingDocument(results.understanding!, results.meta);
    const section = document.sections.find((entry) => entry.title === 'Period over period')!;
    expect(JSON.stringify(section)).toContain('comparing periods needs two complete ones');
  });

  it('has contributions that add up to the change exactly, for any log and any number named', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1_000 }),
        fc.integer({ min: 1, max: 6 }),
        async (seed, limit) => {
          const log = randomLogV2(400, 100, seed);
          const result = await analyzeCosts(log, {
            analyses: ['understanding'],
            config: { understanding: { periodDrivers: limit } },
          });
          const { months, weeks } = result.understanding!.periods;
          for (const series of [months, weeks]) {
            expect(series.periods.reduce((sum, row) => sum + row.costMicros, 0)).toBe(
              result.understanding!.totals.costMicros,
            );
            const comparison = series.comparison!;
            for (const drivers of comparison.drivers) {
              expect(drivers.top.length).toBeLessThanOrEqual(limit);
              const named = drivers.top.reduce((sum, row) => sum + row.changeMicros, 0);
              expect(named + drivers.others.changeMicros).toBe(comparison.changeMicros);
              const previous = drivers.top.reduce((sum, row) => sum + row.previousMicros, 0);
              expect(previous + drivers.others.previousMicros).toBe(comparison.previousMicros);
              const current = drivers.top.reduce((sum, row) => sum + row.currentMicros, 0);
              expect(current + drivers.others.currentMicros).toBe(comparison.currentMicros);
            }
          }
        },
      ),
      { numRuns: 20 },
    );
  });

  it('obeys the merge laws', () => {
    assertMergeLaws(['understanding', 'optimization'], randomLogV2(300, 75, 4), 8);
  });

  it('renders a page that passes the document checks, from single calls and from bucketed rows', async () => {
    const log = randomLogV2(400, 100, 3);
    const results = await analyzeCosts(log, { analyses: ['understanding', 'optimization'] });
    for (const name of ['understanding', 'optimization'] as const) {
      const document = toReportDocument(name, results);
      expect(checkReportDocument(document)).toEqual([]);
    }
    const periods = understandingDocument(results.understanding!, results.meta).sections.find(
      (section) => section.title === 'Period over period',
    )!;
    expect(periods.blocks.filter((block) => block.kind === 'chart')).toHaveLength(2);
    // The log has bucketed rows (a calls weight): the section says what it cannot split.
    expect(results.meta.calls).toBeGreaterThan(results.meta.rowsKept);
    expect(JSON.stringify(periods.blocks[0])).toContain("the split of a bucket's calls between periods");
    expect(periods.blocks.filter((block) => block.kind === 'table')).toHaveLength(4);
  });
});

describe('model mix over the window (optimization.modelShift)', () => {
  it('gives each model its shares of calls and cost in each half, by hand', async () => {
    // A four-day window: days 0–1 are the first half, days 2–3 the second.
    const log = [
      call({ day: 0, costMicros: 3_000 }),
      call({ day: 1, costMicros: 1_000, ...ANTHROPIC }),
      call({ day: 2, costMicros: 1_000 }),
      call({ day: 3, costMicros: 3_000, ...ANTHROPIC }),
      call({ day: 3, costMicros: 4_000, ...ANTHROPIC }),
    ];
    const results = await analyzeCosts(log, { analyses: ['optimization', 'understanding'] });
    const shift = results.optimization!.modelShift;
    expect(shift.firstHalf).toEqual({
      from: '2025-11-03',
      to: '2025-11-04',
      days: 2,
      calls: 2,
      costMicros: 4_000,
    });
    expect(shift.secondHalf).toEqual({
      from: '2025-11-05',
      to: '2025-11-06',
      days: 2,
      calls: 3,
      costMicros: 8_000,
    });
    expect(shift.models).toEqual([
      {
        provider: 'anthropic',
        model: 'claude-3-5-haiku',
        firstCalls: 1,
        secondCalls: 2,
        firstCostMicros: 1_000,
        secondCostMicros: 7_000,
        firstCallShare: 0.5,
        secondCallShare: 0.666667,
        firstCostShare: 0.25,
        secondCostShare: 0.875,
        callShareChange: 0.166667,
        costShareChange: 0.625,
      },
      {
        provider: 'openai',
        model: 'gpt-4o',
        firstCalls: 1,
        secondCalls: 1,
        firstCostMicros: 3_000,
        secondCostMicros: 1_000,
        firstCallShare: 0.5,
        secondCallShare: 0.333333,
        firstCostShare: 0.75,
        secondCostShare: 0.125,
        callShareChange: -0.166667,
        costShareChange: -0.625,
      },
    ]);
    // The understanding analysis reports the same cost shares.
    expect(
      results.understanding!.modelShares.map((row) => [row.model, row.firstHalfShare, row.change]),
    ).toEqual([
      ['claude-3-5-haiku', 0.25, 0.625],
      ['gpt-4o', 0.75, -0.625],
    ]);
    const section = optimizationDocument(results.optimization!, results.meta).sections.find(
      (entry) => entry.title === 'Model mix over the window',
    )!;
    expect(section.blocks.map((block) => block.kind)).toEqual(['chart', 'table']);
  });

  it('says so for a window of one day', async () => {
    const results = await analyzeCosts([call({ day: 0 })], { analyses: ['optimization'] });
    expect(results.optimization!.modelShift.firstHalf).toBeNull();
    const section = optimizationDocument(results.optimization!, results.meta).sections.find(
      (entry) => entry.title === 'Model mix over the window',
    )!;
    expect(section.blocks[0]!.kind).toBe('text');
  });
});
