/**
 * A collector in a process of its own, for limits that apply to a whole
 * process (a file size limit standing for a full disk). Run as
 * `node -r esbuild-register -e 'require("./collect-child.ts")'` with the
 * options as JSON in `COLLECT_OPTIONS`; prints its origin, stops on SIGTERM.
 */
import { type CollectOptions, startCollector } from '../src';

async function main(): Promise<void> {
  const collector = await startCollector(
    JSON.parse(process.env['COLLECT_OPTIONS'] ?? '{}') as CollectOptions,
  );
  process.stdout.write(`${collector.origin}\n`);
  process.once('SIGTERM', () => void collector.stop().then(() => process.exit(0)));
}

void main();
