import { CallLogRowError } from '@finops/schema';
import { EXIT } from './errors';
import { type Output, processOutput } from './output';
import { VERSION } from './version';

/** Help text of `finops`. */
export const MAIN_HELP = `finops ${VERSION}: FinOps for AI usage, from the log of every AI call.

Usage: finops <command> [options]

Commands:
  run [log.csv]         the whole job: (simulate,) analyse, write the reports
  simulate              write a realistic, seeded call log
  analyze <log.csv>     run every analysis; results as JSON
  render <results.json> write the report pages from saved results
  validate <log.csv>    check a call log and print its data-quality report
  publish [log.csv]     the reports as a static site for any web host
  prices                the price catalog in use: models, aliases, prices per token kind
  import <export>       read a LiteLLM, Langfuse, OpenTelemetry, usage-report, Helicone or FOCUS export
  export <log.csv>      write a call log as FinOps FOCUS cost and usage rows
  collect --out <log>   receive OpenTelemetry GenAI spans over OTLP/HTTP into a call log, live
  load <log>            load a call log or an export into ClickHouse (server or chDB)
  pull <api>            pull a LiteLLM proxy's spend logs or OpenAI/Anthropic usage reports over their APIs

Options:
  -h, --help            show help (also: finops <command> --help)
  -v, --version         print the version
  --debug               show stack traces of errors

Examples:
  finops run                               # the showcase: 50 MB simulated, analysed, reported
  finops run calls.csv --reports out/      # your own log
  finops simulate --scenario burst --days 30 --out burst.csv
  finops analyze calls.csv --json --only profitability
  finops validate calls.csv --quarantine rejected.csv
  finops import spend-logs.json --out calls.csv
  finops pull openai --since 2026-05-01 --out openai-usage.csv`;

type Command = (argv: string[], output: Output) => Promise<number>;

// Each command's module is loaded when that command runs, not at start-up: `finops analyze` then
// loads neither the report renderer, nor the importers, nor the simulator.
const COMMANDS: Record<string, () => Promise<Command>> = {
  run: async () => (await import('./commands/run')).runCommand,
  simulate: async () => (await import('./commands/simulate')).simulateCommand,
  analyze: async () => (await import('./commands/analyze')).analyzeCommand,
  render: async () => (await import('./commands/render')).renderCommand,
  validate: async () => (await import('./commands/validate')).validateCommand,
  publish: async () => (await import('./commands/publish')).publishCommand,
  prices: async () => (await import('./commands/prices')).pricesCommand,
  import: async () => (await import('./commands/import')).importCommand,
  export: async () => (await import('./commands/export')).exportCommand,
  collect: async () => (await import('./commands/collect')).collectCommand,
  load: async () => (await import('./commands/load')).loadCommand,
  pull: async () => (await import('./commands/pull')).pullCommand,
};

/** Runs the command line and returns the exit code; errors become messages (stack traces only with --debug). */
export async function runCli(argv: readonly string[], output: Output = processOutput()): Promise<number> {
  const debug = argv.includes('--debug');
  const args = argv.filter((arg) => arg !== '--debug');
  const [name, ...rest] = args;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    output.out(MAIN_HELP);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '-v' || name === '--version') {
    output.out(VERSION);
    return EXIT.ok;
  }
  const loadCommand = COMMANDS[name];
  if (!loadCommand) {
    output.err(
      `finops: unknown command "${name}". Commands: ${Object.keys(COMMANDS).join(', ')} (see finops --help)`,
    );
    return EXIT.usage;
  }
  try {
    const command = await loadCommand();
    return await command(rest, output);
  } catch (error) {
    if (debug && error instanceof Error) output.err(error.stack ?? error.message);
    else output.err(`finops ${name}: ${messageOf(error)}`);
    // Read by name, not by class: the ClickHouse library is loaded only by the commands that use it.
    if (isDatabaseError(error)) return EXIT.database;
    return error instanceof CallLogRowError ? EXIT.dataProblems : EXIT.usage;
  }
}

function messageOf(error: unknown): string {
  // Errors from Node's own modules may come from another realm: read them by shape, not by class.
  const known = error as { message?: unknown; code?: unknown } | undefined;
  const message = typeof known?.message === 'string' ? known.message : String(error);
  if (typeof known?.code === 'string' && known.code.startsWith('ERR_PARSE_ARGS'))
    return `${message} (see --help)`;
  if (error instanceof CallLogRowError) return `${message}\n  (strict mode stops at the first bad row)`;
  return message;
}

/** A `ClickHouseError` other than bad connection settings: the database could not be used. */
function isDatabaseError(error: unknown): boolean {
  const known = error as { name?: unknown; code?: unknown } | undefined;
  return known?.name === 'ClickHouseError' && known.code !== 'clickhouse_settings';
}
