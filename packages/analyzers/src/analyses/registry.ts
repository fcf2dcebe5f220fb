/**
 * The registry: every analysis, in the order its pages are listed. The
 * engine, the settings, the documents, the CLI and the report list all read
 * it; adding an analysis is its folder and one line here.
 */
import { ABUSE } from './abuse';
import { ALIGNMENT } from './alignment';
import { CHURN } from './churn';
import type { AnyAnalysisDefinition } from './definition';
import { FEATURES } from './features';
import { GEOGRAPHY } from './geography';
import { OPTIMIZATION } from './optimization';
import { OVERVIEW } from './overview';
import { PERFORMANCE } from './performance';
import { PRICING } from './pricing';
import { PROFITABILITY } from './profitability';
import { REALTIME } from './realtime';
import { TOKENS } from './tokens';
import { UNDERSTANDING } from './understanding';

/** The built-in analyses, in the order of the specification. */
export const ANALYSIS_REGISTRY = [
  UNDERSTANDING,
  PERFORMANCE,
  REALTIME,
  OPTIMIZATION,
  ALIGNMENT,
  PROFITABILITY,
  PRICING,
  FEATURES,
  OVERVIEW,
  GEOGRAPHY,
  TOKENS,
  CHURN,
  ABUSE,
] as const;

/** A built-in analysis's definition. */
export type BuiltinAnalysis = (typeof ANALYSIS_REGISTRY)[number];

/** The name of a built-in analysis. */
export type AnalysisName = BuiltinAnalysis['name'];

/** The names of the built-in analyses, in registry order. */
export const ANALYSES: readonly AnalysisName[] = ANALYSIS_REGISTRY.map((definition) => definition.name);

/** The settings of an analysis definition. */
export type SettingsOf<Definition> = Definition extends { finish(context: never, settings: infer S): unknown }
  ? S
  : never;

/** The result of an analysis definition. */
export type ResultOf<Definition> = Definition extends { finish(...args: never[]): infer R } ? R : never;

/** A list of analyses with unique names (a custom registry passed to the engine). */
export type AnalysisRegistry = readonly AnyAnalysisDefinition[];

/** The definition of `name` in `registry`, or undefined. */
export function findAnalysis(
  name: string,
  registry: AnalysisRegistry = ANALYSIS_REGISTRY,
): AnyAnalysisDefinition | undefined {
  return registry.find((definition) => definition.name === name);
}

/** Checks that a registry's names are unique and neither `meta` nor `summary` (keys of the results); returns it. */
export function checkRegistry<Registry extends AnalysisRegistry>(registry: Registry): Registry {
  const seen = new Set<string>();
  for (const definition of registry) {
    if (
      definition.name === 'meta' ||
      definition.name === 'summary' ||
      seen.has(definition.name) ||
      !/^[a-z][a-zA-Z0-9]*$/.test(definition.name)
    )
      throw new Error(`analysis registry: "${definition.name}" is a duplicate or not a valid analysis name`);
    seen.add(definition.name);
  }
  return registry;
}
