import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdtemp, realpath, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { RunnableBlock } from './blocks';

/** What a block did. */
export interface BlockOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** What a `serve` block's server answered before it was stopped. */
export interface ServeOutcome {
  url: string;
  healthStatus: number;
  indexStatus: number;
  /** Everything the server printed. */
  output: string;
  /** The shell's exit code after SIGTERM (`null` when the signal ended it). */
  code: number | null;
}

/**
 * A scratch folder that stands for the root of a built clone, as the docs
 * assume: `node_modules` (with the `finops` bin) and `apps` (the built
 * viewer) are links into the workspace; everything a block writes stays in
 * the scratch folder.
 */
export async function scratchFolder(workspace: string, prefix = 'finops-docs-'): Promise<string> {
  const folder = await realpath(await mkdtemp(join(tmpdir(), prefix)));
  await symlink(join(workspace, 'node_modules'), join(folder, 'node_modules'));
  await symlink(join(workspace, 'apps'), join(folder, 'apps'));
  return folder;
}

/** The environment blocks run with: the workspace's bins first, no colour, the viewer on any free loopback port. */
export function blockEnvironment(workspace: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Package-script variables would make relative paths resolve against the workspace.
  for (const name of Object.keys(env)) if (name.startsWith('npm_') || name === 'INIT_CWD') delete env[name];
  return {
    ...env,
    PATH: [join(workspace, 'node_modules', '.bin'), env['PATH'] ?? ''].join(delimiter),
    NO_COLOR: '1',
    HOST: '127.0.0.1',
    PORT: '0',
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    ...extra,
  };
}

function where(block: RunnableBlock): string {
  return `${block.file}:${block.line}`;
}

/** Runs a `run` block with `bash -euo pipefail` in `cwd`; resolves with its exit code and output. */
export function runBlock(block: RunnableBlock, cwd: string, env: NodeJS.ProcessEnv): Promise<BlockOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-euo', 'pipefail', '-c', block.code], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    child.on('error', (error) => reject(new Error(`${where(block)}: cannot start bash: ${error.message}`)));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Starts a `serve` block, waits until it prints `serving … at <url>`, asks
 * for `/health` and `/`, then stops it with SIGTERM. Fails when the server
 * exits first or says nothing within `timeoutMs`.
 */
export function serveBlock(
  block: RunnableBlock,
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeoutMs = 30_000,
): Promise<ServeOutcome> {
  return new Promise((resolve, reject) => {
    // Its own process group, so that the signal reaches the server whatever the shell does.
    const child = spawn('bash', ['-euo', 'pipefail', '-c', block.code], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const signal = (name: NodeJS.Signals): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, name);
      } catch {
        // already gone
      }
    };
    let output = '';
    let asked = false;
    const timer = setTimeout(() => {
      signal('SIGKILL');
      reject(
        new Error(
          `${where(block)}: the server did not say where it listens within ${timeoutMs} ms:\n${output}`,
        ),
      );
    }, timeoutMs);
    const onData = (data: Buffer): void => {
      output += data.toString();
      const match = /serving \S+ at (http:\/\/[^\s"]+?\/)/.exec(output);
      if (!match?.[1] || asked) return;
      asked = true;
      const url = match[1];
      void probe(url, { ...env, ...inlineAssignments(block.code) }).then(
        ([healthStatus, indexStatus]) => {
          child.once('close', (code) => {
            clearTimeout(timer);
            resolve({ url, healthStatus, indexStatus, output, code });
          });
          signal('SIGTERM');
        },
        (error: unknown) => {
          clearTimeout(timer);
          signal('SIGKILL');
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', (code) => {
      if (asked) return;
      clearTimeout(timer);
      reject(new Error(`${where(block)}: the server exited (${code}) before it served:\n${output}`));
    });
  });
}

/** `NAME=value` assignments that open a command (`FINOPS_VIEWER_USER=ops node …`), quotes removed. */
export function inlineAssignments(code: string): Record<string, string> {
  const found: Record<string, string> = {};
  const text = code.replace(/\\\n/g, ' ');
  const opening = /^\s*((?:[A-Z_][A-Z0-9_]*=(?:'[^']*'|"[^"]*"|\S*)\s+)+)/.exec(text)?.[1] ?? '';
  for (const match of opening.matchAll(/([A-Z_][A-Z0-9_]*)=('[^']*'|"[^"]*"|\S*)/g)) {
    found[match[1] ?? ''] = (match[2] ?? '').replace(/^(['"])(.*)\1$/, '$2');
  }
  return found;
}

async function probe(url: string, env: NodeJS.ProcessEnv): Promise<[number, number]> {
  const headers: Record<string, string> = {};
  const user = env['FINOPS_VIEWER_USER'];
  const password = env['FINOPS_VIEWER_PASSWORD'];
  if (user && password)
    headers['Authorization'] = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const health = await fetch(new URL('health', url), { headers });
  const index = await fetch(url, { headers });
  await Promise.all([health.arrayBuffer(), index.arrayBuffer()]);
  return [health.status, index.status];
}

/**
 * How many report pages a full run writes: one per analysis folder of the
 * analyzers' registry (the checks follow the registry instead of a number
 * that changes whenever an analysis is added).
 */
export function analysisCount(workspace: string): number {
  return readdirSync(join(workspace, 'packages', 'analyzers', 'src', 'analyses'), {
    withFileTypes: true,
  }).filter((entry) => entry.isDirectory()).length;
}
