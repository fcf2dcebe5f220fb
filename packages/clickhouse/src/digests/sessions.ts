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

/**
 * One row per session (a session id within one customer's calls): its calls
 * and cost. The features a session used are counted only for the costliest
 * (see {@link followUps}): a distinct count per session of ten million costs
 * more than the rest of the query.
 */
function perSession(scope: Scope): string {
  return `SELECT session_id, customer_id, sum(calls) AS session_calls, sum(cost_micros) AS session_cost ${scope.from} GROUP BY session_id, customer_id`;
}

/** One row per session × feature of the calls with a session id: the cells of the in-process digest. */
function perSessionFeature(scope: Scope): string {
  return `SELECT session_id, customer_id, feature_id, sum(calls) AS cell_calls, sum(cost_micros) AS cell_cost ${scope.from} AND session_id != '' GROUP BY session_id, customer_id, feature_id`;
}

/**
 * The same cells keyed by feature and a 128-bit hash of the session id and
 * customer (`sipHash128` of the two: each hashed on its own, so ("ab", "c")
 * and ("a", "bc") differ) instead of the two strings, where only the
 * cells' figures are read, never their ids: grouping by a number is about
 * a third cheaper than by two strings over ten million cells. It is as
 * exact as `uniqExact`, which counts strings by the same kind of 128-bit
 * hash: two sessions merge only if their hashes collide (about n² / 2¹²⁹
 * for n sessions, 10⁻²⁵ at ten million).
 */
function perSessionFeatureHashed(scope: Scope): string {
  return `SELECT feature_id, reinterpretAsUInt128(sipHash128(session_id, customer_id)) AS session_key, sum(calls) AS cell_calls, sum(cost_micros) AS cell_cost ${scope.from} AND session_id != '' GROUP BY feature_id, session_key`;
}

/** One row per trace (a trace id within one customer's calls): its calls and cost. */
function perTrace(scope: Scope): string {
  return `SELECT trace_id, customer_id, sum(calls) AS trace_calls, sum(cost_micros) AS trace_cost ${scope.from} GROUP BY trace_id, customer_id`;
}

/** The nearest-rank costs of a set of sessions, as aggregates over the costs `cost` of the rows where `condition` holds. */
function rankedSql(cost: string, condition: string): string {
  return `${nearestRankSql(cost, MEDIAN, condition)} AS median_cost, ${nearestRankSql(cost, P95, condition)} AS p95_cost`;
}

/**
 * The costliest of a set, as an aggregate over its rows with an id:
 * `candidates`, the `{kept}` (one more than `topSessions`) first by cost
 * (descending, then by bytes — the order among equal costs is the finish's
 * to make, by UTF-16 code units) as tuples that start with the negated
 * cost. The one beyond the top tells whether the top's last one ties with
 * a session left out (see {@link followUps}).
 */
function candidatesSql(entry: string, id: string, name = 'candidates'): string {
  return `groupArraySortedIf({kept:UInt64})(${entry}, ${id} != '') AS ${name}`;
}

/**
 * The first queries: `sessions` per customer and over all (`GROUPING SETS`,
 * the overall row's customer null, and only it with the costliest
 * sessions), with the calls and cost without a session id; `features` per
 * feature over the session × feature cells; `traces` over all, with the
 * costliest traces and the calls without a trace id. Three reads of the
 * calls, each grouped once by session or trace; the answers are a row per
 * customer and per feature. The ranks are aggregates
 * ({@link nearestRankSql}), no array of every session's cost is built.
 */
function firstQueries(scope: Scope, top: number): Record<string, BoundQuery> {
  const costliest = top > 0;
  const bound = (sql: string): BoundQuery => ({
    sql,
    params: costliest ? { ...scope.params, kept: top + 1 } : { ...scope.params },
  });
  const sessionCandidates = costliest
    ? `, ${candidatesSql('(-session_cost, session_id, customer_id, session_calls)', 'session_id')}`
    : '';
  // Only the overall row (customer null) holds the costliest sessions.
  const overallCandidates = costliest ? ', if(isNull(customer_id), candidates, []) AS costliest' : '';
  const traceCandidates = costliest
    ? `, ${candidatesSql('(-trace_cost, trace_id, customer_id, trace_calls)', 'trace_id', 'costliest')}`
    : '';
  const counted = 'sessions, counted_calls, counted_cost, median_cost, p95_cost';
  return {
    sessions: bound(
      `SELECT customer_id, ${counted}, calls_without, cost_without${overallCandidates} FROM (SELECT customer_id, countIf(session_id != '') AS sessions, sumIf(session_calls, session_id != '') AS counted_calls, sumIf(session_cost, session_id != '') AS counted_cost, ${rankedSql('session_cost', "session_id != ''")}, sumIf(session_calls, session_id = '') AS calls_without, sumIf(session_cost, session_id = '') AS cost_without${sessionCandidates} FROM (${perSession(scope)}) GROUP BY GROUPING SETS ((customer_id), ())) SETTINGS group_by_use_nulls = 1`,
    ),
    features: bound(
      `SELECT feature_id, count() AS sessions, sum(cell_calls) AS counted_calls, sum(cell_cost) AS counted_cost, ${rankedSql('cell_cost', '1')} FROM (${perSessionFeatureHashed(scope)}) GROUP BY feature_id`,
    ),
    traces: bound(
      `SELECT countIf(trace_id != '') AS sessions, sumIf(trace_calls, trace_id != '') AS counted_calls, sumIf(trace_cost, trace_id != '') AS counted_cost, ${rankedSql('trace_cost', "trace_id != ''")}, sumIf(trace_calls, trace_id = '') AS calls_without${traceCandidates} FROM (${perTrace(scope)})`,
    ),
  };
}

