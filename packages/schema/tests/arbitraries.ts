import fc from 'fast-check';
import {
  type CallRecord,
  completeRecord,
  defaultCatalog,
  ENVIRONMENTS,
  formatTimestamp,
  SUBSCRIPTION_TIERS,
} from '../src/index';

/** Any non-empty string of at most 40 characters, including commas, quotes, line breaks and non-ASCII text. */
export const anyField = fc
  .string({
    minLength: 1,
    maxLength: 40,
    unit: fc.oneof(
      fc.constantFrom(',', '"', '\n', '\r', ' ', 'é', '😀'),
      fc.string({ minLength: 1, maxLength: 1, unit: 'grapheme' }),
    ),
  })
  .filter((value) => value.length > 0);

/** A valid call record with hostile strings in its string fields. */
export const anyRecord: fc.Arbitrary<CallRecord> = fc
  .record({
    timeMs: fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 11, 31) }),
    microsecond: fc.integer({ min: 0, max: 999 }),
    callId: anyField,
    provider: anyField,
    model: anyField,
    inputTokens: fc.nat({ max: 1_000_000 }),
    outputTokens: fc.nat({ max: 1_000_000 }),
    costMicros: fc.nat({ max: 1e12 }),
    latencyMs: fc.nat({ max: 1e7 }),
    customerId: anyField,
    subscriptionTier: fc.constantFrom(...SUBSCRIPTION_TIERS),
    organizationId: anyField,
    productId: anyField,
    featureId: anyField,
    taskType: anyField,
    environment: fc.constantFrom(...ENVIRONMENTS),
    requestId: anyField,
    traceId: anyField,
    sessionId: anyField,
    userAgent: anyField,
  })
  .map(({ microsecond, ...fields }) =>
    completeRecord({
      ...fields,
      timestamp: formatTimestamp(fields.timeMs, microsecond),
    }),
  );

/** A valid version-2 record: every optional column given, with hostile strings and token subsets. */
export const anyRecordV2: fc.Arbitrary<CallRecord> = fc
  .record({
    base: anyRecord,
    cachedShare: fc.double({ min: 0, max: 0.5, noNaN: true }),
    writeShare: fc.double({ min: 0, max: 0.5, noNaN: true }),
    reasoningShare: fc.double({ min: 0, max: 1, noNaN: true }),
    status: fc.constantFrom('success' as const, 'error' as const),
    errorType: anyField,
    region: anyField,
    serviceTier: anyField,
    timeToFirstTokenMs: fc.option(fc.nat({ max: 1e6 }), { nil: null }),
    apiKeyId: anyField,
    userId: anyField,
    teamId: anyField,
    tags: fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
    calls: fc.integer({ min: 1, max: 1000 }),
  })
  .map(({ base, cachedShare, writeShare, reasoningShare, tags, ...fields }) =>
    completeRecord({
      ...base,
      ...fields,
      cachedInputTokens: Math.floor(base.inputTokens * cachedShare),
      cacheWriteInputTokens: Math.floor(base.inputTokens * writeShare),
      reasoningTokens: Math.floor(base.outputTokens * reasoningShare),
      tags: JSON.stringify(tags),
    }),
  );

/** Records with distinct call ids. */
export const anyRecords = (maxLength = 30): fc.Arbitrary<CallRecord[]> =>
  fc.uniqueArray(anyRecord, { maxLength, selector: (record) => record.callId });

let sequence = 0;

/** A plausible, catalog-priced record for hand-written fixtures. */
export function sampleRecord(overrides: Partial<CallRecord> = {}): CallRecord {
  const timeMs = overrides.timeMs ?? Date.UTC(2025, 10, 19, 8, 0, 3, 794);
  const base: CallRecord = {
    timestamp: formatTimestamp(timeMs, 387),
    timeMs,
    callId: `call_${String(++sequence).padStart(6, '0')}`,
    provider: 'openai',
    model: 'gpt-4o',
    inputTokens: 451,
    outputTokens: 555,
    costMicros: defaultCatalog().costOf('openai', 'gpt-4o', 451, 555) ?? 0,
    latencyMs: 1990,
    customerId: 'cust_0075',
    subscriptionTier: 'pro',
    organizationId: 'org_008',
    productId: 'product_a',
    featureId: 'code_generation',
    taskType: 'summarization',
    environment: 'production',
    requestId: 'req_147328',
    traceId: 'trace_256234',
    sessionId: 'sess_41253',
    userAgent: 'FinOpsSDK/1.2 Node/20',
  };
  return completeRecord({ ...base, ...overrides });
}

/** Splits text into pieces at the given cut points (for chunking tests). */
export function splitAt(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((cut) => Math.min(bytes.length, cut)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let previous = 0;
  for (const point of points) {
    pieces.push(bytes.subarray(previous, point));
    previous = point;
  }
  pieces.push(bytes.subarray(previous));
  return pieces;
}
