import { readFileSync, writeFileSync } from 'node:fs';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { ExportResultCode } from '@opentelemetry/core';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import otlpRoot from '@opentelemetry/otlp-transformer/build/src/generated/root.js';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { type CallRecord, defaultCatalog, readCallLog } from '@finops/schema';
import protobuf from 'protobufjs';
import {
  CollectLogError,
  CollectOptionError,
  IMPORT_COLUMNS,
  resolveCollectOptions,
  type RunningCollector,
  startCollector,
} from '../src';
import { CALLS, finishedSpans, type GenAiCall } from './collect-support';
import { temporaryFolder } from './helpers';

const STATUS = protobuf.Type.fromJSON('Status', {
  fields: { code: { type: 'int32', id: 1 }, message: { type: 'string', id: 2 } },
});
const RESPONSE = (
  otlpRoot as unknown as {
    opentelemetry: {
      proto: { collector: { trace: { v1: { ExportTraceServiceResponse: protobuf.Type } } } };
    };
  }
).opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;

let folder: string;
let out: string;
const running: RunningCollector[] = [];
const lines: string[] = [];

beforeEach(() => {
  folder = temporaryFolder();
  out = join(folder, 'calls.csv');
  lines.length = 0;
});
afterEach(async () => {
  for (const collector of running.splice(0)) await collector.stop();
});

async function collector(
  options: Parameters<typeof startCollector>[0] | object = {},
): Promise<RunningCollector> {
  const started = await startCollector({
    out,
    port: 0,
    log: (level, message) => lines.push(`${level}: ${message}`),
    ...options,
  });
  running.push(started);
  return started;
}

/** Exports calls `first` to `first + count` with the SDK's exporter in a process of its own; its results. */
async function exportSpans(
  origin: string,
  protocol: 'json' | 'protobuf' | 'protobuf-gzip',
  first = 0,
  count = CALLS.length,
  times = 1,
): Promise<{ code: number; error?: string }[]> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['-r', 'esbuild-register', '-e', 'require("./export-spans.ts")'],
    {
      cwd: __dirname,
      env: {
        ...process.env,
        EXPORT_SPANS: JSON.stringify({ url: `${origin}/v1/traces`, protocol, first, count, times }),
      },
    },
  );
  return JSON.parse(stdout) as { code: number; error?: string }[];
}

/** The call log read back by the schema's reader: its records, priced from the catalog where needed. */
async function readBack(): Promise<CallRecord[]> {
  const records: CallRecord[] = [];
  for await (const batch of readCallLog(out)) records.push(...batch.records);
  return records;
}

function expectCall(record: CallRecord | undefined, call: GenAiCall): void {
  expect(record).toBeDefined();
  if (!record) return;
  expect(record).toMatchObject({
    provider: call.provider,
    model: call.responseModel,
    inputTokens: call.inputTokens,
    outputTokens: call.outputTokens,
    customerId: call.userId,
    latencyMs: call.durationMs,
    timeMs: call.startMs,
    environment: 'prod',
  });
  expect(record.cachedInputTokens ?? 0).toBe(call.cachedTokens ?? 0);
  const catalogCost = defaultCatalog().costOfCall(call.provider, call.responseModel, call.startMs, {
    inputTokens: call.inputTokens,
    outputTokens: call.outputTokens,
    cachedInputTokens: call.cachedTokens ?? 0,
  });
  expect(catalogCost).toBeGreaterThan(0);
  expect(record.costMicros).toBe(catalogCost);
}

/** A raw HTTP request, for what the exporters never send. */
function send(
  origin: string,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: Buffer | string },
): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      `${origin}${options.path ?? '/v1/traces'}`,
      { method: options.method ?? 'POST', headers: options.headers ?? {} },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

function jsonBody(spans: ReadableSpan[]): Buffer {
  return Buffer.from(JsonTraceSerializer.serializeRequest(spans) as Uint8Array);
}

function protobufBody(spans: ReadableSpan[]): Buffer {
  return Buffer.from(ProtobufTraceSerializer.serializeRequest(spans) as Uint8Array);
}

