import type { CallRecord } from '@finops/schema';
import {
  ANALYSES,
  ANALYSIS_REGISTRY,
  type AnalysisResults,
  SettingsError,
  analyzeCosts,
  defineAnalysis,
  proposeAction,
  resolveConfig,
  summarize,
} from '../src';
import { call, randomLogV2 } from './fixtures';

/**
 * Fifteen days (day 0 to day 14). cust_a (starter, org_1, openai, search) makes 20
 * calls of $5; cust_b (enterprise, org_2, anthropic) 10 calls of $1. All
 * cost: $110.
 */
function smallLog(): CallRecord[] {
  const records: CallRecord[] = [];
  for (let index = 0; index < 20; index++)
    records.push(
      call({
        day: index % 15,
        customerId: 'cust_a',
        subscriptionTier: 'starter',
        featureId: 'search',
        organizationId: 'org_1',
        provider: 'openai',
        model: 'gpt-4o',
        costMicros: 5_000_000,
      }),
    );
  for (let index = 0; index < 10; index++)
    records.push(
      call({
        day: index,
        customerId: 'cust_b',
        subscriptionTier: 'enterprise',
        organizationId: 'org_2',
        provider: 'anthropic',
        model: 'claude-3-haiku',
        costMicros: 1_000_000,
      }),
    );
  return records;
}

/** Budget models of two providers, three organizations, steady traffic: nothing worth a dollar a month. */
function cleanLog(): CallRecord[] {
  const records: CallRecord[] = [];
  for (let day = 0; day < 10; day++)
    for (const [index, organization] of ['org_1', 'org_2', 'org_3'].entries())
      for (const [provider, model] of [
        ['openai', 'gpt-5-nano'],
        ['anthropic', 'claude-3-haiku'],
      ] as const)
        records.push(
          call({
            day,
            organizationId: organization,
            customerId: `cust_${index}`,
            subscriptionTier: 'enterprise',
            provider,
            model,
            inputTokens: 400,
            outputTokens: 200,
            taskType: 'summarization',
          }),
        );
  return records;
}

