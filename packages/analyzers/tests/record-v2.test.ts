/* eslint-disable @typescript-eslint/no-non-null-assertion -- fixtures have known shapes */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  CSV_COLUMNS,
  type CallRecord,
  CustomerDirectory,
  csvHeaderLine,
  formatCsvRecords,
  parseCustomersCsv,
} from '@finops/schema';
import { type AnalysisResults, CostAnalyzer, analyzeCosts, analyzeInto, toReportDocuments } from '../src';
import { type RangeRunner, analyzeRange } from '../src/internal';
import { call, comparable, randomLogV2 } from './fixtures';

function stateOf(records: readonly CallRecord[]): ReturnType<CostAnalyzer['state']> {
  const analyzer = new CostAnalyzer();
  analyzer.addRecords(records);
  return JSON.parse(JSON.stringify(analyzer.state())) as ReturnType<CostAnalyzer['state']>;
}

const inProcess: RangeRunner = (task, onProgress) => analyzeRange(task, onProgress);

describe('merge laws over the version-2 columns', () => {
  const log = randomLogV2(500, 12);
  const whole = comparable(new CostAnalyzer().merge(stateOf(log)).finish());

  it('any split, merged in any order, gives the one-pass result', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: log.length - 1 }), { maxLength: 4 }),
        fc.boolean(),
        (cuts, reverse) => {
          const points = [0, ...cuts.sort((a, b) => a - b), log.length];
          const parts = points.slice(1).map((end, index) => log.slice(points[index], end));
          if (reverse) parts.reverse();
          const merged = new CostAnalyzer();
          for (const part of parts) merged.merge(stateOf(part));
          expect(comparable(merged.finish())).toEqual(whole);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('reads a version-2 file the same in 1, 2 and 4 parts as from records', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'analyzers-v2-'));
    try {
      const path = join(dir, 'calls.csv');
      writeFileSync(path, csvHeaderLine([], CSV_COLUMNS) + formatCsvRecords(log, [], CSV_COLUMNS));
      const single = await analyzeCosts(path);
      const fromRecords = new CostAnalyzer({ source: path });
      fromRecords.addRecords(log);
      const expected = comparable(single);
      expect((comparable(fromRecords.finish()) as AnalysisResults).understanding).toEqual(
        (expected as AnalysisResults).understanding,
      );
      for (const parts of [2, 4]) {
        const analyzer = await analyzeInto(
          new CostAnalyzer({ source: path }),
          path,
          { workers: parts },
          inProcess,
        );
        expect(comparable(analyzer.finish())).toEqual(expected);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('what the version-2 columns show', () => {
  const records = [
    call({
      callId: 'a',
      costMicros: 1_000,
      calls: 10,
      latencyMs: null,
      region: 'eu-west-1',
      subscriptionTier: 'gold',
    }),
    call({
      callId: 'b',
      costMicros: 2_000,
      status: 'error',
      errorType: 'rate_limit',
      region: 'eu-west-1',
      latencyMs: 300,
    }),
    call({
      callId: 'c',
      costMicros: 4_000,
      status: 'error',
      errorType: 'timeout',
      region: 'us-east-1',
      latencyMs: 900,
      reasoningTokens: 100,
      environment: 'preview',
    }),
  ];
  const results = new CostAnalyzer();
  results.addRecords(records);
  const finished = results.finish();

  it('counts weighted rows as their calls and keeps calls without latency out of latency figures', () => {
    expect(finished.meta.calls).toBe(12);
    expect(finished.understanding!.totals.calls).toBe(12);
    expect(finished.performance!.overall.callsWithoutLatency).toBe(10);
    expect(finished.performance!.overall.meanMs).toBe(600);
    expect(finished.understanding!.usage.callsWithoutLatency).toBe(10);
  });

  it('sums failed calls by error type, model and customer, and regions with their latency', () => {
    const { failures, regions } = finished.understanding!.usage;
    expect(failures).toMatchObject({ calls: 2, costMicros: 6_000 });
    expect(failures.byErrorType).toEqual([
      { errorType: 'timeout', calls: 1, costMicros: 4_000 },
      { errorType: 'rate_limit', calls: 1, costMicros: 2_000 },
    ]);
    expect(failures.byCustomer).toEqual([{ customer: 'cust_a', calls: 2, costMicros: 6_000 }]);
    expect(regions.map((region) => [region.region, region.calls, region.costMicros, region.p50Ms])).toEqual([
      ['us-east-1', 1, 4_000, 900],
      ['eu-west-1', 11, 3_000, 300],
    ]);
  });

  it("prices reasoning at the model's prices: its cost and its share of output cost", () => {
    // gpt-4o: $10 per million output tokens; 100 of the three calls' 1,500 output tokens are reasoning.
    expect(finished.understanding!.usage.reasoning).toMatchObject({
      reasoningTokens: 100,
      costMicros: 1_000,
      outputCostMicros: 15_000,
      shareOfOutputCost: 0.066667,
    });
  });

  it('shows open plan and environment names in the breakdowns', () => {
    const breakdowns = finished.understanding!.breakdowns;
    expect(breakdowns.tier.map((row) => row.key).sort()).toEqual(['gold', 'pro']);
    expect(breakdowns.environment.map((row) => row.key).sort()).toEqual(['preview', 'production']);
  });

  it('renders every page with the new section', () => {
    const documents = toReportDocuments(finished);
    const understanding = documents.find((document) => document.id === 'understanding')!;
    const section = understanding.sections.find(
      (entry) => entry.title === 'Caching, failures, reasoning and regions',
    )!;
    expect(section.blocks.map((block) => (block.kind === 'table' ? block.title : block.kind))).toEqual([
      'Failed calls by error type',
      'Failed calls by model',
      'Failed calls by customer',
      'Reasoning tokens',
      'Cost and latency by region',
      'text',
    ]);
  });
});

describe('a customers file', () => {
  const records = [
    call({ callId: '1', customerId: 'acme', subscriptionTier: 'pro', costMicros: 5_000_000 }),
    call({ callId: '2', customerId: 'globex', subscriptionTier: 'pro', costMicros: 1_000_000, day: 29 }),
    call({ callId: '3', customerId: 'initech', subscriptionTier: 'platinum', costMicros: 2_000_000 }),
  ];
  const analyze = (customers?: CustomerDirectory): AnalysisResults => {
    const analyzer = new CostAnalyzer(customers ? { customers } : {});
    analyzer.addRecords(records);
    return analyzer.finish();
  };

  it('without it: plan prices prorated, and a plan without a price is revenue unknown, not a loss', () => {
    const profitability = analyze().profitability!;
    const byCustomer = new Map(profitability.customers.map((entry) => [entry.customer, entry]));
    // 30 days: pro's $99 a month for each of the two pro customers.
    expect(byCustomer.get('acme')).toMatchObject({ revenueMicros: 99_000_000, status: 'profitable' });
    expect(byCustomer.get('initech')).toMatchObject({
      tier: 'platinum',
      status: 'revenue_unknown',
      marginMicros: 0,
    });
    expect(profitability.revenueUnknown).toEqual({ customers: 1, costMicros: 2_000_000, calls: 1 });
    expect(profitability.totals).toMatchObject({
      customers: 2,
      revenueMicros: 198_000_000,
      costMicros: 6_000_000,
    });
  });

  it('with it: real plans and monthly revenue over the window, margins follow', () => {
    const customers = parseCustomersCsv(
      'customer_id,plan,monthly_revenue_usd,name\nacme,enterprise,4.50,Acme Corp\ninitech,platinum,1200,\n',
    );
    const profitability = analyze(customers).profitability!;
    const byCustomer = new Map(profitability.customers.map((entry) => [entry.customer, entry]));
    expect(byCustomer.get('acme')).toMatchObject({
      tier: 'enterprise',
      revenueMicros: 4_500_000,
      marginMicros: -500_000,
      status: 'unprofitable',
    });
    expect(byCustomer.get('initech')).toMatchObject({ revenueMicros: 1_200_000_000, status: 'profitable' });
    expect(byCustomer.get('globex')).toMatchObject({ tier: 'pro', revenueMicros: 99_000_000 });
    expect(profitability.revenueUnknown.customers).toBe(0);
  });

  it('names every bad line of a customers file', () => {
    expect(() =>
      parseCustomersCsv('customer_id,monthly_revenue_usd\n,5\nacme,ten\nacme,1\nacme,2\n', 'c.csv'),
    ).toThrow(
      /c\.csv: invalid customers file:\n {2}- line 2: customer_id is empty\n {2}- line 3: monthly_revenue_usd "ten" is not a non-negative number of dollars\n {2}- line 4: customer_id "acme" is listed twice\n {2}- line 5: customer_id "acme" is listed twice$/,
    );
    expect(() => parseCustomersCsv('id,plan\n')).toThrow(/lacks customer_id/);
  });
});

describe('a column mapping', () => {
  it('reads a CSV and a JSON Lines log with their own column names, in one part or two', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'analyzers-map-'));
    try {
      const rows = Array.from({ length: 40 }, (_, index) => ({
        startTime: `2026-03-0${1 + (index % 5)}T10:00:${String(index).padStart(2, '0')}Z`,
        provider: 'openai',
        model: 'gpt-4o',
        prompt_tokens: 100 + index,
        output_tokens: 20,
        spend: '0.001',
        end_user: `user_${index % 4}`,
      }));
      const csvPath = join(dir, 'export.csv');
      writeFileSync(
        csvPath,
        [Object.keys(rows[0]!).join(','), ...rows.map((row) => Object.values(row).join(','))].join('\n') +
          '\n',
      );
      const jsonPath = join(dir, 'export.jsonl');
      writeFileSync(jsonPath, rows.map((row) => JSON.stringify(row)).join('\n') + '\n');
      const mapping = {
        timestamp: 'startTime',
        input_tokens: 'prompt_tokens',
        cost_usd: 'spend',
        customer_id: 'end_user',
      };
      const fromCsv = await analyzeCosts(csvPath, { mapping, analyses: ['understanding'] });
      expect(fromCsv.meta.rowsKept).toBe(40);
      expect(fromCsv.understanding!.totals).toMatchObject({ calls: 40, costMicros: 40_000, customers: 4 });
      const inParts = await analyzeInto(
        new CostAnalyzer({ source: csvPath, mapping, analyses: ['understanding'] }),
        csvPath,
        { workers: 2, mapping },
        inProcess,
      );
      expect(comparable(inParts.finish())).toEqual(comparable(fromCsv));
      const fromJson = await analyzeCosts(jsonPath, {
        mapping,
        analyses: ['understanding'],
        source: csvPath,
      });
      expect(fromJson.understanding).toEqual(fromCsv.understanding);
      await expect(analyzeCosts(csvPath)).rejects.toThrow(/lacks the columns timestamp, input_tokens/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
