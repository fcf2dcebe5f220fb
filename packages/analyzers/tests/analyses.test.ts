/* eslint-disable @typescript-eslint/no-non-null-assertion -- fixtures have known shapes */
import { CostAnalyzer, analyzeCosts, forecastDaily } from '../src';
import { call, expectNumbersFromFigures } from './fixtures';

const USD = 1_000_000;

describe('understanding: forecast', () => {
  it('projects a straight line exactly, with no spread', async () => {
    const records = Array.from({ length: 10 }, (_, day) => call({ day, costMicros: (day + 1) * USD }));
    const { understanding } = await analyzeCosts([records], { analyses: ['understanding'] });
    const forecast = understanding!.forecast;
    // Next 30 days: Σ (x + 1) for x = 10 … 39 = 765; next 90: Σ k for k = 11 … 100 = 4,995.
    expect(forecast.days30).toEqual({ expectedUsd: 765, lowUsd: 765, highUsd: 765 });
    expect(forecast.days90.expectedUsd).toBe(4995);
    expect(forecast.slopeUsdPerDay).toBe(1);
    expect(forecast.basedOnDays).toBe(10);
    expect(forecast.runRateMonthlyUsd).toBe(165); // $55 over 10 days × 30
    expect(understanding!.totals.dailyBurnUsd).toBe(5.5);
  });

  it('widens the interval with noise and keeps it around the line', () => {
    const daily = [10, 12, 9, 11, 10, 13, 9, 11, 10, 12];
    const { projections } = forecastDaily(daily, [30], 0.95);
    const projection = projections[0]!;
    expect(projection.lowUsd).toBeLessThan(projection.expectedUsd);
    expect(projection.highUsd).toBeGreaterThan(projection.expectedUsd);
    expect(projection.expectedUsd).toBeGreaterThan(300);
    expect(projection.expectedUsd).toBeLessThan(400);
  });

  it('falls back to the daily average under three days', () => {
    expect(forecastDaily([2, 4], [30], 0.9).projections[0]).toEqual({
      expectedUsd: 90,
      lowUsd: 90,
      highUsd: 90,
    });
  });
});

describe('real-time: an obvious spike', () => {
  it('finds the day, its multiple and its excess, and raises alerts', async () => {
    const records = Array.from({ length: 10 }, (_, day) =>
      call({ day, customerId: 'cust_s', costMicros: USD }),
    );
    records.push(call({ day: 10, customerId: 'cust_s', costMicros: 20 * USD }));
    const { realtime } = await analyzeCosts([records], { analyses: ['realtime'] });
    expect(realtime!.spikes).toEqual([
      {
        customer: 'cust_s',
        day: '2025-11-13',
        costMicros: 20 * USD,
        trailingAverageMicros: USD,
        multiple: 20,
        excessMicros: 19 * USD,
      },
    ]);
    const rules = realtime!.alerts.map((alert) => alert.rule).sort();
    expect(rules).toContain('daily_spike');
    expect(rules).toContain('daily_average');
    const average = realtime!.alerts.find((alert) => alert.rule === 'daily_average')!;
    expect(average.figures['averageMicros']).toBe(Math.round((30 * USD) / 11));
    expect(average.action).toBe('contact');
  });

  it('counts calls far above their model and task normal', async () => {
    const records = Array.from({ length: 300 }, (_, index) => call({ day: index % 5, costMicros: 1000 }));
    records.push(call({ day: 2, costMicros: 100_000 }));
    const { realtime } = await analyzeCosts([records], { analyses: ['realtime'] });
    const group = realtime!.anomalies.groups[0]!;
    expect(realtime!.anomalies.count).toBe(1);
    expect(group.normalMicros).toBeGreaterThanOrEqual(990);
    expect(group.normalMicros).toBeLessThanOrEqual(1010);
    expect(Math.abs(group.excessMicros - (100_000 - 3000)) / 97_000).toBeLessThan(0.01);
  });

  it('classes portfolio risk by projected month cost against the allocation', async () => {
    // Pro ($99), allocation 50 % = $49.50; $3 a day over a 30-day November is $90 a month: critical.
    const records = Array.from({ length: 14 }, (_, day) =>
      call({ day, customerId: 'cust_r', costMicros: 3 * USD }),
    );
    const { realtime } = await analyzeCosts([records], { analyses: ['realtime'] });
    const entry = realtime!.portfolio.customers[0]!;
    expect(entry).toMatchObject({
      customer: 'cust_r',
      risk: 'critical',
      trend: 'stable',
      projectedMicros: 90 * USD,
      allocationMicros: 49.5 * USD,
    });
    expect(realtime!.portfolio.revenueAtRiskMicros).toBe(99 * USD);
    expect(realtime!.monthToDate).toMatchObject({ month: '2025-11', daysElapsed: 14, daysInMonth: 30 });
    expect(realtime!.alerts[0]!.revenueAtRiskMicros).toBe(99 * USD);
  });
});

