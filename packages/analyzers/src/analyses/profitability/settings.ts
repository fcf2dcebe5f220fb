import { type SettingsSpec, integer, number, setting } from '../../settings/rules';

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

/** The settings of {@link ProfitabilityConfig}, with defaults and rules. */
export const PROFITABILITY_SETTINGS: SettingsSpec<ProfitabilityConfig> = {
  targetMarginPct: setting(
    30,
    number({ min: 0, max: 100 }),
    'Margin % a recommended plan or cap should restore.',
  ),
  worstCount: setting(10, integer({ min: 0 }), 'Unprofitable customers listed.'),
  highMarginPct: setting(50, number({ max: 100 }), 'Margin % above which a customer is "high".'),
  mediumMarginPct: setting(
    20,
    number({ max: 100 }),
    'Margin % from which (inclusive) a customer is "medium" (below: "low" down to 0).',
  ),
};
