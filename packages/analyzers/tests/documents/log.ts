import {
  type CallRecord,
  MS_PER_DAY,
  csvHeaderLine,
  defaultCatalog,
  formatCsvRecord,
  formatTimestamp,
} from '@finops/schema';
import { type AnalysisName, type AnalysisResults, analyzeCosts } from '../../src';

/** A customer id that would end a script element if it were ever written unescaped. */
export const HOSTILE_ID = '</script><script>alert(1)</script>';
/** An organization name with every character HTML cares about. */
export const HOSTILE_ORG = `org "quoted" & 'single' <b>`;

/** 2025-11-03T00:00:00Z, a Monday. */
const DAY0 = Date.UTC(2025, 10, 3);
const TIERS = ['starter', 'pro', 'enterprise'] as const;
const ENVIRONMENTS = ['production', 'staging', 'development'] as const;
const FEATURES = ['chat', 'code_generation', 'summarization', 'translation', 'analysis', 'qa'];

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

/**
 * A seeded log of `count` calls over `days` days: 15 customers on three
 * tiers and five organizations, every catalog model, a customer whose calls
 * cost 40 times the catalog price (unprofitable), one burst day for another
 * customer (a spike), and the hostile customer id and organization name.
 */
export function documentLog(count = 1500, days = 30, seed = 11): CallRecord[] {
  const random = seeded(seed);
  const catalog = defaultCatalog();
  const models = catalog.models();
  const records: CallRecord[] = [];
  const add = (index: number, timeMs: number, customer: number, burst: boolean): void => {
    const model = models[Math.floor(random() * models.length)] ?? (models[0] as (typeof models)[number]);
    const input = 20 + Math.floor(random() * 3000);
    const output = 10 + Math.floor(random() * 1500);
    const price = catalog.costOf(model.provider, model.model, input, output) ?? 100;
    const customerId = customer === 14 ? HOSTILE_ID : `cust_${String(customer).padStart(2, '0')}`;
    records.push({
      timestamp: formatTimestamp(timeMs),
      timeMs,
      callId: `call_${seed}_${index}`,
      provider: model.provider,
      model: model.model,
      inputTokens: input,
      outputTokens: output,
      costMicros: Math.round(price * (customer === 3 ? 40 : burst ? 25 : 1)),
      latencyMs: 60 + Math.floor(random() * 3500),
      customerId,
      subscriptionTier: TIERS[customer % 3] as (typeof TIERS)[number],
      organizationId: customer % 5 === 4 ? HOSTILE_ORG : `org_${customer % 5}`,
      productId: customer % 2 === 0 ? 'product_a' : 'product_b',
      featureId: FEATURES[Math.floor(random() * (customer % 2 === 0 ? 6 : 3))] as string,
      taskType: FEATURES[Math.floor(random() * 6)] as string,
      environment: ENVIRONMENTS[Math.floor(random() * 3)] as (typeof ENVIRONMENTS)[number],
      requestId: `req_${index}`,
      traceId: `trace_${index}`,
      sessionId: `sess_${index}`,
      userAgent: 'FinOpsSDK/1.2 Node/20',
    });
  };
  for (let index = 0; index < count; index++) {
    const timeMs = DAY0 + Math.floor((index / count) * days * MS_PER_DAY);
    add(index, timeMs, Math.floor(random() * 15), false);
  }
  // A burst: customer 5 on the second-to-last day.
  for (let index = 0; index < 12; index++) {
    add(count + index, DAY0 + (days - 2) * MS_PER_DAY + index * 60_000, 5, true);
  }
  return records.sort((a, b) => a.timeMs - b.timeMs);
}

/** The log as CSV text. */
export function csvOf(records: readonly CallRecord[]): string {
  return csvHeaderLine() + records.map((record) => formatCsvRecord(record)).join('');
}

/** Results of the selected analyses over the log, read from its CSV text. */
export async function documentResults(analyses?: readonly AnalysisName[]): Promise<AnalysisResults> {
  return analyzeCosts([csvOf(documentLog())], { source: 'fixtures/calls.csv', analyses });
}
