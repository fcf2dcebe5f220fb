import { defaultCatalog, KNOWN_FEATURES, recordHour, recordWeekday } from '@finops/schema';
import {
  ALL_COHORTS,
  ARCHETYPES,
  FEATURE_ADOPTION,
  SCENARIO_NAMES,
  simulate,
  simulationPopulation,
} from '../src';
import { MONDAY } from './helpers';

describe('population', () => {
  it('splits archetypes exactly 70/20/10 for any size', () => {
    for (const customers of [1, 7, 10, 99, 1234]) {
      const population = simulationPopulation({ customers, start: MONDAY });
      const light = population.filter((customer) => customer.archetype === 'light').length;
      const power = population.filter((customer) => customer.archetype === 'power').length;
      expect(Math.abs(light - 0.7 * customers)).toBeLessThanOrEqual(1);
      expect(Math.abs(power - 0.2 * customers)).toBeLessThanOrEqual(1);
      expect(population).toHaveLength(customers);
    }
  });

  it('gives each archetype its tier mix, calls per day and feature adoption', () => {
    const population = simulationPopulation({ customers: 20_000, start: MONDAY, seed: 5 });
    for (const profile of ARCHETYPES) {
      const members = population.filter((customer) => customer.archetype === profile.name);
      const tiers = ['starter', 'pro', 'enterprise'].map(
        (tier) => members.filter((customer) => customer.tier === tier).length / members.length,
      );
      tiers.forEach((share, index) =>
        expect(Math.abs(share - (profile.tierMix[index] ?? 0))).toBeLessThan(0.03),
      );
      const outOfRange = members.filter(
        (member) =>
          member.callsPerDay < profile.minCallsPerDay || member.callsPerDay > profile.maxCallsPerDay,
      );
      expect(outOfRange).toEqual([]);
    }
    const adoption = KNOWN_FEATURES.map(
      (feature) =>
        population.filter((customer) => customer.features.some((entry) => entry.feature === feature)).length /
        population.length,
    );
    KNOWN_FEATURES.forEach((feature, index) =>
      expect(Math.abs((adoption[index] ?? 0) - FEATURE_ADOPTION[feature])).toBeLessThan(0.03),
    );
    expect(new Set(adoption.map((share) => share.toFixed(2))).size).toBe(KNOWN_FEATURES.length);
    const organizations = new Set(population.map((customer) => customer.organizationId));
    expect(organizations.size).toBe(10);
  });

  it('splits an `all` run into a base cohort and one cohort per scenario', () => {
    const population = simulationPopulation({ customers: 210, start: MONDAY, scenario: 'all' });
    for (const cohort of ALL_COHORTS) {
      expect(population.filter((customer) => customer.cohort === cohort)).toHaveLength(10);
    }
    expect(ALL_COHORTS).toEqual(['base', ...SCENARIO_NAMES]);
    const single = simulationPopulation({ customers: 20, start: MONDAY, scenario: 'burst' });
    expect(single.every((customer) => customer.cohort === 'burst')).toBe(true);
  });

  it('keeps one tier, organization and product per customer across the whole file', async () => {
    const population = new Map(
      simulationPopulation({ customers: 80, days: 10, start: MONDAY, scenario: 'all' }).map((c) => [c.id, c]),
    );
    const seen = new Map<string, string>();
    let mismatches = 0;
    for await (const batch of simulate({ customers: 80, days: 10, start: MONDAY, scenario: 'all' })) {
      for (const record of batch) {
        const attributes = `${record.subscriptionTier}|${record.organizationId}|${record.productId}`;
        const before = seen.get(record.customerId);
        if (before !== undefined && before !== attributes) mismatches++;
        seen.set(record.customerId, attributes);
        const customer = population.get(record.customerId);
        if (`${customer?.tier}|${customer?.organizationId}|${customer?.productId}` !== attributes)
          mismatches++;
      }
    }
    expect(mismatches).toBe(0);
    expect(seen.size).toBe(80);
  });
});

describe('traffic shares on a large base run', () => {
  // 300 customers over two weeks: about 250,000 calls.
  const options = { customers: 300, days: 14, start: MONDAY, seed: 2024 } as const;
  const byProvider = new Map<string, number>();
  const byEnvironment = new Map<string, number>();
  const byWeekday = new Array<number>(7).fill(0);
  const byArchetype = new Map<string, number>();
  let businessHours = 0;
  let calls = 0;
  let simpleOnPremium = 0;
  let taskEqualsFeature = 0;

  beforeAll(async () => {
    const catalog = defaultCatalog();
    const archetypeOf = new Map(
      simulationPopulation(options).map((customer) => [customer.id, customer.archetype]),
    );
    for await (const batch of simulate(options)) {
      for (const record of batch) {
        calls++;
        byProvider.set(record.provider, (byProvider.get(record.provider) ?? 0) + 1);
        byEnvironment.set(record.environment, (byEnvironment.get(record.environment) ?? 0) + 1);
        const weekday = recordWeekday(record);
        byWeekday[weekday] = (byWeekday[weekday] ?? 0) + 1;
        const hour = recordHour(record);
        if (hour >= 8 && hour < 20) businessHours++;
        const archetype = archetypeOf.get(record.customerId) ?? '?';
        byArchetype.set(archetype, (byArchetype.get(archetype) ?? 0) + 1);
        if (
          ['qa', 'translation', 'chat'].includes(record.taskType) &&
          catalog.get(record.provider, record.model)?.class === 'premium'
        ) {
          simpleOnPremium++;
        }
        if (record.taskType === record.featureId) taskEqualsFeature++;
      }
    }
  });

  it('puts about 85 % of calls in business hours', () => {
    expect(calls).toBeGreaterThan(150_000);
    expect(businessHours / calls).toBeCloseTo(0.85, 1);
    expect(Math.abs(businessHours / calls - 0.85)).toBeLessThan(0.01);
  });

  it('gives weekends about 70 % of weekday volume', () => {
    const weekday = (byWeekday.slice(0, 5).reduce((a, b) => a + b, 0) / 5) * 2;
    const weekend = byWeekday.slice(5).reduce((a, b) => a + b, 0);
    expect(Math.abs(weekend / weekday - 0.7)).toBeLessThan(0.05);
  });

  it('splits environments 95/4/1', () => {
    expect(Math.abs((byEnvironment.get('production') ?? 0) / calls - 0.95)).toBeLessThan(0.005);
    expect(Math.abs((byEnvironment.get('staging') ?? 0) / calls - 0.04)).toBeLessThan(0.004);
    expect(Math.abs((byEnvironment.get('development') ?? 0) / calls - 0.01)).toBeLessThan(0.002);
  });

  it('follows the catalog provider shares', () => {
    for (const provider of defaultCatalog().providers) {
      const share = (byProvider.get(provider.name) ?? 0) / calls;
      expect(Math.abs(share - provider.share)).toBeLessThan(Math.max(0.01, provider.share * 0.15));
    }
  });

  it('sends most traffic from heavy and power users, and sometimes premium models on simple tasks', () => {
    const heavy = (byArchetype.get('heavy') ?? 0) / calls;
    const light = (byArchetype.get('light') ?? 0) / calls;
    expect(heavy).toBeGreaterThan(0.4);
    expect(light).toBeLessThan(0.2);
    expect(simpleOnPremium / calls).toBeGreaterThan(0.02);
    expect(Math.abs(taskEqualsFeature / calls - 0.8)).toBeLessThan(0.02);
  });
});
