import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BaselineError, baselineFolder, prepareBaseline } from '../src/baseline';

// Each build starts tsup in a fresh process: slow on a busy machine, but not measured.
jest.setTimeout(60_000);

const nodeModules = join(__dirname, '..', '..', '..', 'node_modules');
let folder: string;
let repo: string;
let dataDir: string;

function git(...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Bench', '-c', 'user.email=bench@example.com', ...args], {
    cwd: repo,
    encoding: 'utf8',
  }).trim();
}

/** Commits a schema package whose reader answers `answer`, as a revision of the test checkout. */
async function commitSchema(answer: string, source?: string): Promise<string> {
  const packageDir = join(repo, 'packages', 'schema');
  await mkdir(join(packageDir, 'src'), { recursive: true });
  await writeFile(join(packageDir, 'package.json'), '{ "name": "@finops/schema", "type": "module" }\n');
  await writeFile(
    join(packageDir, 'tsup.config.ts'),
    "export default { entry: ['src/index.ts'], format: ['esm'], platform: 'node', target: 'node20' };\n",
  );
  await writeFile(
    join(packageDir, 'src', 'index.ts'),
    source ?? `export function readCallLog(path: string): string {\n  return \`${answer}:\${path}\`;\n}\n`,
  );
  git('add', '.');
  git('commit', '--quiet', '-m', answer);
  return git('rev-parse', 'HEAD');
}

/** Calls the built module's reader in a fresh Node process, as a benchmark child does. */
function callBuiltReader(modulePath: string): string {
  const script = `const m = await import(${JSON.stringify(pathToFileURL(modulePath).href)}); process.stdout.write(m.readCallLog('log.csv'));`;
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'finops-bench-baseline-'));
  repo = join(folder, 'repo');
  dataDir = join(folder, 'data');
  await mkdir(repo);
  git('init', '--quiet');
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('a baseline revision of the reader', () => {
  it('is unpacked and built once per commit, from the revision and not the work tree', async () => {
    const first = await commitSchema('first');
    const second = await commitSchema('second');
    await writeFile(join(repo, 'packages', 'schema', 'src', 'index.ts'), 'this is not TypeScript {');

    const built = await prepareBaseline({ repoDir: repo, revision: 'HEAD~1', dataDir, nodeModules });
    expect(built).toMatchObject({ commit: first, folder: baselineFolder(dataDir, first), reused: false });
    expect(callBuiltReader(built.modulePath)).toBe('first:log.csv');

    const again = await prepareBaseline({ repoDir: repo, revision: first.slice(0, 7), dataDir, nodeModules });
    expect(again).toEqual({ ...built, reused: true });
    const latest = await prepareBaseline({
      repoDir: join(repo, 'packages'),
      revision: 'HEAD',
      dataDir,
      nodeModules,
    });
    expect(latest).toMatchObject({ commit: second, reused: false });
    expect(callBuiltReader(latest.modulePath)).toBe('second:log.csv');
    expect((await readdir(dataDir)).sort()).toEqual(
      [baselineFolder('', first), baselineFolder('', second)].sort(),
    );
    git('checkout', '--quiet', '--', '.');
  });

  it('builds several packages in order, each importing its siblings as they were at that revision', async () => {
    await commitSchema('sibling');
    await writeFile(
      join(repo, 'packages', 'schema', 'package.json'),
      '{ "name": "@finops/schema", "type": "module", "exports": "./dist/index.js" }\n',
    );
    const simulatorDir = join(repo, 'packages', 'simulator');
    await mkdir(join(simulatorDir, 'src'), { recursive: true });
    await writeFile(
      join(simulatorDir, 'package.json'),
      '{ "name": "@finops/simulator", "type": "module", "dependencies": { "@finops/schema": "*" } }\n',
    );
    await writeFile(
      join(simulatorDir, 'tsup.config.ts'),
      "export default { entry: ['src/index.ts'], format: ['esm'], platform: 'node', target: 'node20' };\n",
    );
    await writeFile(
      join(simulatorDir, 'src', 'index.ts'),
      "import { readCallLog } from '@finops/schema';\nexport function readCallLogTwice(path: string): string {\n  return `${readCallLog(path)}+${readCallLog(path)}`;\n}\nexport { readCallLogTwice as readCallLog };\n",
    );
    git('add', '.');
    git('commit', '--quiet', '-m', 'simulator');
    const packages = [join('packages', 'schema'), join('packages', 'simulator')];
    const built = await prepareBaseline({ repoDir: repo, revision: 'HEAD', dataDir, nodeModules, packages });
    expect(built.folder).toBe(baselineFolder(dataDir, built.commit, packages));
    expect(built.folder).not.toBe(baselineFolder(dataDir, built.commit));
    expect(built.modulePath).toBe(join(built.folder, 'packages', 'simulator', 'dist', 'index.js'));
    // The revision's schema, not the one installed in the shared node_modules.
    expect(callBuiltReader(built.modulePath)).toBe('sibling:log.csv+sibling:log.csv');
    await rm(simulatorDir, { recursive: true });
    git('add', '-A');
    git('commit', '--quiet', '-m', 'no simulator');
  });

  it('says why when the folder is no git checkout or the revision is unknown', async () => {
    const outside = join(folder, 'outside');
    await mkdir(outside);
    await expect(
      prepareBaseline({ repoDir: outside, revision: 'HEAD', dataDir, nodeModules }),
    ).rejects.toThrow(/is not in a git checkout/);
    await expect(
      prepareBaseline({ repoDir: repo, revision: 'no-such-tag', dataDir, nodeModules }),
    ).rejects.toThrow(/revision "no-such-tag" is not a commit/);
    await expect(prepareBaseline({ repoDir: repo, revision: '--all', dataDir, nodeModules })).rejects.toThrow(
      BaselineError,
    );
  });

  it('leaves nothing behind when the revision cannot be built', async () => {
    const broken = await commitSchema('broken', 'export const = ;\n');
    const before = await readdir(dataDir);
    const failure = prepareBaseline({ repoDir: repo, revision: broken, dataDir, nodeModules });
    await expect(failure).rejects.toThrow(BaselineError);
    await expect(failure).rejects.toThrow(/building packages\/schema of [0-9a-f]{12} failed/);
    expect(await readdir(dataDir)).toEqual(before);

    await rm(join(repo, 'packages'), { recursive: true });
    git('add', '-A');
    git('commit', '--quiet', '-m', 'no schema');
    await expect(prepareBaseline({ repoDir: repo, revision: 'HEAD', dataDir, nodeModules })).rejects.toThrow(
      /has no packages\/schema package/,
    );
    await expect(
      prepareBaseline({ repoDir: repo, revision: 'HEAD~1', dataDir, nodeModules: join(folder, 'empty') }),
    ).rejects.toThrow(/no tsup in/);
    expect(await readdir(dataDir)).toEqual(before);
    expect(await stat(join(dataDir, baselineFolder('', broken))).catch(() => undefined)).toBeUndefined();
  });
});
