/**
 * OpenTelemetry GenAI spans: an OTLP/JSON `ExportTraceServiceRequest` file
 * (`{ "resourceSpans": [ … ] }`), or the Collector file exporter's JSON Lines
 * (one such request a line). A call is an inference span (operation `chat`,
 * `text_completion`, `generate_content`, `embeddings`, or an OpenInference
 * `LLM`/`EMBEDDING` span); agent, tool and workflow spans carry their
 * children's summed usage and are skipped, as is a span that only wraps
 * another inference span. Older attribute names (`gen_ai.system`,
 * `gen_ai.usage.prompt_tokens`, OpenInference `llm.*`) are read too. OTLP
 * writes 64-bit integers as strings and times in nanoseconds.
 */
import type { AttributionMap } from '../../attribution';
import { providerFromModel } from '../../providers';
import { CallBuilder, malformed, type SourceImporter, type SourceOutcome, skipped } from '../../source';
import {
  epochNanoTime,
  finiteNumber,
  firstOf,
  isObject,
  nanoTimeMs,
  textOf,
  timestampFromNanoTime,
} from '../../values';
import { inclusiveInput } from '../shared';

/** Operations whose spans are one call to a model. */
const INFERENCE_OPERATIONS = new Set([
  'chat',
  'text_completion',
  'generate_content',
  'embeddings',
  'completion',
]);
/** Operations whose spans sum their children (or are no model call at all). */
const AGGREGATE_OPERATIONS = new Set([
  'invoke_agent',
  'create_agent',
  'execute_tool',
  'invoke_workflow',
  'retrieval',
]);
const OPENINFERENCE_CALL_KINDS = new Set(['LLM', 'EMBEDDING']);

/** Where spans keep our business columns unless a map says otherwise. */
export const OTEL_ATTRIBUTION: AttributionMap = {
  customer_id: ['user.id', 'enduser.id', 'langfuse.user.id'],
  session_id: ['gen_ai.conversation.id', 'session.id', 'langfuse.session.id'],
  environment: [
    'deployment.environment.name',
    'deployment.environment',
    'resource.deployment.environment.name',
    'resource.deployment.environment',
  ],
  user_agent: ['user_agent.original'],
  region: ['cloud.region', 'resource.cloud.region'],
};

/** An OTLP `AnyValue` as a plain value (integers that OTLP writes as strings stay strings). */
export function anyValue(value: unknown): unknown {
  if (!isObject(value)) return undefined;
  if ('stringValue' in value) return value['stringValue'];
  if ('intValue' in value) return value['intValue'];
  if ('doubleValue' in value) return value['doubleValue'];
  if ('boolValue' in value) return value['boolValue'];
  if (isObject(value['arrayValue'])) {
    const values = value['arrayValue']['values'];
    return Array.isArray(values) ? values.map(anyValue) : [];
  }
  if (isObject(value['kvlistValue'])) return attributeMap(value['kvlistValue']['values']);
  return undefined;
}

/** OTLP `KeyValue[]` as an object keyed by attribute name. */
export function attributeMap(list: unknown): Record<string, unknown> {
  const map: Record<string, unknown> = {};
  if (!Array.isArray(list)) return map;
  for (const entry of list) {
    if (isObject(entry) && typeof entry['key'] === 'string') map[entry['key']] = anyValue(entry['value']);
  }
  return map;
}

type SpanKindOfCall = 'call' | 'agent_or_tool_span' | 'not_inference_span' | 'not_a_genai_span';

function classify(attributes: Readonly<Record<string, unknown>>): SpanKindOfCall {
  const operation = textOf(attributes['gen_ai.operation.name']);
  if (operation !== undefined) {
    if (INFERENCE_OPERATIONS.has(operation)) return 'call';
    return AGGREGATE_OPERATIONS.has(operation) ? 'agent_or_tool_span' : 'not_inference_span';
  }
  const openInference = textOf(attributes['openinference.span.kind'])?.toUpperCase();
  if (openInference !== undefined)
    return OPENINFERENCE_CALL_KINDS.has(openInference) ? 'call' : 'agent_or_tool_span';
  const requestType = textOf(attributes['llm.request.type']);
  if (requestType !== undefined && ['chat', 'completion', 'embedding'].includes(requestType)) return 'call';
  return Object.keys(attributes).some((key) => key.startsWith('gen_ai.') || key.startsWith('llm.'))
    ? 'not_inference_span'
    : 'not_a_genai_span';
}

/** A span with its resource attributes and place in the request. */
interface LocatedSpan {
  span: Record<string, unknown>;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
  at: string;
}

