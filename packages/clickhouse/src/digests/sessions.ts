/**
 * The features analysis's sessions and traces ({@link SESSIONS_DIGEST}),
 * counted in SQL: the engine groups the calls per session (and per session
 * × feature when sessions have calls of several features) and per trace and
 * returns only the counts, the sums, the nearest-rank costs and the
 * costliest candidates — a tuple per customer and per feature — instead of
 * the cells of about a row per call that the in-process digest reads.
 */
import {
  type AnalysisConfig,
  type CostlyEntry,
  type CostlyTrace,
  SESSIONS_DIGEST,
  type SessionCounts,
  type SessionsDigest,
} from '@finops/analyzers';
import { type AggregateRow, flagOf, numberOf, textOf } from '../aggregates/aggregate';
import type { BoundQuery } from '../connection';
import { PAIR_HASH_COLUMNS } from '../migrations';
import { narrowedFrom, type Scope } from '../scope';
import {
  type DigestAnswers,
  type DigestSupplier,
  type Naming,
  nearestRanksOfArraysSql,
  nearestRanksSql,
  sortedNearestRankSql,
} from './supplier';

/** The ranks of the digest's costs (the in-process `countsOf`): the median and the 95th percentile. */
const MEDIAN = 0.5;
const P95 = 0.95;
const RANKS = [MEDIAN, P95];

/**
 * The key a session or trace (an id within one customer's calls) is
 * grouped by instead of its two strings: two 64-bit hashes of the pair,
 * `cityHash64` and `xxHash64` (each hashes the id and the customer on their
 * own, so ("ab", "c") and ("a", "bc") differ), grouped together as one
 * 128-bit key. Grouping ten million pairs by two numbers costs about a
 * third of grouping them by two strings, and the table stores both hashes
 * ({@link PAIR_HASH_COLUMNS}), so no query hashes the strings. It is as
 * exact as `uniqExact`, which counts strings by a 128-bit hash: two pairs
 * merge only if both independent hashes collide at once (about n² / 2¹²⁹
 * for n pairs, 10⁻²⁵ at ten million). The first hash (`<kind>_key`) alone
 * names a candidate to the follow-up that reads its ids (see
 * {@link followUps}).
 */
function pairKeySql(kind: 'session' | 'trace'): string {
  const [key, check] = pairHashesSql(kind);
  return `${key} AS ${kind}_key, ${check} AS ${kind}_check`;
}

/** The stored columns of the two hashes of a session or trace (see {@link pairKeySql}), the first one first. */
function pairHashesSql(kind: 'session' | 'trace'): [key: string, check: string] {
  const { key, check } = PAIR_HASH_COLUMNS[kind];
  return [key, check];
}

/**
 * The distinct values of `column` over the scope (and `condition`) and
 * their hashes, as a pair of arrays (hashes, ids) — a scalar computed once
 * per query (a few hundred customers or features on the benchmark's table;
 * the grouping is answered from a projection when the scope allows it) —
 * by which the hashed form ({@link Naming}) names its ids at the end.
 */
function namesSql(scope: Scope, column: string, condition = ''): string {
  return `(SELECT (groupArray(cityHash64(${column})), groupArray(${column})) FROM (SELECT ${column} ${scope.from}${condition} GROUP BY ${column}))`;
}

/** The id of the hash `key` among `names` (see {@link namesSql}), looked up in a hash map (`transform`). */
function nameOfSql(names: string, key: string): string {
  return `transform(${key}, ${names}.1, ${names}.2, '')`;
}

/** Whether the hash `key` is among `names`. */
function namedSql(names: string, key: string): string {
  return `has(${names}.1, ${key})`;
}

/**
 * Whether no two of `names` share a hash and every key `found` (an
 * expression, see {@link namedSql}) has a name: else the hashed form may
 * have merged two ids (or, on a server, read rows loaded after the names),
 * and the form by ids is asked.
 */
function namesExactSql(names: string, found: string): string {
  return `length(arrayDistinct(${names}.1)) = length(${names}.1) AND ${found}`;
}

/**
 * One row per session (a session id within one customer's calls), keyed
 * by {@link pairKeySql}: its customer (hashed or by id, see {@link Naming}),
 * whether it has an id (`named`: the calls without a session id are one
 * pair per customer, never counted as a session), its calls and cost; with
 * `features`, the lowest and the highest hash of the features of its calls
 * (`session_feature`, `session_feature_high`): equal when the session kept
 * to one feature (see {@link sessionsSql}). The number of features a session
 * used is counted only for the costliest (see {@link followUps}): a distinct
 * count per session of ten million costs more than the rest of the query.
 */
