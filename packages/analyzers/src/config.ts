/**
 * Settings of the analyses: one section per analysis of the registry, each
 * with its defaults and rules (declared in the analysis's folder). The same
 * check serves the library, the CLI's config file and its `--set` flags, so a
 * wrong value gets the same message everywhere.
 */
import { FinopsError } from '@finops/schema';
import type { AlignmentConfig } from './analyses/alignment/settings';
import type { AbuseConfig } from './analyses/abuse/settings';
import type { FeaturesConfig } from './analyses/features/settings';
import type { OptimizationConfig } from './analyses/optimization/settings';
import type { PerformanceConfig } from './analyses/performance/settings';
import type { PricingConfig } from './analyses/pricing/settings';
import type { ProfitabilityConfig } from './analyses/profitability/settings';
import type { RealtimeConfig } from './analyses/realtime/settings';
import type { UnderstandingConfig } from './analyses/understanding/settings';
import type { OverviewConfig } from './analyses/overview/settings';
import type { GeographyConfig } from './analyses/geography/settings';
import type { TokensConfig } from './analyses/tokens/settings';
import type { ChurnConfig } from './analyses/churn/settings';
import { ANALYSIS_REGISTRY, type AnalysisRegistry } from './analyses/registry';
import { defaultsOf, describeValue, settingsProblems } from './settings/rules';
import { SUMMARY_SETTINGS, type SummaryConfig } from './summary/settings';

export type { UnderstandingConfig } from './analyses/understanding/settings';
export type { PerformanceConfig } from './analyses/performance/settings';
export type { RealtimeConfig } from './analyses/realtime/settings';
export type { OptimizationConfig, VolumeTier, ModelFamily } from './analyses/optimization/settings';
export type { AlignmentConfig } from './analyses/alignment/settings';
export type { ProfitabilityConfig } from './analyses/profitability/settings';
export type { PricingConfig } from './analyses/pricing/settings';
export type { AbuseConfig } from './analyses/abuse/settings';
export type { FeaturesConfig } from './analyses/features/settings';
export type { OverviewConfig } from './analyses/overview/settings';
export type { GeographyConfig } from './analyses/geography/settings';
export type { TokensConfig } from './analyses/tokens/settings';
export type { ChurnConfig } from './analyses/churn/settings';
export type { SummaryConfig } from './summary/settings';

/** The config section of the executive summary, beside the analyses' sections. */
export const SUMMARY_SECTION = 'summary';

/** Every setting of the built-in analyses (a custom analysis's section sits beside them). */
export interface AnalysisConfig {
  understanding: UnderstandingConfig;
  performance: PerformanceConfig;
  realtime: RealtimeConfig;
  optimization: OptimizationConfig;
  alignment: AlignmentConfig;
  profitability: ProfitabilityConfig;
  pricing: PricingConfig;
  features: FeaturesConfig;
  overview: OverviewConfig;
  geography: GeographyConfig;
  tokens: TokensConfig;
  churn: ChurnConfig;
  abuse: AbuseConfig;
  /** The executive summary (not an analysis: it ranks the actions the analyses propose). */
  summary: SummaryConfig;
}

/** Partial settings: any subset of {@link AnalysisConfig}, per analysis. */
export type AnalysisConfigInput = { [K in keyof AnalysisConfig]?: Partial<AnalysisConfig[K]> } & {
  [analysis: string]: object | undefined;
};

/** Settings that break a rule; `issues` has one line per problem, each naming its key path. */
export class SettingsError extends FinopsError {
  constructor(readonly issues: readonly string[]) {
    super('invalid_settings', `invalid settings:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
    this.name = 'SettingsError';
  }
}

/** The defaults of every analysis of a registry, by analysis name, and of the summary. */
export function defaultSettings(registry: AnalysisRegistry = ANALYSIS_REGISTRY): Record<string, object> {
  return Object.fromEntries([
    ...registry.map((definition) => [definition.name, defaultsOf(definition.settings)]),
    [SUMMARY_SECTION, defaultsOf(SUMMARY_SETTINGS)],
  ]);
}

/** The defaults of every setting. */
export const DEFAULT_CONFIG: Readonly<AnalysisConfig> = Object.freeze(
  defaultSettings() as unknown as AnalysisConfig,
);

/**
 * Problems of partial settings against a registry's rules: unknown
 * sections or keys, wrong types, values out of range. Each names its path
 * under `path` (`config.performance.slaMs: must be a number ≥ 0, got -1`).
 */
export function checkSettings(
  input: unknown,
  path = 'config',
  registry: AnalysisRegistry = ANALYSIS_REGISTRY,
): string[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return [`${path}: must be an object, got ${describeValue(input)}`];
  const names = [...registry.map((definition) => definition.name), SUMMARY_SECTION];
  return Object.entries(input).flatMap(([name, value]) => {
    if (name === SUMMARY_SECTION)
      return value === undefined ? [] : settingsProblems(SUMMARY_SETTINGS, value, `${path}.${name}`);
    const definition = registry.find((entry) => entry.name === name);
    if (definition === undefined)
      return [`${path}.${name}: unknown setting (known here: ${names.join(', ')})`];
    return value === undefined ? [] : settingsProblems(definition.settings, value, `${path}.${name}`);
  });
}

/**
 * The defaults with the caller's settings laid over them (per analysis,
 * setting by setting).
 *
 * @throws SettingsError when a setting is unknown, of the wrong type or out of range.
 */
export function resolveConfig(
  input: AnalysisConfigInput = {},
  registry: AnalysisRegistry = ANALYSIS_REGISTRY,
): AnalysisConfig {
  const problems = checkSettings(input, 'config', registry);
  if (problems.length > 0) throw new SettingsError(problems);
  const merged = defaultSettings(registry);
  for (const [name, overrides] of Object.entries(input))
    if (overrides) Object.assign(merged[name] as object, structuredClone(overrides));
  return merged as unknown as AnalysisConfig;
}