describe('finops collect: spans from the OpenTelemetry JS SDK exporters', () => {
  it.each(['json', 'protobuf', 'protobuf-gzip'] as const)(
    'OTLP/HTTP %s: keeps the inference spans as calls, exact tokens, priced from the catalog',
    async (protocol) => {
      const started = await collector();
      expect(await exportSpans(started.origin, protocol)).toEqual([{ code: ExportResultCode.SUCCESS }]);

      const records = await readBack();
      expect(records).toHaveLength(CALLS.length);
      for (const call of CALLS)
        expectCall(
          records.find((record) => record.model === call.responseModel),
          call,
        );
      expect(records.every((record) => record.costSource !== 'reported')).toBe(true);
      expect(started.counters).toMatchObject({
        batchesAccepted: 1,
        spansReceived: CALLS.length * 2 + 1,
        spansAccepted: CALLS.length,
        spansRejected: 0,
        spansSkipped: CALLS.length + 1,
        skippedByReason: { agent_or_tool_span: CALLS.length, not_a_genai_span: 1 },
      });
      expect(
        lines.some((line) =>
          /^info: batch 1: 7 span\(s\), (json|protobuf), \d+ bytes: 3 call\(s\) written/.test(line),
        ),
      ).toBe(true);
    },
  );

  it('a batch sent again (a retry after a lost answer) adds nothing, even after a restart', async () => {
    let started = await collector();
    expect(await exportSpans(started.origin, 'protobuf', 0, CALLS.length, 2)).toEqual([
      { code: ExportResultCode.SUCCESS },
      { code: ExportResultCode.SUCCESS },
    ]);
    expect(await readBack()).toHaveLength(CALLS.length);
    expect(started.counters.skippedByReason['duplicate_call_id']).toBe(CALLS.length);
    const spans = await finishedSpans(CALLS);
    const first = await send(started.origin, {
      headers: { 'Content-Type': 'application/x-protobuf' },
      body: protobufBody(spans),
    });
    expect(first.status).toBe(200);
    const once = await readFile(out, 'utf8');
    await started.stop();

    started = await collector();
    expect(started.log.opened).toEqual({ rows: CALLS.length * 2, tornBytesRemoved: 0, created: false });
    const again = await send(started.origin, {
      headers: { 'Content-Type': 'application/json' },
      body: jsonBody(spans),
    });
    expect(again.status).toBe(200);
    expect(await readFile(out, 'utf8')).toBe(once);
    expect(await readBack()).toHaveLength(CALLS.length * 2);
  });

  it('an acknowledged batch is on the disk when the answer arrives', async () => {
    const started = await collector();
    const spans = await finishedSpans(CALLS.slice(0, 1));
    const answer = await send(started.origin, {
      headers: { 'Content-Type': 'application/x-protobuf' },
      body: protobufBody(spans),
    });
    const text = readFileSync(out, 'utf8');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/x-protobuf');
    // A full success leaves partialSuccess unset.
    expect(RESPONSE.toObject(RESPONSE.decode(answer.body))).toEqual({});
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe(IMPORT_COLUMNS.join(','));
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('cust_8841');
  });
});