function perSession(scope: Scope, naming: Naming, features: boolean): string {
  const customer = naming === 'hashed' ? 'cityHash64(customer_id)' : 'customer_id';
  const feature = features
    ? ', min(cityHash64(feature_id)) AS session_feature, max(cityHash64(feature_id)) AS session_feature_high'
    : '';
  return `SELECT ${pairKeySql('session')}, any(${customer}) AS session_customer, max(session_id != '') AS named, sum(calls) AS session_calls, sum(cost_micros) AS session_cost${feature} ${scope.from} GROUP BY session_key, session_check`;
}

/** One row per session × feature of the calls with a session id: the cells of the in-process digest. */
function perSessionFeature(scope: Scope): string {
  return `SELECT session_id, customer_id, feature_id, sum(calls) AS cell_calls, sum(cost_micros) AS cell_cost ${scope.from} AND session_id != '' GROUP BY session_id, customer_id, feature_id`;
}

/**
 * The same cells keyed by two 64-bit hashes, the feature carried along
 * (hashed or by id, see {@link Naming}), where only the cells' figures are
 * read, never their ids. By ids, the hashes are those of the session id,
 * customer and feature (as {@link pairKeySql}: as exact as `uniqExact`).
 * Hashed, they are the session's two stored hashes combined with two hashes
 * of the feature, which the engine computes once per distinct feature (a
 * low-cardinality column) instead of hashing three strings twice per row. Two features of one
 * session then differ in the first hash as long as no two features share a
 * hash, which the hashed answer checks (`names_exact`, else the form by ids
 * is asked). Cells of two sessions merge only if both combined values are
 * equal at once — the sessions' two independent hashes each differ from the
 * other session's by what the features' hashes make up — about 2⁻¹²⁸ for
 * a pair, as before.
 */
function perSessionFeatureHashed(scope: Scope, naming: Naming): string {
  const [session, sessionCheck] = pairHashesSql('session');
  const keys =
    naming === 'hashed'
      ? `bitXor(${session}, cityHash64(feature_id)) AS cell_key, ${sessionCheck} + xxHash64(feature_id) AS cell_check, any(cityHash64(feature_id))`
      : 'cityHash64(session_id, customer_id, feature_id) AS cell_key, xxHash64(session_id, customer_id, feature_id) AS cell_check, any(feature_id)';
  return `SELECT ${keys} AS cell_feature, sum(calls) AS cell_calls, sum(cost_micros) AS cell_cost ${scope.from} AND session_id != '' GROUP BY cell_key, cell_check`;
}

/**
 * The features query: per feature, its session × feature cells counted and
 * summed, with their nearest-rank costs; hashed, each row also says whether
 * the features' names are exact (`names_exact`).
 */
function featuresSql(scope: Scope, naming: Naming): string {
  const figures = `count() AS sessions, sum(cell_calls) AS counted_calls, sum(cell_cost) AS counted_cost, ${nearestRanksSql('cell_cost', RANKS)} AS ranks`;
  const cells = `FROM (${perSessionFeatureHashed(scope, naming)}) GROUP BY cell_feature`;
  if (naming === 'ids') return `SELECT cell_feature AS feature_id, ${figures} ${cells}`;
  return (
    `WITH ${namesSql(scope, 'feature_id', " AND session_id != ''")} AS feature_names ` +
    `SELECT ${nameOfSql('feature_names', 'cell_feature')} AS feature_id, ${figures}, ` +
    `${namesExactSql('feature_names', namedSql('feature_names', 'cell_feature'))} AS names_exact ${cells}`
  );
}

/** One row per trace (a trace id within one customer's calls), keyed as {@link perSession}: whether it has an id, its calls and cost. */
function perTrace(scope: Scope): string {
  return `SELECT ${pairKeySql('trace')}, max(trace_id != '') AS named, sum(calls) AS trace_calls, sum(cost_micros) AS trace_cost ${scope.from} GROUP BY trace_key, trace_check`;
}

