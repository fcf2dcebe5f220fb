import {
  type ExecutiveSummary,
  type SummaryAction,
  microsToUsd,
  rankActions,
  topActions,
} from '@finops/schema';
import type { ActionCandidate } from '../analyses/definition';
import { ANALYSIS_REGISTRY, type AnalysisRegistry } from '../analyses/registry';
import type { AnalysisResults } from '../engine';
import { defaultsOf } from '../settings/rules';
import { SUMMARY_SETTINGS, type SummaryConfig } from './settings';

/** Where the summary's settings and the analyses' settings come from. */
export interface SummarizeOptions {
  /** The analyses known, in the order of their pages ({@link ANALYSIS_REGISTRY} by default). */
  registry?: AnalysisRegistry;
  /** The resolved settings of every analysis and of the summary; the defaults when left out. */
  config?: Readonly<Record<string, unknown>>;
}

/**
 * The executive summary of a set of results: the candidate actions of every
 * analysis the results hold whose definition declares an `actions` step,
 * ranked by what each is worth a month (see `rankActions` of
 * `@finops/schema`), the first `summary.maxActions` of those worth at least
 * `summary.minMonthlyUsd`. Built from the results alone: results saved to a
 * file give the same summary again.
 */
export function summarize(results: AnalysisResults, options: SummarizeOptions = {}): ExecutiveSummary {
  const registry = options.registry ?? ANALYSIS_REGISTRY;
  const config = options.config ?? {};
  const settings: SummaryConfig = {
    ...defaultsOf(SUMMARY_SETTINGS),
    ...(config.summary as Partial<SummaryConfig> | undefined),
  };
  const collected = registry.filter((definition) => results[definition.name] !== undefined);
  const candidates = collected.flatMap((definition) => {
    if (definition.actions === undefined) return [];
    const analysisSettings = config[definition.name] ?? defaultsOf(definition.settings);
    return definition
      .actions(results[definition.name], results.meta, analysisSettings)
      .filter((candidate) => candidate.monthlyMicros > 0)
      .map((candidate) => summaryAction(definition.name, candidate));
  });
  const ranked = rankActions(
    candidates,
    registry.map((definition) => definition.name),
  );
  return {
    actions: topActions(ranked, settings.maxActions, settings.minMonthlyUsd),
    candidates: ranked,
    analyses: collected.map((definition) => definition.name),
    maxActions: settings.maxActions,
    minMonthlyUsd: settings.minMonthlyUsd,
    windowDays: results.meta.window.days,
  };
}

function summaryAction(analysis: string, candidate: ActionCandidate): SummaryAction {
  if (!Number.isInteger(candidate.monthlyMicros))
    throw new Error(
      `analysis "${analysis}" proposed an action whose monthly figure is not whole micro-dollars`,
    );
  return {
    title: candidate.title,
    text: candidate.text,
    monthlyUsd: microsToUsd(candidate.monthlyMicros),
    monthlyMicros: candidate.monthlyMicros,
    analysis,
    ...(candidate.section === undefined ? {} : { section: candidate.section }),
    figures: { ...candidate.figures },
  };
}
