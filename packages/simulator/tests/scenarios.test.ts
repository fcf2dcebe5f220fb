import { defaultCatalog, recordHour, recordWeekday, type CallRecord } from '@finops/schema';
import {
  DEFAULT_SCENARIO_PARAMETERS,
  type Customer,
  simulationPopulation,
  type SimulationOptions,
} from '../src';
import { callsPerDay, collect, dayIndex, increment, median, MONDAY, sum } from './helpers';

interface Run {
  records: CallRecord[];
  population: Customer[];
}

async function run(options: SimulationOptions): Promise<Run> {
  const full = { start: MONDAY, ...options };
  return { records: await collect(full), population: simulationPopulation(full) };
}

describe('seasonal', () => {
  it('multiplies volume by the weekly and daily waves', async () => {
    const options = { customers: 120, days: 28, seed: 4 } as const;
    const seasonal = await run({ ...options, scenario: 'seasonal' });
    const base = await run({ ...options, scenario: 'base' });
    const ratioBy = (key: (record: CallRecord) => number, size: number): number[] => {
      const top = new Array<number>(size).fill(0);
      const bottom = new Array<number>(size).fill(0);
      for (const record of seasonal.records) increment(top, key(record));
      for (const record of base.records) increment(bottom, key(record));
      return top.map((count, index) => count / (bottom[index] ?? 1));
    };
    const hours = ratioBy(recordHour, 24);
    // 1 + b·sin(2π·h/24): +0.5 at 06:00, −0.5 at 18:00 (the weekly and monthly terms average out).
    expect((hours[6] ?? 0) / (hours[18] ?? 1)).toBeGreaterThan(2.2);
    expect((hours[6] ?? 0) / (hours[18] ?? 1)).toBeLessThan(4);
    const weekdays = ratioBy(recordWeekday, 7);
    // Tuesday: 1 + 0.3·sin(2π/7) ≈ 1.23; Friday: 1 + 0.3·sin(8π/7) ≈ 0.87.
    expect((weekdays[1] ?? 0) / (weekdays[4] ?? 1)).toBeCloseTo(1.23 / 0.87, 0);
    expect((weekdays[1] ?? 0) / (weekdays[4] ?? 1)).toBeGreaterThan(1.2);
  });
});

describe('burst', () => {
  it('gives some days a window that stands out against the customer’s median day', async () => {
    const days = 30;
    const { records, population } = await run({ customers: 60, days, scenario: 'burst', seed: 6 });
    let flagged = 0;
    let customerDays = 0;
    let concentrated = 0;
    for (const customer of population.filter((member) => member.archetype !== 'light')) {
      const own = records.filter((record) => record.customerId === customer.id);
      const perDay = callsPerDay(own, days, (record) => recordWeekday(record) < 5);
      const weekdays = perDay.filter((_, day) => day % 7 < 5);
      const typical = median(weekdays);
      weekdays.forEach((count, position) => {
        customerDays++;
        if (count < 1.5 * typical) return;
        flagged++;
        const day = Math.floor(position / 5) * 7 + (position % 5);
        const hours = new Array<number>(24).fill(0);
        for (const record of own) if (dayIndex(record) === day) increment(hours, recordHour(record));
        const busiest = Math.max(...hours.map((_, hour) => sum(hours, hour, hour + 3)));
        if (busiest > 0.4 * count) concentrated++;
      });
    }
    expect(flagged / customerDays).toBeGreaterThan(0.03);
    expect(flagged / customerDays).toBeLessThan(0.1);
    expect(concentrated / flagged).toBeGreaterThan(0.8);
  });
});

describe('decline', () => {
  it('churns a fifth of the customers for good and shrinks the others day after day', async () => {
    const days = 28;
    const { records, population } = await run({ customers: 100, days, scenario: 'decline', seed: 8 });
    const churned = population.filter((customer) => customer.churnDay !== undefined);
    expect(churned).toHaveLength(20);
    const churnDay = new Map(churned.map((customer) => [customer.id, customer.churnDay ?? 0]));
    const late = records.filter((record) => {
      const day = churnDay.get(record.customerId);
      return day !== undefined && dayIndex(record) >= day;
    });
    expect(late).toEqual([]);
    const staying = callsPerDay(records, days, (record) => !churnDay.has(record.customerId));
    // −2 % a day: three weeks later volume is 0.98^21 ≈ 0.65 of the first week's.
    const ratio = sum(staying, 21, 28) / sum(staying, 0, 7);
    expect(ratio).toBeGreaterThan(0.58);
    expect(ratio).toBeLessThan(0.72);
  });
});