/** One row per trace by its ids (a trace id within one customer's calls): its calls and cost. */
function perTraceById(scope: Scope): string {
  return `SELECT trace_id, customer_id, sum(calls) AS trace_calls, sum(cost_micros) AS trace_cost ${scope.from} GROUP BY trace_id, customer_id`;
}

/**
 * The costliest of a set, as an aggregate over its rows where `condition`
 * holds: the `{kept}` (one more than `topSessions`) first by cost
 * (descending) and then by the key `key`, each packed into one 128-bit
 * number, the negated cost in the upper 64 bits and the key (a 64-bit hash)
 * in the lower, so that numeric order is that order (see
 * {@link candidateOf}). Kept as tuples of the two, the same candidates cost
 * about a fifth of the sessions query more: the engine compares tuples field
 * by field through a generic path, numbers directly. Among equal costs the
 * order is the key's; the finish's order is made once the ids are read. The
 * one beyond the top tells whether the top's last one ties with one left
 * out (see {@link followUps}).
 */
function candidatesSql(cost: string, key: string, condition: string): string {
  return `groupArraySortedIf({kept:UInt64})(bitShiftLeft(toInt128(-${cost}), 64) + toInt128(${key}), ${condition})`;
}

/** A candidate's packed number read back: its cost (negated, as packed) and its key. */
interface Candidate {
  negatedCost: number;
  key: bigint;
}

const KEY_BITS = 64n;
const KEY_MASK = (1n << KEY_BITS) - 1n;

/**
 * A packed candidate ({@link candidatesSql}) read back exactly: the key is
 * the lower 64 bits, the negated cost the rest (an arithmetic shift, which
 * rounds towards minus infinity as the packing needs).
 */
export function candidateOf(packed: unknown): Candidate {
  const value = BigInt(String(packed));
  return { negatedCost: Number(value >> KEY_BITS), key: value & KEY_MASK };
}

/**
 * The sessions query: one row. The sessions ({@link perSession}) are
 * summed per customer, each customer's session costs collected and sorted
 * (its nearest ranks read by position: a sort of each customer's costs is
 * cheaper than a map of distinct costs per customer) and its costliest
 * candidates kept; the overall figures are then summed over the
 * customers, the overall ranks counted over all the customers' costs in
 * one map ({@link nearestRanksOfArraysSql}) and the overall candidates are
 * the first of the customers' (each of the overall first is among its
 * customer's first).
 *
 * With `fused` (hashed only), the same read also gives the features'
 * figures (`features`), which are those of the session × feature cells
 * ({@link featuresSql}) whenever every session kept to one feature: then a
 * session is its one cell. The sessions are grouped per customer and, in
 * the same pass, per feature (`GROUPING SETS`; `by_customer` tells the
 * groups apart), and `split_sessions` counts the sessions with calls of two
 * features, for which the cells are asked for after all (see
 * {@link fusedFeatures}). A second grouping of ten million cells is then
 * left out: the sessions and features took 2.1 s and 1.8 s alone, 2.7 s
 * together, at ten million calls. Whether to ask for it so is decided by a
 * sample of the sessions ({@link featureMixSql}).
 */
