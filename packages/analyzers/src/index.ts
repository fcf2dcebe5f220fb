/**
 * `@finops/analyzers`: the FinOps and usage-based-revenue analyses of AI call
 * logs, in one mergeable pass — {@link analyzeCosts}. Each analysis is a
 * definition in {@link ANALYSIS_REGISTRY}; the aggregate store, the parallel
 * runner and the worker protocol are in `@finops/analyzers/internal`.
 *
 * @packageDocumentation
 */
export * from './engine';
export * from './config';
export * from './histogram';
export * from './recommend';
export { type FinishContext, finishContext } from './context';
export {
  type AnalysisAbout,
  type AnalysisDefinition,
  type AnyAnalysisDefinition,
  defineAnalysis,
} from './analyses/definition';
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
export * from './analyses/understanding';
export * from './analyses/performance';
export * from './analyses/realtime';
export * from './analyses/optimization';
export * from './analyses/alignment';
export * from './analyses/profitability';
export * from './analyses/pricing';
export * from './analyses/features';
export * from './documents';
export * from './usage';
export * from './cube';
export {
  type RangeTask,
  type RangeOutcome,
  type RangeRunner,
  type ParallelOutcome,
  analyzeRange,
  analyzeFileInParts,
  splitRanges,
  readHeader,
  threadRunner,
  defaultWorkerScript,
} from './parallel';
