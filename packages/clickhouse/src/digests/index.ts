import type { AnyDigestSupplier } from './supplier';
import { minuteProfiles } from './minute-profiles';

export { MASKED_MODELS } from './minute-profiles';
import { sessions } from './sessions';

export { FEATURE_MIX_SAMPLE } from './sessions';

export {
  answerOf,
  answerQueries,
  type AnyDigestSupplier,
  COMPILE_DIGESTS_FROM_ROWS,
  type DigestAnswers,
  type DigestSending,
  type DigestSupplier,
  nearestRanksOfArraysSql,
  nearestRanksSql,
  sortedNearestRankSql,
  supplyDigest,
} from './supplier';

/**
 * The digests computed in SQL, one file each (named after the digest): a
 * run over a table sends a supplier's queries instead of filling the
 * groupings its digest reads. A digest without a supplier is computed
 * in-process from its groupings, filled by the generated queries as any
 * grouping is. Their first queries are sent in this order: the minute
 * profiles first, whose answer is the longest to read (a few thousand rows
 * of lists over ten million calls), so that JavaScript reads it while the
 * engine answers the sessions' queries, which answer a few rows, rather
 * than after the engine's last query.
 */
export const DIGEST_SUPPLIERS: readonly AnyDigestSupplier[] = [minuteProfiles, sessions];
