import type { CallRecord } from '@finops/schema';
import { type SimulationOptions, simulationPopulation } from '../src';
import { collect, countBy, dayIndex, median, MONDAY } from './helpers';

/**
 * The scenarios that plant the marks of the overview, tokens, geography,
 * churn and abuse analyses: each mark is measured from the generated
 * records, and the same measure on base traffic of the same size stays far
 * below it.
 */

const DAYS = 28;
const MINUTE_MS = 60_000;

function options(scenario: SimulationOptions['scenario'], overrides: Partial<SimulationOptions> = {}) {
  return { scenario, customers: 30, days: DAYS, start: MONDAY, seed: 21, ...overrides } as const;
}

let baseRecords: CallRecord[];
beforeAll(async () => {
  baseRecords = await collect(options('base'));
}, 60_000);

/** Records grouped by customer, each group in time order. */
function byCustomer(records: readonly CallRecord[]): Map<string, CallRecord[]> {
  const groups = new Map<string, CallRecord[]>();
  for (const record of records) {
    const group = groups.get(record.customerId) ?? [];
    group.push(record);
    groups.set(record.customerId, group);
  }
  return groups;
}

/** The most calls a customer makes within any `windowMs` (a sliding window over its calls). */
function peakInWindow(calls: readonly CallRecord[], windowMs: number): number {
  let peak = 0;
  let first = 0;
  for (let last = 0; last < calls.length; last++) {
    while ((calls[last]?.timeMs ?? 0) - (calls[first]?.timeMs ?? 0) >= windowMs) first++;
    peak = Math.max(peak, last - first + 1);
  }
  return peak;
}

/** The most distinct models a customer uses within any `windowMs`. */
function peakModelsInWindow(calls: readonly CallRecord[], windowMs: number): number {
  const inWindow = new Map<string, number>();
  let peak = 0;
  let first = 0;
  for (const call of calls) {
    inWindow.set(call.model, (inWindow.get(call.model) ?? 0) + 1);
    while (call.timeMs - (calls[first]?.timeMs ?? 0) >= windowMs) {
      const model = calls[first]?.model ?? '';
      const left = (inWindow.get(model) ?? 1) - 1;
      if (left === 0) inWindow.delete(model);
      else inWindow.set(model, left);
      first++;
    }
    peak = Math.max(peak, inWindow.size);
  }
  return peak;
}

/** Calls in days [from, to) over calls in days [from − length, from): the recent period against the one before. */
function velocity(calls: readonly CallRecord[], from: number, length: number): number {
  let recent = 0;
  let before = 0;
  for (const call of calls) {
    const day = dayIndex(call);
    if (day >= from && day < from + length) recent++;
    else if (day >= from - length && day < from) before++;
  }
  return recent / Math.max(1, before);
}

function hourOf(record: CallRecord): number {
  return Math.floor((record.timeMs % 86_400_000) / 3_600_000);
}

describe('regional-latency', () => {
  it('makes one provider’s route through one region markedly slower, and one region fastest for every model', async () => {
    const records = await collect(options('regional-latency'));
    const latencies = (list: readonly CallRecord[], keep: (record: CallRecord) => boolean): number =>
      median(
        list.filter((record) => keep(record) && record.status === 'success').map((r) => r.latencyMs ?? 0),
      );
    const slowRoute = (list: readonly CallRecord[]): number =>
      latencies(list, (r) => r.provider === 'anthropic' && r.region === 'ap-southeast-1') /
      latencies(list, (r) => r.provider === 'anthropic' && r.region === 'us-east-1');
    // 3 × the region's own 1.35 against 1: about 4 times as slow; base traffic only the region's 1.35.
    expect(slowRoute(records)).toBeGreaterThan(2.5);
    expect(slowRoute(baseRecords)).toBeLessThan(1.7);

    // Every region carries traffic of every busy model, and us-west-2 is the fastest route for nearly all.
    const byModel = countBy(records, (record) => record.model);
    const busy = [...byModel].filter(([, calls]) => calls >= 400).map(([model]) => model);
    expect(busy.length).toBeGreaterThan(5);
    let fastest = 0;
    for (const model of busy) {
      const medians = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-1'].map((region) =>
        latencies(records, (r) => r.model === model && r.region === region),
      );
      if (medians.indexOf(Math.min(...medians)) === 1) fastest++;
    }
    expect(fastest / busy.length).toBeGreaterThan(0.9);

    // And cheaper: more of its prompts come from the cache.
    const cacheShare = (list: readonly CallRecord[], region: string): number => {
      const inRegion = list.filter((record) => record.region === region);
      return (
        inRegion.reduce((total, r) => total + (r.cachedInputTokens ?? 0), 0) /
        inRegion.reduce((total, r) => total + r.inputTokens, 0)
      );
    };
    expect(cacheShare(records, 'us-west-2')).toBeGreaterThan(2 * cacheShare(records, 'us-east-1'));
    expect(cacheShare(baseRecords, 'us-west-2')).toBeLessThan(1.5 * cacheShare(baseRecords, 'us-east-1'));
  }, 60_000);
});

