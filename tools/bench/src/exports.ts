/**
 * Inputs of the `import` benchmark: simulated calls written as the JSON Lines
 * export of a per-call source (a LiteLLM spend log row, a Langfuse blob
 * export observation, a Helicone request row) or as the OpenTelemetry
 * Collector file exporter's OTLP JSON Lines (a request of 100 spans a line),
 * each beside our own CSV log of exactly the same calls. Generation stops at
 * the first call that takes the export to its target size.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rename, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type CallRecord, csvHeaderLine, formatCsvRecord } from '@finops/schema';
import { SIMULATED_COLUMNS, simulate } from '@finops/simulator';

/** The sources measured, by their `--from` name. */
export const IMPORT_BENCH_SOURCES = ['litellm', 'langfuse', 'helicone', 'otel'] as const;

/** One measured source. */
export type ImportBenchSource = (typeof IMPORT_BENCH_SOURCES)[number];

/** Spans per line of the OTLP JSON Lines file (the Collector writes one export request a line). */
export const SPANS_PER_OTLP_LINE = 100;

/** The paths of one source's export and of our log of the same calls. */
export function importBenchPaths(
  dataDir: string,
  source: ImportBenchSource,
  sizeMb: number,
): { exportPath: string; csvPath: string } {
  const stem = `${dataDir}/import-${source}-${sizeMb}mb`;
  return { exportPath: `${stem}.jsonl`, csvPath: `${stem}.csv` };
}

const LITELLM_PROVIDER: Readonly<Record<string, string>> = {
  'aws.bedrock': 'bedrock',
  'azure.ai.openai': 'azure',
  'gcp.vertex_ai': 'vertex_ai',
  'gcp.gemini': 'gemini',
  x_ai: 'xai',
  mistral_ai: 'mistral',
};

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** `YYYY-MM-DD HH:MM:SS.fff` (ClickHouse and PostgreSQL exports, UTC without an offset). */
function databaseTime(ms: number, microseconds = false): string {
  const text = iso(ms).replace('T', ' ').slice(0, 23);
  return microseconds ? `${text}000` : text;
}

function dollars(micros: number): number {
  return micros / 1_000_000;
}

function endMs(record: CallRecord): number {
  return record.timeMs + (record.latencyMs ?? 0);
}

/** A `LiteLLM_SpendLogs` row as `/spend/logs/v2` returns it. */
export function litellmLine(record: CallRecord): string {
  const cached = record.cachedInputTokens ?? 0;
  const reasoning = record.reasoningTokens ?? 0;
  return JSON.stringify({
    request_id: record.callId,
    call_type: 'acompletion',
    api_key: '3b9e0c6d5f1a4e2b8c7d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8fe41a',
    spend: dollars(record.costMicros),
    total_tokens: record.inputTokens + record.outputTokens,
    prompt_tokens: record.inputTokens,
    completion_tokens: record.outputTokens,
    startTime: iso(record.timeMs),
    endTime: iso(endMs(record)),
    request_duration_ms: record.latencyMs,
    model: record.model,
    model_group: record.model,
    custom_llm_provider: LITELLM_PROVIDER[record.provider] ?? record.provider,
    user: 'u_ops_17',
    end_user: record.customerId,
    team_id: 'team_support',
    organization_id: 'litellm_org_main',
    cache_hit: 'False',
    cache_key: 'Cache OFF',
    request_tags: [`feature:${record.featureId}`, `env:${record.environment}`],
    session_id: record.sessionId,
    status: record.status === 'error' ? 'failure' : 'success',
    metadata: {
      user_api_key_alias: 'support-bot',
      spend_logs_metadata: {
        tier: record.subscriptionTier,
        product: record.productId,
        task: record.taskType,
        organization_id: record.organizationId,
      },
      additional_usage_values: {
        cache_read_input_tokens: cached,
        cache_creation_input_tokens: 0,
        prompt_tokens_details: { cached_tokens: cached },
        completion_tokens_details: { reasoning_tokens: reasoning },
      },
    },
    messages: {},
    response: {},
    proxy_server_request: {},
  });
}

