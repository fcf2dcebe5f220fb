import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The environment variable naming the file a measured Node process writes its peak memory to. */
export const PEAK_RSS_FILE_VARIABLE = 'FINOPS_BENCH_PEAK_RSS_FILE';

/** What one whole-process run took, measured from outside the process. */
export interface ProcessRun {
  /** Wall time from spawn to exit, milliseconds: start-up, the work and the exit. */
  wallMs: number;
  /** Peak resident memory of the process, bytes. */
  peakRssBytes: number;
  /** Processor time of the process (user + system, all its threads), milliseconds: less disturbed by other work than wall time. */
  cpuMs: number;
  /** What it printed on stdout (empty when stdout was discarded). */
  stdout: string;
}

/** How to run one measured Node process. */
export interface NodeCommand {
  /** The script to run, then its arguments. */
  args: readonly string[];
  /** Keep stdout (for a probe's JSON line) instead of sending it to /dev/null. */
  captureStdout?: boolean;
  /** The working folder; the current one by default. */
  cwd?: string;
}

/** The script every measured process preloads: it writes the process's own peak RSS and processor time (µs) when it exits. */
const PRELOAD_SOURCE =
  `'use strict';\n` +
  `const file = process.env.${PEAK_RSS_FILE_VARIABLE};\n` +
  `if (file) process.on('exit', () => { const usage = process.resourceUsage(); ` +
  `require('node:fs').writeFileSync(file, usage.maxRSS * 1024 + ' ' + (usage.userCPUTime + usage.systemCPUTime)); });\n`;

/**
 * Runs Node scripts as whole processes and measures each from outside: wall
 * time from spawn to exit (what a user waits for) and the process's own
 * peak memory, reported by a tiny preloaded script when it exits.
 */
export class ProcessMeter {
  private runs = 0;

  private constructor(
    private readonly folder: string,
    private readonly preload: string,
  ) {}

  /** Prepares the preload script in `folder` (created when missing). */
  static async create(folder: string): Promise<ProcessMeter> {
    await mkdir(folder, { recursive: true });
    const preload = join(folder, 'report-peak-rss.cjs');
    await writeFile(preload, PRELOAD_SOURCE);
    return new ProcessMeter(folder, preload);
  }

  /**
   * Runs `node <args>` to its end.
   *
   * @throws Error when the process exits with another code than 0 (with the end of its stderr)
   */
  async run(command: NodeCommand): Promise<ProcessRun> {
    const rssFile = join(this.folder, `peak-rss-${process.pid}-${this.runs++}.txt`);
    await rm(rssFile, { force: true });
    const started = process.hrtime.bigint();
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>(
      (resolvePromise, reject) => {
        const child = spawn(process.execPath, ['--require', this.preload, ...command.args], {
          cwd: command.cwd,
          env: { ...process.env, [PEAK_RSS_FILE_VARIABLE]: rssFile },
          stdio: ['ignore', command.captureStdout ? 'pipe' : 'ignore', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout?.on('data', (data: Buffer) => (stdout += data.toString()));
        child.stderr?.on('data', (data: Buffer) => (stderr = (stderr + data.toString()).slice(-4000)));
        child.on('error', reject);
        child.on('close', (exitCode) => resolvePromise({ code: exitCode ?? -1, stdout, stderr }));
      },
    );
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (code !== 0)
      throw new Error(
        `node ${command.args.join(' ')} exited with code ${code}: ${stderr.trim().slice(-800)}`,
      );
    const [rss = 'NaN', cpu = 'NaN'] = (await readFile(rssFile, 'utf8').catch(() => 'NaN NaN')).split(' ');
    await rm(rssFile, { force: true });
    return { wallMs, peakRssBytes: Number(rss), cpuMs: Number(cpu) / 1000, stdout };
  }
}

/** The last line a probe printed, parsed as its JSON result. */
export function probeResult<T>(run: ProcessRun): T {
  const line = run.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as T;
  } catch {
    throw new Error(`a probe printed no JSON result line (got "${line.slice(0, 200)}")`);
  }
}