describe('profitability: an unprofitable customer', () => {
  it('computes revenue, margin and the tier that would fix it', async () => {
    const records = [
      call({ day: 0, customerId: 'cust_u', subscriptionTier: 'starter', costMicros: 30 * USD }),
      call({ day: 29, customerId: 'cust_u', subscriptionTier: 'starter', costMicros: 10 * USD }),
      call({ day: 15, customerId: 'cust_ok', subscriptionTier: 'pro', costMicros: 9 * USD }),
    ];
    const { profitability } = await analyzeCosts([records], { analyses: ['profitability'] });
    const loser = profitability!.customers.find((customer) => customer.customer === 'cust_u')!;
    expect(loser).toEqual({
      customer: 'cust_u',
      tier: 'starter',
      revenueMicros: 29 * USD,
      costMicros: 40 * USD,
      marginMicros: -11 * USD,
      marginPct: -37.93,
      calls: 2,
      status: 'unprofitable',
    });
    expect(profitability!.unprofitable).toMatchObject({ count: 1, lossMicros: 11 * USD, share: 0.5 });
    expect(profitability!.distribution).toEqual({ high: 1, medium: 0, low: 0, negative: 1 });
    const text = profitability!.recommendations[0]!.text;
    expect(text).toBe(
      'Move cust_u from starter to pro ($99.00 a month): its AI cost of $40.00 a month needs $57.14 for a 30.0% margin.',
    );
  });

  it('lets the latest tier count and reports the conflict', async () => {
    const records = [
      call({ day: 0, customerId: 'c', subscriptionTier: 'starter' }),
      call({ day: 3, customerId: 'c', subscriptionTier: 'enterprise' }),
    ];
    const { profitability, meta } = await analyzeCosts([records], { analyses: ['profitability'] });
    expect(profitability!.customers[0]!.tier).toBe('enterprise');
    expect(meta.tierConflicts).toBe(1);
  });
});

