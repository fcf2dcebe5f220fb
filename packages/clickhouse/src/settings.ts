/**
 * `@finops/clickhouse/settings`: the connection settings and their checks
 * (flags over the config file over the environment) without the client, so
 * that a command can validate them without loading the ClickHouse client.
 * The package's main entry exports the same.
 *
 * @packageDocumentation
 */
import { ClickHouseError } from './errors';

/** Where the calls table lives and how to log in. */
export interface ClickHouseSettings {
  /** `http(s)://host:port` of a server, or `chdb:<folder>` for the embedded engine over a data folder. */
  target: string;
  /** User of a server (`default` when absent). */
  user?: string;
  /** Password of a server; never printed. */
  password?: string;
  /** Database holding the toolkit's tables (`default` when absent). */
  database?: string;
  /** Longest time a query may take, in seconds (300 by default). */
  timeoutSeconds?: number;
}

/** Environment variables read by {@link resolveClickHouseSettings}. */
export const CLICKHOUSE_ENV = {
  target: 'FINOPS_CLICKHOUSE_URL',
  user: 'FINOPS_CLICKHOUSE_USER',
  password: 'FINOPS_CLICKHOUSE_PASSWORD',
  database: 'FINOPS_CLICKHOUSE_DATABASE',
} as const;

/** Default query timeout, in seconds. */
export const DEFAULT_TIMEOUT_SECONDS = 300;

/** A parsed target: a server URL or an embedded data folder. */
export type ClickHouseTarget = { kind: 'server'; url: URL } | { kind: 'chdb'; folder: string };

/** Reads `chdb:<folder>` or an `http(s)://` URL; anything else is a {@link ClickHouseError} (`clickhouse_settings`). */
export function parseTarget(target: string): ClickHouseTarget {
  if (target.startsWith('chdb:')) {
    const folder = target.slice('chdb:'.length);
    if (folder === '')
      throw new ClickHouseError(
        'clickhouse_settings',
        'chdb: needs a data folder, e.g. --clickhouse chdb:finops-db',
      );
    return { kind: 'chdb', folder };
  }
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new ClickHouseError(
      'clickhouse_settings',
      `--clickhouse takes an http(s):// URL of a server or chdb:<folder>; got "${redact(target)}"`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ClickHouseError(
      'clickhouse_settings',
      `--clickhouse takes an http(s):// URL of a server or chdb:<folder>; got the scheme "${url.protocol}"`,
    );
  return { kind: 'server', url };
}

/** The target as it may be shown: a URL without its user and password. */
export function describeTarget(target: string): string {
  return redact(target);
}

function redact(target: string): string {
  try {
    const url = new URL(target);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return target;
    url.username = '';
    url.password = '';
    return url.toString().replace(/\/$/, '');
  } catch {
    return target.replace(/\/\/[^@/]*@/, '//');
  }
}

/** Settings given in layers: flags over the config file over the environment. */
export interface ClickHouseSettingLayers {
  flags?: Partial<ClickHouseSettings>;
  config?: Partial<ClickHouseSettings>;
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The settings from flags, then the config file's `clickhouse` section, then
 * the environment ({@link CLICKHOUSE_ENV}); `undefined` when none names a
 * target. A user or password inside the URL counts as given by the URL.
 */
export function resolveClickHouseSettings(layers: ClickHouseSettingLayers): ClickHouseSettings | undefined {
  const env = layers.env ?? {};
  const fromEnv: Partial<ClickHouseSettings> = {
    target: env[CLICKHOUSE_ENV.target] || undefined,
    user: env[CLICKHOUSE_ENV.user] || undefined,
    password: env[CLICKHOUSE_ENV.password] ?? undefined,
    database: env[CLICKHOUSE_ENV.database] || undefined,
  };
  const pick = <K extends keyof ClickHouseSettings>(key: K): ClickHouseSettings[K] | undefined =>
    layers.flags?.[key] ?? layers.config?.[key] ?? fromEnv[key];
  const target = pick('target');
  if (target === undefined) return undefined;
  const settings: ClickHouseSettings = { target };
  const user = pick('user');
  const password = pick('password');
  const database = pick('database');
  const timeoutSeconds = pick('timeoutSeconds');
  if (user !== undefined) settings.user = user;
  if (password !== undefined) settings.password = password;
  if (database !== undefined) settings.database = database;
  if (timeoutSeconds !== undefined) {
    if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0)
      throw new ClickHouseError(
        'clickhouse_settings',
        `the ClickHouse query timeout must be a positive number of seconds, got ${String(timeoutSeconds)}`,
      );
    settings.timeoutSeconds = timeoutSeconds;
  }
  if (settings.database !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(settings.database))
    throw new ClickHouseError(
      'clickhouse_settings',
      `the ClickHouse database name must be letters, digits and underscores, got "${settings.database}"`,
    );
  parseTarget(target);
  return settings;
}

/**
 * Checks a config file's `clickhouse` section (`{ "url", "user", "password",
 * "database", "timeoutSeconds" }`); returns the problems, each naming its key.
 */
export function checkClickHouseSection(value: unknown): {
  settings: Partial<ClickHouseSettings>;
  problems: string[];
} {
  if (value === undefined) return { settings: {}, problems: [] };
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return {
      settings: {},
      problems: ['clickhouse: must be an object { "url", "user", "password", "database", "timeoutSeconds" }'],
    };
  const problems: string[] = [];
  const settings: Partial<ClickHouseSettings> = {};
  for (const [key, item] of Object.entries(value)) {
    const text = typeof item === 'string';
    switch (key) {
      case 'url':
        if (text) settings.target = item;
        else problems.push('clickhouse.url: must be a string');
        break;
      case 'user':
      case 'password':
      case 'database':
        if (text) settings[key] = item;
        else problems.push(`clickhouse.${key}: must be a string`);
        break;
      case 'timeoutSeconds':
        if (typeof item === 'number' && item > 0) settings.timeoutSeconds = item;
        else problems.push('clickhouse.timeoutSeconds: must be a positive number');
        break;
      default:
        problems.push(
          `clickhouse.${key}: unknown setting (known here: url, user, password, database, timeoutSeconds)`,
        );
    }
  }
  return { settings, problems };
}

/**
 * The connection flags as the toolkit's commands name them
 * (`--clickhouse`, `--clickhouse-user`, `--clickhouse-password`,
 * `--clickhouse-database`), parsed.
 */
export interface ClickHouseFlagValues {
  clickhouse?: string;
  'clickhouse-user'?: string;
  'clickhouse-password'?: string;
  'clickhouse-database'?: string;
}

/**
 * The connection settings from the flags over a config file's `clickhouse`
 * section over the environment (see {@link resolveClickHouseSettings});
 * `undefined` when none names a target.
 */
export function settingsFromFlags(
  values: ClickHouseFlagValues,
  config: Partial<ClickHouseSettings> | undefined,
  env: Readonly<Record<string, string | undefined>>,
): ClickHouseSettings | undefined {
  const flags: Partial<ClickHouseSettings> = {};
  if (values.clickhouse !== undefined) flags.target = values.clickhouse;
  if (values['clickhouse-user'] !== undefined) flags.user = values['clickhouse-user'];
  if (values['clickhouse-password'] !== undefined) flags.password = values['clickhouse-password'];
  if (values['clickhouse-database'] !== undefined) flags.database = values['clickhouse-database'];
  return resolveClickHouseSettings({ flags, config, env });
}
