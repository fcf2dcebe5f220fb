import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { runCli } from '../src/cli';
import { brokenLinks, publishSite, SITE_MARKER } from '../src/commands/publish';
import { captureOutput } from './helpers';
import { ANALYSES } from '@finops/analyzers';

let folder: string;
let log: string;
let reports: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'finops-cli-publish-'));
  log = join(folder, 'calls.csv');
  reports = join(folder, 'reports');
  const simulate = await runCli(
    [
      'simulate',
      '--customers',
      '8',
      '--days',
      '5',
      '--start',
      '2025-10-01',
      '--seed',
      '3',
      '--out',
      log,
      '-q',
    ],
    captureOutput(),
  );
  expect(simulate).toBe(0);
  expect(await runCli(['run', log, '--reports', reports, '-q'], captureOutput())).toBe(0);
}, 60_000);
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** Every file under a folder, relative, with `/` separators. */
async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) found.push(...(await listFiles(join(dir, entry.name), relative)));
    else found.push(relative);
  }
  return found.sort();
}

/** The href and src values of a page. */
function linksOf(html: string): string[] {
  return [...html.matchAll(/\s(?:href|src)="([^"]*)"/g)].map((match) => match[1] ?? '');
}

describe('finops publish', () => {
  it('writes the reports as a static site: relative links that all resolve, the manifest, no live script', async () => {
    const site = join(folder, 'site');
    const output = captureOutput();
    expect(await runCli(['publish', '--reports', reports, '--out', site], output)).toBe(0);
    // A page per report and six files every site has.
    expect(output.stderr.join('\n')).toMatch(
      new RegExp(
        `published ${ANALYSES.length} reports: ${ANALYSES.length + 6} files \\(\\d+ kB\\) in .*site`,
      ),
    );
    const files = await listFiles(site);
    expect(files).toEqual(
      expect.arrayContaining([
        SITE_MARKER,
        'index.html',
        'manifest.json',
        'pricing.html',
        'understanding.html',
        'assets/report.css',
        'assets/report.js',
      ]),
    );
    expect(await readFile(join(site, 'manifest.json'), 'utf8')).toBe(
      await readFile(join(reports, 'manifest.json'), 'utf8'),
    );
    const fileSet = new Set(files);
    for (const page of files.filter((file) => file.endsWith('.html'))) {
      const html = await readFile(join(site, page), 'utf8');
      expect(html).not.toContain('_viewer');
      for (const link of linksOf(html)) {
        if (link.startsWith('#')) continue;
        expect(link).not.toMatch(/^(\/|[a-z]+:)/);
        const target = posix.normalize(posix.join(posix.dirname(page), link.split('#')[0] ?? ''));
        expect(fileSet.has(target)).toBe(true);
      }
    }
    // No leftover temporary folder beside the site.
    expect((await readdir(folder)).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('analyses a log and publishes the result', async () => {
    const site = join(folder, 'from-log', 'public');
    expect(await runCli(['publish', log, '--out', site, '-q'], captureOutput())).toBe(0);
    const manifest = JSON.parse(await readFile(join(site, 'manifest.json'), 'utf8')) as {
      reports: unknown[];
      data_file: { path: string };
    };
    expect(manifest.reports).toHaveLength(ANALYSES.length);
    expect(manifest.data_file.path).toBe(log);
    expect((await readdir(join(folder, 'from-log'))).sort()).toEqual(['public']);
  });

  it('replaces a site written before, whole', async () => {
    const site = join(folder, 'again');
    await publishSite(reports, site);
    await writeFile(join(site, 'stale.html'), 'old');
    const published = await publishSite(reports, site);
    expect(published.files).not.toContain('stale.html');
    await expect(stat(join(site, 'stale.html'))).rejects.toThrow();
    expect(published.reports).toBe(ANALYSES.length);
    expect(published.bytes).toBeGreaterThan(10_000);
  });

  it('refuses to replace a folder it did not write, and leaves it as it was', async () => {
    const mine = join(folder, 'mine');
    await mkdir(mine);
    await writeFile(join(mine, 'notes.txt'), 'keep me');
    const output = captureOutput();
    expect(await runCli(['publish', '--reports', reports, '--out', mine], output)).toBe(2);
    expect(output.stderr.join('\n')).toContain('holds files that finops publish did not write');
    expect(await readdir(mine)).toEqual(['notes.txt']);
  });

  it('refuses a report folder without a manifest, or with a page missing', async () => {
    const empty = join(folder, 'empty');
    await mkdir(empty);
    const output = captureOutput();
    expect(await runCli(['publish', '--reports', empty, '--out', join(folder, 'x')], output)).toBe(2);
    expect(output.stderr.join('\n')).toMatch(/no manifest\.json in .*empty: write the reports first/);

    const partial = join(folder, 'partial');
    await cp(reports, partial, { recursive: true });
    await rm(join(partial, 'pricing.html'));
    await expect(publishSite(partial, join(folder, 'y'))).rejects.toThrow(/pricing\.html is missing/);
  });

  it('refuses pages that load from elsewhere, and leaves no site behind', async () => {
    const tampered = join(folder, 'tampered');
    await cp(reports, tampered, { recursive: true });
    const page = join(tampered, 'features.html');
    const html = await readFile(page, 'utf8');
    await writeFile(page, html.replace('</head>', '<script src="https://cdn.example/x.js"></script></head>'));
    const out = join(folder, 'never');
    await expect(publishSite(tampered, out)).rejects.toThrow(
      /features\.html: "https:\/\/cdn\.example\/x\.js" loads from outside the site/,
    );
    await expect(stat(out)).rejects.toThrow();
  });

  it('takes a log or --reports, not both, and one log at most', async () => {
    const both = captureOutput();
    expect(await runCli(['publish', log, '--reports', reports], both)).toBe(2);
    expect(both.stderr.join('\n')).toContain('give a log or --reports, not both');
    const two = captureOutput();
    expect(await runCli(['publish', log, log], two)).toBe(2);
    const help = captureOutput();
    expect(await runCli(['publish', '--help'], help)).toBe(0);
    expect(help.stdout.join('\n')).toContain('Usage: finops publish');
  });
});

describe('brokenLinks', () => {
  const files = new Set(['index.html', 'pricing.html', 'assets/report.css']);

  it('accepts fragments, data URLs and relative links to files of the site', () => {
    const html =
      '<a href="#main"></a><img src="data:image/png;base64,AA"><a href="pricing.html#top"></a><link href="assets/report.css">';
    expect(brokenLinks('index.html', html, files)).toEqual([]);
  });

  it('names absolute, root-relative, outside and missing links', () => {
    const html = [
      '<a href="https://example.com/">',
      '<script src="//cdn.example/x.js">',
      '<a href="/pricing.html">',
      '<script src="_viewer/live.js">',
      "<a href='../secret.html'>",
      '<a href="missing.html">',
    ].join('');
    expect(brokenLinks('index.html', html, files).map((link) => `${link.link} ${link.reason}`)).toEqual([
      'https://example.com/ loads from outside the site',
      '//cdn.example/x.js loads from outside the site',
      '/pricing.html is root-relative; only relative links work under any sub-path',
      '_viewer/live.js points outside the site',
      '../secret.html points outside the site',
      'missing.html points to a file that is not in the site',
    ]);
  });
});
