/**
 * A live OTLP/HTTP trace receiver that keeps the GenAI inference spans as
 * calls in a CSV call log. It answers as the OTLP specification says: 200
 * with an `ExportTraceServiceResponse` (with `partialSuccess` when spans were
 * rejected), 400 with a `google.rpc.Status` for a payload that cannot be
 * decoded, 413 past the size limit (checked as the body arrives and again
 * after decompression), 415 for another content type, 404 and 405 elsewhere,
 * 408 for a request that does not arrive in time, and 503 when the log cannot
 * be written (the client retries). A 200 is sent only once the batch is on
 * the disk.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { FinopsError } from '@finops/schema';
import { mergeAttribution } from '../attribution';
import { type Detection, type ImportBatch, importOutcomes, type LocatedOutcome } from '../import';
import type { ImportRow } from '../columns';
import type { SourceOutcome } from '../source';
import { otel, readTraceRequest, type TraceRequestMemory } from '../sources/otel';
import { CollectedLog } from './call-log';
import {
  type CollectOptions,
  isLoopbackHost,
  resolveCollectOptions,
  type ResolvedCollectOptions,
} from './options';
import {
  contentTypeOf,
  decodeTraceRequest,
  encodeStatus,
  encodeTraceResponse,
  encodingOf,
  type OtlpEncoding,
  OtlpPayloadError,
  type PartialSuccess,
  spanCount,
} from './wire';

const gunzipAsync = promisify(gunzip);

/** The path OTLP/HTTP trace exporters post to. */
export const TRACES_PATH = '/v1/traces';

/** Rejections quoted in a partial success's message, at most. */
const QUOTED_REJECTIONS = 3;
/** Parents of inference spans remembered across requests (to skip wrappers sent later), at most. */
const REMEMBERED_PARENTS = 100_000;

/** Running counts of a collector. */
export interface CollectCounters {
  /** HTTP requests received. */
  requests: number;
  /** Requests answered 200 (their calls are on the disk). */
  batchesAccepted: number;
  /** Requests refused, by HTTP status. */
  refusedByStatus: Record<string, number>;
  /** Spans in the accepted batches. */
  spansReceived: number;
  /** Spans kept as calls and written to the log. */
  spansAccepted: number;
  /** Spans that are calls but could not be read (reported back in `partialSuccess`). */
  spansRejected: number;
  /** Spans that are no calls (agent, tool and other spans), or calls already in the log. */
  spansSkipped: number;
  /** Skipped spans by reason (`not_a_genai_span`, `agent_or_tool_span`, `duplicate_call_id`, …). */
  skippedByReason: Record<string, number>;
  /** Bytes appended to the log. */
  bytesWritten: number;
}

/** What one accepted batch did. */
export interface CollectedBatch {
  /** The batch's number, from 1. */
  number: number;
  encoding: OtlpEncoding;
  /** Body bytes as received (before decompression). */
  bodyBytes: number;
  spans: number;
  written: ImportRow[];
  rejected: number;
  skipped: number;
  skippedByReason: Record<string, number>;
  partialSuccess?: PartialSuccess;
}

/** A running collector. */
export interface RunningCollector {
  /** Where it listens, e.g. `http://127.0.0.1:4318`. */
  origin: string;
  address: AddressInfo;
  counters: CollectCounters;
  /** The log appended to. */
  log: CollectedLog;
  /**
   * Stops: no new connections, requests under way finished (cut after the
   * grace time), appends under way completed, the log closed.
   */
  stop(): Promise<void>;
}

/** A failure answered with an HTTP status and a `Status` message. */
class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Parents of calls, remembered across requests; the oldest are forgotten first. */
class RecentSpanIds {
  private readonly ids = new Set<string>();
  constructor(private readonly limit: number) {}
  has(id: string): boolean {
    return this.ids.has(id);
  }
  add(id: string): void {
    if (this.ids.has(id)) return;
    this.ids.add(id);
    if (this.ids.size > this.limit) {
      const oldest = this.ids.values().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
  }
}

function emptyCounters(): CollectCounters {
  return {
    requests: 0,
    batchesAccepted: 0,
    refusedByStatus: {},
    spansReceived: 0,
    spansAccepted: 0,
    spansRejected: 0,
    spansSkipped: 0,
    skippedByReason: {},
    bytesWritten: 0,
  };
}

/**
 * Reads a request body, refusing it (413) as soon as it passes `limit`
 * bytes, before it is all buffered.
 */
async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit, `declares ${declared} bytes`);
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > limit) throw tooLarge(limit, 'is longer');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, length);
}

