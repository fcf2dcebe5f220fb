import { type SettingsSpec, integer, setting, share } from '../../settings/rules';

/** Settings of analysis 8, feature economics. */
export interface FeaturesConfig {
  /** Smallest share of customers using both features of a bundle. */
  bundleMinSupport: number;
  /** Bundles listed. */
  bundleCount: number;
  /** Days counted as "recent" for new adopters of a feature. */
  recentDays: number;
  /** The costliest sessions and traces listed. */
  topSessions: number;
}

/** The settings of {@link FeaturesConfig}, with defaults and rules. */
export const FEATURES_SETTINGS: SettingsSpec<FeaturesConfig> = {
  bundleMinSupport: setting(0.1, share(), 'Smallest share of customers using both features of a bundle.'),
  bundleCount: setting(10, integer({ min: 0 }), 'Bundles listed.'),
  recentDays: setting(7, integer({ min: 1 }), 'Days counted as "recent" for new adopters of a feature.'),
  topSessions: setting(10, integer({ min: 0, max: 10000 }), 'The costliest sessions and traces listed.'),
};
