import { type AnalysisResults, analyzeCosts } from '@finops/analyzers';
import { type CallRecord, formatUtcDay, MS_PER_DAY, parseUtcDay } from '@finops/schema';
import { type SimulationOptions, simulate, simulationPopulation } from '@finops/simulator';

const START = '2025-09-01';
const startDay = parseUtcDay(START);

function options(
  scenario: SimulationOptions['scenario'],
  overrides: Partial<SimulationOptions> = {},
): SimulationOptions {
  return { scenario, customers: 40, days: 30, start: START, seed: 11, ...overrides };
}

/** Simulated records straight into the analyses (the same records a file would hold). */
async function analyzeScenario(
  simulation: SimulationOptions,
  keep: (record: CallRecord) => boolean = () => true,
): Promise<AnalysisResults> {
  async function* records(): AsyncGenerator<CallRecord[]> {
    for await (const batch of simulate(simulation)) yield batch.filter(keep);
  }
  return analyzeCosts(records(), { source: `simulated ${simulation.scenario}` });
}

function dayOf(record: CallRecord): number {
  return Math.floor(record.timeMs / MS_PER_DAY) - startDay;
}

describe('each scenario leaves the mark its analysis is meant to find', () => {
  it('burst: real-time analysis finds daily spikes that base traffic does not have', async () => {
    const burst = await analyzeScenario(options('burst'));
    const base = await analyzeScenario(options('base'));
    const spikes = burst.realtime?.spikes ?? [];
    expect(spikes.length).toBeGreaterThanOrEqual(5);
    expect(spikes.every((spike) => spike.multiple >= 5)).toBe(true);
    // Quiet customers have chance spikes too; bursts add well over as many again.
    expect(spikes.length).toBeGreaterThanOrEqual(2 * (base.realtime?.spikes.length ?? 0));
  }, 60_000);

  it('decline: cost trends down and declining customers outnumber accelerating ones', async () => {
    const results = await analyzeScenario(options('decline'));
    expect(results.understanding?.forecast.slopeUsdPerDay).toBeLessThan(0);
    const trends = results.realtime?.portfolio.trends;
    expect(trends?.declining).toBeGreaterThan(3 * (trends?.accelerating ?? 0));
    // Customers that stopped before the last week are the ones at risk: each shows as declining.
    const stopped = simulationPopulation(options('decline')).filter(
      (customer) => customer.churnDay !== undefined && customer.churnDay <= 30 - 7,
    );
    expect(stopped.length).toBeGreaterThan(0);
    const trendOf = new Map(
      results.realtime?.portfolio.customers.map((entry) => [entry.customer, entry.trend]),
    );
    for (const customer of stopped)
      expect([customer.id, trendOf.get(customer.id)]).toEqual([customer.id, 'declining']);
    const daily = results.understanding?.daily ?? [];
    const firstWeek = daily.slice(0, 7).reduce((sum, day) => sum + day.costMicros, 0);
    const lastWeek = daily.slice(-7).reduce((sum, day) => sum + day.costMicros, 0);
    expect(lastWeek).toBeLessThan(firstWeek * 0.8);
  }, 60_000);

  it('model-migration: the target model gains the share the source model loses', async () => {
    const results = await analyzeScenario(options('model-migration', { days: 35 }));
    const shares = results.understanding?.modelShares ?? [];
    const target = shares.find((share) => share.model === 'claude-sonnet-4');
    const source = shares.find((share) => share.model === 'gpt-4');
    expect(target?.change).toBeGreaterThan(0.05);
    expect(source?.change).toBeLessThan(-0.05);
  }, 60_000);

  it('model-migration: the optimization page shows the same shift of the model mix', async () => {
    const results = await analyzeScenario(options('model-migration', { days: 35 }));
    const models = results.optimization?.modelShift.models ?? [];
    expect(models.find((row) => row.model === 'claude-sonnet-4')?.costShareChange).toBeGreaterThan(0.05);
    expect(models.find((row) => row.model === 'gpt-4')?.callShareChange).toBeLessThan(-0.05);
  }, 60_000);

  it('costly-sessions: the planted sessions and their traces are the costliest the features analysis lists', async () => {
    const simulation = options('costly-sessions');
    const calls = new Map<string, number>();
    const results = await analyzeScenario(simulation, (record) => {
      const key = `${record.customerId} ${record.sessionId}`;
      calls.set(key, (calls.get(key) ?? 0) + 1);
      return true;
    });
    const planted = new Set([...calls].filter(([, count]) => count >= 80).map(([key]) => key));
    expect(planted.size).toBeGreaterThan(10);
    const sessions = results.features?.sessions ?? [];
    expect(sessions).toHaveLength(10);
    for (const session of sessions) expect(planted.has(`${session.customer} ${session.id}`)).toBe(true);
    expect((results.features?.traces ?? []).every((trace) => trace.calls >= 80)).toBe(true);
    const base = await analyzeScenario(options('base'));
    expect(Math.max(...(base.features?.sessions ?? []).map((session) => session.calls))).toBeLessThan(80);
    // A planted session costs many times the median session.
    const median = results.features?.perSession.overall.medianCostMicros ?? 0;
    expect(sessions.at(-1)?.costMicros).toBeGreaterThan(10 * median);
  }, 120_000);

  it('a year of base traffic: twelve calendar months, and drivers that add up to the latest change', async () => {
    const results = await analyzeScenario(options('base', { days: 365, customers: 6 }));
    const months = results.understanding?.periods.months;
    expect(months?.periods.map((row) => row.period)).toHaveLength(12);
    expect(months?.periods.every((row) => row.complete)).toBe(true);
    const comparison = months?.comparison;
    expect([comparison?.previous, comparison?.current]).toEqual(['2026-07', '2026-08']);
    for (const drivers of comparison?.drivers ?? [])
      expect(drivers.top.reduce((sum, row) => sum + row.changeMicros, 0) + drivers.others.changeMicros).toBe(
        comparison?.changeMicros,
      );
    const weeks = results.understanding?.periods.weeks;
    expect(weeks?.periods.length).toBe(53);
    expect(weeks?.comparison).not.toBeNull();
  }, 180_000);

  it('cost-optimization: switch savings per call shrink once simple tasks move to cheap models', async () => {
    const simulation = options('cost-optimization', { days: 30 });
    const before = await analyzeScenario(simulation, (record) => dayOf(record) < 10);
    const after = await analyzeScenario(simulation, (record) => dayOf(record) >= 21);
    const savingsPerCall = (results: AnalysisResults): number => {
      const switches = results.optimization?.switches ?? [];
      const savings = switches.reduce((sum, change) => sum + change.savingsMicros, 0);
      return savings / (results.understanding?.totals.calls ?? 1);
    };
    expect(savingsPerCall(after)).toBeLessThan(savingsPerCall(before) * 0.6);
    const costPerCall = (results: AnalysisResults): number =>
      results.understanding?.totals.avgCostPerCallUsd ?? 0;
    expect(costPerCall(after)).toBeLessThan(costPerCall(before));
  }, 60_000);

  it('feature-launch: the new feature appears on launch day and is adopted', async () => {
    const results = await analyzeScenario(options('feature-launch'));
    const feature = results.features?.features.find((economics) => economics.feature === 'ai_assistant');
    expect(feature?.firstSeen).toBe(formatUtcDay(startDay + 10));
    // 40 % adopt for good; others try it on launch day, so more have used it at least once.
    expect(feature?.adoption).toBeGreaterThan(0.4);
    expect(feature?.adoption).toBeLessThan(1);
  }, 60_000);
});