describe('minute-flood', () => {
  it('puts starter-plan customers’ hundreds of calls into one minute, far above their own normal minute', async () => {
    const records = await collect(options('minute-flood'));
    const population = simulationPopulation(options('minute-flood'));
    expect(population.every((customer) => customer.tier === 'starter')).toBe(true);
    const groups = byCustomer(records);
    for (const customer of population) {
      const calls = groups.get(customer.id) ?? [];
      const perMinute = [...countBy(calls, (record) => Math.floor(record.timeMs / MINUTE_MS)).values()];
      const peak = peakInWindow(calls, MINUTE_MS);
      expect([customer.id, peak >= 200]).toEqual([customer.id, true]);
      expect(peak).toBeGreaterThan(50 * median(perMinute));
    }
    const basePeak = Math.max(
      ...[...byCustomer(baseRecords).values()].map((c) => peakInWindow(c, MINUTE_MS)),
    );
    expect(basePeak).toBeLessThan(40);
  }, 60_000);

  it('takes its strength, length and plan from the parameters', async () => {
    const flood = { dayShare: 1, minCalls: 90, maxCalls: 90, seconds: 10, tier: 'pro' };
    const tuned = options('minute-flood', { customers: 4, days: 2, parameters: { 'minute-flood': flood } });
    const records = await collect(tuned);
    expect(new Set(records.map((record) => record.subscriptionTier))).toEqual(new Set(['pro']));
    for (const calls of byCustomer(records).values())
      expect(peakInWindow(calls, 10_000)).toBeGreaterThanOrEqual(90);
  });
});

describe('off-hours', () => {
  it('runs starter-plan customers’ evenly spaced calls at 03:00 every night', async () => {
    const records = await collect(options('off-hours'));
    const population = simulationPopulation(options('off-hours'));
    expect(population.every((customer) => customer.tier === 'starter')).toBe(true);
    const nightly = (list: readonly CallRecord[]): Map<string, number> =>
      countBy(
        list.filter((record) => hourOf(record) === 3),
        (r) => `${r.customerId} ${dayIndex(r)}`,
      );
    const nights = nightly(records);
    for (const customer of population) {
      for (let day = 0; day < DAYS; day++) {
        expect([customer.id, day, (nights.get(`${customer.id} ${day}`) ?? 0) >= 30]).toEqual([
          customer.id,
          day,
          true,
        ]);
      }
    }
    // The busiest base customers spread a few calls an hour over the night; never 30 in that hour.
    expect(Math.max(0, ...nightly(baseRecords).values())).toBeLessThan(20);
  }, 60_000);

  it('starts at the local hour of a customer’s time zone', async () => {
    const night = { localHour: 22, minCalls: 12, maxCalls: 12, minutes: 30, tier: 'enterprise' };
    const records = await collect(
      options('off-hours', { customers: 3, days: 2, parameters: { 'off-hours': night } }),
    );
    const atTen = records.filter(
      (record) => hourOf(record) === 22 && record.timeMs % 3_600_000 < 30 * MINUTE_MS,
    );
    expect(countBy(atTen, (record) => record.customerId).size).toBe(3);
    expect(atTen.length).toBeGreaterThanOrEqual(3 * 2 * 12);
    expect(new Set(records.map((record) => record.subscriptionTier))).toEqual(new Set(['enterprise']));
  });
});

describe('model-hopping', () => {
  it('cycles customers through 20 models within five minutes, which base traffic never does', async () => {
    const records = await collect(options('model-hopping'));
    const fiveMinutes = 5 * MINUTE_MS;
    for (const [customer, calls] of byCustomer(records))
      expect([customer, peakModelsInWindow(calls, fiveMinutes) >= 20]).toEqual([customer, true]);
    const basePeak = Math.max(
      ...[...byCustomer(baseRecords).values()].map((calls) => peakModelsInWindow(calls, fiveMinutes)),
    );
    // Base calls pick their model call by call, so a busy customer meets many models; never 20 in five minutes.
    expect(basePeak).toBeLessThan(18);
  }, 60_000);
});

