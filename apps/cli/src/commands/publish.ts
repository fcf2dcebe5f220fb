import { existsSync, renameSync, rmSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, posix, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ASSETS_FOLDER, INDEX_FILENAME, MANIFEST_FILENAME } from '@finops/report-renderer';
import type { ReportManifest } from '@finops/schema';
import { EXIT, UsageError } from '../errors';
import type { Output } from '../output';
import { formatCount } from '../progress';
import { writeReports } from '../reports';
import { ANALYSIS_FLAGS, analyzeWithProgress } from './analyze';

/** Help text of `finops publish`. */
export const PUBLISH_HELP = `Usage: finops publish [log.csv] --out <dir> [options]

Writes the reports as a static site that any web host can serve (GitHub
Pages, S3, nginx, a plain folder): the index, every report page, the shared
assets and manifest.json, with relative links only and no live script. The
site is checked before it replaces <dir>: every link must point to a file of
the site, and nothing may load from elsewhere.

Without a log, it publishes the report folder that finops run wrote; with a
log, it analyses it and publishes the result.

Options:
  --out <dir>           the site folder (default site); replaced as a whole,
                        and refused if it holds files that are not a site
  --reports <dir>       the report folder to publish (default finops-reports)
  all options of finops analyze (--only, --config, --catalog, --strict,
    --quarantine, --workers), with a log
  -q, --quiet           print nothing but errors
  -h, --help            show this help

Examples:
  finops run calls.csv && finops publish --out site
  finops publish calls.csv --out public/finops`;

/** Marks a folder as a site this command wrote, and tells GitHub Pages to serve it as it is (no Jekyll). */
export const SITE_MARKER = '.nojekyll';

/** What {@link publishSite} wrote. */
export interface PublishedSite {
  /** The site folder, absolute. */
  dir: string;
  /** Files in it, relative, sorted. */
  files: string[];
  /** Their total size. */
  bytes: number;
  /** Report pages among them. */
  reports: number;
}

/** A link in a page that the site cannot serve. */
export interface BrokenLink {
  page: string;
  link: string;
  reason: string;
}

const LINK_ATTRIBUTE = /\s(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** Reads and checks a report folder's manifest. */
async function readManifest(dir: string): Promise<ReportManifest> {
  const path = join(dir, MANIFEST_FILENAME);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new UsageError(
      `no ${MANIFEST_FILENAME} in ${dir}: write the reports first (finops run), or give a log to publish`,
    );
  }
  let manifest: ReportManifest;
  try {
    manifest = JSON.parse(text) as ReportManifest;
  } catch (error) {
    throw new UsageError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(manifest.reports)) throw new UsageError(`${path} lists no reports (no "reports" array)`);
  manifest.reports.forEach((report, index) => {
    const name = report?.filename;
    if (typeof name !== 'string' || !/^[A-Za-z0-9_-]+\.html$/.test(name)) {
      throw new UsageError(
        `${path}: reports[${index}].filename must be a page name like pricing.html, got ${JSON.stringify(name)}`,
      );
    }
  });
  return manifest;
}

/** The files of a report folder that make the site: index, pages, manifest and assets. */
async function siteFiles(dir: string, manifest: ReportManifest): Promise<string[]> {
  const files = [INDEX_FILENAME, MANIFEST_FILENAME, ...manifest.reports.map((report) => report.filename)];
  for (const file of files) {
    const info = await stat(join(dir, file)).catch(() => undefined);
    if (!info?.isFile())
      throw new UsageError(`${join(dir, file)} is missing: the report folder is incomplete`);
  }
  const assets = await readdir(join(dir, ASSETS_FOLDER), { withFileTypes: true }).catch(() => []);
  for (const entry of assets) {
    if (entry.isFile()) files.push(posix.join(ASSETS_FOLDER, entry.name));
  }
  return [...new Set(files)].sort();
}

/**
 * The links of an HTML page (`href` and `src` attributes) that a static host
 * could not serve from the site: absolute URLs (the site must need no
 * network), root-relative paths (they break when the site is served under a
 * sub-path, as GitHub Pages does), the viewer's live script, and relative
 * links to files that are not in the site.
 */
