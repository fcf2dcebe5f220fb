/* eslint-disable @typescript-eslint/no-non-null-assertion -- fixtures have known shapes */
import { type CallRecord, checkReportDocument, MS_PER_DAY } from '@finops/schema';
import { type AbuseFlag, analyzeCosts, resolveConfig } from '../src';
import { toReportDocument } from '../src/documents';
import { call, DAY0, randomLogV2 } from './fixtures';
import { assertMergeLaws } from './merge-laws';

/** A call of a customer at a day, hour, minute and second of the fixture, costing $0.001. */
function at(
  customerId: string,
  day: number,
  hour: number,
  minute: number,
  second = 0,
  fields: Partial<CallRecord> = {},
): CallRecord {
  return call({
    customerId,
    timeMs: DAY0 + day * MS_PER_DAY + hour * 3_600_000 + minute * 60_000 + second * 1000,
    costMicros: 1000,
    ...fields,
  });
}

/**
 * Four customers, one mark each (thresholds scaled down in {@link SMALL}):
 * a six-call minute, a four-model minute, a minute of four prompts four
 * times the usual size, and a job of 30 evenly spaced calls at 03:00 on two
 * nights (also 12.6 × the pro plan's median customer).
 */
function abuseLog(): CallRecord[] {
  const log: CallRecord[] = [];
  const starter = { subscriptionTier: 'starter' };
  for (const minute of [0, 10, 20, 30]) log.push(at('cust_flood', 0, 9, minute, 0, starter));
  for (let second = 0; second < 6; second++) log.push(at('cust_flood', 0, 14, 0, second, starter));
  ['gpt-4o', 'gpt-4o-mini', 'gpt-5', 'gpt-5-nano'].forEach((model, second) =>
    log.push(at('cust_hop', 0, 10, 0, second, { model })),
  );
  log.push(at('cust_hop', 0, 11, 0));
  log.push(at('cust_batch', 0, 15, 0), at('cust_batch', 0, 15, 30));
  for (let second = 0; second < 4; second++)
    log.push(at('cust_batch', 0, 16, 0, second, { inputTokens: 4000, outputTokens: 10 }));
  for (const day of [0, 1])
    for (let minute = 0; minute < 60; minute += 2) log.push(at('cust_night', day, 3, minute, 0, starter));
  for (const minute of [0, 20, 40]) log.push(at('cust_night', 0, 13, minute, 0, starter));
  return log;
}

const SMALL = {
  abuse: {
    minuteBurstMinCalls: 5,
    minuteBurstFactor: 3,
    hourBurstMinCalls: 8,
    hourBurstFactor: 3,
    regularMinCalls: 6,
    offHoursMinDays: 2,
    hoppingMinModels: 3,
    hoppingMinMinutes: 1,
    batchMinCalls: 4,
    batchInputFactor: 3,
    planGamingFactor: 5,
    planMinPeers: 1,
  },
};

function brief(flag: AbuseFlag): unknown {
  const { customer, kind, severity, excess, action, calls, costMicros, monthlyMicros } = flag;
  return { customer, kind, severity, excess, action, calls, costMicros, monthlyMicros };
}