describe('the executive summary', () => {
  it('ranks the candidates of the analyses run by money a month, computed by hand on a small log', async () => {
    const results = await analyzeCosts(smallLog(), { analyses: ['profitability', 'overview'] });
    expect(results.meta.window.days).toBe(15);
    // Profitability: cust_a pays $29 × 15 / 30 = $14.50 for $100 of cost, a loss of $85.50 in 15 days → $171 a month.
    // Overview: org_1 and openai carry $100 of $110. Above the 40 % organization limit: $100 − $44 = $56 → $112 a month;
    // above the 80 % provider limit: $100 − $88 = $12 → $24 a month. Two customers are not more than the top five: no finding.
    expect(results.summary?.actions.map((action) => [action.analysis, action.monthlyMicros])).toEqual([
      ['profitability', 171_000_000],
      ['overview', 112_000_000],
      ['overview', 24_000_000],
    ]);
    const [loss, organization, provider] = results.summary?.actions ?? [];
    expect(loss?.text).toBe(
      'Unprofitable customers: 1, the worst cust_a (starter) with a loss of $85.50 in the window; together they lose $171.00 a month.',
    );
    expect(loss?.section).toBe('Unprofitable customers');
    expect(organization?.figures).toEqual({
      name: 'org_1',
      sharePct: expect.closeTo(90.9091, 3),
      limitPct: 40,
      monthlyMicros: 112_000_000,
    });
    expect(provider?.text).toContain(
      'openai carries 90.9% of all cost, above the 80.0% limit: $24.00 a month',
    );
    expect(results.summary).toMatchObject({
      analyses: ['profitability', 'overview'],
      maxActions: 5,
      minMonthlyUsd: 1,
      windowDays: 15,
    });

    const fewer = await analyzeCosts(smallLog(), {
      analyses: ['profitability', 'overview'],
      config: { summary: { maxActions: 3, minMonthlyUsd: 100 } },
    });
    expect(fewer.summary?.actions.map((action) => action.monthlyUsd)).toEqual([171, 112]);
    expect(fewer.summary?.candidates).toHaveLength(3);
  });

  it('lists nothing for a clean log, and nothing at all for an empty one', async () => {
    const results = await analyzeCosts(cleanLog());
    expect(results.summary?.actions).toEqual([]);
    expect(results.summary?.analyses).toEqual([...ANALYSES]);
    for (const candidate of results.summary?.candidates ?? []) expect(candidate.monthlyUsd).toBeLessThan(1);
    const empty = await analyzeCosts([]);
    expect(empty.summary).toEqual({
      actions: [],
      candidates: [],
      analyses: [...ANALYSES],
      maxActions: 5,
      minMonthlyUsd: 1,
      windowDays: 0,
    });
  });

  it('keeps the contract of the results JSON and is rebuilt from saved results alone', async () => {
    const results = await analyzeCosts(randomLogV2(3000, 20, 30));
    const saved = JSON.parse(JSON.stringify(results)) as AnalysisResults;
    const actions = saved.summary?.actions ?? [];
    expect(actions.length).toBeGreaterThanOrEqual(3);
    expect(actions.length).toBeLessThanOrEqual(5);
    for (const action of actions) {
      expect(typeof action.title).toBe('string');
      expect(typeof action.text).toBe('string');
      expect(typeof action.monthlyUsd).toBe('number');
      expect(action.monthlyUsd).toBe(action.monthlyMicros / 1e6);
      expect(ANALYSES).toContain(action.analysis);
      expect(typeof action.figures).toBe('object');
      // Every sentence states its monthly figure.
      expect(action.figures['monthlyMicros']).toBe(action.monthlyMicros);
    }
    const worth = actions.map((action) => action.monthlyMicros);
    expect(worth).toEqual(worth.slice().sort((a, b) => b - a));
    expect(saved.summary?.candidates.slice(0, actions.length)).toEqual(actions);
    expect(summarize(saved, { config: resolveConfig() as unknown as Record<string, unknown> })).toEqual(
      saved.summary,
    );
  });

  it('states in each action the monthly figure of the result it comes from (window figures × 30 / days)', async () => {
    const results = await analyzeCosts(randomLogV2(3000, 20, 30), {
      config: { understanding: { monthlyBudgetUsd: 10 } },
    });
    const days = results.meta.window.days;
    const perMonth = (micros: number): number => Math.round((micros * 30) / days);
    // A figure of 0 proposes nothing.
    const worth = (analysis: string, title: string): number =>
      results.summary?.candidates.find((action) => action.analysis === analysis && action.title === title)
        ?.monthlyMicros ?? 0;
    const { optimization, profitability, realtime, alignment, tokens, understanding } = results;
    expect(worth('optimization', 'Switch models where a cheaper one does the task')).toBe(
      perMonth(optimization?.switchSavingsMicros ?? 0),
    );
    expect(worth('profitability', 'Reprice or cap the customers who cost more than they pay')).toBe(
      perMonth(profitability?.unprofitable.lossMicros ?? 0),
    );
    expect(worth('realtime', 'Contact the customers at risk before the month closes')).toBe(
      realtime?.portfolio.revenueAtRiskMicros,
    );
    expect(
      worth(
        'alignment',
        `Bring ${alignment?.crossTeam.worst} to the cost per token of ${alignment?.crossTeam.best}`,
      ),
    ).toBe(perMonth(alignment?.crossTeam.gapMicros ?? 0));
    const premium = tokens?.wasteByRule.find((row) => row.rule === 'premium_on_simple_task');
    expect(worth('tokens', 'Take premium models off simple tasks')).toBe(
      perMonth(premium?.savingMicros ?? 0),
    );
    expect(worth('understanding', 'Bring the next month back within budget')).toBe(
      Math.round((understanding?.forecast.days30.expectedUsd ?? 0) * 1e6) - 10_000_000,
    );
    const small = await analyzeCosts(smallLog());
    expect(small.summary?.candidates.find((action) => action.analysis === 'realtime')?.monthlyMicros).toBe(
      small.realtime?.portfolio.revenueAtRiskMicros,
    );
    // Feature search is cust_a's alone: its $14.50 of revenue against $100 of cost, $171 a month.
    expect(small.summary?.candidates.find((action) => action.analysis === 'features')?.monthlyMicros).toBe(
      171_000_000,
    );
    const proposing = new Set(
      [...(results.summary?.candidates ?? []), ...(small.summary?.candidates ?? [])].map(
        (action) => action.analysis,
      ),
    );
    // Performance carries no monthly money figure.
    expect(ANALYSES.filter((name) => proposing.has(name))).toEqual([
      'understanding',
      'realtime',
      'optimization',
      'alignment',
      'profitability',
      'pricing',
      'features',
      'overview',
      'geography',
      'tokens',
      'abuse',
    ]);
    // Abuse counts each flagged customer's costliest flag once; churn's figures are already monthly.
    expect(worth('abuse', 'Act on the abuse flags')).toBe(
      (results.abuse?.risk ?? []).reduce((sum, customer) => sum + customer.monthlyMicros, 0),
    );
    expect(worth('churn', 'Reach out to customers at churn risk')).toBe(
      results.churn?.totals.monthlyRevenueAtRiskMicros ?? 0,
    );
    expect(worth('churn', 'Offer the next plan to growing customers')).toBe(
      results.churn?.totals.monthlyExpansionMicros ?? 0,
    );
  });

  it('takes the actions of an analysis added to the registry, and breaks ties by registry order', async () => {
    const flat = (name: string, title: string) =>
      defineAnalysis<string, object, { days: number }>({
        name,
        title: `${name} page`,
        category: 'finops',
        purpose: 'A page that proposes one action of a fixed worth per day of the window.',
        settings: {},
        groupings: [],
        finish: (context) => ({ days: context.windowDays }),
        document: () => {
          throw new Error('not rendered here');
        },
        actions: (result) => [
          proposeAction(
            title,
            '{days} days at $2 a day: {monthlyMicros} a month.',
            {
              days: result.days,
              monthlyMicros: 60_000_000,
            },
            60_000_000,
          ),
        ],
      });
    const registry = [...ANALYSIS_REGISTRY, flat('second', 'B action'), flat('first', 'A action')];
    const results = await analyzeCosts(smallLog(), {
      registry,
      analyses: ['first', 'second', 'profitability'],
    });
    expect(
      results.summary?.actions.map((action) => [action.analysis, action.title, action.monthlyUsd]),
    ).toEqual([
      ['profitability', 'Reprice or cap the customers who cost more than they pay', 171],
      ['second', 'B action', 60],
      ['first', 'A action', 60],
    ]);
    expect(results.summary?.actions[1]?.text).toBe('15 days at $2 a day: $60.00 a month.');
  });

  it('checks its settings like any analysis, and refuses an analysis named summary', async () => {
    expect(() => resolveConfig({ summary: { maxActions: 6 } })).toThrow(SettingsError);
    expect(() => resolveConfig({ summary: { maxActions: 6 } })).toThrow(
      'config.summary.maxActions: must be a whole number from 3 to 5, got 6',
    );
    expect(resolveConfig({ summary: { minMonthlyUsd: 10 } }).summary).toEqual({
      maxActions: 5,
      minMonthlyUsd: 10,
    });
    const named = defineAnalysis({ ...ANALYSIS_REGISTRY[0], name: 'summary' });
    await expect(analyzeCosts([], { registry: [named] })).rejects.toThrow('not a valid analysis name');
  });
});
