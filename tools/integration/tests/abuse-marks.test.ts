import { type AbuseKind, type AbuseResult, analyzeCosts } from '@finops/analyzers';
import type { CallRecord } from '@finops/schema';
import { type SimulationOptions, simulate, simulationPopulation } from '@finops/simulator';

/**
 * The abuse analysis finds each planted mark with its kind on every customer
 * of the scenario, and base traffic raises no flag of those kinds.
 */

function options(
  scenario: SimulationOptions['scenario'],
  overrides: Partial<SimulationOptions> = {},
): SimulationOptions {
  return { scenario, customers: 40, days: 30, start: '2025-09-01', seed: 11, ...overrides };
}

async function abuseOf(simulation: SimulationOptions): Promise<AbuseResult> {
  async function* records(): AsyncGenerator<CallRecord[]> {
    for await (const batch of simulate(simulation)) yield batch;
  }
  const results = await analyzeCosts(records(), { analyses: ['abuse'] });
  if (results.abuse === undefined) throw new Error('no abuse result');
  return results.abuse;
}

function flagged(abuse: AbuseResult, kind: AbuseKind): Set<string> {
  return new Set(abuse.flags.filter((flag) => flag.kind === kind).map((flag) => flag.customer));
}

/** The kinds a scenario plants; base traffic must raise none of them. */
const PLANTED: readonly AbuseKind[] = [
  'minute_burst',
  'hour_burst',
  'off_hours',
  'model_hopping',
  'oversized_batch',
  'cost_outlier',
  'volume_outlier',
];

describe('abuse marks', () => {
  it.each([
    ['minute-flood', 'minute_burst'],
    ['off-hours', 'off_hours'],
    ['model-hopping', 'model_hopping'],
    ['oversized-batch', 'oversized_batch'],
  ] as const)(
    '%s: every customer is flagged %s',
    async (scenario, kind) => {
      const abuse = await abuseOf(options(scenario));
      const customers = simulationPopulation(options(scenario)).map((customer) => customer.id);
      expect([...flagged(abuse, kind)].sort()).toEqual(customers.sort());
      for (const flag of abuse.flags.filter((entry) => entry.kind === kind)) {
        expect(flag.costMicros).toBeGreaterThan(0);
        expect(Number.isInteger(flag.monthlyMicros)).toBe(true);
      }
    },
    120_000,
  );

  it('burst: hours at many times a customer’s normal are hour bursts', async () => {
    const abuse = await abuseOf(options('burst'));
    const bursts = abuse.flags.filter((flag) => flag.kind === 'hour_burst');
    expect(bursts.length).toBeGreaterThanOrEqual(8);
    for (const flag of bursts) expect(flag.figures.peakMultiple).toBeGreaterThanOrEqual(10);
  }, 120_000);

  it.each([
    [40, 11],
    [200, 13],
  ])(
    'base traffic of %i customers (seed %i) raises none of the planted kinds, and plan gaming only where the plan is below the customer’s size',
    async (customers, seed) => {
      const abuse = await abuseOf(options('base', { customers, seed }));
      for (const kind of PLANTED) expect([kind, flagged(abuse, kind).size]).toEqual([kind, 0]);
      // Base traffic puts a tenth of its power users on the starter plan: those use it like a pro customer.
      const population = simulationPopulation(options('base', { customers, seed }));
      const gaming = flagged(abuse, 'plan_gaming');
      for (const customer of population) {
        const aboveItsPlan =
          (customer.tier === 'starter' && customer.archetype !== 'light') ||
          (customer.tier === 'pro' && customer.archetype === 'heavy');
        if (gaming.has(customer.id)) expect([customer.id, aboveItsPlan]).toEqual([customer.id, true]);
        if (customer.tier === 'starter' && customer.archetype !== 'light')
          expect([customer.id, gaming.has(customer.id)]).toEqual([customer.id, true]);
      }
    },
    300_000,
  );
});