function sessionsSql(scope: Scope, costliest: boolean, naming: Naming, fused: boolean): string {
  const perGroup =
    `SELECT ${fused ? 'grouping(session_customer) = 0' : '1'} AS by_customer, session_customer AS customer, ` +
    'countIf(named) AS group_sessions, sumIf(session_calls, named) AS group_calls, sumIf(session_cost, named) AS group_cost, ' +
    'arraySort(groupArrayIf(session_cost, named)) AS costs, ' +
    'sumIf(session_calls, NOT named) AS group_calls_without, sumIf(session_cost, NOT named) AS group_cost_without' +
    (costliest ? `, ${candidatesSql('session_cost', 'session_key', 'named')} AS candidates` : '') +
    (fused
      ? ', session_feature AS feature, countIf(named AND session_feature != session_feature_high) AS split_sessions'
      : '') +
    ` FROM (${perSession(scope, naming, fused)}) GROUP BY ` +
    (fused ? 'GROUPING SETS ((session_customer), (session_feature))' : 'session_customer');
  const groupRanks = RANKS.map((rank) => sortedNearestRankSql('costs', 'group_sessions', rank)).join(', ');
  const figures = `group_sessions, group_calls, group_cost, ${groupRanks}`;
  const customer = naming === 'hashed' ? nameOfSql('customer_names', 'customer') : 'customer';
  const names = [
    ...(naming === 'hashed' ? [`${namesSql(scope, 'customer_id')} AS customer_names`] : []),
    ...(fused ? [`${namesSql(scope, 'feature_id', " AND session_id != ''")} AS feature_names`] : []),
  ];
  const featureGroup = 'NOT by_customer AND group_sessions > 0';
  return (
    (names.length > 0 ? `WITH ${names.join(', ')} ` : '') +
    `SELECT groupArrayIf((${customer}, ${figures}), by_customer) AS customers, ` +
    'sumIf(group_sessions, by_customer) AS sessions, sumIf(group_calls, by_customer) AS counted_calls, ' +
    'sumIf(group_cost, by_customer) AS counted_cost, ' +
    `${nearestRanksOfArraysSql('costs', RANKS, 'by_customer')} AS ranks, ` +
    'sumIf(group_calls_without, by_customer) AS calls_without, sumIf(group_cost_without, by_customer) AS cost_without' +
    (costliest
      ? ', arraySlice(arraySort(arrayFlatten(groupArrayIf(candidates, by_customer))), 1, {kept:UInt64}) AS costliest'
      : '') +
    (naming === 'hashed'
      ? `, ${namesExactSql('customer_names', `countIf(by_customer AND NOT ${namedSql('customer_names', 'customer')}) = 0`)} AS names_exact`
      : '') +
    (fused
      ? `, groupArrayIf((${nameOfSql('feature_names', 'feature')}, ${figures}), ${featureGroup}) AS features, ` +
        'sumIf(split_sessions, by_customer) AS split_sessions, ' +
        `${namesExactSql('feature_names', `countIf(${featureGroup} AND NOT ${namedSql('feature_names', 'feature')}) = 0`)} AS features_exact`
      : '') +
    ` FROM (${perGroup})`
  );
}

/**
 * Settings the one-pass sessions query is sent with: `grouping()` gives 0 for a
 * grouping set's own key, as in the SQL standard, and a key left out of a
 * set is its type's default, not NULL — whatever a server's profile says.
 */
const GROUPING_SETS_SETTINGS = { force_grouping_standard_compatibility: 1, group_by_use_nulls: 0 };

/** The sessions query ({@link sessionsSql}) bound. */
function sessionsQuery(scope: Scope, top: number, naming: Naming, fused = false): BoundQuery {
  const query = boundQuery(scope, top, sessionsSql(scope, top > 0, naming, fused));
  return fused ? { ...query, settings: GROUPING_SETS_SETTINGS } : query;
}

/**
 * One session in {@link FEATURE_MIX_SAMPLE} (by its key's remainder, a hash:
 * about that share of the sessions whatever their ids) is looked at by the
 * `featureMix` query before the sessions are grouped.
 */
export const FEATURE_MIX_SAMPLE = 64;

/**
 * The `featureMix` query: of the sampled sessions with an id
 * ({@link FEATURE_MIX_SAMPLE}), how many have calls of two features
 * (`split_sessions`). None: the sessions query gives the features' figures
 * too ({@link sessionsSql} fused), which holds for every session of a scope
 * whose sessions each keep to one feature; some: the cells are grouped as
 * well (`features`), as the fused answer would call for them anyway, after
 * a costlier sessions query. Only the speed depends on the sample: a split
 * session it missed is still found by the fused answer. The key is read
 * first except in a `FINAL` read (see {@link narrowedFrom}): about 0.1 s
 * at ten million calls.
 */
function featureMixSql(scope: Scope): string {
  const [session, sessionCheck] = pairHashesSql('session');
  return (
    'SELECT countIf(session_feature != session_feature_high) AS split_sessions, count() AS sampled_sessions ' +
    'FROM (SELECT min(cityHash64(feature_id)) AS session_feature, max(cityHash64(feature_id)) AS session_feature_high ' +
    `${narrowedFrom(scope, `${session} % {feature_mix_sample:UInt64} = 0`)} AND session_id != '' ` +
    `GROUP BY ${session}, ${sessionCheck})`
  );
}

/** Whether the sampled sessions of a `featureMix` answer keep to one feature each. */
function keepsToOneFeature(answers: DigestAnswers): boolean {
  const row = answers.featureMix?.[0];
  return row !== undefined && numberOf(row, 'split_sessions') === 0;
}