/** A Langfuse blob export observation (`observations_v2`, JSON Lines): usage decomposed, latency in seconds. */
export function langfuseLine(record: CallRecord): string {
  const cached = record.cachedInputTokens ?? 0;
  const reasoning = record.reasoningTokens ?? 0;
  const cost = dollars(record.costMicros);
  return JSON.stringify({
    id: record.callId,
    trace_id: record.traceId,
    type: 'GENERATION',
    start_time: databaseTime(record.timeMs, true),
    end_time: databaseTime(endMs(record), true),
    name: record.featureId,
    environment: record.environment,
    level: record.status === 'error' ? 'ERROR' : 'DEFAULT',
    provided_model_name: record.model,
    usage_details: {
      input: record.inputTokens - cached,
      input_cached_tokens: cached,
      output: record.outputTokens - reasoning,
      output_reasoning_tokens: reasoning,
      total: record.inputTokens + record.outputTokens,
    },
    cost_details: { total: cost },
    total_cost: cost,
    latency: (record.latencyMs ?? 0) / 1000,
    user_id: record.customerId,
    session_id: record.sessionId,
    metadata: {
      feature: record.featureId,
      tier: record.subscriptionTier,
      product: record.productId,
      task: record.taskType,
      ls_provider: record.provider,
    },
  });
}

/** A Helicone `request_response_rmt` row as JSON: uncached prompt tokens, cost in nano-dollars. */
export function heliconeLine(record: CallRecord): string {
  const cached = record.cachedInputTokens ?? 0;
  const provider = LITELLM_PROVIDER[record.provider] ?? record.provider;
  return JSON.stringify({
    request_id: record.callId,
    request_created_at: databaseTime(record.timeMs),
    response_id: null,
    latency: String(record.latencyMs ?? 0),
    status: record.status === 'error' ? '500' : '200',
    provider: provider.toUpperCase(),
    model: record.model,
    prompt_tokens: String(record.inputTokens - cached),
    prompt_cache_read_tokens: String(cached),
    prompt_cache_write_tokens: '0',
    completion_tokens: String(record.outputTokens),
    reasoning_tokens: String(record.reasoningTokens ?? 0),
    user_id: record.customerId,
    organization_id: '1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9',
    properties: {
      'Helicone-Session-Id': record.sessionId,
      feature: record.featureId,
      tier: record.subscriptionTier,
      environment: record.environment,
    },
    cost: String(record.costMicros * 1000),
    cache_enabled: false,
    country_code: 'DE',
    updated_at: databaseTime(record.timeMs),
  });
}

function stringAttribute(key: string, value: string): unknown {
  return { key, value: { stringValue: value } };
}

function intAttribute(key: string, value: number): unknown {
  return { key, value: { intValue: String(value) } };
}

function hexId(value: number, digits: number): string {
  return value.toString(16).padStart(digits, '0');
}

/** An OpenTelemetry GenAI inference span in OTLP/JSON (integers as strings, times in nanoseconds). */
export function otelSpan(record: CallRecord, index: number): unknown {
  const attributes = [
    stringAttribute('gen_ai.operation.name', 'chat'),
    stringAttribute('gen_ai.provider.name', record.provider),
    stringAttribute('gen_ai.request.model', record.model),
    stringAttribute('gen_ai.response.model', record.model),
    stringAttribute('gen_ai.response.id', record.requestId),
    intAttribute('gen_ai.usage.input_tokens', record.inputTokens),
    intAttribute('gen_ai.usage.output_tokens', record.outputTokens),
    stringAttribute('gen_ai.conversation.id', record.sessionId),
    stringAttribute('user.id', record.customerId),
    stringAttribute('app.feature', record.featureId),
  ];
  if (record.cachedInputTokens)
    attributes.push(intAttribute('gen_ai.usage.cache_read.input_tokens', record.cachedInputTokens));
  return {
    traceId: hexId(index, 32),
    spanId: hexId(index, 16),
    name: `chat ${record.model}`,
    kind: 3,
    startTimeUnixNano: `${record.timeMs}000000`,
    endTimeUnixNano: `${endMs(record)}000000`,
    attributes,
    status: { code: record.status === 'error' ? 2 : 1 },
  };
}