function* spansOf(
  request: Record<string, unknown>,
): Generator<LocatedSpan | { malformed: string; at: string }> {
  const resourceSpans = request['resourceSpans'];
  if (!Array.isArray(resourceSpans)) return;
  for (let r = 0; r < resourceSpans.length; r++) {
    const group: unknown = resourceSpans[r];
    if (!isObject(group)) {
      yield { malformed: 'a resourceSpans entry must be a JSON object', at: `resourceSpans[${r}]` };
      continue;
    }
    const resource = attributeMap(isObject(group['resource']) ? group['resource']['attributes'] : undefined);
    const scopeKey = Array.isArray(group['scopeSpans']) ? 'scopeSpans' : 'instrumentationLibrarySpans';
    const scopes = group[scopeKey];
    if (!Array.isArray(scopes)) continue;
    for (let s = 0; s < scopes.length; s++) {
      const scope: unknown = scopes[s];
      const spans = isObject(scope) ? scope['spans'] : undefined;
      if (!Array.isArray(spans)) continue;
      for (let index = 0; index < spans.length; index++) {
        const span: unknown = spans[index];
        const at = `resourceSpans[${r}].${scopeKey}[${s}].spans[${index}]`;
        if (!isObject(span)) yield { malformed: 'a span must be a JSON object', at };
        else yield { span, attributes: attributeMap(span['attributes']), resource, at };
      }
    }
  }
}

function count(
  call: CallBuilder,
  attributes: Readonly<Record<string, unknown>>,
  ...keys: string[]
): number | undefined {
  for (const key of keys) {
    if (attributes[key] !== undefined && attributes[key] !== null) return call.count(attributes[key], key);
  }
  return undefined;
}

/** One inference span as our row. */
export function readInferenceSpan(located: LocatedSpan): SourceOutcome {
  const { span, attributes, resource, at } = located;
  const call = new CallBuilder();
  call.text('call_id', span['spanId'], 'spanId', true);
  call.text('trace_id', span['traceId'], 'traceId');
  call.text('request_id', attributes['gen_ai.response.id'], 'gen_ai.response.id');
  const start = epochNanoTime(span['startTimeUnixNano']);
  const end = epochNanoTime(span['endTimeUnixNano']);
  if (start === undefined) {
    const present = span['startTimeUnixNano'] !== undefined;
    call.reject(
      'startTimeUnixNano',
      present ? 'invalid_timestamp' : 'missing_field',
      present
        ? `"startTimeUnixNano" is not nanoseconds since the epoch: ${JSON.stringify(span['startTimeUnixNano'])}`
        : '"startTimeUnixNano" is missing (needed for timestamp)',
    );
  } else {
    call.row.timestamp = timestampFromNanoTime(start);
    const latency = end === undefined ? undefined : nanoTimeMs(start, end);
    if (latency !== undefined) call.row.latency_ms = latency;
  }
  const model = call.text(
    'model',
    firstOf(
      attributes,
      'gen_ai.response.model',
      'gen_ai.request.model',
      'llm.model_name',
      'llm.response.model',
      'llm.request.model',
    ),
    'gen_ai.response.model',
    true,
  );
  const provider = textOf(
    firstOf(attributes, 'gen_ai.provider.name', 'gen_ai.system', 'llm.provider', 'llm.system'),
  );
  call.text('provider', provider ?? (model && providerFromModel(model)), 'gen_ai.provider.name', true);

  const operation = textOf(attributes['gen_ai.operation.name']);
  const failed = isObject(span['status']) && Number(span['status']['code']) === 2;
  const errorType = textOf(attributes['error.type']);
  let input = count(
    call,
    attributes,
    'gen_ai.usage.input_tokens',
    'gen_ai.usage.prompt_tokens',
    'llm.token_count.prompt',
    'llm.usage.prompt_tokens',
  );
  let output = count(
    call,
    attributes,
    'gen_ai.usage.output_tokens',
    'gen_ai.usage.completion_tokens',
    'llm.token_count.completion',
    'llm.usage.completion_tokens',
  );
  const cacheRead = count(
    call,
    attributes,
    'gen_ai.usage.cache_read.input_tokens',
    'llm.token_count.prompt_details.cache_read',
    'gen_ai.usage.cache_read_input_tokens',
  );
  const cacheWrite = count(
    call,
    attributes,
    'gen_ai.usage.cache_creation.input_tokens',
    'llm.token_count.prompt_details.cache_write',
    'gen_ai.usage.cache_creation_input_tokens',
  );
  const reasoning = count(
    call,
    attributes,
    'gen_ai.usage.reasoning.output_tokens',
    'llm.token_count.completion_details.reasoning',
  );
  // An embedding has no output; a failed call that reports no usage used none.
  if (output === undefined && (operation === 'embeddings' || failed || errorType !== undefined)) output = 0;
  if (input === undefined && (failed || errorType !== undefined)) input = 0;
  if (input === undefined)
    call.reject(
      'gen_ai.usage.input_tokens',
      'missing_field',
      '"gen_ai.usage.input_tokens" is missing (needed for input_tokens)',
    );
  if (output === undefined)
    call.reject(
      'gen_ai.usage.output_tokens',
      'missing_field',
      '"gen_ai.usage.output_tokens" is missing (needed for output_tokens)',
    );
  call.setCount(
    'input_tokens',
    input === undefined ? undefined : inclusiveInput(input, cacheRead ?? 0, cacheWrite ?? 0),
  );
  call.setCount('output_tokens', output);
  call.setCount('cached_input_tokens', cacheRead);
  call.setCount('cache_write_input_tokens', cacheWrite);
  call.setCount('reasoning_tokens', reasoning);
  call.cost(attributes['llm.cost.total'], 'llm.cost.total');

  const firstChunk = finiteNumber(
    firstOf(attributes, 'gen_ai.response.time_to_first_chunk', 'gen_ai.server.time_to_first_token'),
  );
  if (firstChunk !== undefined && !Number.isNaN(firstChunk) && firstChunk >= 0)
    call.row.time_to_first_token_ms = Math.round(firstChunk * 1000);
  call.row.status = failed || errorType !== undefined ? 'error' : 'success';
  call.text('error_type', errorType, 'error.type');
  call.text(
    'service_tier',
    firstOf(
      attributes,
      'openai.response.service_tier',
      'gen_ai.openai.response.service_tier',
      'openai.request.service_tier',
    ),
    'openai.response.service_tier',
  );
  const record: Record<string, unknown> = {
    ...attributes,
    name: span['name'],
    spanId: span['spanId'],
    traceId: span['traceId'],
  };
  for (const [key, value] of Object.entries(resource)) record[`resource.${key}`] = value;
  return call.outcome({ record }, at);
}

