import { MS_PER_DAY, MS_PER_HOUR } from '@finops/schema';
import { analyzeCosts, completeDays, forecastDaily } from '../src';
import { call, DAY0 } from './fixtures';

describe('forecast', () => {
  it('counts a line that falls below zero as zero from there on', () => {
    // 20 − x for x = 0 … 9: the next 30 days are 10, 9, … 1 and then nothing: 55 in all.
    const daily = Array.from({ length: 10 }, (_, x) => 20 - x);
    const [days30] = forecastDaily(daily, [30], 0.95).projections;
    expect(days30).toEqual({ expectedUsd: 55, lowUsd: 55, highUsd: 55 });
  });

  it('leaves out an edge day the log covers only in part, but not a quiet whole day', () => {
    const daily = [100, 100, 100, 100, 100, 100, 100, 5].map((usd) => usd * 1_000_000);
    const cutEarly = completeDays(daily, DAY0, DAY0 + 7 * MS_PER_DAY + MS_PER_HOUR);
    expect(cutEarly).toEqual({ offset: 0, days: daily.slice(0, 7) });
    const quietWholeDay = completeDays(daily, DAY0, DAY0 + 7 * MS_PER_DAY + 23 * MS_PER_HOUR + 30 * 60_000);
    expect(quietWholeDay.days).toHaveLength(8);
    const lateStart = completeDays(
      [3, ...daily.slice(1, 7), 100_000_000],
      DAY0 + 22 * MS_PER_HOUR,
      DAY0 + 8 * MS_PER_DAY - 1,
    );
    expect(lateStart.offset).toBe(1);
    expect(lateStart.days).toHaveLength(7);
    expect(
      completeDays([1, 100, 100], DAY0 + 22 * MS_PER_HOUR, DAY0 + 2 * MS_PER_DAY + MS_PER_HOUR).days,
    ).toHaveLength(3);
  });

  it('forecasts from the complete days of a log cut an hour into its last day', async () => {
    // $10 a day for 10 whole days (calls through each day), then one call at 00:30 on day 10.
    const records = [];
    for (let day = 0; day < 10; day++) {
      for (let hour = 0; hour < 24; hour += 6) records.push(call({ day, hour, costMicros: 2_500_000 }));
    }
    records.push(call({ day: 10, hour: 0, costMicros: 500_000 }));
    const forecast = (await analyzeCosts([records], { analyses: ['understanding'] })).understanding?.forecast;
    expect(forecast?.basedOnDays).toBe(10);
    expect(forecast?.slopeUsdPerDay).toBe(0);
    expect(forecast?.days30.expectedUsd).toBe(300);
  });
});
