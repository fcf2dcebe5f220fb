/**
 * Digests: named figures that a finish step reads, computed from the whole
 * of the aggregates — by default here, from groupings the digest declares,
 * or supplied instead by another engine that can compute them where the
 * calls are (`@finops/clickhouse` computes some in SQL and never brings the
 * per-call cells across).
 *
 * ("Summary" already names the executive summary of the results.)
 */
import { FinopsError } from '@finops/schema';
import type { AnyAnalysisDefinition } from './analyses/definition';
import type { AnalysisConfig } from './config';
import type { GroupingSpec } from './store/grouping';
import type { AggregateReader } from './store/reader';

/**
 * A figure a finish step reads through `context.digest(…)`, with the
 * groupings it is computed from. A digest is no state: it cannot be merged,
 * so it is computed (or supplied) only at finish, over everything held.
 * Another engine that supplies it must give exactly what {@link compute}
 * gives over the same calls; the groupings it declares are then not filled,
 * unless something else declares them too.
 *
 * @example
 * ```ts
 * const TOP_CUSTOMER = defineDigest({
 *   name: 'topCustomer',
 *   groupings: [CUSTOMER_DAY],
 *   compute: (aggregates) => {
 *     const table = aggregates.grouping('customerDay');
 *     // … the customer of the highest cost …
 *     return { customer: '…', costMicros: 0 };
 *   },
 * });
 * // in the analysis: defineAnalysis({ …, digests: [TOP_CUSTOMER], finish: (context) => context.digest(TOP_CUSTOMER) })
 * ```
 */
export interface Digest<Value = unknown> {
  /** Stable name (what a supplier is keyed by): a word in camel case. */
  readonly name: string;
  /** The groupings {@link compute} reads. */
  readonly groupings: readonly GroupingSpec[];
  /**
   * The value, from the aggregates of every call held and the settings (a
   * digest whose value depends on a setting reads it here, and a supplier
   * reads the same setting). Plain data: numbers, strings, arrays, objects.
   */
  compute(aggregates: AggregateReader, config: AnalysisConfig): Value;
}

/** A digest of any value (what lists of digests hold). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- values differ per digest; each is typed where it is defined
export type AnyDigest = Digest<any>;

/** The value of a digest. */
export type DigestValue<Of> = Of extends Digest<infer Value> ? Value : never;

/** Values of digests computed by another engine, by digest name (see `CostAnalyzer.finish`). */
export type SuppliedDigests = Readonly<Record<string, unknown>>;

/** Declares a digest (typed, frozen). */
export function defineDigest<Value>(digest: Digest<Value>): Digest<Value> {
  if (!/^[a-z][a-zA-Z0-9]*$/.test(digest.name))
    throw new FinopsError('invalid_digest', `a digest is named "${digest.name}": use a word in camel case`);
  return Object.freeze(digest);
}

/**
 * The digests the selected analyses declare, each once, in registry order.
 * Two different digests of one name are an error.
 */
export function digestsOf(selected: readonly AnyAnalysisDefinition[]): AnyDigest[] {
  const byName = new Map<string, AnyDigest>();
  for (const definition of selected)
    for (const digest of definition.digests ?? []) {
      const known = byName.get(digest.name);
      if (known === undefined) byName.set(digest.name, digest);
      else if (known !== digest)
        throw new FinopsError('invalid_digest', `two different digests are named "${digest.name}"`);
    }
  return [...byName.values()];
}

/**
 * The groupings the digests of `selected` read, less those of the digests
 * another engine supplies (`supplied`, by name).
 */
export function digestGroupings(
  selected: readonly AnyAnalysisDefinition[],
  supplied: readonly string[] = [],
): GroupingSpec[] {
  return digestsOf(selected)
    .filter((digest) => !supplied.includes(digest.name))
    .flatMap((digest) => digest.groupings);
}

/**
 * Reads digests for one finish: a supplied value when there is one, else
 * the digest computed once from the aggregates (later reads get the same
 * value).
 */
export class DigestReader {
  private readonly known = new Map<string, unknown>();

  constructor(
    private readonly aggregates: AggregateReader,
    private readonly config: AnalysisConfig,
    private readonly supplied: SuppliedDigests = {},
  ) {}

  /** The value of `digest`. */
  read<Value>(digest: Digest<Value>): Value {
    if (this.known.has(digest.name)) return this.known.get(digest.name) as Value;
    const value = Object.hasOwn(this.supplied, digest.name)
      ? (this.supplied[digest.name] as Value)
      : digest.compute(this.aggregates, this.config);
    this.known.set(digest.name, value);
    return value;
  }
}
