import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { loadCatalog } from '@finops/schema';
import {
  DEFAULT_SCENARIO_PARAMETERS,
  isScenarioChoice,
  SCENARIO_DESCRIPTIONS,
  SCENARIO_NAMES,
  type ScenarioParameterOverrides,
  type SimulationFileSummary,
  type SimulationOptions,
  simulateToFile,
} from '@finops/simulator';
import { EXIT, UsageError } from '../errors';
import type { Output } from '../output';
import { trackInPlaceOutput } from '../interrupt';
import { formatCount, formatMegabytes, formatRate, ProgressReporter } from '../progress';

/** Help text of `finops simulate`. */
export const SIMULATE_HELP = `Usage: finops simulate [options]

Writes a realistic, seeded call log: a population of customers with their
own tiers, organizations and feature mix, and their traffic over a window or
until the file reaches a size. The same options give the same bytes.

Options:
  --out <file>          where to write (default finops-data/calls.csv)
  --customers <n>       population size (default 100)
  --days <n>            window length in days (default 30)
  --start <date>        first day, YYYY-MM-DD (default: today minus --days)
  --seed <n>            seed of every random choice (default 42)
  --scenario <name>     base, all, or one of the scenarios below (default base)
  --size-mb <n>         keep going day after day until the file has n MB
                        (1 MB = 1,000,000 bytes); the file grows in place in
                        whole lines, so another process can follow it (if
                        stopped, it keeps the lines written so far)
  --catalog <file>      price catalog JSON
  --param <s.k=v>       a scenario parameter, e.g. --param burst.dayShare=0.1
                        or --param weekend.holidays=7,21 (repeatable); lists
                        of objects take JSON: --param 'timezones.zones=[…]'
  -q, --quiet           no progress
  -h, --help            show this help

Scenarios (with their default parameters):
${(['base', ...SCENARIO_NAMES, 'all'] as const)
  .map((name) => `  ${name.padEnd(19)} ${SCENARIO_DESCRIPTIONS[name]}`)
  .join('\n')}

Examples:
  finops simulate --scenario all --size-mb 50 --seed 42
  finops simulate --scenario model-migration --customers 200 --days 45 --start 2025-10-01
  finops simulate --scenario burst --param burst.dayShare=0.15 --out burst.csv`;

function integerFlag(value: string | undefined, name: string, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min) {
    throw new UsageError(`--${name} must be a whole number ≥ ${min}, got "${value}"`);
  }
  return number;
}

function parseParameterValue(text: string, sample: unknown, key: string): unknown {
  if (Array.isArray(sample) && typeof sample[0] !== 'object') {
    return text.split(',').map((part) => parseParameterValue(part.trim(), sample[0] ?? 0, key));
  }
  if (typeof sample === 'number') {
    const number = Number(text);
    if (text.trim() === '' || !Number.isFinite(number))
      throw new UsageError(`--param ${key} takes a number, got "${text}"`);
    return number;
  }
  if (typeof sample === 'string') return text;
  // Lists of objects (time zones) take JSON.
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UsageError(`--param ${key} takes JSON here, e.g. ${JSON.stringify(sample)}; got "${text}"`);
  }
}

/** Turns `--param scenario.key=value` flags into scenario parameter overrides, checking every name. */
export function parseScenarioParameters(flags: readonly string[]): ScenarioParameterOverrides {
  const overrides: Record<string, Record<string, unknown>> = {};
  for (const flag of flags) {
    const match = /^([a-z-]+)\.([A-Za-z]+)=(.*)$/.exec(flag);
    if (!match)
      throw new UsageError(`--param takes scenario.parameter=value, e.g. burst.dayShare=0.1; got "${flag}"`);
    const [, scenario = '', key = '', value = ''] = match;
    const defaults = (DEFAULT_SCENARIO_PARAMETERS as unknown as Record<string, Record<string, unknown>>)[
      scenario
    ];
    if (!defaults)
      throw new UsageError(
        `--param: unknown scenario "${scenario}" (scenarios: ${SCENARIO_NAMES.join(', ')})`,
      );
    if (!(key in defaults)) {
      throw new UsageError(
        `--param: ${scenario} has no parameter "${key}" (it has ${Object.keys(defaults).join(', ')})`,
      );
    }
    (overrides[scenario] ??= {})[key] = parseParameterValue(value, defaults[key], `${scenario}.${key}`);
  }
  return overrides as ScenarioParameterOverrides;
}

