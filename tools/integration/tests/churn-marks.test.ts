import { type AnalysisResults, type ChurnResult, analyzeCosts, resolveConfig } from '@finops/analyzers';
import type { CallRecord } from '@finops/schema';
import { type SimulationOptions, simulate, simulationPopulation } from '@finops/simulator';

/**
 * The churn-risk and expansion scenarios leave the marks the churn analysis
 * is meant to find, and base traffic of the same size raises none of them
 * at the thresholds of the docs (the default settings).
 */

function options(scenario: SimulationOptions['scenario']): SimulationOptions {
  return { scenario, customers: 40, days: 30, start: '2025-09-01', seed: 11 };
}

async function churnOf(simulation: SimulationOptions): Promise<ChurnResult> {
  async function* records(): AsyncGenerator<CallRecord[]> {
    for await (const batch of simulate(simulation)) yield batch;
  }
  const results: AnalysisResults = await analyzeCosts(records(), {
    analyses: ['churn'],
    source: `simulated ${simulation.scenario}`,
  });
  return results.churn as ChurnResult;
}

const defaults = resolveConfig({}).churn;
let base: ChurnResult;
beforeAll(async () => {
  base = await churnOf(options('base'));
}, 60_000);

describe('the churn analysis on simulated scenarios', () => {
  it('churn-risk: the executive summary proposes keeping the customers at risk, worth their subscriptions a month', async () => {
    const simulation = options('churn-risk');
    async function* records(): AsyncGenerator<CallRecord[]> {
      for await (const batch of simulate(simulation)) yield batch;
    }
    const results = await analyzeCosts(records(), { analyses: ['churn'] });
    const action = results.summary?.actions.find((entry) => entry.analysis === 'churn');
    expect(action?.title).toBe('Reach out to customers at churn risk');
    expect(action?.monthlyMicros).toBe(results.churn?.totals.monthlyRevenueAtRiskMicros);
    expect(action?.monthlyMicros).toBeGreaterThan(0);
  });

  it('churn-risk: every customer whose usage slides is at risk, by its velocity drop, with its revenue', async () => {
    const churn = await churnOf(options('churn-risk'));
    const population = simulationPopulation(options('churn-risk'));
    expect(churn.atRisk.map((entry) => entry.customer).sort()).toEqual(
      population.map((customer) => customer.id).sort(),
    );
    for (const entry of churn.atRisk) {
      expect(entry.score).toBeGreaterThanOrEqual(defaults.riskScore);
      expect(entry.signals[0]?.kind).toBe('velocity_drop');
      expect(entry.figures['velocity']).toBeLessThan(0.4);
      expect(entry.revenueAtRiskMicros).toBeGreaterThan(0);
    }
    expect(churn.totals.monthlyRevenueAtRiskMicros).toBe(
      churn.atRisk.reduce((total, entry) => total + entry.revenueAtRiskMicros, 0),
    );
    expect(churn.expansion).toEqual([]);
  }, 60_000);

  it('expansion: every starter customer that grows is an expansion candidate for the next plan', async () => {
    const churn = await churnOf(options('expansion'));
    const population = simulationPopulation(options('expansion'));
    expect(churn.expansion.map((entry) => entry.customer).sort()).toEqual(
      population.map((customer) => customer.id).sort(),
    );
    for (const entry of churn.expansion) {
      expect(entry.signals.map((signal) => signal.kind)).toContain('growth');
      expect(entry.figures['velocity']).toBeGreaterThanOrEqual(defaults.expansionVelocity);
      expect([entry.plan, entry.nextPlan, entry.expansionMicros]).toEqual(['starter', 'pro', 70_000_000]);
    }
    expect(churn.atRisk).toEqual([]);
  }, 60_000);

  it('base traffic: no customer at risk, none growing fast; plan moves only where usage passes the thresholds', () => {
    expect(base.totals.judged).toBe(40);
    expect(base.atRisk).toEqual([]);
    expect(Math.max(...base.customers.map((entry) => entry.riskScore))).toBeLessThan(defaults.riskScore / 2);
    expect(
      base.expansion.filter((entry) => entry.signals.some((signal) => signal.kind === 'growth')),
    ).toEqual([]);
    const median = new Map(base.plans.map((plan) => [plan.plan, plan.medianMonthlyCalls]));
    // A heavy user on a low plan is a real candidate: it uses more than the next plan's median customer.
    for (const entry of base.expansion)
      expect(entry.figures['monthlyCalls']).toBeGreaterThanOrEqual(
        defaults.outgrowRatio * (median.get(entry.nextPlan) ?? Infinity),
      );
    for (const entry of base.downgrade)
      expect(entry.figures['monthlyCalls']).toBeLessThanOrEqual(
        defaults.downgradeShare * (median.get(entry.plan) ?? 0),
      );
  });
});
