import { type SettingsSpec, integer, number, setting, share } from '../../settings/rules';

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

/** The settings of {@link PerformanceConfig}, with defaults and rules. */
export const PERFORMANCE_SETTINGS: SettingsSpec<PerformanceConfig> = {
  slaMs: setting(
    2000,
    number({ min: 0 }),
    'Latency threshold of the SLA in ms (a call at or under it complies).',
  ),
  latencyBinMs: setting(250, number({ min: 1 }), 'Width of a latency histogram bin in ms.'),
  latencyBinCount: setting(
    40,
    integer({ min: 1, max: 10_000 }),
    'Number of latency histogram bins (the last one is open-ended).',
  ),
  speedWeight: setting(0.5, share(), 'Weight of speed in the composite score (cost gets the rest).'),
  minCalls: setting(
    10,
    integer({ min: 0 }),
    'Fewest calls a model needs (overall, or within a task type) to be ranked.',
  ),
  worstSlaModels: setting(5, integer({ min: 0 }), 'Models listed as breaking the SLA most.'),
};