describe('abuse', () => {
  it('finds each mark with its figures, severity, action and money, by hand', async () => {
    const results = await analyzeCosts(abuseLog(), { analyses: ['abuse'], config: SMALL });
    const abuse = results.abuse!;
    expect(abuse.customers).toBe(4);
    // Two days: a month is 15 windows.
    expect(abuse.flags.map(brief)).toEqual([
      // Hours 03:00 on days 0 and 1: 30 calls at every other minute, variance / mean 1 − 30/60 = 0.5.
      {
        customer: 'cust_night',
        kind: 'off_hours',
        severity: 1,
        excess: 1,
        action: 'contact',
        calls: 60,
        costMicros: 60_000,
        monthlyMicros: 900_000,
      },
      // 63 calls against 5 × the pro median (5): excess 2.52; the 53 calls above the starter median (10).
      {
        customer: 'cust_night',
        kind: 'plan_gaming',
        severity: 2,
        excess: 2.52,
        action: 'contact',
        calls: 53,
        costMicros: 53_000,
        monthlyMicros: 795_000,
      },
      // Minutes of 1, 1, 1, 1 and 6 calls: median 1, threshold max(5, 3 × 1); peak 6 / 5.
      {
        customer: 'cust_flood',
        kind: 'minute_burst',
        severity: 1,
        excess: 1.2,
        action: 'rate-limit',
        calls: 6,
        costMicros: 6000,
        monthlyMicros: 90_000,
      },
      // 4,000 input tokens per call against the usual 1,000: 4 / 3.
      {
        customer: 'cust_batch',
        kind: 'oversized_batch',
        severity: 1,
        excess: 1.3333,
        action: 'cap',
        calls: 4,
        costMicros: 4000,
        monthlyMicros: 60_000,
      },
      // One minute of four calls on four models.
      {
        customer: 'cust_hop',
        kind: 'model_hopping',
        severity: 1,
        excess: 1,
        action: 'contact',
        calls: 4,
        costMicros: 4000,
        monthlyMicros: 60_000,
      },
    ]);
    const [night, gaming, flood, batch, hop] = abuse.flags;
    expect(night!.figures).toEqual({
      days: 2,
      regularHours: 2,
      sharePct: 95.2,
      meanDispersion: 0.5,
      // The window with the most irregular calls (13:00) and no regular ones: from 04:00.
      workingWindow: '04:00–16:00 UTC',
      calls: 60,
      costMicros: 60_000,
    });
    expect(gaming!.figures).toEqual({
      monthlyCalls: 945,
      planMedianMonthlyCalls: 150,
      nextPlan: 'pro',
      nextPlanMedianMonthlyCalls: 75,
      nextPlanMultiple: 12.6,
      planPriceMicros: 29_000_000,
      nextPlanPriceMicros: 99_000_000,
      costMicros: 53_000,
    });
    expect(gaming!.actionText).toBe(
      'Contact cust_night and offer the pro plan ($99.00 a month): it uses its plan like a customer of that one.',
    );
    expect(flood!.figures).toMatchObject({
      peakMinuteCalls: 6,
      medianMinuteCalls: 1,
      thresholdCalls: 5,
      burstMinutes: 1,
      busyMinutes: 5,
    });
    expect(flood!.actionText).toBe(
      'Rate-limit cust_flood to 5 calls a minute: its busiest minute had 6 calls against a median busy minute of 1.',
    );
    expect(batch!.figures).toMatchObject({
      batchMinutes: 1,
      usualInputTokens: 1000,
      batchInputTokens: 4000,
      peakMultiple: 4,
      capTokens: 3000,
    });
    expect(hop!.figures).toMatchObject({ hoppingMinutes: 1, peakModelsInMinute: 4, models: 4 });
    expect(
      abuse.risk.map((row) => [row.customer, row.score, row.flags, row.kinds, row.monthlyMicros]),
    ).toEqual([
      ['cust_night', 3, 2, ['plan_gaming', 'off_hours'], 900_000],
      ['cust_flood', 1, 1, ['minute_burst'], 90_000],
      ['cust_batch', 1, 1, ['oversized_batch'], 60_000],
      ['cust_hop', 1, 1, ['model_hopping'], 60_000],
    ]);
    expect(abuse.byKind.map((entry) => [entry.kind, entry.flags, entry.costMicros])).toEqual([
      ['minute_burst', 1, 6000],
      ['hour_burst', 0, 0],
      ['plan_gaming', 1, 53_000],
      ['off_hours', 1, 60_000],
      ['model_hopping', 1, 4000],
      ['oversized_batch', 1, 4000],
      ['cost_outlier', 0, 0],
      ['volume_outlier', 0, 0],
    ]);
    // Four customers: too few for outliers.
    expect(abuse.outliers).toBeNull();
    expect(abuse.recommendations.map((item) => item.text)).toEqual(
      abuse.flags.map((flag) => flag.actionText),
    );
    const page = toReportDocument('abuse', results);
    expect(checkReportDocument(page)).toEqual([]);
  });

  it('raises nothing with the default thresholds on the small marks, and refuses bad settings by path', async () => {
    const results = await analyzeCosts(abuseLog(), { analyses: ['abuse'] });
    expect(results.abuse!.flags).toEqual([]);
    expect(results.abuse!.risk).toEqual([]);
    expect(checkReportDocument(toReportDocument('abuse', results))).toEqual([]);
    expect(() => resolveConfig({ abuse: { hoppingMinModelShare: 2 } })).toThrow(
      /config\.abuse\.hoppingMinModelShare/,
    );
    expect(() => resolveConfig({ abuse: { workingHours: 24 } })).toThrow(/config\.abuse\.workingHours/);
  });

  it('flags a customer far above the median customer as a cost and a volume outlier, robustly', async () => {
    const log: CallRecord[] = [];
    for (const customer of ['c1', 'c2', 'c3', 'c4', 'c5'])
      for (let minute = 0; minute < 10; minute++) log.push(at(customer, 0, 12, minute));
    for (let minute = 0; minute < 1000; minute++) log.push(at('c6', 0, 0, minute));
    const results = await analyzeCosts(log, {
      analyses: ['abuse'],
      config: { abuse: { regularMinCalls: 100 } },
    });
    const abuse = results.abuse!;
    // log₁₀ calls 1, 1, 1, 1, 1, 3: median 1, MAD 0, so the spread is outlierMinSpread 0.1 and z = 20.
    expect(abuse.outliers).toEqual({
      medianMonthlyCostMicros: 300_000,
      medianMonthlyCalls: 300,
      costSpread: 0.1,
      callsSpread: 0.1,
    });
    expect(abuse.flags.map(brief)).toEqual([
      {
        customer: 'c6',
        kind: 'cost_outlier',
        severity: 2,
        excess: 3.3333,
        action: 'cap',
        calls: 1000,
        costMicros: 990_000,
        monthlyMicros: 29_700_000,
      },
      {
        customer: 'c6',
        kind: 'volume_outlier',
        severity: 2,
        excess: 3.3333,
        action: 'rate-limit',
        calls: 990,
        costMicros: 990_000,
        monthlyMicros: 29_700_000,
      },
    ]);
    // The cap is the cost at z = 6: 10^(4 + 6 × 0.1) micro-dollars a day, × 30.
    expect(abuse.flags[0]!.figures).toMatchObject({ zScore: 20, medianMultiple: 100, capMicros: 1_194_330 });
    expect(abuse.flags[1]!.figures).toMatchObject({ zScore: 20, limit: 1200 });
  });

  it('runs on bucketed rows and says on its page what it cannot compute from them', async () => {
    const bucketed = [
      call({ calls: 500, costMicros: 50_000, customerId: 'cust_bucket', timeMs: DAY0 + 3_600_000 }),
      ...[1, 2, 3].map((minute) => at('cust_bucket', 0, 5, minute)),
      ...abuseLog(),
    ];
    const results = await analyzeCosts(bucketed, { analyses: ['abuse'] });
    // The bucket's 500 calls land in one minute: a burst of the bucket's own, which the page warns of.
    expect(results.abuse!.flags.find((flag) => flag.customer === 'cust_bucket')?.kind).toBe('minute_burst');
    const page = toReportDocument('abuse', results);
    expect(checkReportDocument(page)).toEqual([]);
    expect(JSON.stringify(page)).toContain('a bucket reads as a burst of its own');
  });
});

describe('merge laws of abuse', () => {
  it('any split, merged in any order, gives the one-pass result, minutes split across parts included', () => {
    // A flood of 40 calls in one minute spread through the log, so that cuts split its minute.
    const flood = Array.from({ length: 40 }, (_, second) =>
      at('cust_0001', 3, 12, 0, second, { model: second % 2 === 0 ? 'gpt-4o' : 'gpt-5' }),
    );
    const random = randomLogV2(400, 10, 7);
    const log = random.flatMap((record, index) =>
      index % 10 === 0 ? [record, flood[index / 10]!] : [record],
    );
    assertMergeLaws(['abuse'], log);
    assertMergeLaws(['abuse'], abuseLog(), 10);
  });
});
