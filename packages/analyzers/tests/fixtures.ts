import { type AnalysisResults, formatFigure, type Recommendation } from '../src';
import {
  type CallRecord,
  csvHeaderLine,
  defaultCatalog,
  formatCsvRecord,
  formatTimestamp,
  MS_PER_DAY,
} from '@finops/schema';

/** 2025-11-03T00:00:00Z, a Monday. */
export const DAY0 = Date.UTC(2025, 10, 3);

let sequence = 0;

/** A valid call record; fields not given take plain defaults (cost priced from the catalog unless given). */
export function call(fields: Partial<CallRecord> & { day?: number; hour?: number } = {}): CallRecord {
  const { day = 0, hour = 12, ...rest } = fields;
  const timeMs = rest.timeMs ?? DAY0 + day * MS_PER_DAY + hour * 3_600_000 + (sequence % 3600) * 1000;
  sequence++;
  const record: CallRecord = {
    timestamp: formatTimestamp(timeMs),
    timeMs,
    callId: `call_${sequence}`,
    provider: 'openai',
    model: 'gpt-4o',
    inputTokens: 1000,
    outputTokens: 500,
    costMicros: 0,
    latencyMs: 800,
    customerId: 'cust_a',
    subscriptionTier: 'pro',
    organizationId: 'org_1',
    productId: 'product_a',
    featureId: 'chat',
    taskType: 'chat',
    environment: 'production',
    requestId: `req_${sequence}`,
    traceId: `trace_${sequence}`,
    sessionId: `sess_${sequence}`,
    userAgent: 'FinOpsSDK/1.2 Node/20',
    ...rest,
  };
  record.timestamp = formatTimestamp(record.timeMs);
  if (fields.costMicros === undefined) {
    record.costMicros =
      defaultCatalog().costOf(record.provider, record.model, record.inputTokens, record.outputTokens) ?? 1000;
  }
  return record;
}

/** A CSV log of records. */
export function csvOf(records: readonly CallRecord[]): string {
  return csvHeaderLine() + records.map((record) => formatCsvRecord(record)).join('');
}

/** A small seeded generator (LCG), for repeatable logs. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

const TIERS = ['starter', 'pro', 'enterprise'] as const;
const ENVS = ['production', 'staging', 'development'] as const;
const FEATURES = ['chat', 'code_generation', 'summarization', 'translation', 'analysis', 'qa'];

/** A varied log: `count` calls over `days` days, several customers, models, organizations and features. */
export function randomLog(count: number, days: number, seed = 7): CallRecord[] {
  const random = seeded(seed);
  const models = defaultCatalog().models();
  const records: CallRecord[] = [];
  for (let index = 0; index < count; index++) {
    const model = models[Math.floor(random() * models.length)] ?? models[0];
    const customer = Math.floor(random() * 12);
    const input = 10 + Math.floor(random() * 3000);
    const output = 5 + Math.floor(random() * 1500);
    const timeMs = DAY0 + Math.floor((index / count) * days * MS_PER_DAY);
    records.push(
      call({
        timeMs,
        callId: `call_${seed}_${index}`,
        provider: model?.provider,
        model: model?.model,
        inputTokens: input,
        outputTokens: output,
        costMicros: Math.round(
          (defaultCatalog().costOf(model?.provider ?? '', model?.model ?? '', input, output) ?? 100) *
            (customer === 3 ? 40 : 1),
        ),
        latencyMs: 50 + Math.floor(random() * 4000),
        customerId: `cust_${customer}`,
        subscriptionTier: TIERS[customer % 3],
        organizationId: `org_${customer % 4}`,
        productId: customer % 2 === 0 ? 'product_a' : 'product_b',
        featureId: FEATURES[Math.floor(random() * (customer % 2 === 0 ? 6 : 3))],
        taskType: FEATURES[Math.floor(random() * 6)],
        environment: ENVS[Math.floor(random() * 3)],
      }),
    );
  }
  return records;
}

/** Removes every formatted figure from the text: no digit may remain. */
export function expectNumbersFromFigures(recommendation: Recommendation): void {
  const rendered = Object.entries(recommendation.figures)
    .map(([name, value]) => formatFigure(name, value))
    .sort((a, b) => b.length - a.length);
  let text = recommendation.text;
  for (const piece of rendered) text = text.split(piece).join(' ');
  // Fixed wording may name the SLA unit ("ms") but never a number.
  expect({ text: recommendation.text, rest: text.replace(/[^0-9]/g, '') }).toEqual({
    text: recommendation.text,
    rest: '',
  });
}

/**
 * A log that uses the record's version-2 columns: open plan and environment
 * names, regions, failed calls, prompt-cache and reasoning tokens, rows that
 * stand for several calls, calls without a latency or a customer.
 */
export function randomLogV2(count: number, days: number, seed = 9): CallRecord[] {
  const random = seeded(seed);
  const plans = ['starter', 'pro', 'enterprise', 'gold', 'team-2026'];
  const environments = ['production', 'staging', 'preview', 'eu-prod'];
  const regions = ['', 'us-east-1', 'eu-west-1', 'ap-south-1'];
  return randomLog(count, days, seed).map((record, index) => {
    const customer = Number(record.customerId.slice(5));
    const failed = random() < 0.08;
    return {
      ...record,
      customerId: customer === 11 ? '(unattributed)' : record.customerId,
      subscriptionTier: plans[customer % plans.length] as string,
      environment: environments[Math.floor(random() * environments.length)] as string,
      region: regions[Math.floor(random() * regions.length)] as string,
      status: failed ? 'error' : 'success',
      errorType: failed ? (random() < 0.5 ? 'rate_limit' : 'timeout') : '',
      cachedInputTokens: Math.floor(record.inputTokens * random() * 0.6),
      reasoningTokens: Math.floor(record.outputTokens * random() * 0.3),
      latencyMs: index % 17 === 0 ? null : record.latencyMs,
      calls: index % 23 === 0 ? 1 + Math.floor(random() * 40) : 1,
    };
  });
}

/** Results as plain data less the threads the log was read with (the one figure of `meta` a split may change). */
export function comparable(results: AnalysisResults): unknown {
  return JSON.parse(JSON.stringify({ ...results, meta: { ...results.meta, workers: 0 } }));
}
