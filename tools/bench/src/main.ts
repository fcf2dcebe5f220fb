import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCHMARKS } from './benchmarks/index';
import type { BenchContext, BenchRunner, ChildReport } from './types';

const here = dirname(fileURLToPath(import.meta.url));
const MB = 1024 * 1024;

function parseArgs(argv: readonly string[]): { positional: string[]; options: Record<string, string> } {
  const positional: string[] = [];
  const options: Record<string, string> = {};
  for (const arg of argv) {
    const match = /^--([^=]+)(?:=(.*))?$/.exec(arg);
    if (match?.[1]) options[match[1]] = match[2] ?? 'true';
    else positional.push(arg);
  }
  return { positional, options };
}

function contextFor(options: Record<string, string>): BenchContext {
  return {
    dataDir: resolve(options['data-dir'] ?? join(here, '..', '..', '..', 'tmp', 'bench')),
    args: options,
    log: (message) => process.stderr.write(`  · ${message}\n`),
  };
}

function format(value: number, digits = 1): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

async function runChild(name: string, caseIndex: number, argv: readonly string[]): Promise<ChildReport> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      process.execPath,
      [fileURLToPath(import.meta.url), '--child', name, String(caseIndex), ...argv],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    child.stdout.on('data', (data: Buffer) => (output += data.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const lastLine = output.trim().split('\n').pop() ?? '';
      if (code !== 0) reject(new Error(`benchmark case failed with exit code ${code}`));
      else resolvePromise(JSON.parse(lastLine) as ChildReport);
    });
  });
}

async function child(name: string, caseIndex: number, options: Record<string, string>): Promise<void> {
  const benchmark = BENCHMARKS.find((candidate) => candidate.name === name);
  const context = contextFor(options);
  const benchCase = benchmark?.cases(context)[caseIndex];
  if (!benchCase) throw new Error(`no case ${caseIndex} in benchmark ${name}`);
  const figures = await benchCase.run(context);
  const report: ChildReport = { figures, maxRssBytes: process.resourceUsage().maxRSS * 1024 };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

function printReport(label: string, report: ChildReport): void {
  const { figures } = report;
  const seconds = figures.wallMs / 1000;
  const parts = [`wall ${format(seconds, 2)} s`];
  if (figures.bytes !== undefined)
    parts.push(`${format(figures.bytes / MB / seconds)} MB/s (${format(figures.bytes / MB)} MB)`);
  if (figures.rows !== undefined)
    parts.push(
      `${format(figures.rows / seconds / 1000)}K rows/s (${figures.rows.toLocaleString('en-US')} rows)`,
    );
  parts.push(`peak RSS ${format(report.maxRssBytes / MB, 0)} MB`);
  for (const [key, value] of Object.entries(figures.extra ?? {})) parts.push(`${key} ${value}`);
  console.log(`${label}\n    ${parts.join(' · ')}`);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') {
    const { options } = parseArgs(argv.slice(3));
    await child(argv[1] ?? '', Number(argv[2]), options);
    return;
  }
  const { positional, options } = parseArgs(argv);
  const names = positional.length > 0 ? positional : [];
  if (names.length === 0 || options['help']) {
    console.log('usage: npm run bench -- <name> [<name> …] [--data-dir=DIR] [--key=value …]\n\nbenchmarks:');
    for (const benchmark of BENCHMARKS)
      console.log(`  ${benchmark.name.padEnd(10)} ${benchmark.description}`);
    process.exitCode = names.length === 0 && !options['help'] ? 2 : 0;
    return;
  }
  const context = contextFor(options);
  await mkdir(context.dataDir, { recursive: true });
  const passThrough = argv.filter((arg) => arg.startsWith('--'));
  for (const name of names) {
    const benchmark = BENCHMARKS.find((candidate) => candidate.name === name);
    if (!benchmark) {
      console.error(`unknown benchmark "${name}"; known: ${BENCHMARKS.map((b) => b.name).join(', ')}`);
      process.exitCode = 2;
      return;
    }
    console.log(`# ${benchmark.name}: ${benchmark.description}`);
    if (benchmark.run) {
      const runner: BenchRunner = {
        runCase: (index, args = []) => runChild(name, index, [...passThrough, ...args]),
        print: printReport,
      };
      await benchmark.run(context, runner);
      continue;
    }
    const cases = benchmark.cases(context);
    for (const [index, benchCase] of cases.entries()) {
      await benchCase.prepare?.(context);
      printReport(benchCase.label, await runChild(name, index, passThrough));
    }
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
