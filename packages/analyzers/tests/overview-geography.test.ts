/* eslint-disable @typescript-eslint/no-non-null-assertion -- fixtures have known shapes */
import { type CallRecord, checkReportDocument } from '@finops/schema';
import { analyzeCosts, resolveConfig } from '../src';
import { geographyDocument, overviewDocument, toReportDocument } from '../src/documents';
import { call, randomLogV2 } from './fixtures';
import { assertMergeLaws } from './merge-laws';

/** Three calls whose shares, quantiles and concentration are worked out by hand below. */
function overviewLog(): CallRecord[] {
  return [
    call({
      customerId: 'cust_a',
      organizationId: 'org_1',
      featureId: 'chat',
      subscriptionTier: 'pro',
      region: 'us-east-1',
      costMicros: 6_000,
      latencyMs: 100,
    }),
    call({
      customerId: 'cust_b',
      organizationId: 'org_1',
      featureId: 'search',
      subscriptionTier: 'pro',
      region: 'eu-west-1',
      costMicros: 2_000,
      latencyMs: 300,
    }),
    call({
      provider: 'anthropic',
      model: 'claude-3-5-haiku',
      customerId: 'cust_c',
      organizationId: 'org_2',
      featureId: 'chat',
      subscriptionTier: 'starter',
      costMicros: 2_000,
      latencyMs: 500,
      inputTokens: 100,
      outputTokens: 50,
    }),
  ];
}

describe('overview', () => {
  it('gives size, uniques, shares that add up, quantiles and concentration findings, by hand', async () => {
    const results = await analyzeCosts(overviewLog(), {
      analyses: ['overview'],
      config: { overview: { topCustomers: 1, providerShareLimit: 0.75 } },
    });
    const overview = results.overview!;
    expect(overview.totals).toMatchObject({
      calls: 3,
      costMicros: 10_000,
      inputTokens: 2_100,
      outputTokens: 1_050,
    });
    expect(overview.unique).toEqual({
      customers: 3,
      organizations: 2,
      products: 1,
      features: 2,
      providers: 2,
      models: 2,
      regions: 2,
    });
    expect(overview.shares.provider).toEqual([
      { key: 'openai', calls: 2, costMicros: 8_000, callShare: 0.666667, costShare: 0.8 },
      { key: 'anthropic', calls: 1, costMicros: 2_000, callShare: 0.333333, costShare: 0.2 },
    ]);
    // Calls without a region are the last row, so that the list adds up.
    expect(overview.shares.region.map((row) => [row.key, row.calls, row.costMicros])).toEqual([
      ['us-east-1', 1, 6_000],
      ['eu-west-1', 1, 2_000],
      ['', 1, 2_000],
    ]);
    expect(overview.shares.plan.map((row) => [row.key, row.costMicros])).toEqual([
      ['pro', 8_000],
      ['starter', 2_000],
    ]);
    for (const rows of Object.values(overview.shares)) {
      expect(rows.reduce((total, row) => total + row.costMicros, 0)).toBe(10_000);
      expect(rows.reduce((total, row) => total + row.calls, 0)).toBe(3);
    }
    // Nearest rank over 100, 300, 500 ms.
    expect(overview.latency).toEqual({ p50Ms: 300, p95Ms: 500, p99Ms: 500, timedCalls: 3, untimedCalls: 0 });
    expect(overview.concentration).toEqual({
      largestProvider: { name: 'openai', costMicros: 8_000, share: 0.8, limit: 0.75, finding: true },
      topCustomers: {
        name: 'cust_a',
        customers: 1,
        costMicros: 6_000,
        share: 0.6,
        limit: 0.5,
        finding: true,
      },
      largestOrganization: { name: 'org_1', costMicros: 8_000, share: 0.8, limit: 0.4, finding: true },
    });
    // Ranked by the cost they concern (ties keep provider first).
    expect(overview.recommendations.map((item) => item.text)).toEqual([
      'openai carries 80.0% of all cost ($0.01), above the 75.0% limit: an outage or a price change there hits most of the spend; route a share of the traffic to a second provider.',
      'Organization org_1 carries 80.0% of all cost ($0.01), above the 40.0% limit.',
      'The top 1 customers carry 60.0% of all cost ($0.01), above the 50.0% limit: the cost base depends on few accounts.',
    ]);
  });

  it('raises no finding under the limits, and none for a top N that covers every customer', async () => {
    const results = await analyzeCosts(overviewLog(), {
      analyses: ['overview'],
      config: { overview: { topCustomers: 3, providerShareLimit: 0.8, organizationShareLimit: 0.9 } },
    });
    expect(results.overview!.concentration.topCustomers).toMatchObject({ share: 1, finding: false });
    expect(results.overview!.recommendations).toEqual([]);
  });

  it('refuses limits outside 0–1 with the path of the setting', () => {
    expect(() => resolveConfig({ overview: { providerShareLimit: 1.5 } })).toThrow(
      /config\.overview\.providerShareLimit: must be a number from 0 to 1, got 1\.5/,
    );
    expect(() => resolveConfig({ overview: { topCustomers: 0 } })).toThrow(/config\.overview\.topCustomers/);
  });

  it('says on its page what bucketed rows hide, and builds a sound page for them', async () => {
    const bucketed = overviewLog().map((record, index) => ({ ...record, calls: index + 2 }));
    const results = await analyzeCosts(bucketed, { analyses: ['overview'] });
    expect(results.overview!.totals.calls).toBe(2 + 3 + 4);
    const page = overviewDocument(results.overview!, results.meta);
    expect(checkReportDocument(page)).toEqual([]);
    expect(JSON.stringify(page)).toContain('rows stand for 9 calls');
    expect(JSON.stringify(page)).toContain("counted at the row's mean latency");
  });
});

