import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parseDockerfile, stagesOf } from '../src/dockerfile';
import { analysisCount } from '../src/run';

const run = promisify(execFile);
const workspace = resolve(__dirname, '..', '..', '..');

let clone: string;
beforeAll(async () => {
  clone = join(await mkdtemp(join(tmpdir(), 'finops-newcomer-')), 'finops');
});
afterAll(async () => {
  await rm(resolve(clone, '..'), { recursive: true, force: true });
});

/** The environment of someone at a terminal: no package-script variables, no colour. */
function terminal(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('npm_') && name !== 'INIT_CWD') env[name] = value;
  }
  return { ...env, NO_COLOR: '1', npm_config_prefer_offline: 'true', npm_config_fund: 'false' };
}

function sh(command: string, cwd: string) {
  return run('bash', ['-euo', 'pipefail', '-c', command], {
    cwd,
    env: terminal(),
    maxBuffer: 64 * 1024 * 1024,
  });
}

// The README's path for one's own log, in a fresh clone of the committed tree: npm ci, npm run build, npx finops run.
describe('a fresh clone', () => {
  it('links finops at install, says to build when it is not built, and runs a log once built', async () => {
    await run('git', ['clone', '--quiet', '--no-hardlinks', workspace, clone]);
    await sh('npm ci --no-audit', clone);

    const early = sh('npx --no-install finops --version', clone);
    await expect(early).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('run `npm run build` first'),
    });

    await sh('npm run build', clone);
    await sh('npx finops simulate --days 3 --customers 8 --seed 5 --out calls.csv -q', clone);
    const { stdout } = await sh('npx finops run calls.csv', clone);
    expect(stdout).toMatch(/^Analysed calls\.csv: [\d,]+ calls/m);
    // A page per analysis and the five other files of every report folder.
    expect(stdout).toContain(`Reports: ${analysisCount(workspace) + 5} files`);
    const reports = await readdir(join(clone, 'finops-reports'));
    expect(reports).toEqual(expect.arrayContaining(['index.html', 'manifest.json', 'assets']));
    const manifest = JSON.parse(await readFile(join(clone, 'finops-reports', 'manifest.json'), 'utf8')) as {
      reports: unknown[];
    };
    expect(manifest.reports).toHaveLength(analysisCount(workspace));
  }, 600_000);
});

// What the image keeps: after the Dockerfile's own prune of the build stage, the command and the viewer still run.
describe('the clone pruned as the image is', () => {
  it('runs finops and serves the reports with only the production dependencies', async () => {
    const dockerfile = parseDockerfile(await readFile(join(workspace, 'Dockerfile'), 'utf8'));
    const build = stagesOf(dockerfile)[0] ?? [];
    const prune = build
      .filter((instruction) => instruction.keyword === 'RUN')
      .map((instruction) => instruction.args.trim())
      .find((command) => command.startsWith('npm prune'));
    expect(prune).toBeDefined();
    await sh(prune ?? '', clone);
    await expect(stat(join(clone, 'node_modules', 'typescript'))).rejects.toThrow();
    const { stdout } = await sh(
      'node apps/cli/bin/finops.js run calls.csv --reports pruned-reports -q',
      clone,
    );
    expect(stdout).toContain(`Reports: ${analysisCount(workspace) + 5} files`);
    const viewer = spawn(
      process.execPath,
      ['apps/viewer/dist/main.js', '--dir', 'pruned-reports', '--port', '0'],
      {
        cwd: clone,
        env: terminal(),
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    try {
      const url = await new Promise<string>((resolvePromise, reject) => {
        let output = '';
        viewer.stderr.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /serving \S+ at (http:\/\/[^\s]+\/)/.exec(output);
          if (match?.[1]) resolvePromise(match[1]);
        });
        viewer.on('close', (code) => reject(new Error(`the viewer exited (${code}): ${output}`)));
      });
      const health = await fetch(`${url}health`);
      expect(health.status).toBe(200);
      expect(((await health.json()) as { reports: number }).reports).toBe(analysisCount(workspace));
    } finally {
      viewer.kill('SIGTERM');
    }
  }, 120_000);
});
