import { CallLogRowError } from '@finops/schema';
import { analyzeCommand } from './commands/analyze';
import { exportCommand } from './commands/export';
import { importCommand } from './commands/import';
import { pricesCommand } from './commands/prices';
import { publishCommand } from './commands/publish';
import { renderCommand } from './commands/render';
import { runCommand } from './commands/run';
import { simulateCommand } from './commands/simulate';
import { validateCommand } from './commands/validate';
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
  finops import spend-logs.json --out calls.csv`;

type Command = (argv: string[], output: Output) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  run: runCommand,
  simulate: simulateCommand,
  analyze: analyzeCommand,
  render: renderCommand,
  validate: validateCommand,
  publish: publishCommand,
  prices: pricesCommand,
  import: importCommand,
  export: exportCommand,
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
  const command = COMMANDS[name];
  if (!command) {
    output.err(
      `finops: unknown command "${name}". Commands: ${Object.keys(COMMANDS).join(', ')} (see finops --help)`,
    );
    return EXIT.usage;
  }
  try {
    return await command(rest, output);
  } catch (error) {
    if (debug && error instanceof Error) output.err(error.stack ?? error.message);
    else output.err(`finops ${name}: ${messageOf(error)}`);
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
