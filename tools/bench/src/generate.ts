import { createWriteStream } from 'node:fs';
import { mkdir, rename, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  type CallRecord,
  csvHeaderLine,
  defaultCatalog,
  ENVIRONMENTS,
  formatCsvRecord,
  formatTimestamp,
  KNOWN_FEATURES,
  MS_PER_DAY,
  SUBSCRIPTION_TIERS,
  V1_COLUMNS,
} from '@finops/schema';

/** Options of {@link generateBenchLog}. */
export interface BenchLogOptions {
  /** Target size in bytes; generation stops at the first complete line past it. */
  bytes: number;
  /** Quote a share of the `user_agent` fields (with commas and doubled quotes inside). */
  quoted?: boolean;
  /** Seed of the generator. */
  seed?: number;
  /** Customers in the population. */
  customers?: number;
}

/** A small, fast seeded generator (mulberry32) — enough for benchmark inputs. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Writes a valid call log of about `bytes` bytes for benchmarks: rows in
 * timestamp order over 30 days, catalog prices, a few hundred customers.
 * Not realistic traffic (that is the simulator's job); just the right shape
 * and the right mix of values for reading and aggregating.
 */
export async function generateBenchLog(
  path: string,
  options: BenchLogOptions,
): Promise<{ rows: number; bytes: number }> {
  await mkdir(dirname(path), { recursive: true });
  const random = seededRandom(options.seed ?? 7);
  const catalog = defaultCatalog();
  const models = catalog.models();
  const customers = options.customers ?? 500;
  const start = Date.UTC(2025, 9, 1);
  const temporaryPath = `${path}.partial`;
  const out = createWriteStream(temporaryPath);
  let failure: Error | undefined;
  out.on('error', (error) => (failure = error));
  const write = async (text: string): Promise<void> => {
    if (failure) throw failure;
    if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  };
  let bytes = 0;
  let rows = 0;
  // A version-1 log (its 19 columns), which every version of the reader reads.
  const header = csvHeaderLine([], V1_COLUMNS);
  await write(header);
  bytes += header.length;
  const estimatedRows = Math.ceil(options.bytes / 190);
  const stepMs = (30 * MS_PER_DAY) / estimatedRows;
  let chunk = '';
  while (bytes < options.bytes) {
    const model = models[Math.floor(random() * models.length)] ?? models[0];
    if (model === undefined) throw new Error('empty catalog');
    const inputTokens = 100 + Math.floor(random() * 1900);
    const outputTokens = 50 + Math.floor(random() * 1450);
    const customer = Math.floor(random() * customers);
    const feature = KNOWN_FEATURES[customer % KNOWN_FEATURES.length] ?? 'chat';
    const timeMs = start + Math.floor(rows * stepMs);
    const quotedAgent = options.quoted && random() < 0.3;
    const record: CallRecord = {
      timestamp: formatTimestamp(timeMs, rows % 1000),
      timeMs,
      callId: `call_${String(rows).padStart(9, '0')}`,
      provider: model.provider,
      model: model.model,
      inputTokens,
      outputTokens,
      costMicros: catalog.costOf(model.provider, model.model, inputTokens, outputTokens) ?? 0,
      latencyMs: Math.round((inputTokens + outputTokens) * 2 * model.latencyFactor * (0.7 + random() * 0.6)),
      customerId: `cust_${String(customer + 1).padStart(4, '0')}`,
      subscriptionTier: SUBSCRIPTION_TIERS[customer % 3] ?? 'pro',
      organizationId: `org_${String((customer % 10) + 1).padStart(3, '0')}`,
      productId: customer % 2 === 0 ? 'product_a' : 'product_b',
      featureId: feature,
      taskType: random() < 0.8 ? feature : (KNOWN_FEATURES[Math.floor(random() * 6)] ?? 'qa'),
      environment: ENVIRONMENTS[random() < 0.95 ? 0 : random() < 0.8 ? 1 : 2] ?? 'production',
      requestId: `req_${String(Math.floor(random() * 1e6)).padStart(6, '0')}`,
      traceId: `trace_${String(Math.floor(random() * 1e6)).padStart(6, '0')}`,
      sessionId: `sess_${String(Math.floor(random() * 1e5)).padStart(5, '0')}`,
      userAgent: quotedAgent ? 'FinOpsSDK/1.2 (Node/20, "linux", x64)' : 'FinOpsSDK/1.2 Node/20',
    };
    const line = formatCsvRecord(record, [], V1_COLUMNS);
    chunk += line;
    bytes += line.length;
    rows++;
    if (chunk.length > 1 << 20) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  await rename(temporaryPath, path);
  return { rows, bytes };
}

/** Generates the log unless a file of the right size is already there; returns its size. */
export async function ensureBenchLog(path: string, options: BenchLogOptions): Promise<number> {
  const existing = await stat(path).catch(() => undefined);
  if (existing && existing.size >= options.bytes && existing.size < options.bytes + 4096)
    return existing.size;
  return (await generateBenchLog(path, options)).bytes;
}
