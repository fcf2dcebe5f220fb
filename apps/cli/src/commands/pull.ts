import { parseArgs } from 'node:util';
import {
  type AttributionMap,
  loadAttributionMap,
  PULL_APIS,
  PullError,
  type PullSummary,
  PullStoppedError,
  pullApiNamed,
  pullToLog,
} from '@finops/importers';
import { EXIT, UsageError } from '../errors';
import type { Output } from '../output';

/** Help text of `finops pull`. */
export const PULL_HELP = `Usage: finops pull litellm --url <proxy URL> --key <key> --out <calls.csv> [options]
       finops pull openai --admin-key <key> --out <calls.csv> [options]
       finops pull anthropic --admin-key <key> --out <calls.csv> [options]

Reads a usage API page by page over a time range and writes the toolkit's
call log (CSV, written atomically): a LiteLLM proxy's spend logs (one row
per call), or OpenAI's or Anthropic's organization usage or cost reports
(buckets of calls). A 429 or a 5xx is tried again with a growing, jittered
wait that respects Retry-After. A state file beside the log (<out>.pull.json)
says where the next pull resumes: run the same command again to add what
is new, without repeating a row. If the API stays unavailable, the pages
read are saved and the next run continues from there. Keys are never
printed; they may also come from LITELLM_API_KEY, OPENAI_ADMIN_KEY or
ANTHROPIC_ADMIN_KEY.

Options:
  --out <file>            the call log to write or extend (required)
  --since <time>          start of the range (ISO 8601, UTC) when there is nothing to resume
  --until <time>          end of the range, exclusive (default: now; reports stop
                          at the last bucket that has ended)
  --url, --base-url <url> the API's address (required for litellm; another host
                          for openai and anthropic)
  --key, --admin-key <k>  the API key (an admin key for the providers' reports)
  --report <name>         openai: usage (default) or costs; anthropic: usage or cost
  --bucket <width>        1d (default), 1h or 1m (usage reports)
  --group-by <keys>       grouping keys, comma-separated (defaults per report)
  --page-size <n>         rows (litellm) or buckets (reports) per page
  --restart               ignore what a previous pull left and start again from --since
  --attribution <file>    JSON map of our columns to source fields (as in finops import)
  --timeout <seconds>     time allowed for one request (default 60)
  --retries <n>           tries of one request before giving up (default 5)
  --json                  print the summary as JSON on stdout
  -h, --help              show this help

Exit codes: 0 pulled, 1 records were rejected, 2 usage error, 3 the API refused
the request or stayed unavailable (pages read before are saved).

Examples:
  finops pull litellm --url https://litellm.internal --since 2026-05-01 --out calls.csv
  finops pull openai --since 2026-04-01 --out openai-usage.csv
  finops pull anthropic --report cost --since 2026-04-01 --out anthropic-cost.csv`;

function number(value: number): string {
  return value.toLocaleString('en-US');
}

/** A pull's summary as text for people. */
export function formatPullSummary(summary: PullSummary, output: Output): string {
  const { tally, log } = summary;
  const lines = [
    output.color.bold(
      `Pulled ${summary.api} ${summary.report} ${summary.since} → ${summary.until} into ${summary.out}`,
    ),
    `  pages read        ${number(summary.pages)}${summary.resumed ? ' (resumed)' : ''}`,
    `  new rows          ${number(tally.recordsKept)} (${number(tally.calls)} calls)`,
    `  skipped           ${number(tally.recordsSkipped)}${
      Object.keys(tally.skippedByReason).length > 0
        ? ` (${Object.entries(tally.skippedByReason)
            .map(([reason, count]) => `${reason} ${number(count)}`)
            .join(', ')})`
        : ''
    }`,
    `  rejected          ${number(tally.recordsRejected)}`,
    `  log now           ${number(log.rows)} rows, ${number(log.calls)} calls, ` +
      `${number(log.inputTokens)} tokens in, ${number(log.outputTokens)} out, ` +
      `reported cost $${(log.reportedCostMicros / 1_000_000).toFixed(6)}`,
    `  next pull from    ${summary.resumeFrom} (${summary.statePath})`,
  ];
  return lines.join('\n');
}

