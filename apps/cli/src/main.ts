#!/usr/bin/env node
import { abortOpenWriters } from '@finops/schema';
import { runCli } from './cli';
import { EXIT } from './errors';
import { processOutput } from './output';

// Ctrl-C or a kill: drop every half-written file, then leave.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    abortOpenWriters();
    process.stderr.write(`\nfinops: stopped (${signal}); no partial files were left behind\n`);
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