/** Five calls: gpt-4o in two regions (one slow and dear), a Claude model in one, and one call without a region. */
function geographyLog(): CallRecord[] {
  return [
    call({ region: 'us-east-1', costMicros: 1_000, latencyMs: 100 }),
    call({ region: 'us-east-1', costMicros: 1_000, latencyMs: 3_000 }),
    call({ region: 'eu-west-1', costMicros: 500, latencyMs: 200 }),
    call({
      provider: 'anthropic',
      model: 'claude-3-5-haiku',
      region: 'eu-west-1',
      costMicros: 3_000,
      latencyMs: 400,
    }),
    call({ costMicros: 7_000, latencyMs: 50 }),
  ];
}

describe('geography', () => {
  const config = { geography: { minCalls: 1 } };

  it('gives regions, routes, SLA breaks, best routes and the saving of the cheapest route, by hand', async () => {
    const results = await analyzeCosts(geographyLog(), { analyses: ['geography'], config });
    const geography = results.geography!;
    expect(geography).toMatchObject({
      hasRegion: true,
      callsWithRegion: 4,
      callsWithoutRegion: 1,
      costWithoutRegionMicros: 7_000,
    });
    expect(
      geography.regions.map(({ region, calls, costMicros, p50Ms, p95Ms, p99Ms }) => ({
        region,
        calls,
        costMicros,
        p50Ms,
        p95Ms,
        p99Ms,
      })),
    ).toEqual([
      { region: 'eu-west-1', calls: 2, costMicros: 3_500, p50Ms: 200, p95Ms: 400, p99Ms: 400 },
      { region: 'us-east-1', calls: 2, costMicros: 2_000, p50Ms: 100, p95Ms: 3_000, p99Ms: 3_000 },
    ]);
    // us-east-1: one of two calls within 2,000 ms, under the 95 % target.
    expect(geography.regions.map((entry) => [entry.region, entry.slaCompliance, entry.breaksSla])).toEqual([
      ['eu-west-1', 1, false],
      ['us-east-1', 0.5, true],
    ]);
    expect(
      geography.routes.map((entry) => [entry.provider, entry.region, entry.costMicros, entry.breaksSla]),
    ).toEqual([
      ['anthropic', 'eu-west-1', 3_000, false],
      ['openai', 'us-east-1', 2_000, true],
      ['openai', 'eu-west-1', 500, false],
    ]);
    expect(geography.bestRoutes).toEqual([
      {
        provider: 'openai',
        model: 'gpt-4o',
        regions: 2,
        fastest: { region: 'us-east-1', calls: 2, p50Ms: 100, p95Ms: 3_000 },
        // 500 µ$ for 1,500 tokens against 2,000 µ$ for 3,000.
        cheapest: { region: 'eu-west-1', calls: 1, costPer1kTokensMicros: 333.3333, priceIndex: 0.066667 },
      },
      {
        provider: 'anthropic',
        model: 'claude-3-5-haiku',
        regions: 1,
        fastest: { region: 'eu-west-1', calls: 1, p50Ms: 400, p95Ms: 400 },
        cheapest: { region: 'eu-west-1', calls: 1, costPer1kTokensMicros: 2_000, priceIndex: 1.071429 },
      },
    ]);
    // The SLA break concerns $0.002. gpt-4o's list price is $0.0075 a call: us-east-1 bills 13.3 % of it, eu-west-1 6.7 %;
    // us-east-1's $0.015 of list cost at eu-west-1's index is $0.001, so $0.001 less.
    expect(geography.recommendations[0]!.figures).toEqual({
      region: 'us-east-1',
      slaMs: 2_000,
      compliancePct: 50,
      breaches: 1,
      targetPct: 95,
    });
    expect(geography.recommendations[1]!.figures).toMatchObject({
      region: 'us-east-1',
      cheapestRegion: 'eu-west-1',
      calls: 2,
      savingMicros: 1_000,
    });
    expect(geography.recommendations[1]!.text).toBe(
      'openai/gpt-4o is billed at 13.3% of its list price in us-east-1 against 6.7% in eu-west-1: those 2 calls at the eu-west-1 rate would have cost $0.00 less.',
    );
    expect(geography.modelRoutes.find((route) => route.region === 'us-east-1')).toMatchObject({
      listCostMicros: 15_000,
      priceIndex: 0.133333,
    });
    // The summary's candidate: that $0.001 over the window, × 30 / window days; the SLA finding proposes nothing.
    const days = results.meta.window.days;
    expect(
      results.summary?.candidates.map(({ analysis, monthlyMicros, figures }) => ({
        analysis,
        monthlyMicros,
        figures,
      })),
    ).toEqual([
      {
        analysis: 'geography',
        monthlyMicros: Math.round((1_000 * 30) / days),
        figures: {
          routes: 1,
          provider: 'openai',
          model: 'gpt-4o',
          region: 'us-east-1',
          cheapestRegion: 'eu-west-1',
          monthlyMicros: Math.round((1_000 * 30) / days),
        },
      },
    ]);
  });

  it('takes no difference of token mix for a cheaper region: calls at list price give no saving', async () => {
    const listPriced = [
      call({ region: 'us-east-1', inputTokens: 100, outputTokens: 2_000 }),
      call({ region: 'eu-west-1', inputTokens: 5_000, outputTokens: 20 }),
    ];
    const results = await analyzeCosts(listPriced, { analyses: ['geography'], config });
    const routes = results.geography!.modelRoutes;
    // Cost per 1K tokens differs almost fourfold, the price index does not.
    expect(routes.map((route) => [route.region, route.costPer1kTokensMicros, route.priceIndex])).toEqual([
      ['us-east-1', 9_642.8571, 1],
      ['eu-west-1', 2_529.8805, 1],
    ]);
    expect(results.geography!.recommendations).toEqual([]);
  });

  it('ranks no route below minCalls', async () => {
    const results = await analyzeCosts(geographyLog(), {
      analyses: ['geography'],
      config: { geography: { minCalls: 2 } },
    });
    expect(results.geography!.bestRoutes[0]).toMatchObject({
      fastest: { region: 'us-east-1' },
      cheapest: { region: 'us-east-1' },
    });
    expect(results.geography!.bestRoutes[1]).toMatchObject({ fastest: null, cheapest: null });
  });

  it('without a region, says so and what to log', async () => {
    const results = await analyzeCosts(
      geographyLog().map(({ region: _region, ...record }) => record),
      { analyses: ['geography'] },
    );
    expect(results.geography).toMatchObject({ hasRegion: false, regions: [], callsWithoutRegion: 5 });
    const page = geographyDocument(results.geography!, results.meta);
    expect(checkReportDocument(page)).toEqual([]);
    expect(page.sections.map((section) => section.title)).toEqual(['No region in the log', 'What to log']);
    expect(JSON.stringify(page)).toContain('`region` column');
  });

  it('states what bucketed rows hide and runs on them', async () => {
    const bucketed = geographyLog().map((record) => ({ ...record, calls: 3 }));
    const results = await analyzeCosts(bucketed, { analyses: ['geography'], config });
    expect(results.geography!.regions[0]).toMatchObject({ region: 'eu-west-1', calls: 6 });
    const page = toReportDocument('geography', results);
    expect(checkReportDocument(page)).toEqual([]);
    expect(JSON.stringify(page)).toContain('SLA compliance of single calls');
  });
});

describe('merge laws of overview and geography', () => {
  it('any split, merged in any order, gives the one-pass result', () => {
    assertMergeLaws(['overview', 'geography'], randomLogV2(500, 10, 5));
  });
});
