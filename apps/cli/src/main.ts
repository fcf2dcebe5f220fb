#!/usr/bin/env node
import { runCli } from './cli';
import { EXIT } from './errors';
import { interruptOutputs, stopGracefully } from './interrupt';
import { processOutput } from './output';

// Ctrl-C or a kill: a server (collect) finishes what it acknowledged; otherwise no half-written file is
// left behind, and the message says what remains.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopGracefully(signal)) return;
    process.stderr.write(`\n${interruptOutputs(signal)}\n`);
    process.exit(EXIT.interrupted);
  });
}

const argv = process.argv.slice(2);
runCli(argv, processOutput({ quiet: argv.includes('--quiet') || argv.includes('-q') })).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`finops: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = EXIT.usage;
  },
);
