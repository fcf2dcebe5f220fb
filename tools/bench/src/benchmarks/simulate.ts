import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isScenarioChoice, simulateToFile, type ScenarioChoice } from '@finops/simulator';
import type { Benchmark, BenchCase, BenchContext, BenchFigures } from '../types';

/** Sizes of the measured runs, in MB: speed on the showcase size, memory on it and on ten times it. */
const SIZES_MB = [50, 500] as const;

function scenarioOf(context: BenchContext): ScenarioChoice {
  const scenario = context.args['scenario'] ?? 'all';
  if (!isScenarioChoice(scenario)) throw new Error(`--scenario: unknown scenario "${scenario}"`);
  return scenario;
}

/** Generates a size-targeted call log into the data folder, then removes it (it is output, not an input to keep). */
async function generate(context: BenchContext, sizeMb: number): Promise<BenchFigures> {
  const scenario = scenarioOf(context);
  const seed = Number(context.args['seed'] ?? 42);
  const path = join(context.dataDir, `simulate-${scenario}-${sizeMb}mb.csv`);
  try {
    const summary = await simulateToFile({ scenario, sizeMb, seed, start: '2025-01-06' }, path);
    return {
      wallMs: summary.elapsedMs,
      bytes: summary.bytes,
      rows: summary.calls,
      extra: {
        'calls/s': Math.round(summary.calls / (summary.elapsedMs / 1000)),
        days: summary.days,
        'heap after MB': Math.round(process.memoryUsage().heapUsed / 1e6),
      },
    };
  } finally {
    await rm(path, { force: true });
  }
}

const simulateBenchmark: Benchmark = {
  name: 'simulate',
  description:
    'generate a size-targeted call log (`all` scenarios by default): calls/s, MB/s and peak memory',
  cases(context: BenchContext): BenchCase[] {
    const sizes = context.args['size'] !== undefined ? [Number(context.args['size'])] : SIZES_MB;
    return sizes.map((sizeMb) => ({
      label: `simulate ${scenarioOf(context)} to ${sizeMb} MB, 1 core, CSV written to disk`,
      run: (runContext) => generate(runContext, sizeMb),
    }));
  },
};

export default simulateBenchmark;
