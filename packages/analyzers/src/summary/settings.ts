import { type SettingsSpec, integer, number, setting } from '../settings/rules';

/** Settings of the executive summary (the config section `summary`). */
export interface SummaryConfig {
  /** Most actions the summary lists (3 to 5). */
  maxActions: number;
  /** Least a candidate must be worth a month, in dollars, to be listed. */
  minMonthlyUsd: number;
}

/** The settings of {@link SummaryConfig}, with defaults and rules. */
export const SUMMARY_SETTINGS: SettingsSpec<SummaryConfig> = {
  maxActions: setting(5, integer({ min: 3, max: 5 }), 'Most actions the executive summary lists.'),
  minMonthlyUsd: setting(
    1,
    number({ min: 0 }),
    'Least a candidate action must be worth a month, in dollars, to be listed.',
  ),
};