function tooLarge(limit: number, what: string): Refusal {
  return new Refusal(413, `the request body ${what} than the limit of ${limit} bytes; send smaller batches`);
}

async function decompress(body: Buffer, contentEncoding: string, limit: number): Promise<Buffer> {
  if (contentEncoding === 'identity') return body;
  try {
    return await gunzipAsync(body, { maxOutputLength: limit });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
      throw tooLarge(limit, 'decompresses to more');
    throw new Refusal(400, `the body is not valid gzip: ${(error as Error).message}`);
  }
}

function contentEncodingOf(request: IncomingMessage): string {
  const header = request.headers['content-encoding'];
  const value = (Array.isArray(header) ? header.join(',') : (header ?? '')).trim().toLowerCase();
  return value === '' ? 'identity' : value;
}

function describeSkips(skippedByReason: Record<string, number>): string {
  const parts = Object.entries(skippedByReason).map(([reason, count]) => `${reason} ${count}`);
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

async function* located(outcomes: Iterable<SourceOutcome>): AsyncGenerator<LocatedOutcome> {
  for (const outcome of outcomes) yield { outcome };
}

/** The collector's state and request handling. */
class Collector {
  readonly counters = emptyCounters();
  private batches = 0;
  private readonly memory: TraceRequestMemory = { parentsOfCalls: new RecentSpanIds(REMEMBERED_PARENTS) };
  private readonly detection: Detection = { source: otel, format: 'json', forced: true };
  private readonly inFlight = new Set<Promise<void>>();
  /** Requests whose body is being read, decoded or written. */
  private busy = 0;
  stopping = false;

  constructor(
    private readonly options: ResolvedCollectOptions,
    readonly log: CollectedLog,
  ) {}

  say(level: 'info' | 'warn' | 'error', message: string): void {
    this.options.log?.(level, message);
  }

  handle(request: IncomingMessage, response: ServerResponse): void {
    const work = this.answer(request, response).catch((error: unknown) => {
      this.say('error', `unexpected failure: ${(error as Error).message}`);
      if (!response.headersSent)
        this.refuse(request, response, 'protobuf', new Refusal(500, 'internal error'));
      else response.destroy();
    });
    // A request counts as under way until its answer is out (or its connection gone), not while a refused body drains.
    const answered = Promise.race([work, once(response, 'close').then(() => undefined)]);
    this.inFlight.add(answered);
    void answered.finally(() => this.inFlight.delete(answered));
  }

  /** Waits (at most `ms`) for the requests under way. */
  async settle(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.inFlight]),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))),
    ]);
    clearTimeout(timer);
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    this.counters.requests++;
    const encoding = encodingOf(request.headers['content-type']);
    const answerIn = encoding ?? 'protobuf';
    const deadline = setTimeout(() => {
      this.refuse(
        request,
        response,
        answerIn,
        new Refusal(408, `the request did not arrive within ${this.options.requestTimeoutMs} ms`),
      );
    }, this.options.requestTimeoutMs);
    try {
      const path = (request.url ?? '/').split('?')[0];
      if (path !== TRACES_PATH)
        throw new Refusal(404, `nothing at ${path}: OTLP/HTTP traces go to POST ${TRACES_PATH}`);
      if (request.method !== 'POST')
        throw new Refusal(405, `${TRACES_PATH} takes POST, not ${request.method}`, { Allow: 'POST' });
      if (encoding === undefined) {
        throw new Refusal(
          415,
          `Content-Type ${request.headers['content-type'] ?? '(none)'} is not application/x-protobuf or application/json`,
        );
      }
      const contentEncoding = contentEncodingOf(request);
      if (contentEncoding !== 'identity' && contentEncoding !== 'gzip')
        throw new Refusal(
          415,
          `Content-Encoding ${contentEncoding} is not supported: send gzip or no encoding`,
        );
      if (this.busy >= this.options.maxConcurrentRequests) {
        throw new Refusal(429, `${this.busy} requests are under way already; retry shortly`, {
          'Retry-After': '1',
        });
      }
      this.busy++;
      try {
        await this.receive(request, response, encoding, contentEncoding, deadline);
      } finally {
        this.busy--;
      }
    } catch (error) {
      if (error instanceof Refusal) this.refuse(request, response, answerIn, error);
      else if (error instanceof FinopsError && error.code === 'log_unwritable') {
        this.say('error', error.message);
        this.refuse(
          request,
          response,
          answerIn,
          new Refusal(503, `the call log cannot be written: ${error.message}`, { 'Retry-After': '5' }),
        );
      } else if ((error as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE' || request.destroyed) {
        // The client went away before its body arrived: nothing to answer.
      } else throw error;
    } finally {
      clearTimeout(deadline);
    }
  }

  /** Reads, decodes and keeps one request's batch, and answers 200. */
  private async receive(
    request: IncomingMessage,
    response: ServerResponse,
    encoding: OtlpEncoding,
    contentEncoding: string,
    deadline: NodeJS.Timeout,
  ): Promise<void> {
    const raw = await readBody(request, this.options.maxBodyBytes);
    const body = await decompress(raw, contentEncoding, this.options.maxBodyBytes);
    const decoded = this.decode(body, encoding);
    if (response.headersSent || response.destroyed) return;
    // The request has arrived: from here its batch is written and answered, however long the disk takes.
    clearTimeout(deadline);
    const batch = await this.accept(decoded, encoding, raw.length);
    this.reply(response, 200, encoding, encodeTraceResponse(batch.partialSuccess, encoding));
  }

  private decode(body: Buffer, encoding: OtlpEncoding): Record<string, unknown> {
    try {
      return decodeTraceRequest(body, encoding);
    } catch (error) {
      if (error instanceof OtlpPayloadError) throw new Refusal(400, error.message);
      throw error;
    }
  }

  /** Reads a decoded request's calls, appends the new ones durably, and counts. */
  private async accept(
    request: Record<string, unknown>,
    encoding: OtlpEncoding,
    bodyBytes: number,
  ): Promise<CollectedBatch> {
    const number = ++this.batches;
    const name = `batch ${number}`;
    let imported: ImportBatch | undefined;
    for await (const batch of importOutcomes(
      name,
      this.detection,
      located(readTraceRequest(request, this.memory)),
      {
        attribution: mergeAttribution(otel.defaultAttribution, this.options.attribution),
        batchSize: Number.MAX_SAFE_INTEGER,
      },
    )) {
      imported = batch;
    }
    const tally = imported?.tally;
    const appended = await this.log.append(imported?.rows ?? []);
    const skippedByReason = { ...tally?.skippedByReason };
    if (appended.duplicates > 0)
      skippedByReason['duplicate_call_id'] =
        (skippedByReason['duplicate_call_id'] ?? 0) + appended.duplicates;
    const rejections = imported?.rejections ?? [];
    const batch: CollectedBatch = {
      number,
      encoding,
      bodyBytes,
      spans: spanCount(request),
      written: appended.written,
      rejected: rejections.length,
      skipped: (tally?.recordsSkipped ?? 0) + appended.duplicates,
      skippedByReason,
    };
    if (rejections.length > 0) {
      const quoted = rejections.slice(0, QUOTED_REJECTIONS).map((rejection) => rejection.message);
      const more = rejections.length - quoted.length;
      batch.partialSuccess = {
        rejectedSpans: rejections.length,
        errorMessage:
          `${rejections.length} span(s) are GenAI calls that could not be read: ${quoted.join('; ')}` +
          (more > 0 ? `; and ${more} more` : ''),
      };
    }
    this.count(batch, appended.bytes);
    return batch;
  }

  private count(batch: CollectedBatch, bytes: number): void {
    const counters = this.counters;
    counters.batchesAccepted++;
    counters.spansReceived += batch.spans;
    counters.spansAccepted += batch.written.length;
    counters.spansRejected += batch.rejected;
    counters.spansSkipped += batch.skipped;
    counters.bytesWritten += bytes;
    for (const [reason, count] of Object.entries(batch.skippedByReason))
      counters.skippedByReason[reason] = (counters.skippedByReason[reason] ?? 0) + count;
    this.say(
      'info',
      `${`batch ${batch.number}`}: ${batch.spans} span(s), ${batch.encoding}, ${batch.bodyBytes} bytes: ` +
        `${batch.written.length} call(s) written, ${batch.rejected} rejected, ${batch.skipped} skipped` +
        `${describeSkips(batch.skippedByReason)}; totals ${counters.spansAccepted} written, ` +
        `${counters.spansRejected} rejected, ${counters.spansSkipped} skipped`,
    );
    if (batch.partialSuccess) this.say('warn', `batch ${batch.number}: ${batch.partialSuccess.errorMessage}`);
  }

  private reply(
    response: ServerResponse,
    status: number,
    encoding: OtlpEncoding,
    body: Buffer,
    headers: Record<string, string> = {},
  ): void {
    if (response.headersSent || response.destroyed) return;
    response.writeHead(status, {
      'Content-Type': contentTypeOf(encoding),
      'Content-Length': String(body.length),
      ...(this.stopping ? { Connection: 'close' } : {}),
      ...headers,
    });
    response.end(body);
  }

  /**
   * Answers a failure with its `Status`. A body not read to its end is not
   * waited for: the connection closes once the answer is out.
   */
  private refuse(
    request: IncomingMessage,
    response: ServerResponse,
    encoding: OtlpEncoding,
    refusal: Refusal,
  ): void {
    if (response.headersSent || response.destroyed) return;
    const key = String(refusal.status);
    this.counters.refusedByStatus[key] = (this.counters.refusedByStatus[key] ?? 0) + 1;
    this.say(refusal.status >= 500 ? 'error' : 'warn', `refused (${refusal.status}): ${refusal.message}`);
    const unread = !request.complete;
    this.reply(response, refusal.status, encoding, encodeStatus(refusal.status, refusal.message, encoding), {
      ...refusal.headers,
      ...(unread ? { Connection: 'close' } : {}),
    });
    if (unread) {
      // Read and drop what is still coming for a moment, so that the client sees the answer rather than a reset.
      request.resume();
      const socket = request.socket;
      response.once('finish', () => setTimeout(() => socket?.destroy(), 1000).unref());
    }
  }
}

