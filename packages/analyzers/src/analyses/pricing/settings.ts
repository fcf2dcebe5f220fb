import type { SUBSCRIPTION_TIERS } from '@finops/schema';
import { type SettingsSpec, number, setting, shape, share } from '../../settings/rules';

/** The three default plans, which the pricing replays' settings name. */
type DefaultPlan = (typeof SUBSCRIPTION_TIERS)[number];

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

const money = (): ReturnType<typeof number> => number({ min: 0 });
const planFee = shape({ baseFeeUsd: money(), includedTokens: number({ min: 0 }) });

/** The settings of {@link PricingConfig}, with defaults and rules. */
export const PRICING_SETTINGS: SettingsSpec<PricingConfig> = {
  tiered: setting(
    {
      starter: { baseFeeUsd: 29, includedTokens: 500_000 },
      pro: { baseFeeUsd: 99, includedTokens: 2_000_000 },
      enterprise: { baseFeeUsd: 299, includedTokens: 10_000_000 },
      overagePer1kUsd: 0.02,
    },
    shape({ starter: planFee, pro: planFee, enterprise: planFee, overagePer1kUsd: money() }),
    'Tiered model: monthly base fee and included tokens by plan, overage price per 1K tokens.',
  ),
  usagePer1kUsd: setting(0.02, money(), 'Usage model: price per 1K tokens.'),
  hybrid: setting(
    { starter: 15, pro: 49, enterprise: 149, markup: 0.3 },
    shape({ starter: money(), pro: money(), enterprise: money(), markup: number({ min: 0 }) }),
    'Hybrid model: monthly base fee by plan and markup on AI cost.',
  ),
  churnIncreaseShare: setting(
    0.5,
    number({ min: 0 }),
    'A customer whose bill rises by more than this share is a churn risk.',
  ),
  churnRiskLimit: setting(
    0.1,
    share(),
    'Largest share of customers at churn risk a recommended model may have.',
  ),
};