/** One Collector file exporter line: an `ExportTraceServiceRequest` holding `spans`. */
export function otlpLine(spans: readonly unknown[]): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: {
          attributes: [
            stringAttribute('service.name', 'support-api'),
            stringAttribute('deployment.environment.name', 'production'),
          ],
        },
        scopeSpans: [{ scope: { name: 'opentelemetry.instrumentation.genai', version: '0.3b0' }, spans }],
      },
    ],
  });
}

const PER_CALL_LINE: Readonly<Record<Exclude<ImportBenchSource, 'otel'>, (record: CallRecord) => string>> = {
  litellm: litellmLine,
  langfuse: langfuseLine,
  helicone: heliconeLine,
};

/** A file written through a temporary name, renamed when complete. */
class Output {
  private readonly stream;
  private failure: Error | undefined;
  bytes = 0;
  private chunk = '';

  constructor(readonly path: string) {
    this.stream = createWriteStream(`${path}.partial`);
    this.stream.on('error', (error) => (this.failure = error));
  }

  async write(text: string): Promise<void> {
    this.chunk += text;
    this.bytes += Buffer.byteLength(text);
    if (this.chunk.length >= 1 << 20) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    const text = this.chunk;
    this.chunk = '';
    if (!this.stream.write(text))
      await new Promise<void>((resolve) => this.stream.once('drain', () => resolve()));
  }

  async close(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) =>
      this.stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    await rename(`${this.path}.partial`, this.path);
  }
}

/** What {@link generateImportExport} wrote. */
export interface ImportExportSummary {
  calls: number;
  exportBytes: number;
  csvBytes: number;
}

/**
 * Writes `source`'s export of simulated calls (seeded, in time order) until
 * it reaches `bytes`, and our CSV log of the same calls beside it.
 */
export async function generateImportExport(
  exportPath: string,
  csvPath: string,
  source: ImportBenchSource,
  bytes: number,
  seed = 42,
): Promise<ImportExportSummary> {
  await mkdir(dirname(exportPath), { recursive: true });
  const exported = new Output(exportPath);
  const csv = new Output(csvPath);
  await csv.write(csvHeaderLine([], SIMULATED_COLUMNS));
  let calls = 0;
  let spans: unknown[] = [];
  // The simulation is sized on its own CSV; an export line is longer, so it reaches its size first.
  const simulation = simulate({ seed, start: '2025-01-06', sizeMb: Math.ceil(bytes / (1 << 20)) + 1 });
  outer: for await (const batch of simulation) {
    for (const record of batch) {
      if (source === 'otel') {
        spans.push(otelSpan(record, calls + 1));
        if (spans.length === SPANS_PER_OTLP_LINE) {
          await exported.write(`${otlpLine(spans)}\n`);
          spans = [];
        }
      } else {
        await exported.write(`${PER_CALL_LINE[source](record)}\n`);
      }
      await csv.write(formatCsvRecord(record, [], SIMULATED_COLUMNS));
      calls++;
      if (exported.bytes >= bytes && spans.length === 0) break outer;
    }
  }
  if (spans.length > 0) await exported.write(`${otlpLine(spans)}\n`);
  await exported.close();
  await csv.close();
  return { calls, exportBytes: exported.bytes, csvBytes: csv.bytes };
}

/** Generates the export and its CSV unless both are already there (the export at its size). */
export async function ensureImportExport(
  dataDir: string,
  source: ImportBenchSource,
  sizeMb: number,
): Promise<{ exportPath: string; csvPath: string }> {
  const paths = importBenchPaths(dataDir, source, sizeMb);
  const target = sizeMb * (1 << 20);
  const [exported, csv] = await Promise.all([
    stat(paths.exportPath).catch(() => undefined),
    stat(paths.csvPath).catch(() => undefined),
  ]);
  if (!exported || !csv || exported.size < target)
    await generateImportExport(paths.exportPath, paths.csvPath, source, target);
  return paths;
}
