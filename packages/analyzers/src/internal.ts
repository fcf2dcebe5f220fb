/**
 * `@finops/analyzers/internal`: what the package's parts use between them
 * and what a store of another engine would build on — the in-process store
 * (the cube and its reader), the parallel runner and the worker protocol,
 * the shared computations of the finish steps. No promise of stability: the
 * public entry (`@finops/analyzers`) is the supported API.
 *
 * @packageDocumentation
 */
export {
  Cube,
  type CubeData,
  type CubeSettings,
  type TableData,
  ColumnIdMap,
  DEFAULT_CUBE_SETTINGS,
  ENVIRONMENT_COUNT,
  MODEL_USAGE_COLUMNS,
  MODEL_USAGE_WIDTH,
  TOTALS_WIDTH,
} from './cube';
export { CubeReader, FUSED_GROUPING_NAMES } from './store/cube-reader';
export { DigestReader, digestGroupings, digestsOf } from './digest';
export { CellsView, type CellColumns } from './store/cells';
export { GenericGrouping, type GenericCall, type GenericGroupingData } from './store/generic';
export * from './store/builtin-groupings';
export {
  type RangeTask,
  type RangeOutcome,
  type RangeRunner,
  type ParallelOutcome,
  analyzeRange,
  movableState,
  analyzeFileInParts,
  splitRanges,
  readHeader,
  threadRunner,
  defaultWorkerScript,
  defaultWorkers,
  TWO_THREADS_FROM_BYTES,
} from './parallel';
export { type ParseTask, type BatchHandler, readInPipeline, parseForPipeline } from './pipeline';
export {
  type ModelTaskTotals,
  type ModelTaskGroups,
  modelTaskGroups,
  modelTaskTotals,
  modelTotals,
} from './groups';
export { usageFigures } from './usage';
export { dayLabel, shareOf, round, byKey, monthly, perMonth } from './context';