/**
 * What is remembered of earlier requests of a stream of them: the spans that
 * are parents of inference spans already read. An exporter sends a span when
 * it ends, so the child call usually arrives in an earlier request than the
 * framework span wrapping it.
 */
export interface TraceRequestMemory {
  /** Span ids (as written in OTLP/JSON) that are parents of an inference span. */
  parentsOfCalls: { has(spanId: string): boolean; add(spanId: string): unknown };
}

/**
 * The calls (and skips) of one `ExportTraceServiceRequest` in its OTLP/JSON
 * shape. With `memory`, parents of inference spans met in earlier requests
 * are skipped as wrappers too, and this request's are remembered.
 */
export function* readTraceRequest(
  request: Record<string, unknown>,
  memory?: TraceRequestMemory,
): Generator<SourceOutcome> {
  const located: (LocatedSpan & { kind: SpanKindOfCall })[] = [];
  for (const item of spansOf(request)) {
    if ('malformed' in item) yield malformed(item.malformed, item.at);
    else located.push({ ...item, kind: classify(item.attributes) });
  }
  // An inference span whose child is an inference span too (a framework around the client library) is one call, counted once.
  const parentsOfCalls = memory?.parentsOfCalls ?? new Set<string>();
  for (const item of located) {
    const parent = textOf(item.span['parentSpanId']);
    if (item.kind === 'call' && parent !== undefined) parentsOfCalls.add(parent);
  }
  for (const item of located) {
    if (item.kind !== 'call') yield skipped(item.kind, item.at);
    else if (parentsOfCalls.has(textOf(item.span['spanId']) ?? ''))
      yield skipped('wraps_inference_span', item.at);
    else yield readInferenceSpan(item);
  }
}

function isTraceRequest(value: unknown): value is Record<string, unknown> {
  return isObject(value) && Array.isArray(value['resourceSpans']);
}

/** The OpenTelemetry importer. */
export const otel: SourceImporter = {
  name: 'otel',
  title:
    'OpenTelemetry GenAI spans (OTLP/JSON ExportTraceServiceRequest, Collector file exporter JSON Lines)',
  formats: ['json', 'jsonl'],
  defaultAttribution: OTEL_ATTRIBUTION,
  recognizeJson(value) {
    return isTraceRequest(value) || (Array.isArray(value) && isTraceRequest(value[0]));
  },
  *readJson(value) {
    const requests = Array.isArray(value) ? value : [value];
    for (let index = 0; index < requests.length; index++) {
      const request: unknown = requests[index];
      if (isTraceRequest(request)) yield* readTraceRequest(request);
      else
        yield malformed(
          'not an OTLP ExportTraceServiceRequest (no resourceSpans)',
          Array.isArray(value) ? `[${index}]` : undefined,
        );
    }
  },
};
