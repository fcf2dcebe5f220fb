/* eslint-disable @typescript-eslint/no-non-null-assertion -- fixtures have known shapes */
import { type CallRecord, checkReportDocument } from '@finops/schema';
import { type ChurnConfig, analyzeCosts, resolveConfig } from '../src';
import { churnDocument, toReportDocument } from '../src/documents';
import { call, randomLogV2 } from './fixtures';
import { assertMergeLaws } from './merge-laws';

/** `count` calls of a customer on a day (index from DAY0). */
function calls(count: number, fields: Partial<CallRecord> & { day: number }): CallRecord[] {
  return Array.from({ length: count }, () => call(fields));
}

/**
 * Eight days (0–3 before, 4–7 recent) and four customers whose velocity,
 * signals, scores and plan moves are worked out by hand in the test below.
 */
function churnLog(): CallRecord[] {
  const a = { customerId: 'cust_a', subscriptionTier: 'pro' };
  const b = { customerId: 'cust_b', subscriptionTier: 'starter' };
  const c = { customerId: 'cust_c', subscriptionTier: 'enterprise' };
  const e = { customerId: 'cust_e', subscriptionTier: 'enterprise' };
  const log: CallRecord[] = [];
  // cust_a: 2 chat calls a day before and one search call on day 1; one chat call on day 4, then silence.
  for (const day of [0, 1, 2, 3]) log.push(...calls(2, { ...a, day }));
  log.push(call({ ...a, day: 1, featureId: 'search' }), call({ ...a, day: 4 }));
  // cust_b: 1 call a day before, 3 a day since.
  for (const day of [0, 1, 2, 3]) log.push(call({ ...b, day }));
  for (const day of [4, 5, 6, 7]) log.push(...calls(3, { ...b, day }));
  // cust_c: one call before, one since: too few calls to judge, far under its plan's usage.
  log.push(call({ ...c, day: 3 }), call({ ...c, day: 7 }));
  // cust_e: 10 calls a day throughout; the 10 of day 4 fail (10 of its 40 recent calls).
  for (const day of [0, 1, 2, 3, 5, 6, 7]) log.push(...calls(10, { ...e, day }));
  log.push(...calls(10, { ...e, day: 4, status: 'error', errorType: 'timeout' }));
  return log;
}

const SETTINGS: Partial<ChurnConfig> = {
  recentDays: 4,
  priorDays: 4,
  minPriorCalls: 2,
  silenceDays: 4,
  minPeers: 1,
};

