/**
 * The OTLP/HTTP wire formats of the trace signal. A request body — binary
 * protobuf or OTLP/JSON — becomes an `ExportTraceServiceRequest` in its
 * OTLP/JSON shape (hex ids, 64-bit integers as decimal strings), which is
 * what the `otel` source reads, so a span gives the same record from a file
 * and from the wire. Answers (`ExportTraceServiceResponse`, and the
 * `google.rpc.Status` of a failure) are written in the request's encoding.
 *
 * Protobuf is decoded by the protobufjs code that the OpenTelemetry JS
 * project generated from the official `opentelemetry-proto` definitions and
 * ships in `@opentelemetry/otlp-transformer`.
 */
import otlpRoot from '@opentelemetry/otlp-transformer/build/src/generated/root.js';
import protobuf from 'protobufjs';
import { FinopsError } from '@finops/schema';
import { isObject } from '../values';

/** How a body is encoded: OTLP/JSON or binary protobuf. */
export type OtlpEncoding = 'json' | 'protobuf';

/** A request body that is not an `ExportTraceServiceRequest`; answered with 400 and this message. */
export class OtlpPayloadError extends FinopsError {
  constructor(message: string) {
    super('bad_otlp_payload', message);
    this.name = 'OtlpPayloadError';
  }
}

/** The part of a protobufjs message type that is used here. */
interface MessageType {
  decode(reader: Uint8Array): unknown;
  encode(message: unknown): { finish(): Uint8Array };
  fromObject(object: Record<string, unknown>): unknown;
  toObject(message: unknown, options: Record<string, unknown>): Record<string, unknown>;
}

function traceServiceTypes(): { request: MessageType; response: MessageType } {
  const root = otlpRoot as unknown as {
    opentelemetry?: { proto?: { collector?: { trace?: { v1?: Record<string, MessageType> } } } };
  };
  const service = root.opentelemetry?.proto?.collector?.trace?.v1;
  const request = service?.['ExportTraceServiceRequest'];
  const response = service?.['ExportTraceServiceResponse'];
  if (!request || !response)
    throw new Error('the OTLP trace service messages are missing from otlp-transformer');
  return { request, response };
}

const TRACE_SERVICE = traceServiceTypes();

/** `google.rpc.Status` without its `details` (which this server never fills). */
const STATUS = protobuf.Type.fromJSON('Status', {
  fields: { code: { type: 'int32', id: 1 }, message: { type: 'string', id: 2 } },
});

/** The gRPC code of a `Status` for an HTTP status (as `google.rpc.Code` pairs them). */
const RPC_CODES: Record<number, number> = {
  400: 3, // INVALID_ARGUMENT
  404: 5, // NOT_FOUND
  405: 12, // UNIMPLEMENTED
  408: 4, // DEADLINE_EXCEEDED
  413: 8, // RESOURCE_EXHAUSTED
  415: 3, // INVALID_ARGUMENT
  503: 14, // UNAVAILABLE
};

const TO_OBJECT_OPTIONS = { longs: String, enums: Number, bytes: String, defaults: false, arrays: false };

/** A base64 id (protobufjs's text for `bytes`) as the lower-case hex OTLP/JSON writes. */
function hexId(value: unknown): unknown {
  return typeof value === 'string' ? Buffer.from(value, 'base64').toString('hex') : value;
}

function withHexIds(item: unknown): void {
  if (!isObject(item)) return;
  for (const key of ['traceId', 'spanId', 'parentSpanId']) {
    if (key in item) item[key] = hexId(item[key]);
  }
}

/** A decoded protobuf request in the OTLP/JSON shape: ids from bytes to hex (spans and their links). */
function otlpJsonShape(request: Record<string, unknown>): Record<string, unknown> {
  const groups = Array.isArray(request['resourceSpans']) ? request['resourceSpans'] : [];
  for (const group of groups) {
    const scopes = isObject(group) && Array.isArray(group['scopeSpans']) ? group['scopeSpans'] : [];
    for (const scope of scopes) {
      const spans = isObject(scope) && Array.isArray(scope['spans']) ? scope['spans'] : [];
      for (const span of spans) {
        withHexIds(span);
        if (isObject(span) && Array.isArray(span['links'])) span['links'].forEach(withHexIds);
      }
    }
  }
  return request;
}