describe('finops collect: partial success', () => {
  const goodSpan = {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId: '00f067aa0ba902b7',
    name: 'chat gpt-4o',
    kind: 3,
    startTimeUnixNano: '1777885923120000000',
    endTimeUnixNano: '1777885924610000000',
    attributes: [
      { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
      { key: 'gen_ai.provider.name', value: { stringValue: 'openai' } },
      { key: 'gen_ai.response.model', value: { stringValue: 'gpt-4o' } },
      { key: 'gen_ai.usage.input_tokens', value: { intValue: '1436' } },
      { key: 'gen_ai.usage.output_tokens', value: { intValue: '95' } },
      { key: 'user.id', value: { stringValue: 'cust_8841' } },
    ],
  };
  const badSpan = {
    ...goodSpan,
    spanId: '00f067aa0ba902b8',
    attributes: goodSpan.attributes.filter((attribute) => attribute.key !== 'gen_ai.usage.input_tokens'),
  };
  const request = { resourceSpans: [{ resource: {}, scopeSpans: [{ spans: [goodSpan, badSpan] }] }] };

  it('JSON: 200 with partialSuccess naming the rejected span; the good one is kept', async () => {
    const started = await collector();
    const answer = await send(started.origin, {
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: JSON.stringify(request),
    });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json');
    const body = JSON.parse(answer.body.toString()) as {
      partialSuccess: { rejectedSpans: string; errorMessage: string };
    };
    expect(body.partialSuccess.rejectedSpans).toBe('1');
    expect(body.partialSuccess.errorMessage).toContain(
      'batch 1 resourceSpans[0].scopeSpans[0].spans[1]: "gen_ai.usage.input_tokens" is missing',
    );
    const records = await readBack();
    expect(records.map((record) => [record.callId, record.inputTokens, record.customerId])).toEqual([
      ['00f067aa0ba902b7', 1436, 'cust_8841'],
    ]);
    expect(started.counters).toMatchObject({ spansAccepted: 1, spansRejected: 1 });
    expect(lines.some((line) => line.startsWith('warn: batch 1: 1 span(s) are GenAI calls'))).toBe(true);
  });

  it('protobuf: the same, as an ExportTraceServiceResponse', async () => {
    const started = await collector();
    const spans = await finishedSpans([{ ...CALLS[0], inputTokens: -5 } as GenAiCall]);
    const answer = await send(started.origin, {
      headers: { 'Content-Type': 'application/x-protobuf' },
      body: protobufBody(spans),
    });
    expect(answer.status).toBe(200);
    const decoded = RESPONSE.toObject(RESPONSE.decode(answer.body), { longs: Number }) as {
      partialSuccess?: { rejectedSpans: number; errorMessage: string };
    };
    expect(decoded.partialSuccess?.rejectedSpans).toBe(0 + 1);
    expect(decoded.partialSuccess?.errorMessage).toContain(
      '"gen_ai.usage.input_tokens" is not a whole number',
    );
  });

  it('an empty request is a success', async () => {
    const started = await collector();
    for (const [type, body] of [
      ['application/json', '{}'],
      ['application/x-protobuf', ''],
    ] as const) {
      const answer = await send(started.origin, { headers: { 'Content-Type': type }, body });
      expect(answer.status).toBe(200);
    }
    expect(await readBack()).toEqual([]);
  });
});

describe('finops collect: refusals leave the log and the server as they were', () => {
  let started: RunningCollector;
  let before: string;

  beforeEach(async () => {
    started = await collector({ maxBodyBytes: 64 * 1024, requestTimeoutMs: 600 });
    before = await readFile(out, 'utf8');
  });

  async function stillServing(): Promise<void> {
    const spans = await finishedSpans(CALLS.slice(2));
    const answer = await send(started.origin, {
      headers: { 'Content-Type': 'application/x-protobuf' },
      body: protobufBody(spans),
    });
    expect(answer.status).toBe(200);
    const records = await readBack();
    expect(records).toHaveLength(1);
  }

  function statusOf(answer: { headers: Record<string, unknown>; body: Buffer }): {
    code: number;
    message: string;
  } {
    return answer.headers['content-type'] === 'application/json'
      ? (JSON.parse(answer.body.toString()) as { code: number; message: string })
      : (STATUS.toObject(STATUS.decode(answer.body)) as { code: number; message: string });
  }

  it('malformed JSON: 400 with the reason as a JSON Status', async () => {
    const answer = await send(started.origin, {
      headers: { 'Content-Type': 'application/json' },
      body: '{"resourceSpans": [',
    });
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(statusOf(answer)).toMatchObject({ code: 3, message: expect.stringContaining('not valid JSON') });
    for (const body of ['[1, 2]', '{"resourceSpans": 5}']) {
      expect(
        (await send(started.origin, { headers: { 'Content-Type': 'application/json' }, body })).status,
      ).toBe(400);
    }
    expect(await readFile(out, 'utf8')).toBe(before);
    await stillServing();
  });

  it('malformed protobuf: 400 with the reason as a protobuf Status', async () => {
    const answer = await send(started.origin, {
      headers: { 'Content-Type': 'application/x-protobuf' },
      // Field 1 (resourceSpans), length-delimited, claiming far more bytes than follow.
      body: Buffer.from([0x0a, 0xff, 0xff, 0x03, 0x01, 0x02]),
    });
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toBe('application/x-protobuf');
    expect(statusOf(answer).message).toMatch(/^not a protobuf ExportTraceServiceRequest/);
    const gzipJunk = await send(started.origin, {
      headers: { 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'gzip' },
      body: Buffer.from('not gzip at all'),
    });
    expect(gzipJunk.status).toBe(400);
    expect(statusOf(gzipJunk).message).toMatch(/not valid gzip/);
    expect(await readFile(out, 'utf8')).toBe(before);
    await stillServing();
  });

  it('a body over the limit: 413, declared, streamed or decompressed', async () => {
    const big = Buffer.alloc(200 * 1024, 0x20);
    const declared = await send(started.origin, {
      headers: { 'Content-Type': 'application/json' },
      body: big,
    });
    expect(declared.status).toBe(413);
    expect(statusOf(declared).message).toContain('limit of 65536 bytes');
    const streamed = await send(started.origin, {
      headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
      body: big,
    });
    expect(streamed.status).toBe(413);
    const bomb = gzipSync(Buffer.alloc(10 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const inflated = await send(started.origin, {
      headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
      body: bomb,
    });
    expect(inflated.status).toBe(413);
    expect(statusOf(inflated).message).toContain('decompresses to more');
    expect(started.counters.refusedByStatus['413']).toBe(3);
    expect(await readFile(out, 'utf8')).toBe(before);
    await stillServing();
  });

  it('another content type: 415; another method: 405; another path: 404', async () => {
    const text = await send(started.origin, { headers: { 'Content-Type': 'text/plain' }, body: 'hello' });
    expect(text.status).toBe(415);
    expect(statusOf(text).message).toContain('text/plain');
    const deflate = await send(started.origin, {
      headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'br' },
      body: '{}',
    });
    expect(deflate.status).toBe(415);
    const get = await send(started.origin, { method: 'GET' });
    expect(get.status).toBe(405);
    expect(get.headers['allow']).toBe('POST');
    const metrics = await send(started.origin, {
      path: '/v1/metrics',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(metrics.status).toBe(404);
    expect(statusOf(metrics).message).toContain('POST /v1/traces');
    expect(await readFile(out, 'utf8')).toBe(before);
    await stillServing();
  });

  it('a request whose body never finishes: 408 after the time limit', async () => {
    const answer = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(
        `${started.origin}/v1/traces`,
        { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': '5000' } },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on('error', reject);
      request.write('{"resourceSpans": [');
    });
    expect(answer).toBe(408);
    expect(await readFile(out, 'utf8')).toBe(before);
    await stillServing();
  });

  it('a request whose headers never finish: answered 408 and closed', async () => {
    const socket = connect(started.address.port, '127.0.0.1');
    socket.write('POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n');
    let received = '';
    socket.on('data', (data: Buffer) => (received += data.toString()));
    await once(socket, 'close');
    expect(received).toMatch(/^HTTP\/1\.1 408/);
    await stillServing();
  });
});

describe('finops collect: throttling', () => {
  it('answers 429 with Retry-After past the requests it reads at once', async () => {
    const started = await collector({ maxConcurrentRequests: 1, requestTimeoutMs: 1000 });
    const slow = httpRequest(`${started.origin}/v1/traces`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Length': '100' },
    });
    slow.on('error', () => undefined);
    slow.write('{"resourceSpans": [');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const answer = await send(started.origin, {
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(answer.status).toBe(429);
    expect(answer.headers['retry-after']).toBe('1');
    expect((JSON.parse(answer.body.toString()) as { message: string }).message).toContain('retry shortly');
    slow.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(
      (await send(started.origin, { headers: { 'Content-Type': 'application/json' }, body: '{}' })).status,
    ).toBe(200);
  });
});

describe('finops collect: the log', () => {
  it('cuts off a torn last line (a write never acknowledged) and keeps appending', async () => {
    let started = await collector();
    const spans = await finishedSpans(CALLS.slice(0, 1));
    await send(started.origin, {
      headers: { 'Content-Type': 'application/x-protobuf' },
      body: protobufBody(spans),
    });
    await started.stop();
    const whole = await readFile(out, 'utf8');
    await appendFile(out, '2026-05-04T09:12:03.12Z,openai,gpt-4o,14');
    started = await collector();
    expect(started.log.opened.tornBytesRemoved).toBe(
      Buffer.byteLength('2026-05-04T09:12:03.12Z,openai,gpt-4o,14'),
    );
    expect(await readFile(out, 'utf8')).toBe(whole);
    const more = await finishedSpans(CALLS.slice(1));
    await send(started.origin, { headers: { 'Content-Type': 'application/json' }, body: jsonBody(more) });
    expect(await readBack()).toHaveLength(CALLS.length);
  });

  it('refuses a log with other columns', async () => {
    await writeFile(out, 'timestamp,provider,model\n2026-05-04T09:12:03Z,openai,gpt-4o\n');
    await expect(startCollector({ out, port: 0 })).rejects.toThrow(CollectLogError);
    await expect(startCollector({ out, port: 0 })).rejects.toMatchObject({ code: 'log_layout' });
  });

  it('says when the port is taken', async () => {
    const first = await collector();
    writeFileSync(join(folder, 'other.csv'), '');
    await expect(
      startCollector({ out: join(folder, 'other.csv'), port: first.address.port }),
    ).rejects.toMatchObject({ code: 'listen_failed' });
  });

  it('stops gracefully: a request under way is answered, then the port closes', async () => {
    const started = await collector();
    const spans = await finishedSpans(CALLS);
    const body = protobufBody(spans);
    const answer = new Promise<number>((resolve, reject) => {
      const request = httpRequest(
        `${started.origin}/v1/traces`,
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-protobuf', 'Content-Length': String(body.length) },
        },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on('error', reject);
      request.write(body.subarray(0, 10));
      setTimeout(() => request.end(body.subarray(10)), 200);
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const stopping = started.stop();
    expect(await answer).toBe(200);
    await stopping;
    expect(await readBack()).toHaveLength(CALLS.length);
    await expect(send(started.origin, { body: '' })).rejects.toThrow();
  });
});

/** Whether util-linux's prlimit is here (it is on Debian). */
function hasPrlimit(): boolean {
  try {
    execFileSync('prlimit', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('finops collect: a log that cannot grow', () => {
  const maybe = hasPrlimit() ? it : it.skip;
  if (!hasPrlimit()) console.warn('skipping the full-disk test: prlimit (util-linux) is not installed');

  // A file size limit on the collector's process stands for a full disk: the write fails part way.
  maybe(
    'answers 503 with Retry-After, acknowledges nothing more, and cuts the failed append off',
    async () => {
      const child = spawn(
        'prlimit',
        ['--fsize=3000', process.execPath, '-r', 'esbuild-register', '-e', 'require("./collect-child.ts")'],
        {
          cwd: __dirname,
          env: { ...process.env, COLLECT_OPTIONS: JSON.stringify({ out, port: 0 }) },
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      try {
        const origin = await new Promise<string>((resolve, reject) => {
          let text = '';
          child.stdout.on('data', (data: Buffer) => {
            text += data.toString();
            if (text.includes('\n')) resolve(text.trim());
          });
          child.on('error', reject);
        });
        let acknowledged = await readFile(out, 'utf8');
        let answer: Awaited<ReturnType<typeof send>> | undefined;
        for (let index = 0; index < 100; index++) {
          const spans = await finishedSpans(CALLS.slice(0, 1));
          answer = await send(origin, {
            headers: { 'Content-Type': 'application/json' },
            body: jsonBody(spans),
          });
          if (answer.status !== 200) break;
          acknowledged = await readFile(out, 'utf8');
        }
        expect(answer?.status).toBe(503);
        expect(answer?.headers['retry-after']).toBe('5');
        expect((JSON.parse(String(answer?.body)) as { message: string }).message).toContain('cannot append');
        expect(await readFile(out, 'utf8')).toBe(acknowledged);
        expect(acknowledged.split('\n').length).toBeGreaterThan(3);
      } finally {
        child.kill('SIGTERM');
        await once(child, 'close');
      }
    },
  );
});

describe('collector options', () => {
  it('are checked, with the option named', () => {
    expect(() => resolveCollectOptions({ out: '' })).toThrow(CollectOptionError);
    expect(() => resolveCollectOptions({ out: 'x.csv', port: 70_000 })).toThrow(
      /port: a port from 0 to 65535/,
    );
    expect(() => resolveCollectOptions({ out: 'x.csv', maxBodyBytes: 10 })).toThrow(/max-body-bytes/);
    expect(() => resolveCollectOptions({ out: 'x.csv', requestTimeoutMs: 1.5 })).toThrow(/request-timeout/);
    expect(resolveCollectOptions({ out: 'x.csv' })).toMatchObject({
      host: '127.0.0.1',
      port: 4318,
      maxBodyBytes: 20 * 1024 * 1024,
      requestTimeoutMs: 30_000,
    });
  });
});
