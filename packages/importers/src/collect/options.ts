/** The options of a collector, their defaults, and their checks (the command line reuses them). */
import { FinopsError } from '@finops/schema';
import type { AttributionMap } from '../attribution';

/** A collector option that cannot be used, with the option at fault. */
export class CollectOptionError extends FinopsError {
  constructor(
    readonly option: string,
    message: string,
  ) {
    super('invalid_collect_option', `${option}: ${message}`);
    this.name = 'CollectOptionError';
  }
}

/** How much a collector says: every batch (`info`), problems only (`warn`), or failures only (`error`). */
export type CollectLogLevel = 'info' | 'warn' | 'error';

/** The levels, least severe first. */
export const COLLECT_LOG_LEVELS: readonly CollectLogLevel[] = ['info', 'warn', 'error'];

/** Options of {@link startCollector}. */
export interface CollectOptions {
  /** The call log to append to (created with its header when missing). */
  out: string;
  /** Interface to listen on; loopback by default. */
  host?: string;
  /** Port; 4318 (OTLP/HTTP's) by default, 0 for any free port. */
  port?: number;
  /** Largest request body, after decompression; 20 MiB by default (the OTLP specification's advice). */
  maxBodyBytes?: number;
  /** Time a request has to arrive whole (headers and body), in milliseconds; 30 s by default. */
  requestTimeoutMs?: number;
  /**
   * Requests read and decoded at once, at most (8 by default); more are answered 429 with
   * `Retry-After`, so memory stays within about this many times `maxBodyBytes`.
   */
  maxConcurrentRequests?: number;
  /** Time for requests under way to finish when stopping, in milliseconds; 3 s by default. */
  shutdownGraceMs?: number;
  /** Attribution overriding the `otel` source's defaults. */
  attribution?: AttributionMap;
  /** Where the collector's lines go (one a batch at `info`); nowhere by default. */
  log?: (level: CollectLogLevel, message: string) => void;
}

/** The defaults of {@link CollectOptions}. */
export const COLLECT_DEFAULTS = {
  host: '127.0.0.1',
  port: 4318,
  maxBodyBytes: 20 * 1024 * 1024,
  requestTimeoutMs: 30_000,
  maxConcurrentRequests: 8,
  shutdownGraceMs: 3_000,
} as const;

/** Options with every default filled in. */
export type ResolvedCollectOptions = Required<Omit<CollectOptions, 'attribution' | 'log'>> &
  Pick<CollectOptions, 'attribution' | 'log'>;

function wholeNumberIn(option: string, value: number, min: number, max: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < min || value > max)
    throw new CollectOptionError(option, `${what} from ${min} to ${max}, got ${String(value)}`);
  return value;
}

/** Checks collector options and fills in the defaults; a bad option is a {@link CollectOptionError}. */
export function resolveCollectOptions(options: CollectOptions): ResolvedCollectOptions {
  if (typeof options.out !== 'string' || options.out.trim() === '')
    throw new CollectOptionError('out', 'say which call log to append to');
  const host = options.host ?? COLLECT_DEFAULTS.host;
  if (host.trim() === '') throw new CollectOptionError('host', 'give an interface address such as 127.0.0.1');
  return {
    ...options,
    host,
    port: wholeNumberIn('port', options.port ?? COLLECT_DEFAULTS.port, 0, 65_535, 'a port'),
    maxBodyBytes: wholeNumberIn(
      'max-body-bytes',
      options.maxBodyBytes ?? COLLECT_DEFAULTS.maxBodyBytes,
      1024,
      1024 * 1024 * 1024,
      'bytes',
    ),
    requestTimeoutMs: wholeNumberIn(
      'request-timeout',
      options.requestTimeoutMs ?? COLLECT_DEFAULTS.requestTimeoutMs,
      100,
      3_600_000,
      'milliseconds',
    ),
    maxConcurrentRequests: wholeNumberIn(
      'max-concurrent-requests',
      options.maxConcurrentRequests ?? COLLECT_DEFAULTS.maxConcurrentRequests,
      1,
      1024,
      'requests',
    ),
    shutdownGraceMs: wholeNumberIn(
      'shutdown-grace',
      options.shutdownGraceMs ?? COLLECT_DEFAULTS.shutdownGraceMs,
      0,
      600_000,
      'milliseconds',
    ),
  };
}

/** Whether an address is a loopback one (the collector warns when it listens on another). */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
