import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ANALYSES } from '@finops/analyzers';

const run = promisify(execFile);
const workspace = resolve(__dirname, '..', '..', '..');
const packages = [
  'packages/schema',
  'packages/simulator',
  'packages/analyzers',
  'packages/report-renderer',
  'packages/importers',
  'packages/clickhouse',
  'apps/cli',
];

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'finops-pack-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

// The published packages, installed from their tarballs into an empty folder, run the showcase.
describe('the published CLI', () => {
  it('installs from npm pack tarballs and runs finops run', async () => {
    const tarballs: string[] = [];
    for (const project of packages) {
      const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', folder], {
        cwd: join(workspace, project),
      });
      const [packed] = JSON.parse(stdout) as { filename: string }[];
      tarballs.push(join(folder, packed?.filename ?? ''));
    }
    const app = join(folder, 'app');
    await run('mkdir', ['-p', app]);
    await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'try-finops', private: true }));
    await run(
      'npm',
      ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', ...tarballs],
      {
        cwd: app,
      },
    );
    const { stdout } = await run('npx', ['--no-install', 'finops', 'run', '--size-mb', '0.5', '-q'], {
      cwd: app,
    });
    expect(stdout).toContain(`Reports: ${ANALYSES.length + 5} files`);
    const reports = await readdir(join(app, 'finops-reports'));
    expect(reports).toEqual(
      expect.arrayContaining(['index.html', 'manifest.json', 'pricing.html', 'assets']),
    );
    const manifest = JSON.parse(await readFile(join(app, 'finops-reports', 'manifest.json'), 'utf8'));
    expect(manifest.reports).toHaveLength(ANALYSES.length);
    const { stdout: version } = await run('npx', ['--no-install', 'finops', '--version'], { cwd: app });
    expect(version.trim()).toBe('0.1.0');
  }, 240_000);
});
