import type { CallRecord } from '@finops/schema';
import fc from 'fast-check';
import {
  type AbuseConfig,
  type MinuteProfile,
  type MinuteProfiles,
  analyzeCosts,
  quietThresholds,
} from '../src';
import { hourPeriods, minutePeriods } from '../src/analyses/abuse/minute-profile';
import { lowerMedian } from '../src/shared/medians';
import { call, DAY0 } from './fixtures';
import { ABUSE_DEFAULTS, probeOptions } from './minute-profile-probe';

const DEFAULTS = ABUSE_DEFAULTS;
const MODELS = ['gpt-4o', 'gpt-4o-mini', 'gpt-5', 'gpt-5-nano', 'o3', 'o4-mini'];

async function profilesOf(records: CallRecord[], settings: AbuseConfig): Promise<MinuteProfiles> {
  const results = await analyzeCosts(records, probeOptions(settings));
  return results.minuteProfileProbe as MinuteProfiles;
}

/** One customer's minutes straight from its records: calls, cost, input and models of each, in time order. */
function minutesOf(
  records: readonly CallRecord[],
): { minute: number; calls: number; cost: number; input: number; models: number }[] {
  const minutes = new Map<number, { calls: number; cost: number; input: number; models: Set<string> }>();
  for (const record of records) {
    const minute = Math.floor(record.timeMs / 60_000);
    const entry = minutes.get(minute) ?? { calls: 0, cost: 0, input: 0, models: new Set<string>() };
    entry.calls += record.calls ?? 1;
    entry.cost += record.costMicros;
    entry.input += record.inputTokens;
    entry.models.add(`${record.provider}/${record.model}`);
    minutes.set(minute, entry);
  }
  return [...minutes.entries()]
    .sort(([a], [b]) => a - b)
    .map(([minute, entry]) => ({ minute, ...entry, models: entry.models.size }));
}

/** Every figure a profile stands for, checked against the customer's own records. */
function expectProfileOf(
  profile: MinuteProfile,
  records: readonly CallRecord[],
  settings: AbuseConfig,
): void {
  const below = quietThresholds(settings);
  const minutes = minutesOf(records);
  expect(profile.models).toBe(new Set(records.map((record) => `${record.provider}/${record.model}`)).size);
  expect(profile.minutes).toEqual(
    minutes
      .filter((minute) => minute.calls >= below.minute)
      .map(({ minute, calls, cost, input, models }) => ({
        minute,
        calls,
        costMicros: cost,
        inputTokens: input,
        models,
      })),
  );
  const quiet = minutes.filter((minute) => minute.calls < below.minute);
  for (const entry of profile.quietMinutes) {
    const same = quiet.filter((minute) => minute.calls === entry.calls);
    expect(entry).toEqual({
      calls: entry.calls,
      minutes: same.length,
      costMicros: same.reduce((total, minute) => total + minute.cost, 0),
      inputTokens: same.reduce((total, minute) => total + minute.input, 0),
      peakModels: Math.max(...same.map((minute) => minute.models)),
    });
  }
  expect(profile.quietMinutes.reduce((total, entry) => total + entry.minutes, 0)).toBe(quiet.length);
  // The burst figures: lower median, peak and count of every minute's and every hour's calls.
  const calls = minutes.map((minute) => minute.calls);
  expect(minutePeriods(profile)).toMatchObject({
    count: calls.length,
    median: lowerMedian(calls),
    peak: Math.max(...calls),
  });
  const hours = new Map<number, number>();
  for (const minute of minutes) {
    const hour = Math.floor(minute.minute / 60);
    hours.set(hour, (hours.get(hour) ?? 0) + minute.calls);
  }
  const hourCalls = [...hours.values()];
  expect(hourPeriods(profile)).toMatchObject({
    count: hourCalls.length,
    median: lowerMedian(hourCalls),
    peak: Math.max(...hourCalls),
  });
  expect(profile.hours.map((hour) => hour.hour)).toEqual(
    [...hours.entries()].filter(([, count]) => count >= below.hour).map(([hour]) => hour),
  );
  const quietHourCalls = new Array<number>(24).fill(0);
  for (const [hour, count] of hours) {
    const hourOfDay = ((hour % 24) + 24) % 24;
    if (count < below.hour) quietHourCalls[hourOfDay] = (quietHourCalls[hourOfDay] as number) + count;
  }
  expect(profile.quietHourCalls).toEqual(quietHourCalls);
}

