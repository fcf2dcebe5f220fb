import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The revision the read benchmark compares against by default: the last commit of the previous release. */
export const DEFAULT_BASELINE_REVISION = '8423e10';

/** The package of a baseline revision that is built and measured. */
const SCHEMA_PACKAGE = join('packages', 'schema');
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
}

/** A built baseline: the revision's `@finops/schema`, ready to import. */
export interface Baseline {
  /** The full commit the revision names. */
  commit: string;
  /** The folder the revision was unpacked and built in. */
  folder: string;
  /** The built ES module entry of the revision's `@finops/schema`. */
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

/** The folder a commit's baseline is built in under `dataDir`. */
export function baselineFolder(dataDir: string, commit: string): string {
  return join(dataDir, `baseline-${commit.slice(0, 12)}`);
}

/** The built entry a baseline folder holds. */
function moduleIn(folder: string): string {
  return join(folder, SCHEMA_PACKAGE, 'dist', 'index.js');
}

/** Whether `folder` holds a finished build of `commit`. */
async function isBuilt(folder: string, commit: string): Promise<boolean> {
  try {
    const marker = JSON.parse(await readFile(join(folder, MARKER_FILE), 'utf8')) as { commit?: unknown };
    return marker.commit === commit && (await stat(moduleIn(folder))).isFile();
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

/** Builds the unpacked revision's schema package with its own tsup config and the shared node_modules. */
async function buildSchema(folder: string, nodeModules: string, commit: string): Promise<void> {
  const packageDir = join(folder, SCHEMA_PACKAGE);
  if (!(await stat(join(packageDir, 'package.json')).catch(() => undefined)))
    throw new BaselineError(`revision ${commit.slice(0, 12)} has no ${SCHEMA_PACKAGE} package to build`);
  const tsup = join(nodeModules, 'tsup', 'dist', 'cli-default.js');
  if (!(await stat(tsup).catch(() => undefined)))
    throw new BaselineError(`no tsup in ${nodeModules} to build the baseline with (run npm ci)`);
  await symlink(nodeModules, join(folder, 'node_modules'), 'dir');
  const built = await runCommand(process.execPath, [tsup], packageDir);
  if (built.code !== 0)
    throw new BaselineError(
      `building ${SCHEMA_PACKAGE} of ${commit.slice(0, 12)} failed:\n${tailOf(built.stderr || built.stdout)}`,
    );
  if (!(await stat(moduleIn(folder)).catch(() => undefined)))
    throw new BaselineError(`the build of ${commit.slice(0, 12)} wrote no ${moduleIn(folder)}`);
}

/**
 * A baseline revision's `@finops/schema`, built once per commit and reused:
 * the revision's tree is unpacked with `git archive` (offline, the checkout
 * untouched) into `<dataDir>/baseline-<commit>/`, the checkout's
 * node_modules is linked into it, and its schema package is built with its
 * own tsup config. The build happens in a temporary folder renamed into
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
  const folder = baselineFolder(options.dataDir, commit);
  if (await isBuilt(folder, commit)) return { commit, folder, modulePath: moduleIn(folder), reused: true };
  options.log?.(`building the reader of ${options.revision} (${commit.slice(0, 12)}) into ${folder}`);
  const partial = `${folder}.partial-${process.pid}`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  try {
    await unpackRevision(root, commit, partial);
    await buildSchema(partial, options.nodeModules ?? join(root, 'node_modules'), commit);
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
  return { commit, folder, modulePath: moduleIn(folder), reused: false };
}