async function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  server.listen(port, host);
  try {
    await once(server, 'listening');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new FinopsError(
      'listen_failed',
      code === 'EADDRINUSE'
        ? `${host}:${port} is already in use (another collector?): give another --port`
        : `cannot listen on ${host}:${port} (${(error as Error).message})`,
      { cause: error },
    );
  }
  return server.address() as AddressInfo;
}

/**
 * Starts a collector: opens (or creates) the call log, then listens for
 * OTLP/HTTP trace exports. Options are checked first
 * ({@link resolveCollectOptions}).
 */
export async function startCollector(options: CollectOptions): Promise<RunningCollector> {
  const resolved = resolveCollectOptions(options);
  const log = await CollectedLog.open(resolved.out);
  const collector = new Collector(resolved, log);
  const server = createServer(
    {
      requestTimeout: resolved.requestTimeoutMs + 1000,
      headersTimeout: Math.min(resolved.requestTimeoutMs, 10_000),
      connectionsCheckingInterval: Math.min(1000, resolved.requestTimeoutMs),
      keepAliveTimeout: 5000,
    },
    (request, response) => collector.handle(request, response),
  );
  server.maxConnections = 256;
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  let address: AddressInfo;
  try {
    address = await listen(server, resolved.port, resolved.host);
  } catch (error) {
    await log.close();
    throw error;
  }
  if (!isLoopbackHost(resolved.host))
    collector.say('warn', `${resolved.host} is not a loopback address: other machines can send spans to it`);
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let stopped: Promise<void> | undefined;
  return {
    origin: `http://${host}:${address.port}`,
    address,
    counters: collector.counters,
    log,
    stop() {
      stopped ??= (async () => {
        collector.stopping = true;
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await collector.settle(resolved.shutdownGraceMs);
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
        await closed;
        await log.close();
      })();
      return stopped;
    },
  };
}
