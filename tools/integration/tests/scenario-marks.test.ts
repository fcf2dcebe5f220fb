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
