import {
  ABUSE_MINUTE_MODEL,
  ABUSE_SETTINGS,
  ANALYSIS_REGISTRY,
  type AbuseConfig,
  type MinuteProfiles,
  defineAnalysis,
  minuteProfilesOf,
  resolveConfig,
} from '../src';

/** An analysis that returns the minute profiles the abuse finish step reads, built from the store's cells. */
export const PROFILE_PROBE = defineAnalysis<'minuteProfileProbe', AbuseConfig, MinuteProfiles>({
  name: 'minuteProfileProbe',
  title: 'Minute profile probe',
  category: 'finops',
  purpose: 'The minute profiles of the abuse analysis, built in-process.',
  settings: ABUSE_SETTINGS,
  groupings: [ABUSE_MINUTE_MODEL],
  finish: (context, settings) => minuteProfilesOf(context.aggregates, settings),
  document: () => {
    throw new Error('the probe has no page');
  },
});

/** The built-in analyses and the probe. */
export const PROFILE_REGISTRY = [...ANALYSIS_REGISTRY, PROFILE_PROBE];

/** The abuse analysis's default settings. */
export const ABUSE_DEFAULTS = (resolveConfig() as unknown as { abuse: AbuseConfig }).abuse;

/** The options of a run of the probe alone with `settings`. */
export function probeOptions(settings: AbuseConfig): {
  registry: typeof PROFILE_REGISTRY;
  analyses: string[];
  config: Record<string, AbuseConfig>;
} {
  return {
    registry: PROFILE_REGISTRY,
    analyses: ['minuteProfileProbe'],
    config: { minuteProfileProbe: settings },
  };
}