/** A call of one of three customers in a window of four hours, on one of a few models, of 1–4 calls. */
const anyCall = fc
  .record({
    customer: fc.constantFrom('cust_a', 'cust_b', 'cust_c'),
    // Half anywhere in four hours, half in the first three minutes of one of them (dense minutes).
    second: fc.oneof(
      fc.integer({ min: 0, max: 4 * 3600 - 1 }),
      fc
        .tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 179 }))
        .map(([hour, second]) => hour * 3600 + second),
    ),
    model: fc.constantFrom(...MODELS),
    calls: fc.integer({ min: 1, max: 4 }),
    cost: fc.integer({ min: 0, max: 5000 }),
    input: fc.integer({ min: 0, max: 9000 }),
  })
  .map(({ customer, second, model, calls, cost, input }) =>
    call({
      customerId: customer,
      timeMs: DAY0 + second * 1000,
      model,
      calls,
      costMicros: cost,
      inputTokens: input,
    }),
  );

/** Thresholds anywhere the settings' rules allow, low enough that minutes and hours fall on both sides. */
const anySettings = fc
  .record({
    minuteBurstMinCalls: fc.integer({ min: 1, max: 8 }),
    batchMinCalls: fc.integer({ min: 2, max: 8 }),
    hoppingMinModels: fc.integer({ min: 2, max: 5 }),
    hourBurstMinCalls: fc.integer({ min: 1, max: 40 }),
    regularMinCalls: fc.integer({ min: 2, max: 40 }),
  })
  .map((low): AbuseConfig => ({ ...DEFAULTS, ...low }));

describe('minute profiles', () => {
  it('keep every minute and hour that can be flagged, count the others, and give every figure of all of them (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(anyCall, { minLength: 1, maxLength: 300 }),
        anySettings,
        async (records, settings) => {
          const profiles = await profilesOf(records, settings);
          const customers = [...new Set(records.map((record) => record.customerId))].sort();
          expect(profiles.customers.map((profile) => profile.customer)).toEqual(customers);
          expect(profiles).toMatchObject({
            quietMinuteBelow: quietThresholds(settings).minute,
            quietHourBelow: quietThresholds(settings).hour,
          });
          for (const profile of profiles.customers)
            expectProfileOf(
              profile,
              records.filter((record) => record.customerId === profile.customer),
              settings,
            );
        },
      ),
      { numRuns: 40 },
    );
  });

  it('give every figure of a customer with more minutes and hours than the columns first hold, beside a smaller one', async () => {
    // One call a minute, one busy minute in each of 700 hours, then a customer of a few minutes after it:
    // the minute and hour columns double past their first length, and the second customer starts afresh.
    const settings: AbuseConfig = { ...DEFAULTS, minuteBurstMinCalls: 3, hourBurstMinCalls: 3 };
    const busy = Array.from({ length: 700 }, (_, index) =>
      call({
        customerId: 'cust_busy',
        timeMs: DAY0 + index * 3_600_000 + (index % 7) * 60_000,
        model: MODELS[index % MODELS.length] as string,
        calls: 1 + (index % 4),
        costMicros: 100 + index,
        inputTokens: 1000 + index,
      }),
    );
    const small = [0, 1, 1].map((minute, index) =>
      call({ customerId: 'cust_small', timeMs: DAY0 + minute * 60_000, calls: 2, costMicros: 7 + index }),
    );
    const profiles = await profilesOf([...busy, ...small], settings);
    expect(profiles.customers.map((profile) => profile.customer)).toEqual(['cust_busy', 'cust_small']);
    const [busyProfile, smallProfile] = profiles.customers as [MinuteProfile, MinuteProfile];
    expect(minutePeriods(busyProfile).count).toBe(700);
    expect(hourPeriods(busyProfile).count).toBe(700);
    expectProfileOf(busyProfile, busy, settings);
    expectProfileOf(smallProfile, small, settings);
  });

  it('take the least threshold of a flag as the quiet one', () => {
    expect(quietThresholds(DEFAULTS)).toEqual({ minute: 10, hour: 20 });
    expect(quietThresholds({ ...DEFAULTS, batchMinCalls: 4 })).toEqual({ minute: 4, hour: 20 });
    expect(quietThresholds({ ...DEFAULTS, minuteBurstMinCalls: 1, hourBurstMinCalls: 1 })).toEqual({
      minute: 1,
      hour: 1,
    });
  });
});
