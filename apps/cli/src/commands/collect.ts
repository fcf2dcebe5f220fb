import { parseArgs } from 'node:util';
import {
  type AttributionMap,
  COLLECT_DEFAULTS,
  COLLECT_LOG_LEVELS,
  type CollectCounters,
  type CollectLogLevel,
  loadAttributionMap,
  startCollector,
  TRACES_PATH,
} from '@finops/importers';
import { EXIT, UsageError } from '../errors';
import { onGracefulStop } from '../interrupt';
import type { Output } from '../output';

/** Help text of `finops collect`. */
export const COLLECT_HELP = `Usage: finops collect --out <calls.csv> [options]

Receives OpenTelemetry traces over OTLP/HTTP (POST ${TRACES_PATH}, protobuf or
JSON, gzip or not) and appends every GenAI inference span (gen_ai.operation.name
chat, text_completion, generate_content, embeddings) to the call log, as
\`finops import --from otel\` reads it. Agent, tool and other spans are skipped
and counted; a span sent again is not counted twice. A batch is answered 200
only once its calls are on the disk. Point an exporter at it
(OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=http://127.0.0.1:4318/v1/traces) and
follow the log live with the viewer (npx nx serve viewer --watch=calls.csv).
Stops cleanly on Ctrl-C or SIGTERM.

Options:
  --out <file>              the call log to append to (created with its header when missing; required)
  --host <address>          interface to listen on (default ${COLLECT_DEFAULTS.host})
  --port <n>                port (default ${COLLECT_DEFAULTS.port}; 0 for any free port)
  --max-body-bytes <n>      largest request body, after decompression (default ${COLLECT_DEFAULTS.maxBodyBytes}); larger ones get 413
  --request-timeout <s>     seconds a request has to arrive whole (default ${COLLECT_DEFAULTS.requestTimeoutMs / 1000}); slower ones get 408
  --attribution <file>      JSON map of our columns to span attributes:
                            { "customer_id": "enduser.id", "product_id": "resource.service.name" }
  --log-level <level>       info (a line per batch; default), warn or error
  -h, --help                show this help

Exit codes: 0 stopped cleanly, 2 usage error or the port or log could not be used.

Examples:
  finops collect --out calls.csv
  finops collect --out calls.csv --port 4319 --attribution map.json`;

function wholeNumber(option: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value))
    throw new UsageError(`--${option} must be a whole number, got "${text}"`);
  return value;
}

function seconds(option: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0)
    throw new UsageError(`--${option} must be a number of seconds above 0, got "${text}"`);
  return Math.round(value * 1000);
}

/** The totals printed when the collector stops. */
export function formatCollectTotals(counters: CollectCounters): string {
  const number = (value: number): string => value.toLocaleString('en-US');
  const skips = Object.entries(counters.skippedByReason)
    .map(([reason, count]) => `${reason} ${number(count)}`)
    .join(', ');
  const refused = Object.entries(counters.refusedByStatus)
    .map(([status, count]) => `${status}: ${number(count)}`)
    .join(', ');
  return [
    `collect: ${number(counters.batchesAccepted)} batch(es) accepted of ${number(counters.requests)} request(s)` +
      (refused === '' ? '' : ` (refused ${refused})`),
    `  spans received  ${number(counters.spansReceived)}`,
    `  calls written   ${number(counters.spansAccepted)} (${number(counters.bytesWritten)} bytes)`,
    `  rejected        ${number(counters.spansRejected)}`,
    `  skipped         ${number(counters.spansSkipped)}${skips === '' ? '' : ` (${skips})`}`,
  ].join('\n');
}

/** `finops collect`: runs until interrupted. */
export async function collectCommand(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string', short: 'o' },
      host: { type: 'string' },
      port: { type: 'string' },
      'max-body-bytes': { type: 'string' },
      'request-timeout': { type: 'string' },
      attribution: { type: 'string' },
      'log-level': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    output.out(COLLECT_HELP);
    return EXIT.ok;
  }
  if (positionals.length > 0)
    throw new UsageError(
      `collect takes no file argument (got ${positionals.join(' ')}); give --out calls.csv`,
    );
  if (!values.out) throw new UsageError('say which call log to append to: --out calls.csv');
  const level = (values['log-level'] ?? 'info') as CollectLogLevel;
  if (!COLLECT_LOG_LEVELS.includes(level))
    throw new UsageError(`--log-level must be one of ${COLLECT_LOG_LEVELS.join(', ')}, got "${level}"`);
  const threshold = COLLECT_LOG_LEVELS.indexOf(level);
  const attribution: AttributionMap | undefined = values.attribution
    ? await loadAttributionMap(values.attribution)
    : undefined;
  const port = wholeNumber('port', values.port);
  const maxBodyBytes = wholeNumber('max-body-bytes', values['max-body-bytes']);
  const requestTimeoutMs = seconds('request-timeout', values['request-timeout']);
  const collector = await startCollector({
    out: values.out,
    ...(values.host === undefined ? {} : { host: values.host }),
    ...(port === undefined ? {} : { port }),
    ...(maxBodyBytes === undefined ? {} : { maxBodyBytes }),
    ...(requestTimeoutMs === undefined ? {} : { requestTimeoutMs }),
    ...(attribution === undefined ? {} : { attribution }),
    log: (messageLevel, message) => {
      if (COLLECT_LOG_LEVELS.indexOf(messageLevel) >= threshold) output.err(`collect: ${message}`);
    },
  });
  const opened = collector.log.opened;
  output.err(
    `collect: listening for OTLP/HTTP traces at ${collector.origin}${TRACES_PATH}; appending GenAI calls to ${values.out}` +
      (opened.created ? ' (new log)' : ` (${opened.rows.toLocaleString('en-US')} calls already there)`),
  );
  if (opened.tornBytesRemoved > 0)
    output.err(
      `collect: cut an unfinished last line (${opened.tornBytesRemoved} bytes, never acknowledged) off ${values.out}`,
    );
  const signal = await new Promise<string>((resolve) => onGracefulStop(resolve));
  output.err(`collect: stopping (${signal}): finishing the requests under way`);
  await collector.stop();
  output.err(formatCollectTotals(collector.counters));
  return EXIT.ok;
}
