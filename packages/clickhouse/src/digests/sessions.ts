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
import { type DigestAnswers, type DigestSupplier, nearestRankSql } from './supplier';

/** The ranks of the digest's costs (the in-process `countsOf`): the median and the 95th percentile. */
const MEDIAN = 0.5;
const P95 = 0.95;

/** One row per session (a session id within one customer's calls): its calls and cost. */
function perSession(scope: Scope): string {
  return `SELECT session_id, customer_id, sum(calls) AS session_calls, sum(cost_micros) AS session_cost ${scope.from} GROUP BY session_id, customer_id`;
}

/** One row per session × feature of the calls with a session id: the cells of the in-process digest. */
function perSessionFeature(scope: Scope): string {
  return `SELECT session_id, customer_id, feature_id, sum(calls) AS cell_calls, sum(cost_micros) AS cell_cost ${scope.from} AND session_id != '' GROUP BY session_id, customer_id, feature_id`;
}

/** One row per trace (a trace id within one customer's calls) of the calls that meet `condition`: its calls and cost. */
function perTrace(scope: Scope, condition = ''): string {
  return `SELECT trace_id, customer_id, sum(calls) AS trace_calls, sum(cost_micros) AS trace_cost ${scope.from}${condition} GROUP BY trace_id, customer_id`;
}

/** The counted columns of a set of sessions whose costs are the array `sorted_costs` and count `sessions`. */
const COUNTED = `sessions, counted_calls, counted_cost, ${nearestRankSql('sorted_costs', 'sessions', MEDIAN)} AS median_cost, ${nearestRankSql('sorted_costs', 'sessions', P95)} AS p95_cost`;

/**
 * The queries: `sessions` per customer and over all (`GROUPING SETS`, the
 * overall row's customer null), with the calls and cost without a session
 * id; `features` per feature over the session × feature cells; `traces`
 * over all, with the calls without a trace id; and the costliest sessions
 * and traces, `topSessions` of them and every one as costly as the last
 * (`WITH TIES`: the engine orders strings by bytes, the finish by UTF-16
 * code units, so the order among equal costs is the finish's to make).
 */
function queries(scope: Scope, config: AnalysisConfig): Record<string, BoundQuery> {
  const bound = (sql: string, params = {}): BoundQuery => ({ sql, params: { ...scope.params, ...params } });
  const top = config.features.topSessions;
  const asked: Record<string, BoundQuery> = {
    sessions: bound(
      `SELECT customer_id, ${COUNTED}, calls_without, cost_without FROM (SELECT customer_id, countIf(session_id != '') AS sessions, sumIf(session_calls, session_id != '') AS counted_calls, sumIf(session_cost, session_id != '') AS counted_cost, arraySort(groupArrayIf(session_cost, session_id != '')) AS sorted_costs, sumIf(session_calls, session_id = '') AS calls_without, sumIf(session_cost, session_id = '') AS cost_without FROM (${perSession(scope)}) GROUP BY GROUPING SETS ((customer_id), ())) SETTINGS group_by_use_nulls = 1`,
    ),
    features: bound(
      `SELECT feature_id, ${COUNTED} FROM (SELECT feature_id, count() AS sessions, sum(cell_calls) AS counted_calls, sum(cell_cost) AS counted_cost, arraySort(groupArray(cell_cost)) AS sorted_costs FROM (${perSessionFeature(scope)}) GROUP BY feature_id)`,
    ),
    traces: bound(
      `SELECT ${COUNTED}, calls_without FROM (SELECT countIf(trace_id != '') AS sessions, sumIf(trace_calls, trace_id != '') AS counted_calls, sumIf(trace_cost, trace_id != '') AS counted_cost, arraySort(groupArrayIf(trace_cost, trace_id != '')) AS sorted_costs, sumIf(trace_calls, trace_id = '') AS calls_without FROM (${perTrace(scope)}))`,
    ),
  };
  if (top > 0) {
    asked.costliestSessions = bound(
      `SELECT session_id, customer_id, sum(cell_calls) AS session_calls, sum(cell_cost) AS session_cost, count() AS features FROM (${perSessionFeature(scope)}) GROUP BY session_id, customer_id ORDER BY session_cost DESC LIMIT {top:UInt64} WITH TIES`,
      { top },
    );
    asked.costliestTraces = bound(
      `${perTrace(scope, " AND trace_id != ''")} ORDER BY trace_cost DESC LIMIT {top:UInt64} WITH TIES`,
      { top },
    );
  }
  return asked;
}

/** The {@link SessionCounts} of a row of {@link COUNTED}. */
function countsOf(row: AggregateRow | undefined): SessionCounts {
  if (row === undefined)
    return { sessions: 0, calls: 0, costMicros: 0, medianCostMicros: 0, p95CostMicros: 0 };
  return {
    sessions: numberOf(row, 'sessions'),
    calls: numberOf(row, 'counted_calls'),
    costMicros: numberOf(row, 'counted_cost'),
    medianCostMicros: numberOf(row, 'median_cost'),
    p95CostMicros: numberOf(row, 'p95_cost'),
  };
}

/** The digest from the answers. */
function value(answers: DigestAnswers): SessionsDigest {
  const sessions = answers.sessions ?? [];
  const overall = sessions.find((row) => row.customer_id === null);
  const traces = answers.traces?.[0];
  return {
    overall: countsOf(overall),
    callsWithoutSession: overall === undefined ? 0 : numberOf(overall, 'calls_without'),
    costWithoutSessionMicros: overall === undefined ? 0 : numberOf(overall, 'cost_without'),
    byFeature: (answers.features ?? []).map((row) => ({
      feature: textOf(row, 'feature_id'),
      ...countsOf(row),
    })),
    byCustomer: sessions
      .filter((row) => row.customer_id !== null && numberOf(row, 'sessions') > 0)
      .map((row) => ({ customer: textOf(row, 'customer_id'), ...countsOf(row) })),
    traces: countsOf(traces),
    callsWithoutTrace: traces === undefined ? 0 : numberOf(traces, 'calls_without'),
    costliestSessions: (answers.costliestSessions ?? []).map((row): CostlyEntry => ({
      id: textOf(row, 'session_id'),
      calls: numberOf(row, 'session_calls'),
      costMicros: numberOf(row, 'session_cost'),
      customer: textOf(row, 'customer_id'),
      features: numberOf(row, 'features'),
    })),
    costliestTraces: (answers.costliestTraces ?? []).map((row): CostlyTrace => ({
      id: textOf(row, 'trace_id'),
      calls: numberOf(row, 'trace_calls'),
      costMicros: numberOf(row, 'trace_cost'),
      customer: textOf(row, 'customer_id'),
    })),
  };
}

/** {@link SESSIONS_DIGEST} from SQL. */
export const sessions: DigestSupplier<SessionsDigest> = { digest: SESSIONS_DIGEST, queries, value };
