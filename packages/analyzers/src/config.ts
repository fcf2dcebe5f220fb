import type { SUBSCRIPTION_TIERS } from '@finops/schema';

/** The three default plans, which the pricing replays' settings name. */
type DefaultPlan = (typeof SUBSCRIPTION_TIERS)[number];

/** Settings of analysis 1, understanding usage and cost. */
export interface UnderstandingConfig {
  /** Customers listed one by one before "the rest". */
  topCustomers: number;
  /** Monthly budget in USD; the 30-day forecast above it raises a budget alert. `null`: no budget. */
  monthlyBudgetUsd: number | null;
  /** Confidence of the forecast's prediction interval (0.95). */
  forecastConfidence: number;
}

/** Settings of analysis 2, performance tracking. */
export interface PerformanceConfig {
  /** Latency threshold of the SLA in ms (a call at or under it complies). */
  slaMs: number;
  /** Width of a latency histogram bin in ms. */
  latencyBinMs: number;
  /** Number of latency histogram bins (the last one is open-ended). */
  latencyBinCount: number;
  /** Weight of speed in the composite score (cost gets the rest). */
  speedWeight: number;
  /** Fewest calls a model needs (overall, or within a task type) to be ranked. */
  minCalls: number;
  /** Models listed as breaking the SLA most. */
  worstSlaModels: number;
}

/** Settings of analysis 3, real-time decision making. */
export interface RealtimeConfig {
  /** Percentile of a model × task type group's call cost that is its normal. */
  anomalyPercentile: number;
  /** A call costing more than this multiple of the normal is an anomaly. */
  anomalyMultiple: number;
  /** A customer's day above this multiple of its trailing average is a spike. */
  spikeMultiple: number;
  /** Days of the trailing average. */
  spikeTrailingDays: number;
  /** Fewest days of history before a day can be a spike. */
  spikeMinHistoryDays: number;
  /** Alert when a customer's monthly AI cost run-rate exceeds this share of its tier price. */
  tierCostShare: number;
  /** A customer's AI allocation = tier price × this share. */
  allocationShare: number;
  /** Alert when the projected month cost exceeds this share of the allocation. */
  projectedAllocationShare: number;
  /** Alert when a customer's day exceeds this multiple of its daily average. */
  dailyAverageMultiple: number;
  /** Projected cost / allocation from which a customer is medium, high, critical risk. */
  riskMedium: number;
  riskHigh: number;
  riskCritical: number;
  /** Days compared for the trend (the last N against the N before). */
  trendDays: number;
  /** Relative change beyond which the trend is accelerating or declining. */
  trendChange: number;
}

/** A volume discount tier: from a monthly spend with one provider, a discount. */
export interface VolumeTier {
  minMonthlyUsd: number;
  discount: number;
}

/** A model family sold by several providers (e.g. GPT-4 by OpenAI and Azure). */
export interface ModelFamily {
  family: string;
  members: { provider: string; model: string }[];
}

/** Settings of analysis 4, rate optimization. */
export interface OptimizationConfig {
  /** Commitment levels as shares of the lowest steady daily spend. */
  commitmentLevels: number[];
  /** Commitment discounts tried at every level. */
  commitmentDiscounts: number[];
  /** Volume discount tiers by monthly spend per provider. */
  volumeTiers: VolumeTier[];
  /** A provider is "near" the next volume tier from this share of its threshold. */
  volumeNearShare: number;
  /** Model families for provider arbitrage. */
  modelFamilies: ModelFamily[];
  /** Task types simple enough to move to a model any number of classes lower (premium → budget). */
  simpleTasks: string[];
  /** Classes a switch may drop for other task types (1: premium → standard, standard → budget). */
  maxClassDrop: number;
}

/** Settings of analysis 5, organizational alignment (none yet beyond the common ones). */
export interface AlignmentConfig {
  /** Organizations named best and worst in the cross-team comparison need at least this many calls. */
  minCalls: number;
}

