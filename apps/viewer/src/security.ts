import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The Content-Security-Policy of every answer: scripts, styles and
 * connections only from the viewer itself, no plugin, no frame, no form.
 * Report pages hold no inline script or style, so they satisfy it.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/** Headers sent with every answer: pages may use only their own scripts and styles, and no frame may hold them. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
};

/** A user name and password that requests must present (HTTP basic authentication). */
export interface BasicCredentials {
  user: string;
  password: string;
}

/**
 * Basic-authentication credentials from `FINOPS_VIEWER_USER` and
 * `FINOPS_VIEWER_PASSWORD`; `undefined` (no authentication) when neither is
 * set. Setting only one of them is a mistake worth stopping for.
 */
export function credentialsFromEnv(env: NodeJS.ProcessEnv): BasicCredentials | undefined {
  const user = env['FINOPS_VIEWER_USER'];
  const password = env['FINOPS_VIEWER_PASSWORD'];
  if (!user && !password) return undefined;
  if (!user || !password) {
    throw new Error('set both FINOPS_VIEWER_USER and FINOPS_VIEWER_PASSWORD, or neither');
  }
  if (user.includes(':')) throw new Error('FINOPS_VIEWER_USER cannot contain ":"');
  return { user, password };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * Whether an `Authorization` header carries the expected credentials. Both
 * parts are compared as SHA-256 digests with `timingSafeEqual`, so the time
 * taken says nothing about how much of a guess was right, nor about the
 * lengths involved.
 */
export function checkBasicAuth(header: string | undefined, expected: BasicCredentials): boolean {
  const match = /^Basic[ ]+([A-Za-z0-9+/=]+)[ ]*$/i.exec(header ?? '');
  const decoded = match?.[1] ? Buffer.from(match[1], 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  const user = colon === -1 ? '' : decoded.slice(0, colon);
  const password = colon === -1 ? '' : decoded.slice(colon + 1);
  // Both comparisons always run: no early exit on a wrong user name.
  const userOk = timingSafeEqual(digest(user), digest(expected.user));
  const passwordOk = timingSafeEqual(digest(password), digest(expected.password));
  return colon !== -1 && userOk && passwordOk;
}

/** Settings of a {@link RateLimiter}. */
export interface RateLimitOptions {
  /** Requests per second a client may make on average; 0 turns the limit off. */
  perSecond: number;
  /** Requests a client may make at once before the average applies. */
  burst: number;
  /** Clients remembered at most (the idlest are forgotten first). */
  maxClients?: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A token bucket per client: each request takes a token, tokens come back
 * at `perSecond` up to `burst`. A client out of tokens is told how long to
 * wait.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly maxClients: number;

  constructor(
    readonly options: RateLimitOptions,
    private readonly clock: () => number = Date.now,
  ) {
    this.maxClients = options.maxClients ?? 10_000;
  }

  /** Whether the limit is on. */
  get enabled(): boolean {
    return this.options.perSecond > 0;
  }

  /** Takes a token for `client`; returns 0 when allowed, or the seconds to wait before retrying. */
  take(client: string): number {
    if (!this.enabled) return 0;
    const now = this.clock();
    const { perSecond, burst } = this.options;
    let bucket = this.buckets.get(client);
    if (bucket) {
      this.buckets.delete(client);
      bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
      bucket.at = now;
    } else {
      bucket = { tokens: burst, at: now };
    }
    // Map order is insertion order: re-inserting keeps the most recent clients last.
    this.buckets.set(client, bucket);
    if (this.buckets.size > this.maxClients) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond));
  }

  /** Clients currently remembered. */
  get clients(): number {
    return this.buckets.size;
  }
}
