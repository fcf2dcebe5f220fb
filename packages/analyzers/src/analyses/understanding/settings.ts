import { type SettingsSpec, integer, nullable, number, setting } from '../../settings/rules';

/** Settings of analysis 1, understanding usage and cost. */
export interface UnderstandingConfig {
  /** Customers listed one by one before "the rest". */
  topCustomers: number;
  /** Monthly budget in USD; the 30-day forecast above it raises a budget alert. `null`: no budget. */
  monthlyBudgetUsd: number | null;
  /** Confidence of the forecast's prediction interval (0.95). */
  forecastConfidence: number;
  /** Keys named per dimension among the drivers of a period's change (the others are summed in one line). */
  periodDrivers: number;
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
  periodDrivers: setting(
    5,
    integer({ min: 1, max: 1000 }),
    "Providers, models, customers and features named among the drivers of a period's change (the others summed in one line).",
  ),
};
