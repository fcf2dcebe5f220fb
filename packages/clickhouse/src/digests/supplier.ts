import type { AnalysisConfig, Digest } from '@finops/analyzers';
import type { AggregateRow } from '../aggregates/aggregate';
import type { BoundQuery } from '../connection';
import type { Scope } from '../scope';

/** The rows of a supplier's queries, by the query's name. */
export type DigestAnswers = Readonly<Record<string, readonly AggregateRow[]>>;

/**
 * A digest computed in SQL: queries over the calls relation whose answers
 * are small (counts, sums, a few ranked values, the first few of a list)
 * however many calls they read, and how those answers become the digest's
 * value. The value must be the one the digest's own `compute` gives over
 * the same calls, which a test of the supplier holds it to; the groupings
 * the digest reads are then never filled from the engine.
 */
export interface DigestSupplier<Value = unknown> {
  /** The digest supplied (its name is the supplier's). */
  readonly digest: Digest<Value>;
  /**
   * The queries to send, by name: each reads `scope` (append conditions
   * with `AND …`), binds every value (never spliced into the text) and is
   * answered in rows of scalars. A query left out is answered by no rows.
   */
  queries(scope: Scope, config: AnalysisConfig): Readonly<Record<string, BoundQuery>>;
  /** The digest's value from the answers of {@link queries}. */
  value(answers: DigestAnswers, config: AnalysisConfig): Value;
}

/** A supplier of any digest (what the list holds). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- values differ per digest; each supplier is typed where it is written
export type AnyDigestSupplier = DigestSupplier<any>;

/**
 * The value of nearest rank ⌈`quantile` × `count`⌉ (at least 1) of a sorted
 * array, in SQL, as the in-process `nearestRanks` finds it: the rank is
 * the same double product rounded up (a Float64 literal times the count), so
 * an array of the same values gives the same one; an empty array gives 0.
 * `quantile` is a constant of the digest, written as its shortest literal.
 */
export function nearestRankSql(sorted: string, count: string, quantile: number): string {
  if (!(quantile > 0 && quantile <= 1)) throw new RangeError(`a quantile is in (0, 1], got ${quantile}`);
  return `arrayElement(${sorted}, greatest(1, toUInt64(ceil(${String(quantile)} * ${count}))))`;
}
