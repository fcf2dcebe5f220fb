import { type SettingsSpec, integer, setting, share } from '../../settings/rules';

/** Settings of the overview analysis. */
export interface OverviewConfig {
  /** Customers counted in the top-customers share of cost. */
  topCustomers: number;
  /** Share of cost on one provider above which the dependence on it is a finding (0–1). */
  providerShareLimit: number;
  /** Share of cost of the top customers above which the revenue concentration is a finding (0–1). */
  topCustomersShareLimit: number;
  /** Share of cost of one organization above which it is a finding (0–1). */
  organizationShareLimit: number;
}

/** The settings of {@link OverviewConfig}, with defaults and rules. */
export const OVERVIEW_SETTINGS: SettingsSpec<OverviewConfig> = {
  topCustomers: setting(5, integer({ min: 1 }), 'Customers counted in the top-customers share of cost.'),
  providerShareLimit: setting(
    0.8,
    share(),
    'Share of cost on one provider above which the dependence on it is a finding.',
  ),
  topCustomersShareLimit: setting(
    0.5,
    share(),
    'Share of cost of the top customers above which the concentration is a finding.',
  ),
  organizationShareLimit: setting(
    0.4,
    share(),
    'Share of cost of one organization above which it is a finding.',
  ),
};
