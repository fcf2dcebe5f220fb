import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { timed } from '../measure';
import type { Benchmark } from '../types';

const execute = promisify(execFile);
const cliEntry = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'apps',
  'cli',
  'dist',
  'main.js',
);

/** The showcase end to end, as a user runs it: `finops run` with no log (simulate 50 MB, analyse, render). */
const benchmark: Benchmark = {
  name: 'run',
  description: 'The showcase end to end: finops run (simulate 50 MB all scenarios, analyse, render)',
  cases() {
    return [
      {
        label: 'finops run: simulate 50 MB (all, seed 42) + analyse + render, one process',
        async run(context) {
          const folder = join(context.dataDir, 'run-showcase');
          await rm(folder, { recursive: true, force: true });
          await mkdir(folder, { recursive: true });
          // A preload script reports the child's own peak memory when it exits.
          const rssFile = join(folder, 'peak-rss.txt');
          const preload = join(folder, 'report-rss.cjs');
          await writeFile(
            preload,
            `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS * 1024)));\n`,
          );
          const { wallMs, result } = await timed(() =>
            execute(process.execPath, ['--require', preload, cliEntry, 'run', '-q'], {
              cwd: folder,
              maxBuffer: 1 << 20,
            }),
          );
          const childPeakMb = Number(await readFile(rssFile, 'utf8')) / (1024 * 1024);
          const data = await stat(join(folder, 'finops-data', 'calls.csv'));
          const reports = await readdir(join(folder, 'finops-reports'));
          const calls = /: ([\d,]+) calls/.exec(result.stdout)?.[1] ?? '?';
          return {
            wallMs,
            bytes: data.size,
            rows: Number(calls.replace(/,/g, '')),
            extra: {
              'finops run peak RSS MB': childPeakMb.toFixed(0),
              'report folder entries': reports.length,
            },
          };
        },
      },
    ];
  },
};

export default benchmark;