/**
 * The first queries: `featureMix` (one row, see {@link featureMixSql}) and
 * `traces` (one row) with the costliest candidates and the calls without a
 * trace id.
 */
function firstQueries(scope: Scope, top: number): Record<string, BoundQuery> {
  const costliest = top > 0;
  const bound = (sql: string): BoundQuery => boundQuery(scope, top, sql);
  const traceCandidates = costliest
    ? `, ${candidatesSql('trace_cost', 'trace_key', 'named')} AS costliest`
    : '';
  return {
    featureMix: {
      sql: featureMixSql(scope),
      params: { ...scope.params, feature_mix_sample: FEATURE_MIX_SAMPLE },
    },
    traces: bound(
      `SELECT countIf(named) AS sessions, sumIf(trace_calls, named) AS counted_calls, sumIf(trace_cost, named) AS counted_cost, ${nearestRanksSql('trace_cost', RANKS, 'named')} AS ranks, sumIf(trace_calls, NOT named) AS calls_without${traceCandidates} FROM (${perTrace(scope)})`,
    ),
  };
}

/** `sql` with the scope's values bound, and the number of candidates kept when the costliest are listed. */
function boundQuery(scope: Scope, top: number, sql: string): BoundQuery {
  return { sql, params: top > 0 ? { ...scope.params, kept: top + 1 } : { ...scope.params } };
}

/** The one row of the sessions (by ids when asked for) and of the traces query. */
function overallOf(answers: DigestAnswers): { sessions?: AggregateRow; traces?: AggregateRow } {
  return { sessions: (answers.sessionsByIds ?? answers.sessions)?.[0], traces: answers.traces?.[0] };
}

/** Whether a hashed row's names are not exact (`names_exact` false): then the form by ids is asked. */
function namesCollided(row: AggregateRow | undefined): boolean {
  return flagOf(row, 'names_exact') === false;
}

/**
 * The forms by ids of the hashed queries whose customers or features share
 * a hash (never, in practice: a 64-bit hash of a few thousand ids), else
 * none.
 */
function byIdsIfCollided(scope: Scope, answers: DigestAnswers, top: number): Record<string, BoundQuery> {
  const asked: Record<string, BoundQuery> = {};
  if (namesCollided(answers.sessions?.[0])) asked.sessionsByIds = sessionsQuery(scope, top, 'ids');
  if ((answers.features ?? []).some(namesCollided))
    asked.featuresByIds = boundQuery(scope, top, featuresSql(scope, 'ids'));
  return asked;
}

/** The candidates of a row, read back from their packed numbers. */
function candidatesOf(row: AggregateRow | undefined): Candidate[] {
  return row !== undefined && Array.isArray(row.costliest) ? row.costliest.map(candidateOf) : [];
}

/**
 * The `top`-th highest cost of a set when the candidate beyond the top
 * costs as much (then some as costly as the last of the top were left out
 * — the candidates hold `top` + 1 — and the finish may need one of them:
 * they are asked for by cost); else undefined.
 */
function tiedBoundary(row: AggregateRow | undefined, top: number): number | undefined {
  const candidates = candidatesOf(row);
  if (candidates.length <= top) return undefined;
  const last = candidates[top - 1]?.negatedCost;
  return last !== undefined && candidates[top]?.negatedCost === last ? 0 - last : undefined;
}

/** The keys of the `top` first candidates, bound as 64-bit integers (exact beyond 2⁵³). */
function keysOf(row: AggregateRow | undefined, top: number): bigint[] {
  return [
    ...new Set(
      candidatesOf(row)
        .slice(0, top)
        .map(({ key }) => key),
    ),
  ];
}

/**
 * The queries an answer calls for: when sessions (or traces) as costly as
 * the last of the top were left out, every one that costs at least that
 * much (`HAVING … >= {boundary}`: the top and all their ties, grouped by
 * their ids, so the finish can order the ties itself, each session with
 * its features); else the top candidates by their key (`<kind>_key IN …`,
 * read first, see {@link narrowedFrom}; grouped by their ids: their ids,
 * calls, cost and, for sessions, their features). A pair of another key's first hash would come along only
 * with a cost below the top's last (it was not a candidate before it,
 * and the boundary is no tie), so the finish's first `topSessions` are
 * the candidates.
 */