describe('oversized-batch', () => {
  it('packs many calls into one second, each with a huge prompt for a tiny answer', async () => {
    const records = await collect(options('oversized-batch'));
    const perSecond = countBy(
      records,
      (record) => `${record.customerId} ${Math.floor(record.timeMs / 1000)}`,
    );
    const batches = [...perSecond].filter(([, calls]) => calls >= 50).map(([key]) => key);
    // 30 customers × 28 days × 0.3: about 250 batches.
    expect(batches.length).toBeGreaterThan(150);
    const inBatch = new Set(batches);
    const ratio = (list: readonly CallRecord[]): number =>
      median(list.filter((r) => r.outputTokens > 0).map((r) => r.inputTokens / r.outputTokens));
    const batchCalls = records.filter((r) => inBatch.has(`${r.customerId} ${Math.floor(r.timeMs / 1000)}`));
    expect(ratio(batchCalls)).toBeGreaterThan(100);
    expect(Math.max(...batchCalls.map((r) => r.inputTokens))).toBeLessThanOrEqual(10_000);
    expect(ratio(baseRecords)).toBeLessThan(5);
    const basePeak = Math.max(
      ...countBy(baseRecords, (r) => `${r.customerId} ${Math.floor(r.timeMs / 1000)}`).values(),
    );
    expect(basePeak).toBeLessThan(10);
  }, 60_000);
});

describe('cache-adoption', () => {
  it('raises the share of prompt tokens read from the cache over the window', async () => {
    const records = await collect(options('cache-adoption'));
    const share = (list: readonly CallRecord[], from: number, to: number): number => {
      const inDays = list.filter((record) => dayIndex(record) >= from && dayIndex(record) < to);
      return (
        inDays.reduce((total, r) => total + (r.cachedInputTokens ?? 0), 0) /
        inDays.reduce((total, r) => total + r.inputTokens, 0)
      );
    };
    expect(share(records, 25, 28)).toBeGreaterThan(5 * share(records, 0, 5));
    const baseChange = share(baseRecords, 25, 28) / share(baseRecords, 0, 5);
    expect(baseChange).toBeGreaterThan(0.8);
    expect(baseChange).toBeLessThan(1.25);
  }, 60_000);
});

describe('churn-risk and expansion', () => {
  it('makes every customer’s recent fortnight fall far below, or rise far above, the one before', async () => {
    const falling = byCustomer(await collect(options('churn-risk')));
    const rising = byCustomer(await collect(options('expansion')));
    const population = simulationPopulation(options('expansion'));
    expect(population.every((customer) => customer.tier === 'starter')).toBe(true);
    // Days 14–27 against days 0–13.
    for (const [customer, calls] of falling)
      expect([customer, velocity(calls, 14, 14) < 0.4]).toEqual([customer, true]);
    for (const [customer, calls] of rising)
      expect([customer, velocity(calls, 14, 14) > 2]).toEqual([customer, true]);
    const baseVelocities = [...byCustomer(baseRecords).values()].map((calls) => velocity(calls, 14, 14));
    expect(Math.min(...baseVelocities)).toBeGreaterThan(0.6);
    expect(Math.max(...baseVelocities)).toBeLessThan(1.5);
  }, 60_000);
});

describe('costly-sessions', () => {
  it('runs sessions of many calls in one trace that cost many times an ordinary session', async () => {
    const records = await collect(options('costly-sessions'));
    const sessions = (list: readonly CallRecord[]) => {
      const totals = new Map<string, { calls: number; costMicros: number; traces: Set<string> }>();
      for (const record of list) {
        const key = `${record.customerId} ${record.sessionId}`;
        const entry = totals.get(key) ?? { calls: 0, costMicros: 0, traces: new Set<string>() };
        entry.calls++;
        entry.costMicros += record.costMicros;
        entry.traces.add(record.traceId);
        totals.set(key, entry);
      }
      return [...totals.values()];
    };
    const all = sessions(records);
    const costly = all.filter((session) => session.calls >= 80);
    expect(costly.length).toBeGreaterThan(150);
    expect(costly.every((session) => session.traces.size === 1)).toBe(true);
    const ordinary = median(all.filter((session) => session.calls < 80).map((session) => session.costMicros));
    expect(median(costly.map((session) => session.costMicros))).toBeGreaterThan(10 * ordinary);
    expect(Math.max(...sessions(baseRecords).map((session) => session.calls))).toBeLessThan(80);
  }, 60_000);
});

describe('the all run', () => {
  it('gives each planting scenario its own cohort beside the others', () => {
    const population = simulationPopulation({ customers: 210, start: MONDAY, scenario: 'all' });
    for (const cohort of ['minute-flood', 'off-hours', 'expansion'] as const) {
      const members = population.filter((customer) => customer.cohort === cohort);
      expect(members).toHaveLength(10);
      expect(members.every((customer) => customer.tier === 'starter')).toBe(true);
    }
    expect(
      population.filter((customer) => customer.cohort === 'base').some((c) => c.tier !== 'starter'),
    ).toBe(true);
  });
});
