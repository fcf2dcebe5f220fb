import { readFileSync } from 'node:fs';
import { SNIFF_BYTES } from '../src';
import { anyValue, attributeMap } from '../src/sources/otel';
import { fixture, importAll, rowWithId, temporaryFile } from './helpers';

const request = fixture('otel', 'traces.json');
const collector = fixture('otel', 'collector-export.jsonl');

describe('otel', () => {
  it('recognises an OTLP/JSON request and the Collector file exporter’s JSON Lines', async () => {
    expect((await importAll(request)).detection).toMatchObject({ format: 'json', source: { name: 'otel' } });
    expect((await importAll(collector)).detection).toMatchObject({
      format: 'jsonl',
      source: { name: 'otel' },
    });
  });

  it('counts inference spans once: agents, tools, wrappers and other spans skipped and counted', async () => {
    const { tally } = await importAll(request);
    expect(tally).toMatchObject({
      recordsRead: 13,
      recordsKept: 8,
      recordsSkipped: 4,
      recordsRejected: 1,
      skippedByReason: { agent_or_tool_span: 2, not_a_genai_span: 1, wraps_inference_span: 1 },
      rejectedByReason: { invalid_number: 1 },
      calls: 8,
      inputTokens: 1436 + 2000 + 1100 + 42 + 0 + 500 + 6 + 200,
      outputTokens: 95 + 250 + 160 + 0 + 0 + 80 + 2055 + 50,
      withReportedCost: 1,
      reportedCostMicros: 1000,
    });
  });

  it('maps a chat span: nanosecond times, string integers, response model and id, user.id', async () => {
    const { rows } = await importAll(request);
    expect(rowWithId(rows, '00f067aa0ba902b7')).toEqual({
      call_id: '00f067aa0ba902b7',
      trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
      request_id: 'chatcmpl-A1b2C3',
      timestamp: '2026-05-04T09:12:03.12Z',
      latency_ms: 1490,
      model: 'gpt-4o-2024-08-06',
      provider: 'openai',
      input_tokens: 1436,
      output_tokens: 95,
      cached_input_tokens: 1024,
      time_to_first_token_ms: 420,
      status: 'success',
      service_tier: 'default',
      customer_id: 'cust_8841',
      session_id: 'conv_55c0',
      environment: 'production',
      region: 'eu-west-1',
    });
  });

  it('reads older attribute names, enduser.id, and cache counted outside input', async () => {
    const { rows } = await importAll(request);
    expect(rowWithId(rows, 'b2b2b2b2b2b2b2b2')).toMatchObject({
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      input_tokens: 2000,
      output_tokens: 250,
      customer_id: 'cust_0042',
      user_agent: 'support-web/4.2 anthropic-sdk-python/0.40',
    });
    expect(rowWithId(rows, 'd4d4d4d4d4d4d4d4')).toMatchObject({
      input_tokens: 1100,
      cached_input_tokens: 800,
    });
    expect(rowWithId(rows, '4d4d4d4d4d4d4d4d')).toMatchObject({
      provider: 'openai',
      input_tokens: 200,
      cost_usd: '0.001',
      environment: 'staging',
    });
  });

  it('keeps embeddings without output and failed calls without usage, as errors', async () => {
    const { rows } = await importAll(request);
    expect(rowWithId(rows, 'e5e5e5e5e5e5e5e5')).toMatchObject({ input_tokens: 42, output_tokens: 0 });
    expect(rowWithId(rows, '0707070707070707')).toMatchObject({
      input_tokens: 0,
      output_tokens: 0,
      status: 'error',
      error_type: '429',
    });
  });

  it('rejects a bad span with its place in the request', async () => {
    const { rejections } = await importAll(request);
    expect(rejections).toEqual([
      expect.objectContaining({
        record: 'resourceSpans[0].scopeSpans[0].spans[8]',
        field: 'gen_ai.usage.input_tokens',
        reason: 'invalid_number',
      }),
    ]);
    const lines = await importAll(collector);
    expect(lines.rejections[0]).toMatchObject({ line: 1, record: 'resourceSpans[0].scopeSpans[0].spans[8]' });
  });

  it('gives the same rows from one request file and the Collector’s JSON Lines', async () => {
    expect((await importAll(collector)).rows).toEqual((await importAll(request)).rows);
  });

  it('rejects a span without a start time, and a line that is not a request', async () => {
    const file = temporaryFile(
      'spans.jsonl',
      [
        JSON.stringify({
          resourceSpans: [
            {
              scopeSpans: [
                {
                  spans: [
                    {
                      spanId: '01',
                      attributes: [
                        { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
                        { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } },
                      ],
                    },
                  ],
                },
              ],
            },
          ],
        }),
        '{"resourceSpans": "oops"}',
        '{not json',
      ].join('\n'),
    );
    const { rejections } = await importAll(file, { from: 'otel' });
    expect(rejections.map(({ line, field, reason }) => ({ line, field, reason }))).toEqual([
      { line: 1, field: 'startTimeUnixNano', reason: 'missing_field' },
      { line: 2, field: '(record)', reason: 'malformed_record' },
      { line: 3, field: '(record)', reason: 'malformed_record' },
    ]);
  });

  it('reads Collector lines longer than the first bytes sniffed as JSON Lines, one long line as a document', async () => {
    const line = JSON.parse(readFileSync(collector, 'utf8').split('\n')[0] as string) as {
      resourceSpans: { scopeSpans: { spans: Record<string, unknown>[] }[] }[];
    };
    const scope = line.resourceSpans[0]?.scopeSpans[0] as { spans: Record<string, unknown>[] };
    const span = scope.spans[0] as Record<string, unknown>;
    scope.spans = Array.from({ length: 400 }, (_, index) => ({
      ...span,
      spanId: index.toString(16).padStart(16, '0'),
    }));
    const text = JSON.stringify(line);
    expect(text.length).toBeGreaterThan(SNIFF_BYTES);
    const lines = await importAll(
      temporaryFile('long.jsonl', `${text}\n${text.replace(/"spanId":"0/g, '"spanId":"1')}\n`),
    );
    expect(lines.detection.format).toBe('jsonl');
    expect(lines.tally.recordsKept).toBe(800);
    const document = await importAll(temporaryFile('one.json', `${text}\n`));
    expect(document.detection.format).toBe('json');
    expect(document.tally.recordsKept).toBe(400);
  });

  it('decodes OTLP any-values', () => {
    expect(anyValue({ arrayValue: { values: [{ stringValue: 'stop' }, { intValue: '3' }] } })).toEqual([
      'stop',
      '3',
    ]);
    expect(anyValue({ kvlistValue: { values: [{ key: 'a', value: { boolValue: true } }] } })).toEqual({
      a: true,
    });
    expect(attributeMap([{ key: 'x', value: { doubleValue: 0.5 } }, { nokey: 1 }])).toEqual({ x: 0.5 });
  });
});