describe('churn', () => {
  it('gives velocities, risk scores, revenue at risk, expansion and downgrade, by hand', async () => {
    const results = await analyzeCosts(churnLog(), { analyses: ['churn'], config: { churn: SETTINGS } });
    const churn = results.churn!;
    expect(churn.periods).toEqual({
      windowEnd: '2025-11-10',
      recent: { start: '2025-11-07', end: '2025-11-10', days: 4 },
      prior: { start: '2025-11-03', end: '2025-11-06', days: 4 },
    });
    // Riskiest first; cust_c has one call before, under minPriorCalls, so it is not judged.
    expect(
      churn.customers.map((entry) => [entry.customer, entry.velocity, entry.judged, entry.riskScore]),
    ).toEqual([
      ['cust_a', 0.1111, true, 68.89],
      ['cust_e', 1, true, 15],
      ['cust_b', 3, true, 0],
      ['cust_c', 1, false, 0],
    ]);
    expect(churn.customers[0]).toMatchObject({
      calls: 10,
      activeDays: 5,
      recentActiveDays: 1,
      features: 2,
      recentFeatures: 1,
      featuresBefore: 2,
      droppedFeatures: 1,
      recentCalls: 1,
      priorCalls: 9,
      lastActive: '2025-11-07',
      daysSinceLastCall: 3,
      monthlyCalls: 7.5,
      monthlyRevenueMicros: 99_000_000,
    });
    expect(churn.customers[1]).toMatchObject({ recentErrorShare: 0.25, priorErrorShare: 0 });
    // cust_a: drop 1 − 0.1111 = 0.8889 × 0.55, silence 3/4 × 0.2, features 1 of 2 dropped × 0.1 (weights sum to 1).
    expect(churn.atRisk).toEqual([
      {
        customer: 'cust_a',
        plan: 'pro',
        score: 68.89,
        revenueAtRiskMicros: 99_000_000,
        signals: [
          { kind: 'velocity_drop', strength: 0.8889, points: 48.89 },
          { kind: 'silence', strength: 0.75, points: 15 },
          { kind: 'feature_loss', strength: 0.5, points: 5 },
        ],
        figures: {
          velocity: 0.1111,
          recentCalls: 1,
          priorCalls: 9,
          recentDays: 4,
          priorDays: 4,
          monthlyCalls: 7.5,
          velocityPct: 11.1,
          lastActive: '2025-11-07',
          daysSinceLastCall: 3,
          featuresBefore: 2,
          droppedFeatures: 1,
          recentErrorPct: 0,
          priorErrorPct: 0,
          revenueKnown: 'yes',
          monthlyRevenueMicros: 99_000_000,
        },
      },
    ]);
    // cust_b: velocity 3 ≥ 2 (strength 3 / 4); 90 calls a month against pro's median of 7.5 (strength 1, capped).
    expect(churn.expansion).toEqual([
      {
        customer: 'cust_b',
        plan: 'starter',
        score: 100,
        nextPlan: 'pro',
        expansionMicros: 70_000_000,
        signals: [
          { kind: 'growth', strength: 0.75, points: 75 },
          { kind: 'outgrowing', strength: 1, points: 100 },
        ],
        figures: {
          velocity: 3,
          recentCalls: 12,
          priorCalls: 4,
          recentDays: 4,
          priorDays: 4,
          monthlyCalls: 90,
          nextPlan: 'pro',
          nextPlanMedianMonthlyCalls: 7.5,
          priceMicros: 29_000_000,
          nextPriceMicros: 99_000_000,
        },
      },
    ]);
    // Enterprise median (7.5 + 300) / 2 = 153.75; cust_c uses 4.9 % of it: strength 1 − 0.04878 / 0.5.
    expect(churn.downgrade).toEqual([
      {
        customer: 'cust_c',
        plan: 'enterprise',
        score: 90.24,
        lowerPlan: 'pro',
        revenueLossMicros: 200_000_000,
        signals: [{ kind: 'underuse', strength: 0.9024, points: 90.24 }],
        figures: {
          velocity: 1,
          recentCalls: 1,
          priorCalls: 1,
          recentDays: 4,
          priorDays: 4,
          monthlyCalls: 7.5,
          planMedianMonthlyCalls: 153.75,
          usagePct: 4.9,
          lowerPlan: 'pro',
          priceMicros: 299_000_000,
          lowerPriceMicros: 99_000_000,
        },
      },
    ]);
    expect(churn.plans).toEqual([
      { plan: 'starter', customers: 1, priceMicros: 29_000_000, medianMonthlyCalls: 90 },
      { plan: 'pro', customers: 1, priceMicros: 99_000_000, medianMonthlyCalls: 7.5 },
      { plan: 'enterprise', customers: 2, priceMicros: 299_000_000, medianMonthlyCalls: 153.75 },
    ]);
    expect(churn.totals).toEqual({
      customers: 4,
      judged: 3,
      atRiskCustomers: 1,
      expansionCustomers: 1,
      downgradeCustomers: 1,
      monthlyRevenueAtRiskMicros: 99_000_000,
      monthlyExpansionMicros: 70_000_000,
      monthlyRevenueLossMicros: 200_000_000,
    });
    expect(churn.velocityBands.filter((band) => band.customers > 0)).toEqual([
      { band: 'under 0.5', customers: 1 },
      { band: '0.8 – 1.25', customers: 2 },
      { band: '2 and above', customers: 1 },
    ]);
    expect(churn.recommendations.map((item) => item.text)).toEqual([
      'Contact cust_a (pro): its calls a day fell to 11.1% of the 4 days before, its last call was on 2025-11-07 (3 days before the log ends), and $99.00 a month is at risk (score 68.89).',
      'Offer cust_b the pro plan: it makes 90 calls a month at its recent rate (3 times its rate before) on starter; the move adds $70.00 a month.',
      'cust_c uses 4.9% of what the median enterprise customer uses (7.5 calls a month): check in before it moves to pro, which would cost $200.00 a month.',
    ]);
    const page = churnDocument(churn, results.meta);
    expect(checkReportDocument(page)).toEqual([]);
    expect(page.sections.map((section) => section.title)).toEqual([
      'Periods compared',
      'Velocity',
      'Churn risk',
      'Expansion',
      'Downgrade',
      'Plans',
      'Engagement and feature diversity',
      'Recommendations',
    ]);
  });

  it('counts back from the log’s last day, whenever it is analysed', async () => {
    const shifted = churnLog().map((record) => call({ ...record, timeMs: record.timeMs - 400 * 86_400_000 }));
    const results = await analyzeCosts(shifted, { analyses: ['churn'], config: { churn: SETTINGS } });
    expect(results.churn!.periods.windowEnd).toBe('2024-10-06');
    expect(results.churn!.atRisk.map((entry) => [entry.customer, entry.score])).toEqual([['cust_a', 68.89]]);
  });

  it('flags no call without a customer: they are no account to contact', async () => {
    const anonymous = churnLog().map((record) =>
      record.customerId === 'cust_a' ? { ...record, customerId: '(unattributed)' } : record,
    );
    const results = await analyzeCosts(anonymous, { analyses: ['churn'], config: { churn: SETTINGS } });
    const churn = results.churn!;
    expect(churn.customers.find((entry) => entry.customer === '(unattributed)')).toMatchObject({
      riskScore: 68.89,
    });
    expect(churn.atRisk).toEqual([]);
    expect(churn.plans.find((plan) => plan.plan === 'pro')).toMatchObject({ medianMonthlyCalls: null });
  });

  it('weighs the signals by the settings and flags at the set score', async () => {
    const results = await analyzeCosts(churnLog(), {
      analyses: ['churn'],
      config: {
        churn: {
          ...SETTINGS,
          dropWeight: 0,
          silenceWeight: 0,
          diversityWeight: 0,
          errorWeight: 1,
          riskScore: 100,
        },
      },
    });
    // Only the error rise counts: cust_e's 25 % of failed calls, against 0 before, is past the full 20 points.
    expect(results.churn!.atRisk.map((entry) => [entry.customer, entry.score, entry.signals])).toEqual([
      ['cust_e', 100, [{ kind: 'error_rise', strength: 1, points: 100 }]],
    ]);
  });

  it('has no velocity when the log holds no day before the recent period, and says so', async () => {
    const results = await analyzeCosts(churnLog(), { analyses: ['churn'] });
    const churn = results.churn!;
    expect(churn.periods.prior).toBeNull();
    expect(churn.customers.every((entry) => entry.velocity === null && !entry.judged)).toBe(true);
    expect(churn.atRisk).toEqual([]);
    const page = toReportDocument('churn', results);
    expect(checkReportDocument(page)).toEqual([]);
    expect(JSON.stringify(page)).toContain('holds no day before the recent period');
  });

  it('refuses periods and weights out of range with the path of the setting', () => {
    expect(() => resolveConfig({ churn: { recentDays: 0 } })).toThrow(
      /config\.churn\.recentDays: must be a whole number from 1 to 366, got 0/,
    );
    expect(() => resolveConfig({ churn: { priorDays: 400 } })).toThrow(/config\.churn\.priorDays/);
    expect(() => resolveConfig({ churn: { dropWeight: 2 } })).toThrow(/config\.churn\.dropWeight/);
    expect(() => resolveConfig({ churn: { riskScore: 101 } })).toThrow(/config\.churn\.riskScore/);
  });

  it('states what bucketed rows hide and runs on them', async () => {
    const bucketed = churnLog().map((record) => ({ ...record, calls: 3 }));
    const results = await analyzeCosts(bucketed, { analyses: ['churn'], config: { churn: SETTINGS } });
    expect(results.churn!.customers.find((entry) => entry.customer === 'cust_a')).toMatchObject({
      priorCalls: 27,
      recentCalls: 3,
      velocity: 0.1111,
    });
    const page = toReportDocument('churn', results);
    expect(checkReportDocument(page)).toEqual([]);
    expect(JSON.stringify(page)).toContain('rows stand for');
    expect(JSON.stringify(page)).toContain('only as fine as the buckets');
  });
});

describe('merge laws of churn', () => {
  it('any split, merged in any order, gives the one-pass result', () => {
    assertMergeLaws(['churn'], randomLogV2(500, 10, 5));
  });
});