/** Settings of analysis 6, customer profitability. */
export interface ProfitabilityConfig {
  /** Margin % a recommended tier or cap should restore. */
  targetMarginPct: number;
  /** Unprofitable customers listed. */
  worstCount: number;
  /** Margin % above which a customer is "high". */
  highMarginPct: number;
  /** Margin % from which (inclusive) a customer is "medium" (below: "low" down to 0). */
  mediumMarginPct: number;
}

/** Settings of analysis 7, pricing strategy (USD). */
export interface PricingConfig {
  /** Tiered model: monthly base fee, included tokens and overage price per 1K tokens, by tier. */
  tiered: Record<DefaultPlan, { baseFeeUsd: number; includedTokens: number }> & {
    overagePer1kUsd: number;
  };
  /** Usage model: price per 1K tokens. */
  usagePer1kUsd: number;
  /** Hybrid model: monthly base fee by tier and markup on AI cost. */
  hybrid: Record<DefaultPlan, number> & { markup: number };
  /** A customer whose bill rises by more than this share is a churn risk. */
  churnIncreaseShare: number;
  /** Largest share of customers at churn risk a recommended model may have. */
  churnRiskLimit: number;
}

/** Settings of analysis 8, feature economics. */
export interface FeaturesConfig {
  /** Smallest share of customers using both features of a bundle. */
  bundleMinSupport: number;
  /** Bundles listed. */
  bundleCount: number;
  /** Days counted as "recent" for new adopters of a feature. */
  recentDays: number;
}

/** Every setting of the eight analyses. */
export interface AnalysisConfig {
  understanding: UnderstandingConfig;
  performance: PerformanceConfig;
  realtime: RealtimeConfig;
  optimization: OptimizationConfig;
  alignment: AlignmentConfig;
  profitability: ProfitabilityConfig;
  pricing: PricingConfig;
  features: FeaturesConfig;
}

/** Partial settings: any subset of {@link AnalysisConfig}, per analysis. */
export type AnalysisConfigInput = { [K in keyof AnalysisConfig]?: Partial<AnalysisConfig[K]> };