function followUps(scope: Scope, answers: DigestAnswers, top: number): Record<string, BoundQuery> {
  const overall = overallOf(answers);
  const asked: Record<string, BoundQuery> = byIdsIfCollided(scope, answers, top);
  if (fusedFeatures(answers.sessions?.[0]) === undefined)
    asked.features = boundQuery(scope, top, featuresSql(scope, 'hashed'));
  const sessionBoundary = tiedBoundary(overall.sessions, top);
  const traceBoundary = tiedBoundary(overall.traces, top);
  if (sessionBoundary !== undefined)
    asked.costliestSessions = {
      sql: `SELECT session_id, customer_id, sum(cell_calls) AS session_calls, sum(cell_cost) AS session_cost, count() AS session_features FROM (${perSessionFeature(scope)}) GROUP BY session_id, customer_id HAVING session_cost >= {boundary:Int64}`,
      params: { ...scope.params, boundary: sessionBoundary },
    };
  else if (candidatesOf(overall.sessions).length > 0)
    asked.topSessions = {
      sql: `SELECT session_id, customer_id, sum(calls) AS session_calls, sum(cost_micros) AS session_cost, uniqExact(feature_id) AS session_features ${narrowedFrom(scope, `${pairHashesSql('session')[0]} IN {session_keys:Array(UInt64)}`)} AND session_id != '' GROUP BY session_id, customer_id`,
      params: { ...scope.params, session_keys: keysOf(overall.sessions, top) },
    };
  if (traceBoundary !== undefined)
    asked.costliestTraces = {
      sql: `SELECT trace_id, customer_id, trace_calls, trace_cost FROM (${perTraceById(scope)}) WHERE trace_id != '' AND trace_cost >= {boundary:Int64}`,
      params: { ...scope.params, boundary: traceBoundary },
    };
  else if (candidatesOf(overall.traces).length > 0)
    asked.topTraces = {
      sql: `SELECT trace_id, customer_id, sum(calls) AS trace_calls, sum(cost_micros) AS trace_cost ${narrowedFrom(scope, `${pairHashesSql('trace')[0]} IN {trace_keys:Array(UInt64)}`)} AND trace_id != '' GROUP BY trace_id, customer_id`,
      params: { ...scope.params, trace_keys: keysOf(overall.traces, top) },
    };
  return asked;
}

/**
 * The second queries: `sessions` (one row: overall, per customer, the
 * costliest candidates and, when the sampled sessions keep to one feature
 * each, per feature, see {@link sessionsSql}) and, when they do not, the
 * session × feature cells per feature (`features`). One or two reads of the
 * calls, each grouped once by a hashed key. The ranks are aggregates
 * ({@link nearestRanksSql}) or read from sorted costs
 * ({@link sortedNearestRankSql}).
 */
function sessionQueries(scope: Scope, top: number, answers: DigestAnswers): Record<string, BoundQuery> {
  if (keepsToOneFeature(answers)) return { sessions: sessionsQuery(scope, top, 'hashed', true) };
  return {
    sessions: sessionsQuery(scope, top, 'hashed'),
    features: boundQuery(scope, top, featuresSql(scope, 'hashed')),
  };
}

/** The queries, round by round: the first ones, the sessions, and those their answers call for. */
function queries(scope: Scope, config: AnalysisConfig, answers: DigestAnswers): Record<string, BoundQuery> {
  const top = config.features.topSessions;
  if (answers.featureMix === undefined) return firstQueries(scope, top);
  if (answers.sessions === undefined) return sessionQueries(scope, top, answers);
  return followUps(scope, answers, top);
}

/** The nearest ranks of a row (`ranks`: the median's, the 95th percentile's), zeros where absent. */
function ranksOf(row: AggregateRow): { medianCostMicros: number; p95CostMicros: number } {
  const ranks = Array.isArray(row.ranks) ? (row.ranks as unknown[]) : [];
  return { medianCostMicros: Number(ranks[0] ?? 0), p95CostMicros: Number(ranks[1] ?? 0) };
}

/** The {@link SessionCounts} of a row of counts: `sessions`, `counted_calls`, `counted_cost`, `ranks`. */
function countsOf(row: AggregateRow | undefined): SessionCounts {
  if (row === undefined)
    return { sessions: 0, calls: 0, costMicros: 0, medianCostMicros: 0, p95CostMicros: 0 };
  return {
    sessions: numberOf(row, 'sessions'),
    calls: numberOf(row, 'counted_calls'),
    costMicros: numberOf(row, 'counted_cost'),
    ...ranksOf(row),
  };
}

