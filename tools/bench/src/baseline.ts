import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

/** The revision the read benchmark compares against by default: the last commit of the previous release. */
export const DEFAULT_BASELINE_REVISION = '8423e10';

/** The package of a baseline revision that is built and measured by default. */
const SCHEMA_PACKAGE = join('packages', 'schema');
/** The scope of the workspace's own packages, linked to the revision's own folders. */
const WORKSPACE_SCOPE = '@finops';
/** Folders of the revision that hold workspace packages. */
const WORKSPACE_FOLDERS = ['packages', 'apps', 'tools'];
/** The file in a finished baseline folder that names the commit it was built from. */
const MARKER_FILE = 'baseline.json';

/** Why a baseline reader could not be had; the message says what to do. */
export class BaselineError extends Error {
  override readonly name = 'BaselineError';
}

/** Options of {@link prepareBaseline}. */
export interface BaselineOptions {
  /** A folder inside the git checkout to take the revision from. */
  repoDir: string;
  /** A revision git understands: a commit, a tag, `HEAD~3`. */
  revision: string;
  /** Where built baselines are kept (one folder per commit, reused on later runs). */
  dataDir: string;
  /** The node_modules folder to reuse; by default the checkout's own. */
  nodeModules?: string;
  /** Progress lines. */
  log?: (message: string) => void;
  /**
   * The revision's packages to build, in build order (a package after the
   * ones it imports); the last is the one measured. `packages/schema` alone
   * by default.
   */
  packages?: readonly string[];
}

/** A built baseline: the revision's `@finops/schema`, ready to import. */
export interface Baseline {
  /** The full commit the revision names. */
  commit: string;
  /** The folder the revision was unpacked and built in. */
  folder: string;
  /** The built ES module entry of the revision's measured package (the last one built). */
  modulePath: string;
  /** Whether an earlier run's build was reused. */
  reused: boolean;
}

interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end and collects its output; never throws for a non-zero exit. */
function runCommand(command: string, args: readonly string[], cwd: string): Promise<CommandResult> {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    child.on('error', (error) => resolvePromise({ code: -1, stdout, stderr: error.message }));
    child.on('close', (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
  });
}

/** The last few lines of a command's output, for an error message. */
function tailOf(text: string, lines = 8): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

/** The top folder of the git checkout holding `folder`. */
export async function checkoutRoot(folder: string): Promise<string> {
  const result = await runCommand('git', ['rev-parse', '--show-toplevel'], folder);
  if (result.code !== 0)
    throw new BaselineError(`${folder} is not in a git checkout (${tailOf(result.stderr, 1)})`);
  return result.stdout.trim();
}

/** The full commit a revision names in the checkout at `root`. */
export async function resolveCommit(root: string, revision: string): Promise<string> {
  if (!/^[\w./~^@{}-]+$/.test(revision) || revision.startsWith('-'))
    throw new BaselineError(`"${revision}" is not a revision name`);
  const result = await runCommand('git', ['rev-parse', '--verify', '--quiet', `${revision}^{commit}`], root);
  if (result.code !== 0)
    throw new BaselineError(`revision "${revision}" is not a commit of the checkout at ${root}`);
  return result.stdout.trim();
}

/**
 * The folder a commit's baseline is built in under `dataDir`: one per commit
 * and set of packages (the schema alone keeps the plain name).
 */
export function baselineFolder(
  dataDir: string,
  commit: string,
  packages: readonly string[] = [SCHEMA_PACKAGE],
): string {
  const alone = packages.length === 1 && packages[0] === SCHEMA_PACKAGE;
  const suffix = alone ? '' : `-${packages.map((folder) => basename(folder)).join('-')}`;
  return join(dataDir, `baseline-${commit.slice(0, 12)}${suffix}`);
}

/** The built entry of `packageFolder` in a baseline folder. */
function moduleIn(folder: string, packageFolder: string): string {
  return join(folder, packageFolder, 'dist', 'index.js');
}

/** Whether `folder` holds a finished build of `commit`. */
async function isBuilt(folder: string, commit: string, measured: string): Promise<boolean> {
  try {
    const marker = JSON.parse(await readFile(join(folder, MARKER_FILE), 'utf8')) as { commit?: unknown };
    return marker.commit === commit && (await stat(moduleIn(folder, measured))).isFile();
  } catch {
    return false;
  }
}

