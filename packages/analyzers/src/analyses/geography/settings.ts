import { type SettingsSpec, integer, number, setting, share } from '../../settings/rules';

/** Settings of the geography analysis. */
export interface GeographyConfig {
  /** Latency threshold of the SLA in ms (a call at or under it complies). */
  slaMs: number;
  /** Share of a region's or a route's timed calls that must meet the SLA; below it, the region or route breaks the SLA. */
  slaTarget: number;
  /** Fewest calls (with a latency, for speed) a route needs to be named fastest or cheapest. */
  minCalls: number;
  /** How far above the cheapest region's price index a region must be billed for the difference to be a finding (0.02: 2 %). */
  minPriceGap: number;
}

/** The settings of {@link GeographyConfig}, with defaults and rules. */
export const GEOGRAPHY_SETTINGS: SettingsSpec<GeographyConfig> = {
  slaMs: setting(
    2000,
    number({ min: 0 }),
    'Latency threshold of the SLA in ms (a call at or under it complies).',
  ),
  slaTarget: setting(
    0.95,
    share(),
    "Share of a region's or route's timed calls that must meet the SLA; below it, the SLA is broken.",
  ),
  minCalls: setting(
    10,
    integer({ min: 1 }),
    'Fewest calls (with a latency, for speed) a route needs to be named fastest or cheapest.',
  ),
  minPriceGap: setting(
    0.02,
    number({ min: 0 }),
    "How far above the cheapest region's price index a region must be billed to be a finding.",
  ),
};
