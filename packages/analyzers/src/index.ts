/**
 * `@finops/analyzers`: the eight FinOps and usage-based-revenue analyses of
 * AI call logs, in one mergeable pass — {@link analyzeCosts}.
 *
 * @packageDocumentation
 */
export * from './engine';
export * from './config';
export * from './cube';
export * from './histogram';
export * from './recommend';
export { type FinishContext, finishContext } from './context';
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
