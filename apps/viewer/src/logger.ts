/** How much the viewer says: each level includes the ones after it. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** `text`: one readable line per message; `json`: one JSON object per line, for log collectors. */
export const LOG_FORMATS = ['text', 'json'] as const;

/** One of {@link LOG_FORMATS}. */
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Values attached to a message (shown in JSON lines only). */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** The lowest level written; `info` by default. */
  level?: LogLevel;
  /** `text` by default. */
  format?: LogFormat;
  /** Where each finished line goes (without its newline). */
  sink: (line: string) => void;
  /**
   * Values never to print (a password, say): replaced by `[redacted]` wherever
   * they appear. Values shorter than {@link MIN_SCRUBBED_SECRET} characters are
   * left alone: scrubbing them would mangle every line.
   */
  secrets?: readonly string[];
  /** The clock for JSON lines (tests). */
  now?: () => Date;
}

/** A levelled logger that never prints a credential. */
export interface Logger {
  readonly level: LogLevel;
  readonly format: LogFormat;
  /** Whether a message at `level` would be written. */
  enabled(level: LogLevel): boolean;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const REDACTED = '[redacted]';

/** The shortest secret scrubbed from log lines. */
export const MIN_SCRUBBED_SECRET = 6;

/** Field names whose values are credentials whatever they hold. */
const SECRET_FIELD = /pass(word)?|secret|token|authorization|cookie|credential/i;

/** `user:password@` in a URL. */
const URL_USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi;

/** `Basic …` or `Bearer …` values, wherever they are quoted. */
const AUTH_VALUE = /\b(Basic|Bearer)\s+[A-Za-z0-9+/=._~-]+/g;

const TEXT_PREFIX: Record<LogLevel, string> = {
  debug: 'debug: ',
  info: '',
  warn: 'warning: ',
  error: 'error: ',
};

/** Whether `text` names a log level. */
export function isLogLevel(text: string): text is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(text);
}

/** Whether `text` names a log format. */
export function isLogFormat(text: string): text is LogFormat {
  return (LOG_FORMATS as readonly string[]).includes(text);
}

/**
 * Replaces every credential in `text`: the given secrets, the user-info part
 * of URLs, and `Basic`/`Bearer` authorization values.
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  let clean = text.replace(URL_USERINFO, `$1${REDACTED}@`).replace(AUTH_VALUE, `$1 ${REDACTED}`);
  for (const secret of secrets) {
    if (secret.length > 0) clean = clean.split(secret).join(REDACTED);
  }
  return clean;
}

/**
 * A logger writing `text` lines (`viewer: message`, with `warning:` or
 * `error:` before warnings and errors) or `json` lines (`time`, `level`,
 * `message` and the fields). Messages below the level are dropped; secrets,
 * URL credentials and fields named like credentials are redacted.
 */
export function createLogger(options: LoggerOptions): Logger {
  const level = options.level ?? 'info';
  const format = options.format ?? 'text';
  const threshold = LOG_LEVELS.indexOf(level);
  const secrets = (options.secrets ?? []).filter((secret) => secret.length >= MIN_SCRUBBED_SECRET);
  const now = options.now ?? (() => new Date());

  function enabled(at: LogLevel): boolean {
    return LOG_LEVELS.indexOf(at) >= threshold;
  }

  function write(at: LogLevel, message: string, fields: LogFields = {}): void {
    if (!enabled(at)) return;
    if (format === 'text') {
      options.sink(redact(`viewer: ${TEXT_PREFIX[at]}${message}`, secrets));
      return;
    }
    const entry: Record<string, unknown> = {
      time: now().toISOString(),
      level: at,
      message: redact(message, secrets),
    };
    for (const [key, value] of Object.entries(fields)) {
      if (value === undefined || key in entry) continue;
      if (SECRET_FIELD.test(key)) entry[key] = REDACTED;
      else entry[key] = typeof value === 'string' ? redact(value, secrets) : value;
    }
    options.sink(JSON.stringify(entry));
  }

  return {
    level,
    format,
    enabled,
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}
