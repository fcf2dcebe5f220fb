import { analyzeCosts } from '../src';
import { call } from './fixtures';

describe('customer trends (last 7 days against the 7 before)', () => {
  it('marks customers that went quiet as declining and customers that just started as accelerating', async () => {
    const records = [];
    for (let day = 0; day < 21; day++) {
      records.push(call({ customerId: 'steady', day }));
      if (day < 6) records.push(call({ customerId: 'gone_quiet', day }));
      if (day >= 14) records.push(call({ customerId: 'newcomer', day }));
      if (day >= 7 && day < 14) records.push(call({ customerId: 'stopped_last_week', day }));
      if (day >= 7)
        records.push(
          call({ customerId: 'doubling', day }),
          ...(day >= 14 ? [call({ customerId: 'doubling', day })] : []),
        );
    }
    const portfolio = (await analyzeCosts([records])).realtime?.portfolio;
    const trendOf = Object.fromEntries(
      portfolio?.customers.map((entry) => [entry.customer, entry.trend]) ?? [],
    );
    expect(trendOf).toEqual({
      steady: 'stable',
      gone_quiet: 'declining',
      newcomer: 'accelerating',
      stopped_last_week: 'declining',
      doubling: 'accelerating',
    });
    expect(portfolio?.trends).toEqual({ accelerating: 2, stable: 1, declining: 2 });
  });

  it('calls every trend stable before there are two full periods', async () => {
    const records = Array.from({ length: 10 }, (_, day) =>
      call({ customerId: 'young', day: day < 5 ? day : day + 3 }),
    );
    const portfolio = (await analyzeCosts([records])).realtime?.portfolio;
    expect(portfolio?.customers.map((entry) => entry.trend)).toEqual(['stable']);
  });
});