function decodeProtobuf(body: Uint8Array): Record<string, unknown> {
  let message: unknown;
  try {
    message = TRACE_SERVICE.request.decode(body);
  } catch (error) {
    throw new OtlpPayloadError(`not a protobuf ExportTraceServiceRequest: ${(error as Error).message}`);
  }
  return otlpJsonShape(TRACE_SERVICE.request.toObject(message, TO_OBJECT_OPTIONS));
}

function decodeJson(body: Uint8Array): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
  } catch (error) {
    throw new OtlpPayloadError(`not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(value)) throw new OtlpPayloadError('an OTLP/JSON ExportTraceServiceRequest is a JSON object');
  const groups = value['resourceSpans'];
  if (groups !== undefined && groups !== null && !Array.isArray(groups))
    throw new OtlpPayloadError('"resourceSpans" must be an array');
  return value;
}

/**
 * An `ExportTraceServiceRequest` body in its OTLP/JSON shape. A body that
 * cannot be decoded is an {@link OtlpPayloadError}; a request with no spans
 * is valid (and empty).
 */
export function decodeTraceRequest(body: Uint8Array, encoding: OtlpEncoding): Record<string, unknown> {
  return encoding === 'json' ? decodeJson(body) : decodeProtobuf(body);
}

/** The spans a request holds, counted from its OTLP/JSON shape. */
export function spanCount(request: Record<string, unknown>): number {
  let count = 0;
  const groups = Array.isArray(request['resourceSpans']) ? request['resourceSpans'] : [];
  for (const group of groups) {
    if (!isObject(group)) continue;
    const scopes = group['scopeSpans'] ?? group['instrumentationLibrarySpans'];
    if (!Array.isArray(scopes)) continue;
    for (const scope of scopes) {
      if (isObject(scope) && Array.isArray(scope['spans'])) count += scope['spans'].length;
    }
  }
  return count;
}

/** What part of a request was refused, for `partialSuccess`. */
export interface PartialSuccess {
  rejectedSpans: number;
  errorMessage: string;
}

/**
 * An `ExportTraceServiceResponse`: `partialSuccess` is set only when spans
 * were rejected (the specification asks a full success to leave it unset).
 */
export function encodeTraceResponse(partial: PartialSuccess | undefined, encoding: OtlpEncoding): Buffer {
  const response: Record<string, unknown> =
    partial && partial.rejectedSpans > 0 ? { partialSuccess: { ...partial } } : {};
  if (encoding === 'json') {
    if (isObject(response['partialSuccess']))
      response['partialSuccess']['rejectedSpans'] = String(partial?.rejectedSpans);
    return Buffer.from(JSON.stringify(response));
  }
  const message = TRACE_SERVICE.response.fromObject(response);
  return Buffer.from(TRACE_SERVICE.response.encode(message).finish());
}

/** A `google.rpc.Status` for a failure answered with `httpStatus`. */
export function encodeStatus(httpStatus: number, message: string, encoding: OtlpEncoding): Buffer {
  const code = RPC_CODES[httpStatus] ?? 2; // UNKNOWN
  if (encoding === 'json') return Buffer.from(JSON.stringify({ code, message }));
  return Buffer.from(STATUS.encode(STATUS.create({ code, message })).finish());
}

/** The `Content-Type` of an encoding. */
export function contentTypeOf(encoding: OtlpEncoding): string {
  return encoding === 'json' ? 'application/json' : 'application/x-protobuf';
}

/** The encoding a `Content-Type` header names, or `undefined` for any other type. */
export function encodingOf(contentType: string | undefined): OtlpEncoding | undefined {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/json') return 'json';
  if (type === 'application/x-protobuf') return 'protobuf';
  return undefined;
}
