/**
 * `@finops/clickhouse`: the toolkit's analyses over a ClickHouse calls table
 * — a server, or the embedded engine (chDB) over a data folder. Load call
 * logs with {@link loadCalls}; {@link analyzeWarehouse} pushes each
 * aggregate down as a GROUP BY query and finishes with the same analyses,
 * so the results equal those of the in-process engine over the same rows.
 *
 * @packageDocumentation
 */
export * from './errors';
export * from './settings';
export { filterFromFlags } from './flags';
export {
  CallWarehouse,
  type BoundQuery,
  type QueryParams,
  type ChdbLoader,
  querySettings,
  sqlOf,
} from './connection';
export {
  MIGRATIONS,
  SCHEMA_VERSION as CLICKHOUSE_SCHEMA_VERSION,
  CALLS_TABLE,
  LOADS_TABLE,
  MIGRATIONS_TABLE,
  type Migration,
  migrate,
  PAIR_HASH_COLUMNS,
  checkSchema,
  schemaVersion,
} from './migrations';
export {
  type CallFilter,
  FILTER_COLUMNS,
  type LoadRange,
  loadRangeSql,
  parseWhere,
  scopeOf,
  type Scope,
} from './scope';
export { AGGREGATES, type Aggregate, type AggregateRow } from './aggregates/index';
export { CubeBuilder } from './builder';
export { DIMENSION_SQL, GeneratedGrouping, MEASURE_SQL } from './groupings';
export { FUSED_PLACEMENTS, placementOf } from './fused';
export {
  type Projection,
  type ProjectionChanges,
  PROJECTION_PREFIX,
  projectionsFor,
  UNPROJECTED_DIMENSIONS,
  syncProjections,
} from './projections';
export {
  loadCalls,
  type LoadOptions,
  type LoadProgress,
  type LoadSummary,
  ENGINE_PATH_FROM_BYTES,
  type LoadPath,
  CALL_COLUMNS,
  sweepUncommitted,
} from './load';
export { FallbackToReader, type FallbackReason, MAX_PARSER_ROWS } from './fast-load';
export {
  answerQueries,
  type AnyDigestSupplier,
  COMPILE_DIGESTS_FROM_ROWS,
  DIGEST_SUPPLIERS,
  type DigestAnswers,
  type DigestSending,
  type DigestSupplier,
  FEATURE_MIX_SAMPLE,
  MASKED_MODELS,
  nearestRanksOfArraysSql,
  nearestRanksSql,
  sortedNearestRankSql,
  supplyDigest,
} from './digests/index';
export {
  analyzeWarehouse,
  digestSendingFor,
  digestSuppliersFor,
  warehouseState,
  loadTallies,
  readMode,
  type ReadMode,
  type WarehouseAnalyzeOptions,
} from './analyze';
export { withMergesPaused } from './merges';
export {
  WarehouseFollower,
  type ConnectionSource,
  type FollowBacklog,
  type FollowKind,
  type FollowLook,
} from './follow';
