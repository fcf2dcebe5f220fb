import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type CallFilter,
  checkClickHouseSection,
  type ClickHouseSettings,
  filterFromFlags,
  settingsFromFlags,
} from '@finops/clickhouse';
import { type AllowedHost, parseAllowedHost } from './host-check';
import { isLogFormat, isLogLevel, LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from './logger';
import { type BasicCredentials, credentialsFromEnv } from './security';

/** Bytes in a megabyte, as the simulator and the manifest count them (10^6). */
export const BYTES_PER_MB = 1_000_000;

/** Everything the viewer runs with, from flags and environment. */
export interface ViewerConfig {
  host: string;
  port: number;
  /** The report folder, absolute. */
  dir: string;
  /** The call log to watch (live mode), absolute. */
  watch?: string;
  /** The log's path as the user gave it (shown in reports). */
  watchDisplay?: string;
  /** Size the log is expected to reach, in bytes (progress on the index). */
  targetBytes?: number;
  /** Quiet time after a write before the log is read again, in milliseconds. */
  debounceMs: number;
  /** Requests per second per client; 0 turns the limit off. */
  rateLimit: number;
  /** Requests a client may make at once. */
  rateBurst: number;
  auth?: BasicCredentials;
  /** Names accepted in the `Host` header besides the bound address and `localhost`. */
  allowedHosts?: AllowedHost[];
  /** `info` by default. */
  logLevel?: LogLevel;
  /** `text` by default. */
  logFormat?: LogFormat;
  /** Live mode over a ClickHouse calls table: where it is and how to log in (the password is never printed). */
  clickhouse?: ClickHouseSettings;
  /** Which calls of the table the reports show (`--since`, `--until`, `--where`). */
  filter?: CallFilter;
  /** How often the table is looked at for new loads, in milliseconds. */
  pollMs?: number;
}

/** The config file looked for in the working folder, as the CLI does. */
export const CONFIG_FILENAME = 'finops.config.json';

/** What {@link parseViewerArgs} found: a configuration, help, or a problem to report. */
export type ParsedArgs =
  { kind: 'run'; config: ViewerConfig } | { kind: 'help'; text: string } | { kind: 'error'; message: string };

/** The viewer's usage text. */
export const USAGE = `usage: viewer [--host 127.0.0.1] [--port 8000] [--dir finops-reports] [--watch calls.csv] [--target-mb N]
              [--allowed-host NAME]... [--log-level info] [--log-format text]
       viewer --clickhouse <http(s)://host:8123 | chdb:<folder>> [--since …] [--until …] [--where column=value]...

Serves a folder of FinOps reports; with --watch, keeps them current while the log grows;
with --clickhouse, keeps them current while calls are loaded into ClickHouse (finops load).

  --host HOST          interface to bind (env HOST); 127.0.0.1 by default, loopback only
  --port PORT          port (env PORT); 8000 by default, 0 for any free port
  --dir DIR            the report folder; finops-reports by default
  --watch LOG          live mode: analyse LOG, then re-analyse what is appended to it
  --target-mb N        the size LOG is expected to reach, in MB (10^6 bytes): progress on the index
  --debounce-ms N      quiet time after a write before reading it, 200 by default
  --rate-limit N       requests per second per client, 200 by default; 0 turns it off
  --rate-burst N       requests a client may make at once, 1000 by default
  --allowed-host NAME  also answer requests for NAME (or NAME:PORT), e.g. the name of a reverse
                       proxy; repeatable (env FINOPS_VIEWER_ALLOWED_HOSTS, comma-separated).
                       Requests for other names are refused (DNS rebinding)
  --log-level LEVEL    ${LOG_LEVELS.join(', ')}; info by default (env FINOPS_VIEWER_LOG_LEVEL);
                       debug logs every request
  --log-format FORMAT  ${LOG_FORMATS.join(' or ')}: one JSON object per line (env FINOPS_VIEWER_LOG_FORMAT)

Over ClickHouse (the same settings as finops analyze --clickhouse):
  --clickhouse TARGET  live mode over the calls table: analyse it, then read only the loads
                       committed since the last look
  --clickhouse-user U --clickhouse-database DB --clickhouse-password P
                       also the config file's "clickhouse" section and FINOPS_CLICKHOUSE_USER,
                       _PASSWORD, _DATABASE (prefer the variable for the password)
  --config FILE        the config file whose "clickhouse" section is read; ${CONFIG_FILENAME} by default
  --since T --until T  the calls shown: ISO 8601 dates or instants (a date is a whole UTC day)
  --where COLUMN=VALUE only calls whose COLUMN holds VALUE; repeatable
  --poll-ms N          how often the table is looked at, 1000 by default

Basic authentication is on when FINOPS_VIEWER_USER and FINOPS_VIEWER_PASSWORD are set.
`;

function integer(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
    throw new Error(`--${name} must be a whole number from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

function allowedHostsFrom(flags: string[] | undefined, env: string | undefined): AllowedHost[] {
  const names = [...(flags ?? []), ...(env ?? '').split(',').filter((name) => name.trim() !== '')];
  return names.map(parseAllowedHost);
}

function logLevelFrom(text: string): LogLevel {
  if (!isLogLevel(text))
    throw new Error(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got "${text}"`);
  return text;
}

function logFormatFrom(text: string): LogFormat {
  if (!isLogFormat(text)) throw new Error(`--log-format must be ${LOG_FORMATS.join(' or ')}, got "${text}"`);
  return text;
}

/**
 * Reads the viewer's flags and environment. Relative paths are taken from
 * the folder the user ran the command in: `INIT_CWD` when a package script
 * (`nx serve`, `npm start`) changed the working folder, else `cwd`.
 */
export function parseViewerArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): ParsedArgs {
  try {
    const { values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        dir: { type: 'string' },
        watch: { type: 'string' },
        'target-mb': { type: 'string' },
        'debounce-ms': { type: 'string' },
        'rate-limit': { type: 'string' },
        'rate-burst': { type: 'string' },
        'allowed-host': { type: 'string', multiple: true },
        'log-level': { type: 'string' },
        'log-format': { type: 'string' },
        clickhouse: { type: 'string' },
        'clickhouse-user': { type: 'string' },
        'clickhouse-password': { type: 'string' },
        'clickhouse-database': { type: 'string' },
        config: { type: 'string' },
        since: { type: 'string' },
        until: { type: 'string' },
        where: { type: 'string', multiple: true },
        'poll-ms': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) return { kind: 'help', text: USAGE };
    const base = env['INIT_CWD'] && isAbsolute(env['INIT_CWD']) ? env['INIT_CWD'] : cwd;
    const host = values.host ?? env['HOST'] ?? '127.0.0.1';
    if (host.trim() === '') throw new Error('--host cannot be empty');
    const config: ViewerConfig = {
      host,
      port: integer('port', values.port ?? env['PORT'] ?? '8000', 0, 65_535),
      dir: resolve(base, values.dir ?? 'finops-reports'),
      debounceMs: integer('debounce-ms', values['debounce-ms'] ?? '200', 0, 60_000),
      rateLimit: integer('rate-limit', values['rate-limit'] ?? '200', 0, 1_000_000),
      rateBurst: integer('rate-burst', values['rate-burst'] ?? '1000', 1, 1_000_000),
      auth: credentialsFromEnv(env),
      allowedHosts: allowedHostsFrom(values['allowed-host'], env['FINOPS_VIEWER_ALLOWED_HOSTS']),
      logLevel: logLevelFrom(values['log-level'] ?? env['FINOPS_VIEWER_LOG_LEVEL'] ?? 'info'),
      logFormat: logFormatFrom(values['log-format'] ?? env['FINOPS_VIEWER_LOG_FORMAT'] ?? 'text'),
    };
    if (values.watch !== undefined) {
      if (values.watch.trim() === '') throw new Error('--watch needs the path of a call log');
      config.watch = resolve(base, values.watch);
      config.watchDisplay = values.watch;
    }
    if (values['target-mb'] !== undefined) {
      const mb = Number(values['target-mb']);
      if (!Number.isFinite(mb) || mb <= 0) {
        throw new Error(`--target-mb must be a positive number, got "${values['target-mb']}"`);
      }
      config.targetBytes = Math.ceil(mb * BYTES_PER_MB);
    }
    if (values.clickhouse !== undefined) {
      if (config.watch !== undefined)
        throw new Error('follow either a log (--watch) or ClickHouse (--clickhouse), not both');
      config.clickhouse = settingsFromFlags(values, configFileOf(values.config, base), env);
      config.filter = filterFromFlags(values);
      config.pollMs = integer('poll-ms', values['poll-ms'] ?? '1000', 50, 3_600_000);
    } else if (values.since ?? values.until ?? values.where ?? values['poll-ms']) {
      throw new Error('--since, --until, --where and --poll-ms apply to --clickhouse <target>');
    }
    return { kind: 'run', config };
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * The `clickhouse` section of the config file (`--config`, else
 * {@link CONFIG_FILENAME} in the working folder when there is one), checked
 * by the ClickHouse library's own rules.
 */
function configFileOf(explicit: string | undefined, base: string): Partial<ClickHouseSettings> {
  const path = resolve(base, explicit ?? CONFIG_FILENAME);
  if (explicit === undefined && !existsSync(path)) return {};
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`config file ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const section = checkClickHouseSection((json as { clickhouse?: unknown } | null)?.clickhouse);
  if (section.problems.length > 0) throw new Error(`config file ${path}: ${section.problems.join('; ')}`);
  return section.settings;
}

/** Whether a host name or address is a loopback interface. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}