export function brokenLinks(page: string, html: string, files: ReadonlySet<string>): BrokenLink[] {
  const broken: BrokenLink[] = [];
  for (const match of html.matchAll(LINK_ATTRIBUTE)) {
    const link = (match[1] ?? match[2] ?? '').trim();
    if (link === '' || link.startsWith('#')) continue;
    if (link.startsWith('data:')) continue;
    if (SCHEME.test(link) || link.startsWith('//')) {
      broken.push({ page, link, reason: 'loads from outside the site' });
    } else if (link.startsWith('/')) {
      broken.push({ page, link, reason: 'is root-relative; only relative links work under any sub-path' });
    } else {
      const target = posix.normalize(
        posix.join(posix.dirname(page), decodeURIComponent(link.split(/[?#]/)[0] ?? '')),
      );
      if (target.startsWith('_viewer/') || target.startsWith('../')) {
        broken.push({ page, link, reason: 'points outside the site' });
      } else if (!files.has(target)) {
        broken.push({ page, link, reason: 'points to a file that is not in the site' });
      }
    }
  }
  return broken;
}

/** Whether a folder may be replaced by a site: missing, empty, or a site written before (it has the marker). */
async function checkReplaceable(out: string): Promise<boolean> {
  const entries = await readdir(out).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    if (error.code === 'ENOTDIR') throw new UsageError(`${out} is a file, not a folder`);
    throw error;
  });
  if (entries === undefined) return false;
  if (entries.length > 0 && !entries.includes(SITE_MARKER)) {
    throw new UsageError(
      `${out} holds files that finops publish did not write (no ${SITE_MARKER}); give an empty or new folder`,
    );
  }
  return true;
}

/**
 * Copies the site files of a report folder into `out`: checks every page's
 * links first, writes the whole site into a temporary folder beside `out`,
 * then swaps it in, so `out` is never half-written. Returns what it wrote.
 */
export async function publishSite(reportDir: string, out: string): Promise<PublishedSite> {
  const source = resolve(reportDir);
  const target = resolve(out);
  if (source === target) throw new UsageError('--out must be another folder than the reports');
  const manifest = await readManifest(source);
  const files = await siteFiles(source, manifest);
  const fileSet = new Set(files);
  const broken: BrokenLink[] = [];
  for (const file of files.filter((name) => name.endsWith('.html'))) {
    broken.push(...brokenLinks(file, await readFile(join(source, file), 'utf8'), fileSet));
  }
  if (broken.length > 0) {
    const lines = broken.slice(0, 10).map((link) => `  ${link.page}: "${link.link}" ${link.reason}`);
    throw new UsageError(`the reports cannot be published as they are:\n${lines.join('\n')}`);
  }
  const replace = await checkReplaceable(target);
  await mkdir(dirname(target), { recursive: true });
  const staging = await mkdtemp(join(dirname(target), `.${basename(target)}.publishing-`));
  const previous = `${staging}.previous`;
  // Ctrl-C or a kill: the unfinished copy goes, and the previous site stays (or is put back).
  const dropStaging = (): void => {
    rmSync(staging, { recursive: true, force: true });
    if (existsSync(previous) && !existsSync(target)) renameSync(previous, target);
  };
  process.once('exit', dropStaging);
  try {
    let bytes = 0;
    await mkdir(join(staging, ASSETS_FOLDER), { recursive: true });
    for (const file of files) {
      await copyFile(join(source, file), join(staging, file));
      bytes += (await stat(join(staging, file))).size;
    }
    await writeFile(join(staging, SITE_MARKER), '');
    if (replace) {
      await rename(target, previous);
      await rename(staging, target);
      await rm(previous, { recursive: true, force: true });
    } else {
      await rename(staging, target);
    }
    return { dir: target, files: [...files, SITE_MARKER].sort(), bytes, reports: manifest.reports.length };
  } finally {
    process.off('exit', dropStaging);
    dropStaging();
  }
}

/** `finops publish`. */
export async function publishCommand(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...ANALYSIS_FLAGS,
      out: { type: 'string', default: 'site' },
      reports: { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    output.out(PUBLISH_HELP);
    return EXIT.ok;
  }
  if (positionals.length > 1)
    throw new UsageError('publish takes at most one log file: finops publish [log.csv]');
  const log = positionals[0];
  if (log !== undefined && values.reports !== undefined) {
    throw new UsageError(
      'give a log or --reports, not both: a log is analysed, --reports is published as it is',
    );
  }
  let reportDir = values.reports ?? 'finops-reports';
  let scratch: string | undefined;
  try {
    if (log !== undefined) {
      await mkdir(dirname(resolve(values.out)), { recursive: true });
      const results = await analyzeWithProgress(log, values, output);
      scratch = await mkdtemp(join(dirname(resolve(values.out)), '.finops-publish-reports-'));
      await writeReports(results, scratch, log);
      reportDir = scratch;
    }
    const site = await publishSite(reportDir, values.out);
    output.err(
      `published ${site.reports} reports: ${formatCount(site.files.length)} files (${(site.bytes / 1000).toFixed(0)} kB) in ${site.dir}`,
    );
    output.err(`any static host serves it as it is; the entry page is ${join(values.out, INDEX_FILENAME)}`);
    return EXIT.ok;
  } finally {
    if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
  }
}
