import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  commandWords,
  type DockerInstruction,
  envPairs,
  isDockerIgnored,
  parseDockerfile,
  stagesOf,
} from '../src/dockerfile';
import { analysisCount, blockEnvironment, scratchFolder } from '../src/run';

const run = promisify(execFile);
const workspace = resolve(__dirname, '..', '..', '..');
const APP = '/app';

let instructions: DockerInstruction[];
let stages: DockerInstruction[][];
let ignore: string[];

beforeAll(async () => {
  instructions = parseDockerfile(await readFile(join(workspace, 'Dockerfile'), 'utf8'));
  stages = stagesOf(instructions);
  ignore = (await readFile(join(workspace, '.dockerignore'), 'utf8')).split('\n');
});

function only(stage: DockerInstruction[], keyword: string): DockerInstruction[] {
  return stage.filter((instruction) => instruction.keyword === keyword);
}

function finalStage(): DockerInstruction[] {
  return stages[stages.length - 1] ?? [];
}

/** A path inside the image, as the same file in this workspace. */
function inWorkspace(path: string): string {
  return path.startsWith(`${APP}/`) ? join(workspace, path.slice(APP.length + 1)) : path;
}

describe('the Dockerfile', () => {
  it('builds in one stage and runs on a slim Node 20 image as a non-root user', () => {
    expect(stages).toHaveLength(2);
    expect(stages[0]?.[0]?.args).toMatch(/^node:20[\w.-]*-slim AS build$/);
    expect(finalStage()[0]?.args).toMatch(/^node:20[\w.-]*-slim$/);
    const users = only(finalStage(), 'USER').map((instruction) => instruction.args);
    expect(users.length).toBeGreaterThan(0);
    expect(users[users.length - 1]).not.toMatch(/^(root|0)(:|$)/);
    expect(only(finalStage(), 'EXPOSE').map((instruction) => instruction.args)).toEqual(['8000']);
    expect(only(finalStage(), 'VOLUME').length).toBe(1);
    expect(
      envPairs(
        only(finalStage(), 'ENV')
          .map((instruction) => instruction.args)
          .join(' '),
      ),
    ).toMatchObject({
      HOST: '0.0.0.0',
      PORT: '8000',
    });
  });

  it("installs and builds as CI does (.ci/run's npm ci, then the build)", async () => {
    const ci = await readFile(join(workspace, '.ci', 'run'), 'utf8');
    const install = ci.split('\n').find((line) => line.trim().startsWith('npm ci'));
    expect(install).toBeDefined();
    const runs = only(stages[0] ?? [], 'RUN').map((instruction) => instruction.args.trim());
    expect(runs[0]).toBe(install?.trim());
    expect(runs[1]).toBe('npm run build');
    const ciEnv = /export ([^\n]+)/.exec(ci)?.[1] ?? '';
    const imageEnv = envPairs(
      only(stages[0] ?? [], 'ENV')
        .map((instruction) => instruction.args)
        .join(' '),
    );
    for (const name of ['CI', 'NX_NO_CLOUD', 'NX_DAEMON']) {
      expect(imageEnv[name]).toBe(envPairs(ciEnv)[name]);
    }
  });

  it('copies paths that exist, and .dockerignore keeps every tracked source file in the context', async () => {
    for (const copy of only(instructions, 'COPY').filter(
      (instruction) => !instruction.args.includes('--from='),
    )) {
      const sources = copy.args
        .split(/\s+/)
        .filter((word) => !word.startsWith('--'))
        .slice(0, -1);
      for (const source of sources) expect(existsSync(join(workspace, source))).toBe(true);
    }
    const { stdout } = await run('git', ['ls-files'], { cwd: workspace, maxBuffer: 16 * 1024 * 1024 });
    const ignoredSources = stdout.split('\n').filter((file) => file !== '' && isDockerIgnored(file, ignore));
    expect(ignoredSources).toEqual([]);
    for (const left of [
      'node_modules',
      'apps/cli/dist/main.js',
      'finops-reports/index.html',
      '.git/HEAD',
      'calls.csv',
    ]) {
      expect(isDockerIgnored(left, ignore)).toBe(true);
    }
  });

  it('names files that the build makes: the viewer, its health check and the finops bin', () => {
    const paths = [
      ...commandWords(only(finalStage(), 'CMD')[0]?.args ?? '[]'),
      ...commandWords((only(finalStage(), 'HEALTHCHECK')[0]?.args ?? '').replace(/^.*?CMD\s+/, '')),
      ...only(finalStage(), 'RUN').flatMap((instruction) => instruction.args.split(/\s+/)),
    ].filter((word) => word.startsWith(`${APP}/`));
    expect(paths).toEqual(
      expect.arrayContaining([
        '/app/apps/viewer/dist/main.js',
        '/app/apps/viewer/dist/healthcheck.js',
        '/app/apps/cli/bin/finops.js',
      ]),
    );
    for (const path of paths) expect(existsSync(inWorkspace(path))).toBe(true);
  });

  it('runs its command and health check as written: every interface, a warning without a password, healthy', async () => {
    const data = await scratchFolder(workspace, 'finops-docker-data-');
    const env = blockEnvironment(workspace);
    try {
      await run('finops', ['simulate', '--days', '3', '--customers', '6', '--out', 'calls.csv', '-q'], {
        cwd: data,
        env,
      });
      await run('finops', ['run', 'calls.csv', '--reports', 'finops-reports', '-q'], { cwd: data, env });
      const imageEnv = envPairs(
        only(finalStage(), 'ENV')
          .map((instruction) => instruction.args)
          .join(' '),
      );
      const [command = 'node', ...args] = commandWords(only(finalStage(), 'CMD')[0]?.args ?? '[]').map(
        inWorkspace,
      );
      // The port is the only change: any free one instead of 8000, which may be taken on this machine.
      const childEnv = { ...env, ...imageEnv, PORT: '0', FINOPS_VIEWER_USER: '', FINOPS_VIEWER_PASSWORD: '' };
      const child = spawn(command, args, { cwd: data, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      try {
        const port = await new Promise<string>((resolvePromise, reject) => {
          child.stderr.on('data', (chunk: Buffer) => {
            output += chunk.toString();
            const match = /serving .* at http:\/\/0\.0\.0\.0:(\d+)\//.exec(output);
            if (match?.[1]) resolvePromise(match[1]);
          });
          child.on('close', (code) => reject(new Error(`the viewer exited (${code}): ${output}`)));
        });
        const healthcheck = (only(finalStage(), 'HEALTHCHECK')[0]?.args ?? '').replace(/^.*?CMD\s+/, '');
        const [probe = 'node', ...probeArgs] = commandWords(healthcheck).map(inWorkspace);
        const { stdout } = await run(probe, probeArgs, { cwd: data, env: { ...childEnv, PORT: port } });
        expect(stdout).toContain(`HTTP 200, status ok, ${analysisCount(workspace)} reports`);
        expect(output).toMatch(/warning: 0\.0\.0\.0 is not a loopback address.*FINOPS_VIEWER_PASSWORD/);
        const version = await run(inWorkspace('/app/apps/cli/bin/finops.js'), ['--version'], {
          cwd: data,
          env,
        });
        expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
      } finally {
        child.kill('SIGTERM');
      }
    } finally {
      await rm(data, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('isDockerIgnored', () => {
  it('follows ** , * , ! and folder patterns', () => {
    const patterns = ['**/node_modules', '*.csv', 'tmp/', '!tmp/keep.txt', '.git'];
    expect(isDockerIgnored('packages/schema/node_modules/x/index.js', patterns)).toBe(true);
    expect(isDockerIgnored('node_modules', patterns)).toBe(true);
    expect(isDockerIgnored('calls.csv', patterns)).toBe(true);
    expect(isDockerIgnored('packages/importers/tests/fixtures/a.csv', patterns)).toBe(false);
    expect(isDockerIgnored('tmp/bench/x', patterns)).toBe(true);
    expect(isDockerIgnored('tmp/keep.txt', patterns)).toBe(false);
    expect(isDockerIgnored('.gitignore', patterns)).toBe(false);
    expect(isDockerIgnored('packages/schema/src/index.ts', patterns)).toBe(false);
  });
});