/** The groups with sessions of a column of tuples (name, sessions, calls, cost, median, p95) of the sessions row. */
function groupsOf(row: AggregateRow | undefined, column: string): (SessionCounts & { name: string })[] {
  const groups = row !== undefined && Array.isArray(row[column]) ? (row[column] as unknown[][]) : [];
  return groups
    .filter(([, sessions]) => Number(sessions) > 0)
    .map(([name, sessions, calls, cost, median, p95]) => ({
      name: String(name),
      sessions: Number(sessions),
      calls: Number(calls),
      costMicros: Number(cost),
      medianCostMicros: Number(median),
      p95CostMicros: Number(p95),
    }));
}

/** The customers with sessions, from the sessions row. */
function customersOf(row: AggregateRow | undefined): SessionsDigest['byCustomer'] {
  return groupsOf(row, 'customers').map(({ name, ...counts }) => ({ customer: name, ...counts }));
}

/**
 * The features' figures of the (hashed) sessions row, when they are those
 * of the session × feature cells: no session had calls of two features
 * (`split_sessions`) and every feature is named by a hash of its own
 * (`features_exact`); else undefined, and the cells are asked for
 * (`features`, see {@link followUps}).
 */
function fusedFeatures(row: AggregateRow | undefined): SessionsDigest['byFeature'] | undefined {
  if (row === undefined || numberOf(row, 'split_sessions') !== 0 || flagOf(row, 'features_exact') !== true)
    return undefined;
  return groupsOf(row, 'features').map(({ name, ...counts }) => ({ feature: name, ...counts }));
}

/** The features' figures: from the cells by ids or hashed when asked for, else from the sessions row. */
function featuresOf(answers: DigestAnswers): SessionsDigest['byFeature'] {
  const cells = answers.featuresByIds ?? answers.features;
  if (cells !== undefined)
    return cells.map((row) => ({ feature: textOf(row, 'feature_id'), ...countsOf(row) }));
  return fusedFeatures(answers.sessions?.[0]) ?? [];
}

/** A listed session or trace from a follow-up's row (`<kind>_id`, `<kind>_calls`, `<kind>_cost`, `customer_id`). */
function entryOfRow(row: AggregateRow, kind: 'session' | 'trace'): CostlyTrace {
  return {
    id: textOf(row, `${kind}_id`),
    calls: numberOf(row, `${kind}_calls`),
    costMicros: numberOf(row, `${kind}_cost`),
    customer: textOf(row, 'customer_id'),
  };
}

/** The costliest sessions: the rows of the follow-up asked (ties at the boundary, else the top candidates). */
function costliestSessions(answers: DigestAnswers): CostlyEntry[] {
  return (answers.costliestSessions ?? answers.topSessions ?? []).map((row) => ({
    ...entryOfRow(row, 'session'),
    features: numberOf(row, 'session_features'),
  }));
}

/** The costliest traces: the rows of the follow-up asked (ties at the boundary, else the top candidates). */
function costliestTraces(answers: DigestAnswers): CostlyTrace[] {
  return (answers.costliestTraces ?? answers.topTraces ?? []).map((row) => entryOfRow(row, 'trace'));
}

/** The digest from the answers. */
function value(answers: DigestAnswers): SessionsDigest {
  const overall = overallOf(answers);
  return {
    overall: countsOf(overall.sessions),
    callsWithoutSession: overall.sessions === undefined ? 0 : numberOf(overall.sessions, 'calls_without'),
    costWithoutSessionMicros: overall.sessions === undefined ? 0 : numberOf(overall.sessions, 'cost_without'),
    byFeature: featuresOf(answers),
    byCustomer: customersOf(overall.sessions),
    traces: countsOf(overall.traces),
    callsWithoutTrace: overall.traces === undefined ? 0 : numberOf(overall.traces, 'calls_without'),
    costliestSessions: costliestSessions(answers),
    costliestTraces: costliestTraces(answers),
  };
}

/** {@link SESSIONS_DIGEST} from SQL. */
export const sessions: DigestSupplier<SessionsDigest> = { digest: SESSIONS_DIGEST, queries, value };
