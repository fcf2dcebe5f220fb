import { type SettingsSpec, integer, nullable, number, setting } from '../../settings/rules';

/** Settings of analysis 1, understanding usage and cost. */
export interface UnderstandingConfig {
  /** Customers listed one by one before "the rest". */
  topCustomers: number;
  /** Monthly budget in USD; the 30-day forecast above it raises a budget alert. `null`: no budget. */
  monthlyBudgetUsd: number | null;
  /** Confidence of the forecast's prediction interval (0.95). */
  forecastConfidence: number;
}

/** The settings of {@link UnderstandingConfig}, with defaults and rules. */
export const UNDERSTANDING_SETTINGS: SettingsSpec<UnderstandingConfig> = {
  topCustomers: setting(10, integer({ min: 1 }), 'Customers listed one by one before "the rest".'),
  monthlyBudgetUsd: setting<number | null>(
    null,
    nullable(number({ min: 0 })),
    'Monthly budget in USD; a 30-day forecast above it raises a budget alert (null: no budget).',
  ),
  forecastConfidence: setting(
    0.95,
    number({ min: 0.5, max: 0.999 }),
    "Confidence of the forecast's prediction interval.",
  ),
};