/** The defaults of every setting. */
export const DEFAULT_CONFIG: Readonly<AnalysisConfig> = Object.freeze({
  understanding: { topCustomers: 10, monthlyBudgetUsd: null, forecastConfidence: 0.95 },
  performance: {
    slaMs: 2000,
    latencyBinMs: 250,
    latencyBinCount: 40,
    speedWeight: 0.5,
    minCalls: 10,
    worstSlaModels: 5,
  },
  realtime: {
    anomalyPercentile: 0.99,
    anomalyMultiple: 3,
    spikeMultiple: 5,
    spikeTrailingDays: 7,
    spikeMinHistoryDays: 3,
    tierCostShare: 0.3,
    allocationShare: 0.5,
    projectedAllocationShare: 0.8,
    dailyAverageMultiple: 5,
    riskMedium: 0.5,
    riskHigh: 0.8,
    riskCritical: 1,
    trendDays: 7,
    trendChange: 0.2,
  },
  optimization: {
    commitmentLevels: [0.5, 0.7, 0.9],
    commitmentDiscounts: [0.2, 0.3, 0.4],
    volumeTiers: [
      { minMonthlyUsd: 10_000, discount: 0.05 },
      { minMonthlyUsd: 50_000, discount: 0.1 },
      { minMonthlyUsd: 100_000, discount: 0.15 },
    ],
    volumeNearShare: 0.8,
    simpleTasks: ['qa', 'translation', 'chat'],
    maxClassDrop: 1,
    // The same model sold by several providers: where one lists it cheaper (a negotiated rate, say), the move is arbitrage.
    modelFamilies: [
      {
        family: 'gpt-5',
        members: [
          { provider: 'openai', model: 'gpt-5' },
          { provider: 'azure.ai.openai', model: 'gpt-5' },
        ],
      },
      {
        family: 'gpt-5-mini',
        members: [
          { provider: 'openai', model: 'gpt-5-mini' },
          { provider: 'azure.ai.openai', model: 'gpt-5-mini' },
        ],
      },
      {
        family: 'gpt-4.1',
        members: [
          { provider: 'openai', model: 'gpt-4.1' },
          { provider: 'azure.ai.openai', model: 'gpt-4.1' },
        ],
      },
      {
        family: 'gpt-4o',
        members: [
          { provider: 'openai', model: 'gpt-4o' },
          { provider: 'azure.ai.openai', model: 'gpt-4o' },
        ],
      },
      {
        family: 'gpt-4o-mini',
        members: [
          { provider: 'openai', model: 'gpt-4o-mini' },
          { provider: 'azure.ai.openai', model: 'gpt-4o-mini' },
        ],
      },
      {
        family: 'o3',
        members: [
          { provider: 'openai', model: 'o3' },
          { provider: 'azure.ai.openai', model: 'o3' },
        ],
      },
      {
        family: 'o4-mini',
        members: [
          { provider: 'openai', model: 'o4-mini' },
          { provider: 'azure.ai.openai', model: 'o4-mini' },
        ],
      },
      {
        family: 'claude-opus-4-1',
        members: [
          { provider: 'anthropic', model: 'claude-opus-4-1' },
          { provider: 'aws.bedrock', model: 'anthropic.claude-opus-4-1' },
          { provider: 'gcp.vertex_ai', model: 'claude-opus-4-1' },
        ],
      },
      {
        family: 'claude-sonnet-4-5',
        members: [
          { provider: 'anthropic', model: 'claude-sonnet-4-5' },
          { provider: 'aws.bedrock', model: 'anthropic.claude-sonnet-4-5' },
          { provider: 'gcp.vertex_ai', model: 'claude-sonnet-4-5' },
        ],
      },
      {
        family: 'claude-haiku-4-5',
        members: [
          { provider: 'anthropic', model: 'claude-haiku-4-5' },
          { provider: 'aws.bedrock', model: 'anthropic.claude-haiku-4-5' },
          { provider: 'gcp.vertex_ai', model: 'claude-haiku-4-5' },
        ],
      },
      {
        family: 'gemini-2.5-pro',
        members: [
          { provider: 'gcp.gemini', model: 'gemini-2.5-pro' },
          { provider: 'gcp.vertex_ai', model: 'gemini-2.5-pro' },
        ],
      },
      {
        family: 'gemini-2.5-flash',
        members: [
          { provider: 'gcp.gemini', model: 'gemini-2.5-flash' },
          { provider: 'gcp.vertex_ai', model: 'gemini-2.5-flash' },
        ],
      },
    ],
  },
  alignment: { minCalls: 1 },
  profitability: { targetMarginPct: 30, worstCount: 10, highMarginPct: 50, mediumMarginPct: 20 },
  pricing: {
    tiered: {
      starter: { baseFeeUsd: 29, includedTokens: 500_000 },
      pro: { baseFeeUsd: 99, includedTokens: 2_000_000 },
      enterprise: { baseFeeUsd: 299, includedTokens: 10_000_000 },
      overagePer1kUsd: 0.02,
    },
    usagePer1kUsd: 0.02,
    hybrid: { starter: 15, pro: 49, enterprise: 149, markup: 0.3 },
    churnIncreaseShare: 0.5,
    churnRiskLimit: 0.1,
  },
  features: { bundleMinSupport: 0.1, bundleCount: 10, recentDays: 7 },
} satisfies AnalysisConfig);

/** The defaults with the caller's settings laid over them (per analysis, setting by setting). */
export function resolveConfig(input: AnalysisConfigInput = {}): AnalysisConfig {
  const merged = structuredClone(DEFAULT_CONFIG) as AnalysisConfig;
  for (const key of Object.keys(merged) as (keyof AnalysisConfig)[]) {
    const overrides = input[key];
    if (overrides) Object.assign(merged[key], structuredClone(overrides));
  }
  return merged;
}