describe('optimization: a premium model on qa', () => {
  it('prices the same tokens at the cheapest lower-class models', async () => {
    const records = Array.from({ length: 10 }, () =>
      call({ model: 'gpt-4', taskType: 'qa', inputTokens: 1000, outputTokens: 1000 }),
    );
    const { optimization } = await analyzeCosts([records], { analyses: ['optimization'] });
    const [best, same] = optimization!.switches;
    // gpt-4: 10 × (1,000 × $30 + 1,000 × $60) / 1M = $0.90; amazon.nova-micro: 10 × (1,000 × $0.035 + 1,000 × $0.14) / 1M = $0.00175.
    expect(best).toMatchObject({
      taskType: 'qa',
      fromModel: 'gpt-4',
      toProvider: 'aws.bedrock',
      toModel: 'amazon.nova-micro',
      scope: 'any-provider',
      calls: 10,
      actualMicros: 900_000,
      targetMicros: 1_750,
      savingsMicros: 898_250,
      classGap: 2,
      risk: 'high',
      recommended: true,
      monthlySavingsMicros: 898_250 * 30,
    });
    // Same provider: gpt-5-nano at 10 × (1,000 × $0.05 + 1,000 × $0.40) / 1M = $0.0045.
    expect(same).toMatchObject({
      scope: 'same-provider',
      toModel: 'gpt-5-nano',
      targetMicros: 4_500,
      savingsMicros: 895_500,
      recommended: false,
    });
    expect(optimization!.total.switchingMicros).toBe(898_250);
    expect(optimization!.matrix).toEqual([
      { fromModel: 'gpt-4', toModel: 'amazon.nova-micro', calls: 10, savingsMicros: 898_250 },
    ]);
  });

  it('values commitments on the steady daily spend', async () => {
    // $10 a day on a budget model (no switch): the baseline is $10; 90 % at 40 % off saves 10 × 9 × 0.4 = $36.
    const records = Array.from({ length: 10 }, (_, day) =>
      call({ day, model: 'gpt-4o-mini', costMicros: 10 * USD }),
    );
    const { optimization } = await analyzeCosts([records], { analyses: ['optimization'] });
    expect(optimization!.reserved.baselineDailyMicros).toBe(10 * USD);
    expect(optimization!.reserved.best).toEqual({ level: 0.9, discount: 0.4, savingsMicros: 36 * USD });
    expect(optimization!.total.commitmentMicros).toBe(36 * USD);
  });
});

describe('alignment: a chargeback with three organizations', () => {
  it('adds lines to invoices and invoices to the total, to the cent', async () => {
    const records = [
      call({ organizationId: 'org_a', productId: 'product_x', featureId: 'chat', costMicros: 333_333 }),
      call({ organizationId: 'org_a', productId: 'product_x', featureId: 'chat', costMicros: 333_333 }),
      call({
        organizationId: 'org_a',
        productId: 'product_y',
        featureId: 'qa',
        costMicros: 1,
        environment: 'staging',
      }),
      call({ organizationId: 'org_b', productId: 'product_x', featureId: 'chat', costMicros: 333_334 }),
      call({
        organizationId: 'org_c',
        productId: 'product_z',
        featureId: 'summarization',
        costMicros: 5,
        model: 'gpt-4',
      }),
    ];
    const { alignment } = await analyzeCosts([records], { analyses: ['alignment'] });
    expect(alignment!.grandTotalMicros).toBe(1_000_006);
    expect(alignment!.grandTotalCents).toBe(100);
    expect(
      alignment!.invoices.map((invoice) => [invoice.organization, invoice.totalMicros, invoice.totalCents]),
    ).toEqual([
      ['org_a', 666_667, 67],
      ['org_b', 333_334, 33],
      ['org_c', 5, 0],
    ]);
    expect(alignment!.invoices[0]!.lines).toEqual([
      {
        product: 'product_x',
        feature: 'chat',
        calls: 2,
        inputTokens: 2000,
        outputTokens: 1000,
        costMicros: 666_666,
        amountCents: 67,
      },
      {
        product: 'product_y',
        feature: 'qa',
        calls: 1,
        inputTokens: 1000,
        outputTokens: 500,
        costMicros: 1,
        amountCents: 0,
      },
    ]);
    const showbackC = alignment!.showback.find((row) => row.organization === 'org_c')!;
    expect(showbackC.premiumShare).toBe(1);
    const showbackA = alignment!.showback.find((row) => row.organization === 'org_a')!;
    expect(showbackA.nonProductionShare).toBeCloseTo(1 / 666_667, 6);
    expect(alignment!.crossTeam.best).toBe('org_c');
    // org_b pays 333,334 micro-dollars for 1,500 tokens, org_a 666,667 for 4,500.
    expect(alignment!.crossTeam.worst).toBe('org_b');
  });
});

