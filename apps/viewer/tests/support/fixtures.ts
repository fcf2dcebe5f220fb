import { appendFile, mkdtemp, realpath, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeCosts } from '@finops/analyzers';
import { renderReports } from '@finops/report-renderer';
import {
  type CallRecord,
  csvHeaderLine,
  defaultCatalog,
  formatCsvRecord,
  formatTimestamp,
  KNOWN_FEATURES,
  SUBSCRIPTION_TIERS,
} from '@finops/schema';
import { standardDocuments } from '../../src/documents';
import type { DocumentBuilder } from '../../src/live';

/** A fresh temporary folder (real path, so symlinked tmp folders compare equal). */
export async function tempDir(prefix: string): Promise<string> {
  return realpath(await mkdtemp(join(tmpdir(), prefix)));
}

const catalog = defaultCatalog();
const models = catalog.models();
const START_MS = Date.UTC(2025, 9, 1);

/** The `index`-th call of a deterministic log: a few customers, models and features over a few days. */
export function callRecord(index: number, customerId?: string): CallRecord {
  const model = models[index % models.length];
  if (!model) throw new Error('empty catalog');
  const inputTokens = 200 + ((index * 37) % 900);
  const outputTokens = 80 + ((index * 53) % 700);
  const customer = index % 7;
  const feature = KNOWN_FEATURES[customer % KNOWN_FEATURES.length] ?? 'chat';
  const timeMs = START_MS + index * 61_000;
  return {
    timestamp: formatTimestamp(timeMs, index % 1000),
    timeMs,
    callId: `call_${String(index).padStart(8, '0')}`,
    provider: model.provider,
    model: model.model,
    inputTokens,
    outputTokens,
    costMicros: catalog.costOf(model.provider, model.model, inputTokens, outputTokens) ?? 0,
    latencyMs: 300 + ((index * 97) % 2500),
    customerId: customerId ?? `cust_${String(customer + 1).padStart(4, '0')}`,
    subscriptionTier: SUBSCRIPTION_TIERS[customer % 3] ?? 'pro',
    organizationId: `org_${String((customer % 3) + 1).padStart(3, '0')}`,
    productId: customer % 2 === 0 ? 'product_a' : 'product_b',
    featureId: feature,
    taskType: feature,
    environment: 'production',
    requestId: `req_${index}`,
    traceId: `trace_${index}`,
    sessionId: `sess_${index % 50}`,
    userAgent: 'FinOpsSDK/1.2 Node/20',
  };
}

/** CSV lines of calls `from` to `to` (exclusive). */
export function csvRows(from: number, to: number): string {
  let text = '';
  for (let index = from; index < to; index++) text += formatCsvRecord(callRecord(index));
  return text;
}

/** Writes a log with a header and calls `0` to `rows`; returns its text. */
export async function writeLog(path: string, rows: number): Promise<string> {
  const text = csvHeaderLine() + csvRows(0, rows);
  await writeFile(path, text);
  return text;
}

/** Appends text to a log; returns the bytes appended. */
export async function append(path: string, text: string): Promise<number> {
  await appendFile(path, text);
  return Buffer.byteLength(text);
}

/** The analyzers' standard documents, as the viewer builds them. */
export function documentBuilder(): DocumentBuilder {
  return standardDocuments();
}

/** Waits until `check` returns a value other than `undefined` (polling), or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Analyses a log and renders its reports into `outDir` (what `finops run` leaves behind). */
export async function renderFolder(
  logPath: string,
  outDir: string,
  generatedAt = '2025-11-01T10:00:00Z',
): Promise<void> {
  const results = await analyzeCosts(logPath);
  const meta = results.meta;
  await renderReports(documentBuilder()(results), {
    outDir,
    generatedAt,
    dataset: {
      path: logPath,
      bytes: (await stat(logPath)).size,
      window: null,
      rowsRead: meta.rowsRead,
      rowsKept: meta.rowsKept,
      rowsWarned: meta.rowsWarned,
      rowsRejected: meta.rowsRejected,
      rejectedByReason: meta.rejectedByReason,
      warningsByKind: meta.warningsByKind,
    },
  });
}

/** The value of one sample of Prometheus text (`name{labels}` as written), `undefined` when absent. */
export function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}