/** Writes the tree of `commit` into `folder` (no work tree, index or ref of the checkout is touched). */
async function unpackRevision(root: string, commit: string, folder: string): Promise<void> {
  const archive = join(folder, '..', `${commit.slice(0, 12)}.${process.pid}.tar`);
  const archived = await new Promise<CommandResult>((resolvePromise) => {
    const child = spawn('git', ['archive', '--format=tar', commit], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = createWriteStream(archive);
    let stderr = '';
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    child.stdout.pipe(out);
    child.on('error', (error) => resolvePromise({ code: -1, stdout: '', stderr: error.message }));
    child.on('close', (code) => out.end(() => resolvePromise({ code: code ?? -1, stdout: '', stderr })));
  });
  try {
    if (archived.code !== 0)
      throw new BaselineError(`git archive ${commit} failed: ${tailOf(archived.stderr)}`);
    const extracted = await runCommand('tar', ['-xf', archive, '-C', folder], root);
    if (extracted.code !== 0)
      throw new BaselineError(`unpacking ${commit} failed: ${tailOf(extracted.stderr)}`);
  } finally {
    await rm(archive, { force: true });
  }
}

/** The name in package.json of a folder of the revision, if it is a workspace package. */
async function workspaceName(packageDir: string): Promise<string | undefined> {
  try {
    const manifest = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as {
      name?: unknown;
    };
    return typeof manifest.name === 'string' && manifest.name.startsWith(`${WORKSPACE_SCOPE}/`)
      ? manifest.name
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A node_modules folder for the revision: every installed dependency linked
 * from the shared node_modules, and the workspace's own packages linked to
 * the revision's folders, so that a built package imports its siblings as
 * they were at that revision, not as they are in the work tree.
 */
async function linkModules(folder: string, nodeModules: string): Promise<void> {
  const modules = join(folder, 'node_modules');
  const scope = join(modules, WORKSPACE_SCOPE);
  await mkdir(scope, { recursive: true });
  for (const entry of await readdir(nodeModules)) {
    if (entry !== WORKSPACE_SCOPE) await symlink(join(nodeModules, entry), join(modules, entry));
  }
  for (const parent of WORKSPACE_FOLDERS) {
    const children = await readdir(join(folder, parent)).catch(() => [] as string[]);
    for (const child of children) {
      const name = await workspaceName(join(folder, parent, child));
      // Relative, as npm links them, so that the links survive renaming the folder into place.
      if (name !== undefined)
        await symlink(
          join('..', '..', parent, child),
          join(scope, name.slice(WORKSPACE_SCOPE.length + 1)),
          'dir',
        );
    }
  }
}

/** Builds one package of the unpacked revision with its own tsup config. */
async function buildPackage(
  folder: string,
  packageFolder: string,
  tsup: string,
  commit: string,
): Promise<void> {
  const packageDir = join(folder, packageFolder);
  if (!(await stat(join(packageDir, 'package.json')).catch(() => undefined)))
    throw new BaselineError(`revision ${commit.slice(0, 12)} has no ${packageFolder} package to build`);
  const built = await runCommand(process.execPath, [tsup], packageDir);
  if (built.code !== 0)
    throw new BaselineError(
      `building ${packageFolder} of ${commit.slice(0, 12)} failed:\n${tailOf(built.stderr || built.stdout)}`,
    );
  if (!(await stat(moduleIn(folder, packageFolder)).catch(() => undefined)))
    throw new BaselineError(
      `the build of ${commit.slice(0, 12)} wrote no ${moduleIn(folder, packageFolder)}`,
    );
}

/** Builds the unpacked revision's packages in order with the shared node_modules. */
async function buildPackages(
  folder: string,
  nodeModules: string,
  commit: string,
  packages: readonly string[],
): Promise<void> {
  const tsup = join(nodeModules, 'tsup', 'dist', 'cli-default.js');
  if (!(await stat(tsup).catch(() => undefined)))
    throw new BaselineError(`no tsup in ${nodeModules} to build the baseline with (run npm ci)`);
  await linkModules(folder, nodeModules);
  for (const packageFolder of packages) await buildPackage(folder, packageFolder, tsup, commit);
}

/**
 * A baseline revision's `@finops/schema` (or the packages named), built once
 * per commit and reused: the revision's tree is unpacked with `git archive`
 * (offline, the checkout untouched) into `<dataDir>/baseline-<commit>/`,
 * the checkout's installed modules are linked into it (the workspace's own
 * packages to the revision's), and each package is built with its own tsup
 * config. The build happens in a temporary folder renamed into
 * place, so a stopped run leaves no half build behind.
 *
 * @throws {@link BaselineError} when the folder is not a git checkout, the
 * revision is unknown, or the build fails.
 *
 * @example
 * ```ts
 * const baseline = await prepareBaseline({ repoDir: '.', revision: '8423e10', dataDir: 'tmp/bench' });
 * const { readCallLog } = await import(pathToFileURL(baseline.modulePath).href);
 * ```
 */
export async function prepareBaseline(options: BaselineOptions): Promise<Baseline> {
  const root = await checkoutRoot(options.repoDir);
  const commit = await resolveCommit(root, options.revision);
  const packages = options.packages ?? [SCHEMA_PACKAGE];
  const measured = packages[packages.length - 1];
  if (measured === undefined) throw new BaselineError('no package to build');
  const folder = baselineFolder(options.dataDir, commit, packages);
  if (await isBuilt(folder, commit, measured))
    return { commit, folder, modulePath: moduleIn(folder, measured), reused: true };
  options.log?.(
    `building ${packages.join(', ')} of ${options.revision} (${commit.slice(0, 12)}) into ${folder}`,
  );
  const partial = `${folder}.partial-${process.pid}`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  try {
    await unpackRevision(root, commit, partial);
    await buildPackages(partial, options.nodeModules ?? join(root, 'node_modules'), commit, packages);
    await writeFile(
      join(partial, MARKER_FILE),
      `${JSON.stringify({ commit, revision: options.revision })}\n`,
    );
    await rm(folder, { recursive: true, force: true });
    await rename(partial, folder);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    throw error;
  }
  return { commit, folder, modulePath: moduleIn(folder, measured), reused: false };
}