describe('pricing: a replay checked by hand', () => {
  it('bills each model as computed by hand and picks the best margin within the churn limit', async () => {
    const records = [
      call({
        day: 0,
        customerId: 'p1',
        subscriptionTier: 'starter',
        inputTokens: 600_000,
        outputTokens: 400_000,
        costMicros: 5 * USD,
      }),
      call({
        day: 29,
        customerId: 'p2',
        subscriptionTier: 'pro',
        inputTokens: 60_000,
        outputTokens: 40_000,
        costMicros: 1 * USD,
      }),
    ];
    const { pricing } = await analyzeCosts([records], { analyses: ['pricing'] });
    const byModel = Object.fromEntries(pricing!.models.map((model) => [model.model, model]));
    expect(byModel['flat']!.revenueMicros).toBe(128 * USD);
    // Tiered: starter $29 + 500,000 tokens over × $0.02/1K = $39; pro $99 within its 2M tokens.
    expect(byModel['tiered']!.revenueMicros).toBe(138 * USD);
    expect(byModel['tiered']!.losers).toEqual({ customers: 1, changeMicros: 10 * USD });
    // Usage: 1M and 100K tokens at $0.02/1K.
    expect(byModel['usage']!.revenueMicros).toBe(22 * USD);
    expect(byModel['usage']!.winners).toEqual({ customers: 2, changeMicros: -106 * USD });
    // Hybrid: $15 + $5 × 1.3 and $49 + $1 × 1.3.
    expect(byModel['hybrid']!.revenueMicros).toBe(71_800_000);
    expect(byModel['tiered']!.marginMicros).toBe(132 * USD);
    expect(pricing!.recommended).toBe('tiered');
    expect(pricing!.recommendations[0]!.text).toContain('Move to tiered pricing: margin $132.00');
  });

  it('counts a customer whose bill rises past the churn threshold', async () => {
    const records = [
      call({
        day: 0,
        customerId: 'heavy',
        subscriptionTier: 'starter',
        inputTokens: 3_000_000,
        outputTokens: 0,
        costMicros: USD,
      }),
    ];
    const { pricing } = await analyzeCosts([records], { analyses: ['pricing'] });
    const usage = pricing!.models.find((model) => model.model === 'usage')!;
    // One day: $29 / 30 today against 3M tokens × $0.02/1K = $60.
    expect(usage.revenueMicros).toBe(60 * USD);
    expect(usage.churnRisk).toEqual({ customers: 1, share: 1, revenueMicros: Math.round((29 * USD) / 30) });
  });
});

describe('performance', () => {
  it('gives exact percentiles, throughput, cost and SLA on a small group', async () => {
    const records = Array.from({ length: 100 }, (_, index) =>
      call({ latencyMs: index + 1, outputTokens: 10, inputTokens: 90, costMicros: 100 }),
    );
    records.push(call({ model: 'gpt-4', latencyMs: 3000, inputTokens: 90, outputTokens: 10 }));
    const { performance } = await analyzeCosts([records], {
      analyses: ['performance'],
      config: { performance: { minCalls: 1 } },
    });
    const gpt4o = performance!.byModel.find((model) => model.model === 'gpt-4o')!;
    expect(gpt4o).toMatchObject({
      calls: 100,
      meanMs: 50.5,
      p50Ms: 50,
      p95Ms: 95,
      p99Ms: 99,
      slaCompliance: 1,
    });
    // 1,000 output tokens over 5.05 s; $0.01 over 10,000 tokens.
    expect(gpt4o.tokensPerSecond).toBe(198.02);
    expect(gpt4o.costPer1kTokensUsd).toBe(0.001);
    expect(gpt4o.efficiencyScore).toBe(198019.8);
    expect(performance!.sla).toMatchObject({ thresholdMs: 2000, breaches: 1 });
    expect(performance!.sla.worstModels[0]).toMatchObject({ model: 'gpt-4', compliance: 0, breaches: 1 });
    expect(performance!.rankings.byComposite[0]).toBe('openai/gpt-4o');
    expect(performance!.bestByTaskType[0]).toMatchObject({ taskType: 'chat', model: 'gpt-4o' });
    expect(performance!.histograms.overall.counts.reduce((sum, count) => sum + count, 0)).toBe(101);
    expect(performance!.histograms.overall.counts[0]).toBe(100);
  });
});