describe('multi-tenant', () => {
  it('makes organizations differ several times in volume and prefer different providers', async () => {
    const days = 14;
    const { records, population } = await run({ customers: 120, days, scenario: 'multi-tenant', seed: 10 });
    const perCustomer = new Map<string, number>();
    for (const record of records)
      perCustomer.set(record.customerId, (perCustomer.get(record.customerId) ?? 0) + 1);
    // Calls relative to each customer's own base rate, by organization.
    const intensity = new Map<string, { calls: number; base: number }>();
    for (const customer of population) {
      const entry = intensity.get(customer.organizationId) ?? { calls: 0, base: 0 };
      entry.calls += perCustomer.get(customer.id) ?? 0;
      entry.base += customer.callsPerDay * days;
      intensity.set(customer.organizationId, entry);
    }
    const levels = [...intensity.values()].map((entry) => entry.calls / entry.base);
    const spread = Math.max(...levels) / Math.min(...levels);
    expect(spread).toBeGreaterThan(2.5);
    expect(spread).toBeLessThan(11);
    const providerCounts = new Map<string, Map<string, number>>();
    for (const record of records) {
      const counts = providerCounts.get(record.organizationId) ?? new Map<string, number>();
      counts.set(record.provider, (counts.get(record.provider) ?? 0) + 1);
      providerCounts.set(record.organizationId, counts);
    }
    const topProvider = new Map<string, string>();
    for (const [organization, counts] of providerCounts) {
      const [provider, count] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
      expect(count / sum([...counts.values()])).toBeGreaterThan(0.6);
      topProvider.set(organization, provider);
    }
    expect(new Set(topProvider.values()).size).toBeGreaterThanOrEqual(5);
  });
});

describe('model-migration', () => {
  it('moves traffic from gpt-4 to claude-sonnet-4 along an S-curve from day 10 over 14 days', async () => {
    const days = 30;
    const { records } = await run({ customers: 60, days, scenario: 'model-migration', seed: 12 });
    const source = callsPerDay(records, days, (record) => record.model === 'gpt-4');
    const target = callsPerDay(records, days, (record) => record.model === 'claude-sonnet-4');
    const share = target.map((count, day) => count / (count + (source[day] ?? 0)));
    const mean = (from: number, to: number): number => sum(share, from, to) / (to - from);
    expect(mean(0, 10)).toBeLessThan(0.12);
    expect(mean(24, 30)).toBeGreaterThan(0.9);
    // The S: slow start, fast middle, slow end.
    const early = (share[13] ?? 0) - (share[10] ?? 0);
    const middle = (share[18] ?? 0) - (share[15] ?? 0);
    const lateGain = (share[23] ?? 0) - (share[20] ?? 0);
    expect(middle).toBeGreaterThan(early);
    expect(middle).toBeGreaterThan(lateGain);
    expect(share[17]).toBeGreaterThan(0.35);
    expect(share[17]).toBeLessThan(0.7);
  });
});

describe('weekend', () => {
  it('drops Saturdays, Sundays and holidays to their shares and tapers Friday afternoons', async () => {
    const days = 28;
    const { records } = await run({ customers: 200, days, scenario: 'weekend', seed: 14 });
    const perDay = callsPerDay(records, days);
    const holidays = DEFAULT_SCENARIO_PARAMETERS.weekend.holidays;
    const ordinary = perDay.filter((_, day) => day % 7 < 4 && !holidays.includes(day));
    const weekday = sum(ordinary) / ordinary.length;
    for (let day = 0; day < days; day++) {
      const share = (perDay[day] ?? 0) / weekday;
      if (holidays.includes(day)) {
        expect(share).toBeGreaterThan(0.15);
        expect(share).toBeLessThan(0.45);
      } else if (day % 7 === 5) {
        expect(share).toBeGreaterThan(0.35);
        expect(share).toBeLessThan(0.65);
      } else if (day % 7 === 6) {
        expect(share).toBeGreaterThan(0.25);
        expect(share).toBeLessThan(0.55);
      }
    }
    const afternoon = (weekdayIndex: number): number => {
      const own = records.filter(
        (record) => recordWeekday(record) === weekdayIndex && !holidays.includes(dayIndex(record)),
      );
      return own.filter((record) => recordHour(record) >= 15).length / own.length;
    };
    expect(afternoon(4)).toBeLessThan(afternoon(3) * 0.8);
  });
});

describe('timezones', () => {
  it('makes each time zone peak in its local business hours', async () => {
    const { records, population } = await run({ customers: 200, days: 7, scenario: 'timezones', seed: 16 });
    const zoneOf = new Map(population.map((customer) => [customer.id, customer.timeZone]));
    for (const zone of DEFAULT_SCENARIO_PARAMETERS.timezones.zones) {
      const hours = new Array<number>(24).fill(0);
      for (const record of records) {
        if (zoneOf.get(record.customerId)?.name === zone.name) increment(hours, recordHour(record));
      }
      const local = (hour: number): number => (((hour + zone.utcOffsetHours) % 24) + 24) % 24;
      const peak = hours.indexOf(Math.max(...hours));
      expect(local(peak)).toBeGreaterThanOrEqual(9);
      expect(local(peak)).toBeLessThan(17);
      const inPeak = hours.reduce(
        (total, count, hour) => (local(hour) >= 9 && local(hour) < 17 ? total + count : total),
        0,
      );
      expect(inPeak / sum(hours)).toBeGreaterThan(0.6);
    }
  });
});

