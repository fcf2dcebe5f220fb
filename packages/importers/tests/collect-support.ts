/**
 * GenAI spans made with the OpenTelemetry JS SDK, as an instrumented
 * application makes them, for the collector's tests.
 */
import { type Attributes, context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/** One model call as an application records it. */
export interface GenAiCall {
  provider: string;
  requestModel: string;
  responseModel: string;
  inputTokens: number;
  outputTokens: number;
  cachedTokens?: number;
  userId?: string;
  /** Start, milliseconds since the epoch. */
  startMs: number;
  durationMs: number;
  failed?: boolean;
}

/** The calls of the tests: three providers, cached tokens, two customers, one failed call. */
export const CALLS: readonly GenAiCall[] = [
  {
    provider: 'openai',
    requestModel: 'gpt-4o',
    responseModel: 'gpt-4o-2024-05-13',
    inputTokens: 1436,
    outputTokens: 95,
    cachedTokens: 1024,
    userId: 'cust_8841',
    startMs: Date.UTC(2026, 4, 4, 9, 12, 3, 120),
    durationMs: 1490,
  },
  {
    provider: 'anthropic',
    requestModel: 'claude-sonnet-4-5',
    responseModel: 'claude-sonnet-4-5',
    inputTokens: 5120,
    outputTokens: 812,
    cachedTokens: 4096,
    userId: 'cust_0193',
    startMs: Date.UTC(2026, 4, 4, 9, 12, 9, 0),
    durationMs: 6230,
  },
  {
    provider: 'openai',
    requestModel: 'gpt-4o-mini',
    responseModel: 'gpt-4o-mini',
    inputTokens: 312,
    outputTokens: 48,
    userId: 'cust_8841',
    startMs: Date.UTC(2026, 4, 4, 9, 13, 0, 500),
    durationMs: 640,
  },
];

/** Span attributes of a call, in the GenAI semantic conventions. */
export function genAiAttributes(call: GenAiCall): Attributes {
  const attributes: Attributes = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': call.provider,
    'gen_ai.request.model': call.requestModel,
    'gen_ai.response.model': call.responseModel,
    'gen_ai.usage.input_tokens': call.inputTokens,
    'gen_ai.usage.output_tokens': call.outputTokens,
  };
  if (call.cachedTokens !== undefined) attributes['gen_ai.usage.cache_read.input_tokens'] = call.cachedTokens;
  if (call.userId !== undefined) attributes['user.id'] = call.userId;
  return attributes;
}

/**
 * Finished spans for `calls`, each inside an agent span that sums its
 * children's usage (which must not be counted again), plus an HTTP span that
 * is no GenAI span at all.
 */
export async function finishedSpans(calls: readonly GenAiCall[]): Promise<ReadableSpan[]> {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': 'support-api',
      'deployment.environment.name': 'prod',
    }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('genai-test-instrumentation', '1.0.0');
  for (const call of calls) {
    const agent = tracer.startSpan('invoke_agent support', {
      kind: SpanKind.INTERNAL,
      startTime: call.startMs,
      attributes: {
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.usage.input_tokens': call.inputTokens,
        'gen_ai.usage.output_tokens': call.outputTokens,
      },
    });
    const inAgent = trace.setSpan(context.active(), agent);
    const span = tracer.startSpan(
      `chat ${call.requestModel}`,
      { kind: SpanKind.CLIENT, startTime: call.startMs, attributes: genAiAttributes(call) },
      inAgent,
    );
    if (call.failed) {
      span.setAttribute('error.type', 'timeout');
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    span.end(call.startMs + call.durationMs);
    agent.end(call.startMs + call.durationMs + 5);
  }
  tracer
    .startSpan('GET /health', { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'GET' } })
    .end();
  await provider.forceFlush();
  const spans = memory.getFinishedSpans();
  await provider.shutdown();
  return spans;
}