function positiveNumber(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0)
    throw new UsageError(`${option} must be a number > 0, got "${value}"`);
  return parsed;
}

/** `finops pull`. */
export async function pullCommand(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string', short: 'o' },
      since: { type: 'string' },
      until: { type: 'string' },
      url: { type: 'string' },
      'base-url': { type: 'string' },
      key: { type: 'string' },
      'admin-key': { type: 'string' },
      report: { type: 'string' },
      bucket: { type: 'string' },
      'group-by': { type: 'string' },
      'page-size': { type: 'string' },
      restart: { type: 'boolean' },
      attribution: { type: 'string' },
      timeout: { type: 'string' },
      retries: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    output.out(PULL_HELP);
    return EXIT.ok;
  }
  const names = PULL_APIS.map((api) => api.name).join(', ');
  const name = positionals[0];
  if (!name || positionals.length > 1)
    throw new UsageError(`say which API to pull: finops pull <${names.replace(/, /g, '|')}>`);
  const api = pullApiNamed(name);
  if (!api) throw new UsageError(`no API "${name}"; APIs: ${names}`);
  if (!values.out) throw new UsageError('say where to write the call log: --out calls.csv');
  const key = values.key ?? values['admin-key'] ?? process.env[api.keyVariable];
  if (!key)
    throw new UsageError(
      `give the API key: --key, --admin-key, or the ${api.keyVariable} environment variable`,
    );
  const attribution: AttributionMap | undefined = values.attribution
    ? await loadAttributionMap(values.attribution)
    : undefined;
  const timeout = positiveNumber(values.timeout, '--timeout');
  const retries = positiveNumber(values.retries, '--retries');
  const pageSize = positiveNumber(values['page-size'], '--page-size');
  const baseUrl = values['base-url'] ?? values.url;
  try {
    const summary = await pullToLog(api.name, {
      out: values.out,
      key,
      ...(baseUrl === undefined ? {} : { baseUrl }),
      ...(values.since === undefined ? {} : { since: values.since }),
      ...(values.until === undefined ? {} : { until: values.until }),
      ...(values.report === undefined ? {} : { report: values.report }),
      ...(values.bucket === undefined ? {} : { bucketWidth: values.bucket }),
      ...(values['group-by'] === undefined
        ? {}
        : {
            groupBy: values['group-by']
              .split(',')
              .map((part) => part.trim())
              .filter(Boolean),
          }),
      ...(pageSize === undefined ? {} : { pageSize }),
      ...(values.restart ? { restart: true } : {}),
      ...(attribution === undefined ? {} : { attribution }),
      ...(timeout === undefined ? {} : { timeoutMs: timeout * 1000 }),
      ...(retries === undefined ? {} : { retry: { attempts: Math.floor(retries) } }),
      onRetry: (notice) =>
        output.err(
          output.color.yellow(
            `  ${notice.reason}; trying again in ${(notice.delayMs / 1000).toFixed(1)} s${notice.retryAfter ? ' (Retry-After)' : ''}`,
          ),
        ),
    });
    if (values.json) output.out(JSON.stringify(summary, null, 2));
    else output.out(formatPullSummary(summary, output));
    return summary.tally.recordsRejected > 0 ? EXIT.dataProblems : EXIT.ok;
  } catch (error) {
    if (!(error instanceof PullError)) throw error;
    if (error.code === 'invalid_options' || error.code === 'state_mismatch')
      throw new UsageError(error.message);
    output.err(output.color.red(`finops pull ${api.name}: ${error.message}`));
    if (error instanceof PullStoppedError && values.json) output.out(JSON.stringify(error.summary, null, 2));
    return error.code === 'interrupted' ? EXIT.interrupted : EXIT.remote;
  }
}
