/**
 * The features analysis's sessions and traces ({@link SESSIONS_DIGEST}),
 * counted in SQL: the engine groups the calls per session, per session ×
 * feature and per trace and returns only the counts, the sums, the
 * nearest-rank costs and the costliest candidates — some rows per customer
 * and per feature — instead of the cells of about a row per call that the
 * in-process digest reads.
 */
import {
  type AnalysisConfig,
  type CostlyEntry,
  type CostlyTrace,
  SESSIONS_DIGEST,
  type SessionCounts,
  type SessionsDigest,
} from '@finops/analyzers';
import { type AggregateRow, numberOf, textOf } from '../aggregates/aggregate';
import type { BoundQuery } from '../connection';
import type { Scope } from '../scope';
import {
  type DigestAnswers,
  type DigestSupplier,
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
 * third of grouping them by two strings. It is as exact as `uniqExact`,
 * which counts strings by a 128-bit hash: two pairs merge only if both
 * independent hashes collide at once (about n² / 2¹²⁹ for n pairs, 10⁻²⁵ at
 * ten million). The first hash (`<kind>_key`) alone names a candidate to
 * the follow-up that reads its ids (see {@link followUps}).
 */
function pairKeySql(id: string, kind: 'session' | 'trace'): string {
  return `cityHash64(${id}, customer_id) AS ${kind}_key, xxHash64(${id}, customer_id) AS ${kind}_check`;
}

/**
 * One row per session (a session id within one customer's calls), keyed
 * by {@link pairKeySql}: its customer, whether it has an id (`named`: the
 * calls without a session id are one pair per customer, never counted as a
 * session), its calls and cost. The features a session used are counted
 * only for the costliest (see {@link followUps}): a distinct count per
 * session of ten million costs more than the rest of the query.
 */
function perSession(scope: Scope): string {
  return `SELECT ${pairKeySql('session_id', 'session')}, any(customer_id) AS session_customer, max(session_id != '') AS named, sum(calls) AS session_calls, sum(cost_micros) AS session_cost ${scope.from} GROUP BY session_key, session_check`;
}

/** One row per session × feature of the calls with a session id: the cells of the in-process digest. */
function perSessionFeature(scope: Scope): string {
  return `SELECT session_id, customer_id, feature_id, sum(calls) AS cell_calls, sum(cost_micros) AS cell_cost ${scope.from} AND session_id != '' GROUP BY session_id, customer_id, feature_id`;
}

/**
 * The same cells keyed by two 64-bit hashes of the session id, customer
 * and feature (as {@link pairKeySql}: as exact as `uniqExact`), the
 * feature carried along, where only the cells' figures are read, never
 * their ids.
 */
function perSessionFeatureHashed(scope: Scope): string {
  return `SELECT cityHash64(session_id, customer_id, feature_id) AS cell_key, xxHash64(session_id, customer_id, feature_id) AS cell_check, any(feature_id) AS cell_feature, sum(calls) AS cell_calls, sum(cost_micros) AS cell_cost ${scope.from} AND session_id != '' GROUP BY cell_key, cell_check`;
}

/** One row per trace (a trace id within one customer's calls), keyed as {@link perSession}: whether it has an id, its calls and cost. */
function perTrace(scope: Scope): string {
  return `SELECT ${pairKeySql('trace_id', 'trace')}, max(trace_id != '') AS named, sum(calls) AS trace_calls, sum(cost_micros) AS trace_cost ${scope.from} GROUP BY trace_key, trace_check`;
}

/** One row per trace by its ids (a trace id within one customer's calls): its calls and cost. */
function perTraceById(scope: Scope): string {
  return `SELECT trace_id, customer_id, sum(calls) AS trace_calls, sum(cost_micros) AS trace_cost ${scope.from} GROUP BY trace_id, customer_id`;
}

/**
 * The costliest of a set, as an aggregate over its rows where `condition`
 * holds: the `{kept}` (one more than `topSessions`) first by cost
 * (descending) as tuples of the negated cost and the key `key`; among
 * equal costs the order is the key's, the finish's order is made once the
 * ids are read. The one beyond the top tells whether the top's last one
 * ties with one left out (see {@link followUps}).
 */
function candidatesSql(cost: string, key: string, condition: string): string {
  return `groupArraySortedIf({kept:UInt64})((-${cost}, ${key}), ${condition})`;
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
 */
function sessionsSql(scope: Scope, costliest: boolean): string {
  const perCustomer =
    'SELECT session_customer AS customer_id, countIf(named) AS customer_sessions, ' +
    'sumIf(session_calls, named) AS customer_calls, sumIf(session_cost, named) AS customer_cost, ' +
    'arraySort(groupArrayIf(session_cost, named)) AS costs, ' +
    'sumIf(session_calls, NOT named) AS customer_calls_without, sumIf(session_cost, NOT named) AS customer_cost_without' +
    (costliest ? `, ${candidatesSql('session_cost', 'session_key', 'named')} AS candidates` : '') +
    ` FROM (${perSession(scope)}) GROUP BY session_customer`;
  const customerRanks = RANKS.map((rank) => sortedNearestRankSql('costs', 'customer_sessions', rank)).join(
    ', ',
  );
  return (
    `SELECT groupArray((customer_id, customer_sessions, customer_calls, customer_cost, ${customerRanks})) AS customers, ` +
    'sum(customer_sessions) AS sessions, sum(customer_calls) AS counted_calls, sum(customer_cost) AS counted_cost, ' +
    `${nearestRanksOfArraysSql('costs', RANKS)} AS ranks, ` +
    'sum(customer_calls_without) AS calls_without, sum(customer_cost_without) AS cost_without' +
    (costliest
      ? ', arraySlice(arraySort(arrayFlatten(groupArray(candidates))), 1, {kept:UInt64}) AS costliest'
      : '') +
    ` FROM (${perCustomer})`
  );
}

/**
 * The first queries: `sessions` (one row: overall, per customer and the
 * costliest candidates, see {@link sessionsSql}); `features` per feature
 * over the session × feature cells; `traces` (one row) with the costliest
 * candidates and the calls without a trace id. Three reads of the calls,
 * each grouped once by a hashed key; the answers are a row per feature and
 * one each else. The ranks are aggregates ({@link nearestRanksSql}) or read
 * from sorted costs ({@link sortedNearestRankSql}).
 */
function firstQueries(scope: Scope, top: number): Record<string, BoundQuery> {
  const costliest = top > 0;
  const bound = (sql: string): BoundQuery => ({
    sql,
    params: costliest ? { ...scope.params, kept: top + 1 } : { ...scope.params },
  });
  const traceCandidates = costliest
    ? `, ${candidatesSql('trace_cost', 'trace_key', 'named')} AS costliest`
    : '';
  return {
    sessions: bound(sessionsSql(scope, costliest)),
    features: bound(
      `SELECT cell_feature AS feature_id, count() AS sessions, sum(cell_calls) AS counted_calls, sum(cell_cost) AS counted_cost, ${nearestRanksSql('cell_cost', RANKS)} AS ranks FROM (${perSessionFeatureHashed(scope)}) GROUP BY cell_feature`,
    ),
    traces: bound(
      `SELECT countIf(named) AS sessions, sumIf(trace_calls, named) AS counted_calls, sumIf(trace_cost, named) AS counted_cost, ${nearestRanksSql('trace_cost', RANKS, 'named')} AS ranks, sumIf(trace_calls, NOT named) AS calls_without${traceCandidates} FROM (${perTrace(scope)})`,
    ),
  };
}

/** The one row of the sessions and of the traces query. */
function overallOf(answers: DigestAnswers): { sessions?: AggregateRow; traces?: AggregateRow } {
  return { sessions: answers.sessions?.[0], traces: answers.traces?.[0] };
}

/** The candidates of a row: tuples of the negated cost and the key. */
function candidatesOf(row: AggregateRow | undefined): unknown[][] {
  return row !== undefined && Array.isArray(row.costliest) ? (row.costliest as unknown[][]) : [];
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
  const last = Number(candidates[top - 1]?.[0]);
  return Number(candidates[top]?.[0]) === last ? 0 - last : undefined;
}

/** The keys of the `top` first candidates, bound as 64-bit integers (exact beyond 2⁵³). */
function keysOf(row: AggregateRow | undefined, top: number): bigint[] {
  return [
    ...new Set(
      candidatesOf(row)
        .slice(0, top)
        .map(([, key]) => String(key)),
    ),
  ].map((key) => BigInt(key));
}

/**
 * The queries an answer calls for: when sessions (or traces) as costly as
 * the last of the top were left out, every one that costs at least that
 * much (`HAVING … >= {boundary}`: the top and all their ties, grouped by
 * their ids, so the finish can order the ties itself, each session with
 * its features); else the top candidates by their key (`<kind>_key IN …`,
 * grouped by their ids: their ids, calls, cost and, for sessions, their
 * features). A pair of another key's first hash would come along only
 * with a cost below the top's last (it was not a candidate before it,
 * and the boundary is no tie), so the finish's first `topSessions` are
 * the candidates.
 */
function followUps(scope: Scope, answers: DigestAnswers, top: number): Record<string, BoundQuery> {
  const overall = overallOf(answers);
  const asked: Record<string, BoundQuery> = {};
  const sessionBoundary = tiedBoundary(overall.sessions, top);
  const traceBoundary = tiedBoundary(overall.traces, top);
  if (sessionBoundary !== undefined)
    asked.costliestSessions = {
      sql: `SELECT session_id, customer_id, sum(cell_calls) AS session_calls, sum(cell_cost) AS session_cost, count() AS session_features FROM (${perSessionFeature(scope)}) GROUP BY session_id, customer_id HAVING session_cost >= {boundary:Int64}`,
      params: { ...scope.params, boundary: sessionBoundary },
    };
  else if (candidatesOf(overall.sessions).length > 0)
    asked.topSessions = {
      sql: `SELECT session_id, customer_id, sum(calls) AS session_calls, sum(cost_micros) AS session_cost, uniqExact(feature_id) AS session_features ${scope.from} AND session_id != '' AND cityHash64(session_id, customer_id) IN {session_keys:Array(UInt64)} GROUP BY session_id, customer_id`,
      params: { ...scope.params, session_keys: keysOf(overall.sessions, top) },
    };
  if (traceBoundary !== undefined)
    asked.costliestTraces = {
      sql: `SELECT trace_id, customer_id, trace_calls, trace_cost FROM (${perTraceById(scope)}) WHERE trace_id != '' AND trace_cost >= {boundary:Int64}`,
      params: { ...scope.params, boundary: traceBoundary },
    };
  else if (candidatesOf(overall.traces).length > 0)
    asked.topTraces = {
      sql: `SELECT trace_id, customer_id, sum(calls) AS trace_calls, sum(cost_micros) AS trace_cost ${scope.from} AND trace_id != '' AND cityHash64(trace_id, customer_id) IN {trace_keys:Array(UInt64)} GROUP BY trace_id, customer_id`,
      params: { ...scope.params, trace_keys: keysOf(overall.traces, top) },
    };
  return asked;
}

/** The queries, first and then those the first answers call for. */
function queries(scope: Scope, config: AnalysisConfig, answers: DigestAnswers): Record<string, BoundQuery> {
  return answers.sessions === undefined
    ? firstQueries(scope, config.features.topSessions)
    : followUps(scope, answers, config.features.topSessions);
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

/** The customers with sessions, from the sessions row's tuples (customer, sessions, calls, cost, median, p95). */
function customersOf(row: AggregateRow | undefined): SessionsDigest['byCustomer'] {
  const customers = row !== undefined && Array.isArray(row.customers) ? (row.customers as unknown[][]) : [];
  return customers
    .filter(([, sessions]) => Number(sessions) > 0)
    .map(([customer, sessions, calls, cost, median, p95]) => ({
      customer: String(customer),
      sessions: Number(sessions),
      calls: Number(calls),
      costMicros: Number(cost),
      medianCostMicros: Number(median),
      p95CostMicros: Number(p95),
    }));
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
    byFeature: (answers.features ?? []).map((row) => ({
      feature: textOf(row, 'feature_id'),
      ...countsOf(row),
    })),
    byCustomer: customersOf(overall.sessions),
    traces: countsOf(overall.traces),
    callsWithoutTrace: overall.traces === undefined ? 0 : numberOf(overall.traces, 'calls_without'),
    costliestSessions: costliestSessions(answers),
    costliestTraces: costliestTraces(answers),
  };
}

/** {@link SESSIONS_DIGEST} from SQL. */
export const sessions: DigestSupplier<SessionsDigest> = { digest: SESSIONS_DIGEST, queries, value };
