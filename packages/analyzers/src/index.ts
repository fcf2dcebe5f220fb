/**
 * `@finops/analyzers`: the FinOps and usage-based-revenue analyses of AI call
 * logs, in one mergeable pass — {@link analyzeCosts} and {@link CostAnalyzer}.
 * Each analysis is a definition in {@link ANALYSIS_REGISTRY}: its settings,
 * the groupings of aggregates it reads, its finish step and its report
 * document. The store, the parallel runner and the worker protocol are in
 * `@finops/analyzers/internal`.
 *
 * @packageDocumentation
 */
export {
  ANALYSES,
  type AnalysisName,
  MAX_LISTED_REJECTIONS,
  RESULTS_VERSION,
  type AnalysisMeta,
  type AnalysisResults,
  type AnalyzeProgress,
  type AnalyzeOptions,
  type AnalyzeInput,
  type AnalyzerState,
  CostAnalyzer,
  analyzeCosts,
  analyzeInto,
} from './engine';
/** The default of {@link AnalyzeOptions.workers}, by file size. */
export { TWO_THREADS_FROM_BYTES, defaultWorkers } from './parallel';
export * from './config';
export {
  type ActionCandidate,
  type AnalysisAbout,
  type AnalysisDefinition,
  type AnyAnalysisDefinition,
  defineAnalysis,
} from './analyses/definition';
export * from './summary';
export { type AnyDigest, type Digest, type DigestValue, type SuppliedDigests, defineDigest } from './digest';
export { perMonth } from './context';
export {
  ANALYSIS_REGISTRY,
  type AnalysisRegistry,
  type BuiltinAnalysis,
  type SettingsOf,
  type ResultOf,
  findAnalysis,
  checkRegistry,
} from './analyses/registry';
export * from './settings/rules';
export { settingsTableRows } from './settings/table';
export * from './store/grouping';
export type { AggregateReader, GroupingReader, CustomerPlans, NamedDimension } from './store/reader';
export { type FinishContext, finishContext } from './context';
export * from './histogram';
export * from './recommend';
export * from './documents';
export * from './analyses/understanding';
export * from './analyses/performance';
export * from './analyses/realtime';
export * from './analyses/optimization';
export * from './analyses/alignment';
export * from './analyses/profitability';
export * from './analyses/pricing';
export * from './analyses/features';
export * from './analyses/overview';
export * from './analyses/geography';
export * from './analyses/tokens';
export * from './analyses/churn';
export * from './analyses/abuse';
export type { CachingFigures, FailureFigures, ReasoningFigures, RegionFigures, UsageFigures } from './usage';
