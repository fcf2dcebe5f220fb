/**
 * GET requests to a usage API with retries: a 429 or a 5xx, a timeout or a
 * dropped connection is tried again after an exponential backoff with full
 * jitter, capped, and never sooner than the server's `Retry-After`; any other
 * answer that is not a 2xx is final. Secrets (keys) never reach a message.
 */
import { FinopsError } from '@finops/schema';

/** How failed requests are tried again. */
export interface RetryPolicy {
  /** Tries in all, the first included; 5 by default. */
  attempts: number;
  /** The backoff before the second try, doubled for each try after; 500 ms by default. */
  baseDelayMs: number;
  /** The longest backoff computed (before jitter); 30 s by default. */
  maxDelayMs: number;
  /** The longest `Retry-After` honoured; a server asking for more fails the pull; 300 s by default. */
  maxRetryAfterMs: number;
}

/** The retry policy used unless one is given. */
export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 300_000,
};

/** The time a request may take, headers and body, before it is abandoned and tried again: 60 s. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

/** Stable codes of {@link PullError}. */
export type PullErrorCode =
  | 'unauthorized'
  | 'rejected'
  | 'unavailable'
  | 'invalid_response'
  | 'invalid_options'
  | 'state_mismatch'
  | 'interrupted';

/** A pull that could not go on: the API refused it, stayed unavailable, or answered something unreadable. */
export class PullError extends FinopsError {
  constructor(
    code: PullErrorCode,
    message: string,
    /** The HTTP status of the last answer, when there was one. */
    readonly status?: number,
  ) {
    super(code, message);
    this.name = 'PullError';
  }
}

/** A retry about to happen, for progress messages and tests. */
export interface RetryNotice {
  /** The try that failed (1 for the first). */
  attempt: number;
  /** Why: `HTTP 429`, `HTTP 503`, `timeout after 60000 ms`, or the network error. */
  reason: string;
  /** The wait before the next try, in milliseconds. */
  delayMs: number;
  /** Whether the wait came from the server's `Retry-After`. */
  retryAfter: boolean;
}

/** One request's settings. */
export interface RequestSettings {
  headers: Readonly<Record<string, string>>;
  timeoutMs: number;
  retry: RetryPolicy;
  /** Values (keys) to blank out of every message. */
  secrets: readonly string[];
  /** Stops the request and any wait between tries. */
  signal?: AbortSignal;
  onRetry?: (notice: RetryNotice) => void;
  /** Random numbers in [0, 1) for the jitter; `Math.random` by default. */
  random?: () => number;
}

/** A message with every secret replaced by `***`. */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) if (secret.length > 0) result = result.split(secret).join('***');
  return result;
}

/** A URL fit for messages: no password, no query values that look like credentials. */
export function displayApiUrl(url: URL): string {
  const shown = new URL(url.toString());
  if (shown.password) shown.password = '***';
  if (shown.username) shown.username = '***';
  return `${shown.origin}${shown.pathname}`;
}

/**
 * The wait a `Retry-After` header asks for, in milliseconds: whole seconds,
 * or an HTTP date. `undefined` when absent or unreadable.
 */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The backoff before try `attempt + 1`: full jitter over min(cap, base × 2^(attempt − 1)). */
export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(interrupted());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(interrupted());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function interrupted(): PullError {
  return new PullError('interrupted', 'the pull was stopped');
}

/** The start of an error body, for messages (APIs explain refusals there). */
async function bodyExcerpt(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
}

type Attempt =
  | { kind: 'done'; value: unknown }
  | { kind: 'retry'; reason: string; waitMs?: number; status?: number }
  | { kind: 'fail'; error: PullError };

async function attemptOnce(url: URL, settings: RequestSettings): Promise<Attempt> {
  const timeout = AbortSignal.timeout(settings.timeoutMs);
  const signal = settings.signal ? AbortSignal.any([settings.signal, timeout]) : timeout;
  const shown = displayApiUrl(url);
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, { headers: { accept: 'application/json', ...settings.headers }, signal });
    if (response.ok) text = await response.text();
    else text = '';
  } catch (error) {
    if (settings.signal?.aborted) return { kind: 'fail', error: interrupted() };
    if (timeout.aborted) return { kind: 'retry', reason: `no answer within ${settings.timeoutMs} ms` };
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { kind: 'retry', reason: cause?.code ?? cause?.message ?? (error as Error).message };
  }
  if (response.ok) {
    try {
      return { kind: 'done', value: JSON.parse(text) as unknown };
    } catch {
      return {
        kind: 'fail',
        error: new PullError(
          'invalid_response',
          `${shown} answered ${response.status} with a body that is not JSON`,
        ),
      };
    }
  }
  const excerpt = await bodyExcerpt(response);
  if (isRetryableStatus(response.status)) {
    const wait = retryAfterMs(response.headers.get('retry-after'));
    return {
      kind: 'retry',
      reason: `HTTP ${response.status}${excerpt ? ` (${excerpt})` : ''}`,
      status: response.status,
      ...(wait === undefined ? {} : { waitMs: wait }),
    };
  }
  const advice =
    response.status === 401 || response.status === 403
      ? 'check the key (an admin key for the organization reports) and its permissions'
      : 'check the options (time range, bucket width, grouping)';
  return {
    kind: 'fail',
    error: new PullError(
      response.status === 401 || response.status === 403 ? 'unauthorized' : 'rejected',
      `${shown} refused the request: HTTP ${response.status}${excerpt ? ` (${excerpt})` : ''}; ${advice}`,
      response.status,
    ),
  };
}

/**
 * GETs `url` and parses its JSON body, trying again on 429, 5xx, timeouts
 * and network errors as `settings.retry` says. Throws a {@link PullError}
 * whose message holds no secret.
 */
export async function getJson(url: URL, settings: RequestSettings): Promise<unknown> {
  const random = settings.random ?? Math.random;
  let lastReason = '';
  let lastStatus: number | undefined;
  for (let attempt = 1; attempt <= settings.retry.attempts; attempt++) {
    const result = await attemptOnce(url, settings);
    if (result.kind === 'done') return result.value;
    if (result.kind === 'fail') {
      throw new PullError(
        result.error.code as PullErrorCode,
        redact(result.error.message, settings.secrets),
        result.error.status,
      );
    }
    lastReason = redact(result.reason, settings.secrets);
    lastStatus = result.status;
    if (attempt === settings.retry.attempts) break;
    if (result.waitMs !== undefined && result.waitMs > settings.retry.maxRetryAfterMs) {
      throw new PullError(
        'unavailable',
        `${displayApiUrl(url)} asks to wait ${Math.ceil(result.waitMs / 1000)} s (Retry-After) after ${lastReason}, longer than the ${settings.retry.maxRetryAfterMs / 1000} s allowed; try again later`,
        lastStatus,
      );
    }
    const backoff = backoffMs(attempt, settings.retry, random);
    const delayMs = Math.max(backoff, result.waitMs ?? 0);
    settings.onRetry?.({
      attempt,
      reason: lastReason,
      delayMs,
      retryAfter: result.waitMs !== undefined && result.waitMs >= backoff,
    });
    await sleep(delayMs, settings.signal);
  }
  throw new PullError(
    'unavailable',
    `${displayApiUrl(url)} still failing after ${settings.retry.attempts} tries: ${lastReason}`,
    lastStatus,
  );
}
