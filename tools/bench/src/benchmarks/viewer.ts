import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBenchLog } from '../generate';
import type { Benchmark, BenchCase, BenchContext } from '../types';

const MB = 1024 * 1024;

/** The viewer's built entry point (the benchmark runs the real server, as users do); `--viewer=PATH` overrides it. */
function viewerEntry(context: BenchContext): string {
  return (
    context.args['viewer'] ?? fileURLToPath(new URL('../../../apps/viewer/dist/main.js', import.meta.url))
  );
}

interface RunningViewer {
  child: ChildProcess;
  origin: string;
  stop(): Promise<void>;
}

/** Starts the built viewer on a free loopback port and waits until it says where it listens. */
async function startViewer(context: BenchContext, args: readonly string[]): Promise<RunningViewer> {
  const entry = viewerEntry(context);
  if (!existsSync(entry)) {
    throw new Error(`the viewer is not built (${entry}): run npx nx build viewer first`);
  }
  const child = spawn(process.execPath, [entry, '--host=127.0.0.1', '--port=0', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const origin = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`the viewer did not start:\n${output}`)), 30_000);
    child.stderr?.on('data', (data: Buffer) => {
      output += data.toString();
      const match = /at (http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the viewer exited with code ${code}:\n${output}`));
    });
  });
  child.stderr?.resume();
  return {
    child,
    origin,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

interface Answer {
  status: number;
  body: string;
}

function get(url: string, agent?: Agent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { agent, timeout: 30_000 }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      response.on('error', reject);
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error('timed out')));
    outgoing.on('error', reject);
    outgoing.end();
  });
}

async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function manifestRows(origin: string): Promise<number | undefined> {
  const answer = await get(`${origin}/manifest.json`);
  if (answer.status !== 200) return undefined;
  return (JSON.parse(answer.body) as { data_file: { rows_read: number } }).data_file.rows_read;
}

function countRows(text: string): number {
  let rows = -1; // the header
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) rows++;
  return rows;
}

/** Appending 5 MB to a watched 50 MB log, until the new manifest is served. */
function liveUpdateCase(baseMb: number, appendMb: number): BenchCase {
  const source = `viewer-${baseMb + appendMb}mb.csv`;
  return {
    label: `live update: append ${appendMb} MB to a watched ${baseMb} MB log → new manifest served (bar < 2 s)`,
    async prepare(context: BenchContext) {
      context.log(`generating ${source} if missing`);
      await ensureBenchLog(join(context.dataDir, source), { bytes: (baseMb + appendMb) * MB });
    },
    async run(context: BenchContext) {
      const text = await readFile(join(context.dataDir, source), 'utf8');
      const cut = text.indexOf('\n', baseMb * MB) + 1;
      const head = text.slice(0, cut);
      const tail = text.slice(cut);
      const logPath = join(context.dataDir, 'viewer-live.csv');
      const outDir = join(context.dataDir, 'viewer-live-reports');
      await rm(outDir, { recursive: true, force: true });
      await writeFile(logPath, head);
      const rowsBefore = countRows(head);
      const rowsAfter = countRows(text);
      const viewer = await startViewer(context, [`--dir=${outDir}`, `--watch=${logPath}`]);
      try {
        const initialStart = Date.now();
        await waitFor('the first reports', 120_000, async () =>
          (await manifestRows(viewer.origin)) === rowsBefore ? true : undefined,
        );
        const initialMs = Date.now() - initialStart;
        const start = process.hrtime.bigint();
        // One write, as a simulator flushing a large buffer would.
        const handle = await open(logPath, 'a');
        await handle.write(tail);
        await handle.close();
        await waitFor('the new manifest', 60_000, async () =>
          (await manifestRows(viewer.origin)) === rowsAfter ? true : undefined,
        );
        const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
        const health = JSON.parse((await get(`${viewer.origin}/health`)).body) as {
          live: { lastUpdate: { bytesRead: number; durationMs: number; kind: string } };
        };
        const update = health.live.lastUpdate;
        return {
          wallMs,
          bytes: Buffer.byteLength(tail),
          rows: rowsAfter - rowsBefore,
          extra: {
            'update kind': update.kind,
            'bytes read by the update': update.bytesRead.toLocaleString('en-US'),
            'read + analyse + render (ms)': Math.round(update.durationMs),
            'initial analysis of the log (s)': (initialMs / 1000).toFixed(2),
            'under 2 s': wallMs < 2000 ? 'yes' : 'NO',
          },
        };
      } finally {
        await viewer.stop();
      }
    },
  };
}

/** Requests per second for the index from many concurrent keep-alive clients. */
function throughputCase(clients: number, requests: number, rateLimit: string): BenchCase {
  const source = 'viewer-1mb.csv';
  const limited = rateLimit !== '0';
  return {
    label: `index under ${clients} concurrent clients, ${requests.toLocaleString('en-US')} requests, rate limit ${limited ? `${rateLimit}/s per client` : 'off'}`,
    async prepare(context: BenchContext) {
      await ensureBenchLog(join(context.dataDir, source), { bytes: MB });
    },
    async run(context: BenchContext) {
      const logPath = join(context.dataDir, source);
      const outDir = join(context.dataDir, 'viewer-throughput-reports');
      await rm(outDir, { recursive: true, force: true });
      const { size } = await stat(logPath);
      const viewer = await startViewer(context, [
        `--dir=${outDir}`,
        `--watch=${logPath}`,
        `--rate-limit=${rateLimit}`,
      ]);
      const agent = new Agent({ keepAlive: true, maxSockets: clients });
      try {
        await waitFor('the first reports', 60_000, async () =>
          (await get(`${viewer.origin}/health`)).status === 200 ? true : undefined,
        );
        const url = `${viewer.origin}/`;
        let next = 0;
        let errors = 0;
        let bytes = 0;
        const statuses = new Map<number, number>();
        const latencies: number[] = [];
        const client = async (): Promise<void> => {
          while (next < requests) {
            next++;
            const started = process.hrtime.bigint();
            try {
              const answer = await get(url, agent);
              statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
              if (answer.status !== 200) errors++;
              bytes += answer.body.length;
            } catch {
              errors++;
            }
            latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
          }
        };
        const start = process.hrtime.bigint();
        await Promise.all(Array.from({ length: clients }, client));
        const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
        latencies.sort((a, b) => a - b);
        const percentile = (p: number) =>
          latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
        return {
          wallMs,
          extra: {
            'requests/s': Math.round(requests / (wallMs / 1000)).toLocaleString('en-US'),
            errors,
            statuses: [...statuses].map(([status, count]) => `${status}×${count}`).join(' '),
            'p50 (ms)': percentile(0.5).toFixed(1),
            'p99 (ms)': percentile(0.99).toFixed(1),
            'index size (KB)': Math.round(bytes / requests / 1024),
            'log (MB)': (size / MB).toFixed(1),
          },
        };
      } finally {
        agent.destroy();
        await viewer.stop();
      }
    },
  };
}

/** The live viewer: live-update latency and index throughput on loopback. */
const benchmark: Benchmark = {
  name: 'viewer',
  description:
    'Live viewer: 5 MB appended to a watched 50 MB log until the new manifest is served; index requests/s under 100 concurrent clients',
  cases(context) {
    const baseMb = Number(context.args['size-mb'] ?? 50);
    const appendMb = Number(context.args['append-mb'] ?? 5);
    const clients = Number(context.args['clients'] ?? 100);
    const requests = Number(context.args['requests'] ?? 20_000);
    return [
      liveUpdateCase(baseMb, appendMb),
      throughputCase(clients, requests, '0'),
      // The default limit (200/s, bursts of 1,000) must let a crowd of page loads through.
      throughputCase(clients, 1000, '200'),
    ];
  },
};

export default benchmark;