describe('feature-launch', () => {
  it('launches ai_assistant on day 10 with a spike, then settles at its adoption', async () => {
    const days = 30;
    const { records, population } = await run({ customers: 100, days, scenario: 'feature-launch', seed: 18 });
    const launched = callsPerDay(records, days, (record) => record.featureId === 'ai_assistant');
    expect(sum(launched, 0, 10)).toBe(0);
    expect(launched[10]).toBeGreaterThan(0);
    const steady = sum(launched, 16, 30) / 14;
    expect((launched[10] ?? 0) / steady).toBeGreaterThan(2.5);
    expect((launched[10] ?? 0) / steady).toBeLessThan(6);
    const users = new Set(
      records
        .filter((record) => record.featureId === 'ai_assistant' && dayIndex(record) >= 16)
        .map((record) => record.customerId),
    );
    expect(users.size).toBe(population.filter((customer) => customer.launchAdopter).length);
    expect(users.size).toBe(40);
  });
});

describe('cost-optimization', () => {
  it('lowers the cost per call on simple tasks by about 70 % once done', async () => {
    const days = 28;
    const { records } = await run({ customers: 100, days, scenario: 'cost-optimization', seed: 20 });
    const catalog = defaultCatalog();
    const costPerCall = (from: number, to: number): number => {
      const own = records.filter(
        (record) =>
          ['qa', 'translation', 'chat'].includes(record.taskType) &&
          dayIndex(record) >= from &&
          dayIndex(record) < to,
      );
      return own.reduce((total, record) => total + record.costMicros, 0) / own.length;
    };
    const before = costPerCall(0, 10);
    const after = costPerCall(21, 28);
    expect(1 - after / before).toBeGreaterThan(0.6);
    expect(1 - after / before).toBeLessThan(0.8);
    expect(costPerCall(15, 16)).toBeLessThan(before);
    expect(costPerCall(15, 16)).toBeGreaterThan(after);
    const premiumBefore = records.filter(
      (record) =>
        dayIndex(record) < 10 &&
        record.taskType === 'qa' &&
        catalog.get(record.provider, record.model)?.class === 'premium',
    ).length;
    expect(
      premiumBefore / records.filter((record) => dayIndex(record) < 10 && record.taskType === 'qa').length,
    ).toBeGreaterThan(0.5);
  });
});

describe('growth', () => {
  it('steady-growth grows linearly by 2–5 % of the first week a day', async () => {
    const days = 28;
    const { records } = await run({ customers: 100, days, scenario: 'steady-growth', seed: 22 });
    const perDay = callsPerDay(records, days);
    const first = sum(perDay, 0, 7) / 7;
    const dailyGain = (sum(perDay, 21, 28) / 7 / first - 1) / 21;
    expect(dailyGain).toBeGreaterThan(0.02);
    expect(dailyGain).toBeLessThan(0.05);
    // Linear: each week adds about the same amount.
    const second = sum(perDay, 7, 14) - sum(perDay, 0, 7);
    const fourth = sum(perDay, 21, 28) - sum(perDay, 14, 21);
    expect(fourth / second).toBeGreaterThan(0.7);
    expect(fourth / second).toBeLessThan(1.4);
  });

  it('viral-spike compounds 10–30 % a day during its growth, then holds', async () => {
    const days = 28;
    const { records } = await run({ customers: 100, days, scenario: 'viral-spike', seed: 24 });
    const perDay = callsPerDay(records, days);
    // Days 5–15 grow; a week of growth multiplies volume by 1.1^7 ≈ 1.9 to 1.3^7 ≈ 6.3.
    // Flat before day 5 (Monday to Thursday of the first week).
    expect((perDay[3] ?? 0) / (perDay[0] ?? 1)).toBeGreaterThan(0.85);
    expect((perDay[3] ?? 0) / (perDay[0] ?? 1)).toBeLessThan(1.2);
    const growth = sum(perDay, 14, 16) / sum(perDay, 7, 9);
    expect(growth).toBeGreaterThan(1.1 ** 7);
    expect(growth).toBeLessThan(1.3 ** 7);
    const plateau = sum(perDay, 21, 28) / sum(perDay, 14, 21);
    expect(plateau).toBeGreaterThan(0.85);
    expect(plateau).toBeLessThan(1.3);
  });
});