/** The row of a set's counts that holds its costliest candidates: the overall sessions row, the traces row. */
function overallOf(answers: DigestAnswers): { sessions?: AggregateRow; traces?: AggregateRow } {
  return {
    sessions: answers.sessions?.find((row) => row.customer_id === null),
    traces: answers.traces?.[0],
  };
}

/** The candidates of a counts row: tuples of the negated cost, the id, the customer, the calls. */
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

/**
 * The queries an answer calls for: when sessions (or traces) as costly as
 * the last of the top were left out, every one that costs at least that
 * much (`HAVING … >= {boundary}`: the top and all their ties, so the
 * finish can order the ties itself, each session with its features);
 * else, the features of the top sessions only (`session_id IN …`, grouped
 * by session and customer: the finish picks the candidates' pairs).
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
    asked.sessionFeatures = {
      sql: `SELECT session_id, customer_id, uniqExact(feature_id) AS session_features ${scope.from} AND session_id IN {session_ids:Array(String)} GROUP BY session_id, customer_id`,
      params: {
        ...scope.params,
        session_ids: [
          ...new Set(
            candidatesOf(overall.sessions)
              .slice(0, top)
              .map(([, id]) => String(id)),
          ),
        ],
      },
    };
  if (traceBoundary !== undefined)
    asked.costliestTraces = {
      sql: `SELECT trace_id, customer_id, trace_calls, trace_cost FROM (${perTrace(scope)}) WHERE trace_id != '' AND trace_cost >= {boundary:Int64}`,
      params: { ...scope.params, boundary: traceBoundary },
    };
  return asked;
}

/** The queries, first and then those the first answers call for. */
function queries(scope: Scope, config: AnalysisConfig, answers: DigestAnswers): Record<string, BoundQuery> {
  return answers.sessions === undefined
    ? firstQueries(scope, config.features.topSessions)
    : followUps(scope, answers, config.features.topSessions);
}

/** The {@link SessionCounts} of a row of counts: `sessions`, `counted_calls`, `counted_cost`, `median_cost`, `p95_cost`. */
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

/** The features of each session the follow-up counted them for, by session id and customer. */
function featuresBySession(answers: DigestAnswers): Map<string, number> {
  const counted = new Map<string, number>();
  for (const row of answers.sessionFeatures ?? [])
    counted.set(
      JSON.stringify([textOf(row, 'session_id'), textOf(row, 'customer_id')]),
      numberOf(row, 'session_features'),
    );
  return counted;
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

/** The `top` first candidates of a set's row. */
function topCandidates(overall: AggregateRow | undefined, top: number): CostlyTrace[] {
  // 0 − the negated cost: a cost of 0 stays 0, not −0.
  return candidatesOf(overall)
    .slice(0, top)
    .map(([negated, id, customer, calls]) => ({
      id: String(id),
      calls: Number(calls),
      costMicros: 0 - Number(negated),
      customer: String(customer),
    }));
}

/** The costliest sessions: those a follow-up asked for, else the `top` first candidates with their features. */
function costliestSessions(
  answers: DigestAnswers,
  overall: AggregateRow | undefined,
  top: number,
): CostlyEntry[] {
  if (answers.costliestSessions !== undefined)
    return answers.costliestSessions.map((row) => ({
      ...entryOfRow(row, 'session'),
      features: numberOf(row, 'session_features'),
    }));
  const features = featuresBySession(answers);
  return topCandidates(overall, top).map((entry) => ({
    ...entry,
    features: features.get(JSON.stringify([entry.id, entry.customer])) ?? 0,
  }));
}

/** The costliest traces: those a follow-up asked for, else the `top` first candidates. */
function costliestTraces(
  answers: DigestAnswers,
  overall: AggregateRow | undefined,
  top: number,
): CostlyTrace[] {
  if (answers.costliestTraces !== undefined)
    return answers.costliestTraces.map((row) => entryOfRow(row, 'trace'));
  return topCandidates(overall, top);
}

/** The digest from the answers. */
function value(answers: DigestAnswers, config: AnalysisConfig): SessionsDigest {
  const overall = overallOf(answers);
  const top = config.features.topSessions;
  return {
    overall: countsOf(overall.sessions),
    callsWithoutSession: overall.sessions === undefined ? 0 : numberOf(overall.sessions, 'calls_without'),
    costWithoutSessionMicros: overall.sessions === undefined ? 0 : numberOf(overall.sessions, 'cost_without'),
    byFeature: (answers.features ?? []).map((row) => ({
      feature: textOf(row, 'feature_id'),
      ...countsOf(row),
    })),
    byCustomer: (answers.sessions ?? [])
      .filter((row) => row.customer_id !== null && numberOf(row, 'sessions') > 0)
      .map((row) => ({ customer: textOf(row, 'customer_id'), ...countsOf(row) })),
    traces: countsOf(overall.traces),
    callsWithoutTrace: overall.traces === undefined ? 0 : numberOf(overall.traces, 'calls_without'),
    costliestSessions: costliestSessions(answers, overall.sessions, top),
    costliestTraces: costliestTraces(answers, overall.traces, top),
  };
}

/** {@link SESSIONS_DIGEST} from SQL. */
export const sessions: DigestSupplier<SessionsDigest> = { digest: SESSIONS_DIGEST, queries, value };