describe('features', () => {
  it('computes adoption, attributed revenue and bundle lift', async () => {
    const records = [
      call({ customerId: 'c1', featureId: 'chat', costMicros: 3 * USD }),
      call({ customerId: 'c1', featureId: 'qa', costMicros: 1 * USD }),
      call({ customerId: 'c2', featureId: 'chat', costMicros: 1 * USD }),
      call({ customerId: 'c3', featureId: 'qa', costMicros: 1 * USD }),
    ];
    const { features } = await analyzeCosts([records], {
      analyses: ['features'],
      config: { features: { bundleMinSupport: 0 } },
    });
    const chat = features!.features.find((row) => row.feature === 'chat')!;
    // Pro over one day: $3.30 a customer; c1's is split 3:1 between chat and qa.
    expect(chat).toMatchObject({
      calls: 2,
      costMicros: 4 * USD,
      adopters: 2,
      adoption: 0.666667,
      revenueMicros: 2_475_000 + 3_300_000,
    });
    expect(features!.bundles).toEqual([
      { features: ['chat', 'qa'], customers: 1, support: 0.333333, confidence: 0.5, lift: 0.75 },
    ]);
    for (const recommendation of features!.recommendations) expectNumbersFromFigures(recommendation);
  });
});

describe('incremental use', () => {
  it('finishes again after more records, as one pass over all of them would', () => {
    const first = Array.from({ length: 20 }, (_, index) =>
      call({ day: index % 3, customerId: `c${index % 4}` }),
    );
    const second = Array.from({ length: 20 }, (_, index) =>
      call({ day: 3 + (index % 3), customerId: `c${index % 5}` }),
    );
    const analyzer = new CostAnalyzer();
    analyzer.addRecords(first);
    expect(analyzer.finish().understanding!.totals.calls).toBe(20);
    for (const record of second) analyzer.addRecord(record);
    const whole = new CostAnalyzer();
    whole.addRecords([...first, ...second]);
    expect(analyzer.finish()).toEqual(whole.finish());
    expect(CostAnalyzer.fromState(JSON.parse(JSON.stringify(analyzer.state()))).finish()).toEqual(
      whole.finish(),
    );
  });
});

describe('trends over the window', () => {
  it('shows a migration as shifting model shares and savings by day that add up', async () => {
    const records = [
      ...Array.from({ length: 10 }, (_, index) => call({ day: index % 5, model: 'gpt-4', taskType: 'qa' })),
      ...Array.from({ length: 10 }, (_, index) =>
        call({ day: 5 + (index % 5), model: 'gpt-4o-mini', taskType: 'qa' }),
      ),
    ];
    const { understanding, optimization } = await analyzeCosts([records], {
      analyses: ['understanding', 'optimization'],
    });
    const shares = Object.fromEntries(understanding!.modelShares.map((row) => [row.model, row]));
    expect(shares['gpt-4']).toMatchObject({ firstHalfShare: 1, secondHalfShare: 0, change: -1 });
    expect(shares['gpt-4o-mini']).toMatchObject({ firstHalfShare: 0, secondHalfShare: 1, change: 1 });
    const daily = optimization!.dailySwitchSavings;
    expect(daily.reduce((sum, day) => sum + day.savingsMicros, 0)).toBe(optimization!.switchSavingsMicros);
    expect(daily.slice(5).every((day) => day.savingsMicros === 0)).toBe(true);
    expect(daily[0]!.savingsMicros).toBeGreaterThan(0);
  });
});
