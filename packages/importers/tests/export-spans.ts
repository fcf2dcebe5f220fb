/**
 * Exports GenAI spans to a collector with the OpenTelemetry JS SDK's OTLP/HTTP
 * exporters, in a process of its own as an instrumented application would
 * (the exporters load Node's `http` with a dynamic import, which a test
 * sandbox does not run). Prints the export results as JSON.
 *
 * Run as `node -r esbuild-register -e 'require("./export-spans.ts")'` with
 * `EXPORT_SPANS={"url", "protocol": "json" | "protobuf" | "protobuf-gzip", "first", "count", "times"}`.
 */
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { ExportResult } from '@opentelemetry/core';
import { CALLS, finishedSpans } from './collect-support';

async function main(): Promise<void> {
  const { url, protocol, first, count, times } = JSON.parse(process.env['EXPORT_SPANS'] ?? '{}') as {
    url: string;
    protocol: 'json' | 'protobuf' | 'protobuf-gzip';
    first: number;
    count: number;
    times: number;
  };
  const exporter =
    protocol === 'json'
      ? new JsonTraceExporter({ url })
      : new ProtobufTraceExporter({
          url,
          ...(protocol === 'protobuf-gzip' ? { compression: 'gzip' as never } : {}),
        });
  const spans = await finishedSpans(CALLS.slice(first, first + count));
  const results: { code: number; error?: string }[] = [];
  for (let index = 0; index < times; index++) {
    const result = await new Promise<ExportResult>((resolve) => exporter.export(spans, resolve));
    results.push({ code: result.code, ...(result.error ? { error: result.error.message } : {}) });
  }
  await exporter.shutdown();
  process.stdout.write(`${JSON.stringify(results)}\n`);
}

void main();