/** The options shared by `simulate` and `run`. */
export const SIMULATION_FLAGS = {
  customers: { type: 'string' },
  days: { type: 'string' },
  start: { type: 'string' },
  seed: { type: 'string' },
  scenario: { type: 'string' },
  'size-mb': { type: 'string' },
  catalog: { type: 'string' },
  param: { type: 'string', multiple: true },
} as const;

/** Simulation options from parsed flags, validated. */
export async function simulationOptionsFrom(values: {
  customers?: string;
  days?: string;
  start?: string;
  seed?: string;
  scenario?: string;
  'size-mb'?: string;
  catalog?: string;
  param?: string[];
}): Promise<SimulationOptions> {
  const scenario = values.scenario ?? 'base';
  if (!isScenarioChoice(scenario)) {
    throw new UsageError(
      `--scenario must be base, all or one of ${SCENARIO_NAMES.join(', ')}; got "${scenario}"`,
    );
  }
  const sizeMb = values['size-mb'] === undefined ? undefined : Number(values['size-mb']);
  if (sizeMb !== undefined && !(Number.isFinite(sizeMb) && sizeMb > 0)) {
    throw new UsageError(`--size-mb must be a positive number, got "${values['size-mb']}"`);
  }
  if (values.start !== undefined && !/^\d{4}-\d\d-\d\d$/.test(values.start)) {
    throw new UsageError(`--start must be a date like 2025-11-01, got "${values.start}"`);
  }
  return {
    customers: integerFlag(values.customers, 'customers'),
    days: integerFlag(values.days, 'days'),
    start: values.start,
    seed: integerFlag(values.seed, 'seed', 0),
    scenario,
    sizeMb,
    catalog: values.catalog ? await loadCatalog(values.catalog) : undefined,
    parameters: parseScenarioParameters(values.param ?? []),
  };
}

/**
 * Runs the simulator into a file with a progress display. A size-targeted
 * run grows the file in place (so that it can be followed live) unless
 * `live` is false; everything else is written atomically.
 */
export async function simulateWithProgress(
  options: SimulationOptions,
  out: string,
  output: Output,
  live = true,
): Promise<SimulationFileSummary> {
  await mkdir(dirname(out), { recursive: true });
  const progress = new ProgressReporter(output, 'simulate');
  const inPlace = live && options.sizeMb !== undefined;
  const untrack = inPlace ? trackInPlaceOutput(out) : () => false;
  try {
    return await simulateToFile(
      {
        ...options,
        onProgress: (reading) =>
          progress.update({
            done: reading.targetBytes === undefined ? reading.fraction : reading.bytes,
            total: reading.targetBytes ?? 1,
            detail: `${formatMegabytes(reading.bytes)} · ${formatCount(reading.calls)} calls · ${reading.days} days · ${formatRate(reading.callsPerSecond, 'calls')}`,
          }),
      },
      out,
      { live: inPlace },
    );
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(error.message);
    throw error;
  } finally {
    untrack();
    progress.finish();
  }
}

/** `finops simulate`. */
export async function simulateCommand(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...SIMULATION_FLAGS,
      out: { type: 'string', default: 'finops-data/calls.csv' },
      quiet: { type: 'boolean', short: 'q' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    output.out(SIMULATE_HELP);
    return EXIT.ok;
  }
  if (positionals.length > 0)
    throw new UsageError(`simulate takes no file argument (use --out); got "${positionals[0]}"`);
  const options = await simulationOptionsFrom(values);
  const summary = await simulateWithProgress(options, values.out, output);
  output.err(
    `wrote ${summary.path}: ${formatCount(summary.calls)} calls over ${summary.days} days, ${formatMegabytes(summary.bytes)}`,
  );
  return EXIT.ok;
}
